"""helpers.safety: lupus study harms, pooled relative risks, risk grades and red flags."""
import matplotlib.pyplot as plt
import pytest

import helpers.safety as safety
from helpers.core.data import fact, fact_number
from helpers.core.references import references
from helpers.studies import study, verified_studies


def test_safety_table_reads_deaths_from_the_study_rows():
    table = safety.safety_table()
    current = [r for r in verified_studies() if not r.get("superseded_by")]
    assert len(table) == len(current)
    for _, row in table.iterrows():
        deaths = (study(row["id"]).get("deaths") or {}).get("n")
        if deaths is None:
            assert str(row["deaths"]) == "<NA>"
        else:
            assert int(row["deaths"]) == deaths
            assert row["deaths_per_100"] == pytest.approx(100 * deaths / row["n_enrolled"])
    assert set(table["sae_status"]) <= set(safety.REPORT_STATUS)
    assert set(table["infusion_status"]) <= set(safety.REPORT_STATUS)


def test_treated_counts_only_the_msc_arm_of_a_controlled_trial():
    """Deng 2017 randomised 18 patients but gave MSCs to 12 (ARD 76:1436); placebo is not MSC."""
    table = safety.safety_table().set_index("id")
    deng = study("deng2017")
    assert table.loc["deng2017", "n_treated"] == deng["msc_arm_n"]
    assert table.loc["deng2017", "n_control"] == deng["control_arm"]["n"]
    assert table.loc["deng2017", "n_treated"] < table.loc["deng2017", "n_enrolled"]
    single = table[table["n_control"].isna()]
    assert (single["n_treated"] == single["n_enrolled"]).all()


@pytest.mark.parametrize("row, expected", [
    ({"id": "a2020", "n_enrolled": 18, "control_arm": {"n": 6}, "msc_arm_n": 12}, 12),
    ({"id": "b2020", "n_enrolled": 18, "control_arm": {"n": 6}}, 12),
    ({"id": "c2020", "n_enrolled": 40, "control_arm": None}, 40),
    ({"id": "d2020", "n_enrolled": None, "control_arm": None}, None)])
def test_msc_arm_size(row, expected):
    assert safety.msc_arm_size(row) == expected


@pytest.mark.parametrize("row", [
    {"id": "e2020", "n_enrolled": 10, "control_arm": {"n": 6}, "msc_arm_n": 12},
    {"id": "f2020", "n_enrolled": 6, "control_arm": {"n": 6}}, "deng2017", {"id": "g2020"}])
def test_msc_arm_size_rejects_inconsistent_rows(row):
    with pytest.raises(ValueError, match="row"):
        safety.msc_arm_size(row)


def test_every_reported_death_has_an_attribution_line():
    table = safety.safety_table()
    with_deaths = set(table.loc[table["deaths"].notna(), "id"])
    assert with_deaths == set(safety.death_attribution())


@pytest.mark.parametrize("text, status", [
    (None, "not reported"), ("none judged transplantation-related", "none reported"),
    ("no major adverse events", "none reported"),
    ("adverse events described as minimal", "none reported"),
    ("MSC arm: one leucopenia with pneumonia", "events reported"),
    ("3 infusion-related AEs (2 grade 1, 1 grade 2) in 2 patients", "events reported")])
def test_report_status(text, status):
    assert safety.report_status(text) == status


def test_report_status_rejects_non_text():
    with pytest.raises(ValueError, match="text"):
        safety.report_status(3)


def test_pooled_risks_come_from_the_thompson_fact():
    risks = {r["outcome"]: r for r in safety.pooled_risks()}
    assert risks["fever"]["rr"] == fact_number("msc_safety_thompson2020", "fever_rr")
    assert risks["fever"]["ci_low"] < risks["fever"]["rr"] < risks["fever"]["ci_high"]
    assert risks["death"]["ci_high"] < 1  # the death CI excludes 1 (quote carefully)
    numbers = fact("msc_safety_thompson2020")["numbers"]
    for outcome, key in (("infection", "infection"), ("malignancy", "malignancy"),
                         ("thrombo-embolism", "thrombotic_embolic")):
        r = risks[outcome]
        if f"{key}_ci" in numbers:  # intervals drawn only where the fact holds them
            assert r["ci_low"] < r["rr"] < r["ci_high"] and r["ci_low"] < 1 < r["ci_high"]
        else:
            assert r["ci_low"] is None and r["ci_high"] is None


def test_risk_grades_and_red_flags_cite_resolvable_keys():
    keys = set(references())
    grades = safety.risk_grades()
    assert set(grades["strength"]) <= set(safety.STRENGTHS)
    assert grades["named_by_seed"].sum() >= 3
    for refs in list(grades["references"]) + list(safety.red_flags()["references"]):
        assert refs and set(refs) <= keys


def test_no_risk_named_by_the_seed_is_graded_documented():
    """Notebook 07's key point: the documented harm (fever) is one the seed did not name."""
    grades = safety.risk_grades()
    documented = grades["grade"] == "documented"
    assert documented.any()
    assert not (documented & grades["named_by_seed"]).any()
    immune = grades.set_index("id").loc["immune_reaction"]
    assert "measured in other diseases" in immune["grade"]
    assert "avivarvalderas2019" in immune["references"]


def test_red_flags_do_not_treat_a_registry_number_as_reassurance():
    flags = safety.red_flags()
    text = " ".join(flags["flag"] + " " + flags["why"]).lower()
    assert "registration number alone is no reassurance" in text
    assert "do not charge" not in text
    assert any("turner2017" in refs for refs in flags["references"])


def test_plots_show_every_study_and_outcome():
    table = safety.safety_table()
    fig = safety.plot_adverse_events(table)
    left, right = fig.axes[:2]
    assert len(left.get_yticklabels()) == len(table)
    assert [t.get_text() for t in right.get_xticklabels()] == ["serious\nadverse\nevents",
                                                               "infusion\nreactions"]
    plt.close(fig)
    fig = safety.plot_pooled_risks()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][0] == "fever"
    plt.close(fig)


def test_plots_validate_their_input():
    with pytest.raises(ValueError, match="table"):
        safety.plot_adverse_events(safety.safety_table()[["label"]])
    with pytest.raises(ValueError, match="risks"):
        safety.plot_pooled_risks([])


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the adverse-event panels and pooled risks."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [safety.plot_adverse_events(safety.safety_table()),
                safety.plot_pooled_risks(safety.pooled_risks())]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_deaths_are_serious_adverse_events_never_none_reported():
    """Wang 2014 Table 2 lists its three deaths as severe adverse events (doi:10.1186/ar4520)."""
    table = safety.safety_table().set_index("id")
    with_deaths = table[table["deaths"].notna() & (table["deaths"] > 0)]
    assert {"wang2014", "wang2013", "li2013", "gu2014", "wang2018"} <= set(with_deaths.index)
    assert (with_deaths["sae_status"] == "events reported").all()
    assert "tuberculosis" in table.loc["wang2014", "sae_text"]
    assert table.loc["wang2014", "safety_source"] == "full text"


def test_counts_resting_on_an_abstract_say_so():
    table = safety.safety_table()
    assert set(table["safety_source"]) <= set(safety.SAFETY_SOURCES)
    abstract = table[table["safety_source"] == "abstract"]
    assert "not reported" not in set(abstract["sae_status"]) | set(abstract["infusion_status"])
    assert "not in the abstract read" in set(abstract["infusion_status"])


def test_superseded_congress_abstract_is_left_out_of_the_safety_table():
    table = safety.safety_table()
    assert "sun_eular2017_5y" not in set(table["id"])
    assert "wang2018" in set(table["id"])


def test_report_status_abstract_source_and_bad_source():
    assert safety.report_status(None, "abstract") == "not in the abstract read"
    with pytest.raises(ValueError, match="source"):
        safety.report_status(None, "poster")
