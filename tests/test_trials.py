"""Biologic trial effects from packaged data; unverified rows excluded; seed claims."""
import matplotlib.pyplot as plt
import pytest

from conftest import small_texts_at_course_style as _small_texts_at_course_style

from helpers.core.data import DataError, provenance, validate_records
from helpers.trials import (COMPARISON_SCHEMA, excluded_trials, plot_trial_effects,
                            seed_claims, trial_comparisons, trial_effects)


def test_verified_trials_and_reconstructed_counts():
    rows = {r["id"]: r for r in trial_effects()}
    assert list(rows) == ["bliss52", "bliss76", "bliss76_1mgkg", "bliss_ln", "tulip_pooled",
                          "tulip_pooled_sri4", "tulip2", "aurora1", "regency"]
    b52 = rows["bliss52"]
    assert (b52["events_active"], b52["n_active"], b52["events_control"], b52["n_control"]) \
        == (167, 290, 125, 287)
    tulip = rows["tulip_pooled"]
    assert (tulip["events_active"], tulip["n_active"]) == (171, 360)
    # TULIP-2 (Morand 2020): 47.8% of 180 and 31.5% of 182, its pre-specified primary endpoint
    t2 = rows["tulip2"]
    assert (t2["events_active"], t2["n_active"], t2["events_control"], t2["n_control"]) \
        == (86, 180, 57, 182)
    # AURORA 1: 40.8% of 179 and 22.5% of 178 (arm sizes from the registry record)
    au = rows["aurora1"]
    assert (au["events_active"], au["n_active"], au["events_control"], au["n_control"]) \
        == (73, 179, 40, 178)
    # REGENCY: 46.4% of 135 and 33.1% of 136 (adjusted percentages; counts approximate)
    rg = rows["regency"]
    assert (rg["n_active"], rg["n_control"], rg["events_control"]) == (135, 136, 45)
    assert rg["events_active"] == round(0.464 * 135)
    for name, row in rows.items():
        assert row["ard_low_pct"] < row["ard_pct"] < row["ard_high_pct"]
        assert row["nnt"].crosses_zero == (name == "bliss76_1mgkg")
        assert row["references"]


def test_exact_counts_are_used_where_published():
    rows = {r["id"]: r for r in trial_effects()}
    ln = rows["bliss_ln"]  # Anders 2023 subgroups: 69/148 + 27/75 and 55/148 + 17/75
    assert (ln["events_active"], ln["n_active"]) == (69 + 27, 148 + 75)
    assert (ln["events_control"], ln["n_control"]) == (55 + 17, 148 + 75)
    sri4 = rows["tulip_pooled_sri4"]  # Vital 2022 Table 1, SRI(4) row
    assert (sri4["events_active"], sri4["n_active"], sri4["events_control"],
            sri4["n_control"]) == (188, 360, 147, 366)
    assert sri4["trial"] == rows["tulip_pooled"]["trial"] and sri4["endpoint"] == "SRI-4 response"


def test_exact_counts_must_match_the_reported_percentage(monkeypatch):
    from helpers import trials
    from helpers.core.data import DataError

    record = [dict(r) for r in trials._comparisons() if r["id"] == "bliss_ln"][0]
    record["active"] = dict(record["active"], events=120)
    with pytest.raises(DataError, match="do not match"):
        trials._arm(record, "active")


def test_effect_summary_keeps_rows_whose_interval_excludes_zero():
    from helpers.trials import effect_summary

    s = effect_summary()
    assert s["crossing_zero"] == ["BLISS-76 (1 mg/kg)"]
    assert all(not r["nnt"].crosses_zero for r in s["excluding_zero"])
    assert (round(s["nnt_min"], 1), round(s["nnt_max"], 1)) == (5.5, 10.2)
    assert (round(s["placebo_min_pct"]), round(s["placebo_max_pct"])) == (22, 44)
    # the bar mixes endpoints, time points and a post hoc pooled analysis: say so
    assert s["endpoints"] == ["BICLA response", "SRI-4 response", "complete renal response",
                              "primary efficacy renal response"]
    assert s["weeks"] == [52, 76, 104]
    assert s["post_hoc"] == ["TULIP-1 + TULIP-2 (pooled, post hoc)"]


def test_unverified_rows_are_excluded_with_a_reason(monkeypatch):
    from helpers import trials

    assert excluded_trials() == []  # every comparison is verified (2026-12)
    assert len(trial_comparisons()) == 9
    rows = [dict(r) for r in trials._comparisons()]
    rows[-1] = dict(rows[-1], verified=False, caveat="Unverified: arm sizes not read")
    monkeypatch.setattr(trials, "_comparisons", lambda: tuple(rows))
    excluded = {r["trial"]: r["reason"] for r in excluded_trials()}
    assert excluded == {"REGENCY": "Unverified: arm sizes not read"}
    assert "regency" not in {r["id"] for r in trials.trial_effects()}


def test_treatment_landscape_names_status_and_source_for_each_drug():
    from helpers.trials import treatment_landscape

    rows = {r["drug"].split(" (")[0].split(",")[0]: r for r in treatment_landscape()}
    assert set(rows) == {"obinutuzumab", "anifrolumab", "telitacicept", "dapirolizumab pegol",
                         "deucravacitinib", "litifilimab"}
    assert "October 2025" in rows["obinutuzumab"]["status"]
    assert "16 December 2025" in rows["anifrolumab"]["status"]
    assert rows["telitacicept"]["status"].startswith("China")
    for name in ("dapirolizumab pegol", "deucravacitinib", "litifilimab"):
        assert "approved" in rows[name]["status"].lower()
    assert all(r["url"].startswith("http") and r["source"] for r in rows.values())


def test_treatment_landscape_rejects_an_unknown_fact(monkeypatch):
    from helpers import trials

    real = trials.load_records

    def broken(filename, key, schema, **kw):
        rows = real(filename, key, schema, **kw)
        if key == "landscape":
            rows = [dict(rows[0], fact_ids=["no_such_fact"])] + rows[1:]
        return rows

    monkeypatch.setattr(trials, "load_records", broken)
    with pytest.raises(ValueError):
        trials.treatment_landscape()


def test_trial_plot_has_one_row_per_verified_trial():
    fig = plot_trial_effects()
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 9
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "NNTB 7.1" and texts[2] == "NNTB 14.0 (CI includes no effect)"
    plt.close(fig)


def test_seed_claims_have_verdicts_and_sources():
    claims = {c["id"]: c for c in seed_claims()}
    assert claims["seed_liver"]["verdict"] == "overstated"
    assert claims["seed_infection"]["numbers"]["or_serious_infection_gt_7_5mg"] == 2.65
    assert all(c["source"]["authors"] for c in claims.values())


def test_data_file_meta_and_schema():
    assert provenance("treatment_burden.yaml")["literature_last_searched"] == "2026-12"
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
