"""helpers.outlook: long-term data with denominators, CAR-T table, approaches, trial dates."""

import matplotlib.pyplot as plt
import pytest

import helpers.outlook as outlook
from helpers.core.data import fact_number
from helpers.core.references import references
from helpers.studies import registered_trials, study

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def test_long_term_denominators_are_visits_then_all_treated_at_five_years():
    table = outlook.long_term_table()
    assert table.loc[0, "denominator"] < table.loc[0, "treated"]
    assert list(table["denominator"][:4]) == sorted(table["denominator"][:4], reverse=True)
    five = table.iloc[-1]
    # Wang 2018 (doi:10.1016/j.stemcr.2018.01.029): 22/81 in complete remission at 5 years
    assert five["report"] == "Wang 2018" and five["denominator_is"] == "all patients treated"
    assert (five["events"], five["denominator"], five["treated"]) == (22, 81, 81)


def test_cart_table_names_the_2025_cohort_and_the_course_filter():
    table = outlook.cart_vs_msc().set_index("aspect")
    feng = outlook.cart_cohorts()[0]
    assert feng["id"] == "feng2025" and feng["patients"] == 15
    assert "12/15 (80%)" in table.loc["Remission reported", "CD19 CAR-T"]
    assert "not the size of the MSC literature" in table.loc[
        "Patients with SLE in the reports read", "MSC"]
    longest = table.loc["Longest follow-up", "MSC"]
    assert f"{study('wang2017')['follow_up_months']} months for safety only" in longest


def test_relapse_curve_is_a_decreasing_life_table():
    curve = outlook.relapse_free_curve()
    assert [p["year"] for p in curve] == [0, 1, 2, 3, 4]
    values = [p["relapse_free"] for p in curve]
    assert values == sorted(values, reverse=True)
    assert values[1] == pytest.approx(1 - 10 / 83)


def test_msc_patients_counts_each_programme_once():
    out = outlook.msc_patients_treated()
    nanjing = [study(s)["n_enrolled"] for s in ("wang2013", "bao2023")]
    assert out["groups"]["nanjing_drum_tower"] >= max(nanjing)
    assert out["total"] > out["groups"]["nanjing_drum_tower"]


def test_msc_patients_exclude_placebo_arms():
    """Deng 2017 gave MSCs to 12 of its 18 patients; the 6 on placebo must not be counted."""
    from helpers.safety import msc_arm_size
    from helpers.studies import overlap_group_of, verified_studies

    rows = verified_studies()
    independent = sum(msc_arm_size(r) for r in rows if overlap_group_of(r["id"]) is None)
    out = outlook.msc_patients_treated()
    assert out["total"] == independent + sum(out["groups"].values())
    deng = study("deng2017")
    enrolled = sum(r["n_enrolled"] for r in rows if overlap_group_of(r["id"]) is None)
    assert enrolled - independent == deng["control_arm"]["n"]


def test_cart_table_reads_facts():
    table = outlook.cart_vs_msc()
    assert list(table.columns) == ["aspect", "CD19 CAR-T", "MSC"]
    text = " ".join(table["CD19 CAR-T"])
    assert str(fact_number("future_cart_muller2024", "median_followup_months")) in text
    assert "secondary summary" in text
    mu = "future_cart_muller2024"
    crs = fact_number(mu, "crs_grade1") + fact_number(mu, "crs_grade2")
    assert f"cytokine release syndrome in {crs} of the {fact_number(mu, 'patients_total')}" in text
    assert "ICANS" in text and "pneumonia needing hospital care" in text
    assert "fludarabine and cyclophosphamide" in text
    assert f"including the {fact_number('future_cart_mackensen2022', 'patients')}" in text
    msc = " ".join(table["MSC"])
    assert f"{outlook.msc_patients_treated()['total']} given MSCs" in msc
    assert "complete or partial remission" in msc


def _appears(iso: str, text: str) -> bool:
    year, month, day = iso.split("-")
    spoken = f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    return iso in text or spoken in text


def test_trial_dates_are_copied_from_the_registry_status_text():
    status = {t.get("nct"): t.get("status") or "" for t in registered_trials()}
    for row in outlook._load("trial_dates"):
        assert _appears(row["start"], status[row["nct"]]), row
        assert _appears(row["end"], status[row["nct"]]), row


def test_approaches_are_labelled_and_cited():
    table = outlook.approaches()
    keys = set(references())
    for refs in table["references"]:
        assert set(refs) <= keys
    assert table["stage"].str.contains("preclinical|registered|proposed|laboratory").all()


def test_plots_content():
    fig = outlook.plot_long_term()
    assert "23/83" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    table = outlook.trial_timeline()
    fig = outlook.plot_trial_timeline(table)
    assert len(fig.axes[0].get_yticklabels()) == len(table)
    plt.close(fig)
    with pytest.raises(ValueError, match="curve"):
        outlook.plot_long_term(curve=[])
    with pytest.raises(ValueError, match="today"):
        outlook.plot_trial_timeline(table, today="soon")


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the long-term panels and the trial timeline."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [outlook.plot_long_term(outlook.long_term_table(), outlook.relapse_free_curve()),
                outlook.plot_trial_timeline(outlook.trial_timeline())]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_biomarker_searches_include_a_prospective_baseline_measurement():
    """Wang 2017 (Stem Cells Transl Med 6:1777, PMC5689761) measured IFN-gamma before infusion."""
    table = outlook.biomarker_studies().set_index("id")
    assert table.loc["wangifng2017", "timing"].startswith("measured before infusion")
    assert table.loc["wangifng2017", "patients"] == 26
    assert {"wen2019", "bao2023"} <= set(table.index)
    assert not table["validated_elsewhere"].any()
