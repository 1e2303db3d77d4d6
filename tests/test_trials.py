"""Biologic trial effects from packaged data; unverified rows excluded; seed claims."""
import matplotlib.pyplot as plt
import pytest

from conftest import small_texts_at_course_style as _small_texts_at_course_style

from helpers.data import DataError, provenance, validate_records
from helpers.trials import (COMPARISON_SCHEMA, excluded_trials, plot_trial_effects,
                            seed_claims, trial_comparisons, trial_effects)


def test_verified_trials_and_reconstructed_counts():
    rows = {r["trial"]: r for r in trial_effects()}
    assert list(rows) == ["BLISS-52", "BLISS-76", "BLISS-76 (1 mg/kg)", "BLISS-LN",
                          "TULIP-1 + TULIP-2 (pooled)"]
    b52 = rows["BLISS-52"]
    assert (b52["events_active"], b52["n_active"], b52["events_control"], b52["n_control"]) \
        == (167, 290, 125, 287)
    tulip = rows["TULIP-1 + TULIP-2 (pooled)"]
    assert (tulip["events_active"], tulip["n_active"]) == (171, 360)
    for name, row in rows.items():
        assert row["ard_low_pct"] < row["ard_pct"] < row["ard_high_pct"]
        assert row["nnt"].crosses_zero == (name == "BLISS-76 (1 mg/kg)")


def test_unverified_rows_are_excluded_with_a_reason():
    excluded = {r["trial"]: r["reason"] for r in excluded_trials()}
    assert set(excluded) == {"TULIP-2", "AURORA 1"}
    assert "Unverified" in excluded["TULIP-2"] and "Arm sizes" in excluded["AURORA 1"]
    assert len(trial_comparisons()) == 7


def test_trial_plot_has_one_row_per_verified_trial():
    fig = plot_trial_effects()
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 5
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "NNTB 7.1" and texts[2] == "NNTB 14.0 (CI includes no effect)"
    plt.close(fig)


def test_seed_claims_have_verdicts_and_sources():
    claims = {c["id"]: c for c in seed_claims()}
    assert claims["seed_liver"]["verdict"] == "overstated"
    assert claims["seed_infection"]["numbers"]["or_serious_infection_gt_7_5mg"] == 2.65
    assert all(c["source"]["authors"] for c in claims.values())


def test_data_file_meta_and_schema():
    assert provenance("treatment_burden.yaml")["literature_last_searched"] == "2026-11"
    row = trial_comparisons()[0]
    with pytest.raises(DataError, match="week"):
        validate_records([dict(row, week=0)], COMPARISON_SCHEMA)
    with pytest.raises(DataError, match="n_url"):
        validate_records([dict(row, n_url="http://x")], COMPARISON_SCHEMA)


def test_gc_hazard_ratios_from_verified_fact_and_plot():
    from helpers.trials import gc_damage_hazard_ratios, plot_gc_hazard_ratios

    hrs = gc_damage_hazard_ratios()
    assert hrs["any organ damage (>= 20 vs < 7.5 mg/day)"] == 2.514
    assert len(hrs) == 5
    fig = plot_gc_hazard_ratios()
    bars = fig.axes[0].patches
    assert sorted(round(b.get_width(), 3) for b in bars) == sorted(hrs.values())
    assert sum(b.get_hatch() == "//" for b in bars) == 1
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



@pytest.mark.parametrize("name", ["plot_trial_effects", "plot_gc_hazard_ratios"])
def test_figures_have_no_text_smaller_than_11_pt(name):
    from helpers.trials import plot_gc_hazard_ratios

    draw = {
        "plot_trial_effects": plot_trial_effects,
        "plot_gc_hazard_ratios": plot_gc_hazard_ratios,
    }[name]
    assert _small_texts_at_course_style(draw) == []
