"""The packaged MSC-in-SLE study data: schema, overlap groups, verified-only views."""
import copy

import pytest

from helpers.core import data
import helpers.studies as studies
from helpers.core.data import DataError


def test_every_table_loads_and_has_provenance():
    assert len(studies.studies()) >= 10
    for name in (studies.STUDIES_FILE, studies.META_ANALYSES_FILE):
        meta = data.provenance(name)
        assert meta["literature_last_searched"] >= "2026-01"
    assert studies.registered_trials()
    assert studies.meta_analyses()
    assert {"field", "type", "meaning"} <= set(studies.data_dictionary()[0])


def test_field_names_match_the_curated_source_layout():
    row = studies.study("wang2014")
    for key in ("authors_short", "doi", "pmid", "design", "cohort_note", "n_enrolled",
                "responders", "source_locator", "verified", "notes"):
        assert key in row
    assert row["responders"]["MCR_n"] + row["responders"]["PCR_n"] == row["responders"]["overall_n"]


def test_verified_only_views_drop_unverified_rows():
    everything = {r["id"] for r in studies.studies()}
    verified = {r["id"] for r in studies.verified_studies()}
    unverified = everything - verified
    assert {"sun2010", "yuan2019"} <= unverified
    assert "gu2014" in verified  # primary abstract read (doi:10.1007/s10067-014-2754-4)
    assert all(r["verified"] for r in studies.studies(verified_only=True))
    table = studies.response_table(verified_only=True)
    assert not set(table["id"]) & unverified
    assert all(t["verified"] for t in studies.registered_trials(verified_only=True))
    assert all(s["verified"] for s in studies.sledai_changes())


def test_design_filter_and_bad_ids_name_the_parameter():
    assert [r["id"] for r in studies.verified_studies(design="RCT")] == ["deng2017"]
    # the Chinese RCTs every meta-analysis pools are listed, unverified (citations not found)
    rcts = {r["id"]: r for r in studies.studies(design="RCT")}
    assert {"yang2014", "zeng2016", "tang2016"} <= set(rcts)
    assert not any(rcts[k]["verified"] for k in ("yang2014", "zeng2016", "tang2016"))
    with pytest.raises(ValueError, match="design must be one of"):
        studies.studies(design="cohort")
    with pytest.raises(ValueError, match="study_id must be one of .*wang2014"):
        studies.study("nope")
    with pytest.raises(ValueError, match="outcome must be one of"):
        studies.response_table("survival")


def test_overlap_groups_cover_the_nanjing_reports():
    groups = studies.overlap_groups()
    nanjing = groups["nanjing_drum_tower"]
    assert nanjing["default_keep"] in nanjing["members"]
    for member in nanjing["members"]:
        note = studies.study(member)["cohort_note"]
        assert "Nanjing" in note or "Drum Tower" in note
        assert studies.overlap_group_of(member) == "nanjing_drum_tower"
    for independent in ("deng2017", "kamen2022", "carrion2010", "farge2025"):
        assert studies.overlap_group_of(independent) is None


def test_response_counts_come_from_the_rows():
    table = studies.response_table().set_index("id")
    wang = studies.study("wang2014")["responders"]
    assert (table.loc["wang2014", "events"], table.loc["wang2014", "n"]) == (
        wang["overall_n"], wang["denominator"])
    # the 5-year abstract counts survivors, not everyone treated (denominator pitfall)
    assert table.loc["sun_eular2017_5y", "n"] < studies.study("sun_eular2017_5y")["n_enrolled"]
    assert (table["events"] <= table["n"]).all()
    rct = studies.response_table("renal remission (RCT, MSC arm)")
    assert list(rct["id"]) == ["deng2017"]


def test_parsers():
    assert studies.parse_fraction("23/83 (28%)") == (23, 83)
    assert studies.parse_mean_sd("1.0 (SD 1.0) g/24 h at 6 months") == (1.0, 1.0)
    assert studies.parse_mean_sd("-2.1 (SD 1.8)") == (-2.1, 1.8)
    for bad in ("28%", "9/0", "10/9", None):
        with pytest.raises(ValueError, match="text must"):
            studies.parse_fraction(bad)
    with pytest.raises(ValueError, match="text must"):
        studies.parse_mean_sd("median 6")
    with pytest.raises(ValueError, match="path"):
        studies.field_value({"id": "x", "a": {}}, "a.b")


def test_overview_and_published_tables():
    overview = studies.overview_table()
    assert len(overview) == len(studies.studies())
    assert (overview["verified"] == "NO (unverified)").sum() == len(
        [r for r in studies.studies() if not r["verified"]])
    pooled = studies.published_pooled()
    assert "secretome_meta_bioscmed" not in set(pooled["review"])
    assert (pooled["ci_low"] <= pooled["estimate"]).all()
    assert (pooled["estimate"] <= pooled["ci_high"]).all()
    flagged = studies.published_pooled(include_low_credibility=True)
    assert "LOW" in set(flagged["credibility"])


@pytest.fixture
def broken(monkeypatch):
    """Swap the packaged YAML for a mutated copy; restore the cache afterwards."""
    original = data.read_yaml(studies.STUDIES_FILE)

    def apply(mutate):
        doc = copy.deepcopy(original)
        mutate(doc)
        real = data.read_yaml
        monkeypatch.setattr(data, "read_yaml",
                            lambda name: copy.deepcopy(doc) if name == studies.STUDIES_FILE
                            else real(name))
        studies._load.cache_clear()
        return studies._load

    yield apply
    studies._load.cache_clear()


@pytest.mark.parametrize("mutate, phrase", [
    (lambda d: d["studies"][1].update(design="cohort"), r"row 2 \(id 'deng2017'\), field 'design'"),
    (lambda d: d["studies"][0].update(n_enrolled=-4), r"row 1 \(id 'wang2014'\), field 'n_enrolled'"),
    (lambda d: d["studies"][0].update(verfied=True), r"field 'verfied' is not in the schema"),
    (lambda d: d["overlap_groups"][0]["members"].append("nobody2020"), "unknown study 'nobody2020'"),
    (lambda d: d["response_outcomes"][0].update(n="responders.MCR_n"), "response_outcomes.*row 1"),
])
def test_schema_errors_name_file_row_and_field(broken, mutate, phrase):
    load = broken(mutate)
    with pytest.raises(DataError, match=phrase) as err:
        load()
    assert "msc_sle_studies.yaml" in str(err.value)


def test_field_level_caveats_are_shown():
    overview = studies.overview_table().set_index("id")
    assert overview.loc["li2013", "cells"].endswith("allogeneic (unverified)")
    assert overview.loc["wang2014", "cells"] == "umbilical cord, allogeneic"


def test_studies_by_year_and_flag_validation():
    from helpers.studies import studies

    rows = studies(by_year=True)
    assert [(r["year"], r["id"]) for r in rows] == sorted((r["year"], r["id"]) for r in rows)
    with pytest.raises(ValueError, match="verified_only must be True or False; got 'yes'"):
        studies(verified_only="yes")
    with pytest.raises(ValueError, match="by_year must be True or False"):
        studies(by_year=1)


def test_count_label_says_which_patients_an_n_counts():
    from helpers.studies import count_label

    assert count_label("deng2017", 12) == "n=12 MSC arm of 18 randomised"
    assert count_label("deng2017", 6) == "n=6 placebo arm of 18 randomised"
    assert count_label("deng2017", 18) == "n=18 randomised: 12 MSC, 6 placebo"
    assert count_label("wang2014", 40) == "n=40"
    with pytest.raises(ValueError, match="n must be"):
        count_label("deng2017", -1)
    with pytest.raises(ValueError):
        count_label("nope2000", 3)


def test_figures_and_the_overview_say_which_n_of_deng_2017_they_count():
    import matplotlib.pyplot as plt

    from helpers import safety, trial_evidence

    fig = safety.plot_adverse_events()
    assert any("MSC arm of 18 randomised" in t.get_text() for t in fig.axes[0].get_yticklabels())
    plt.close(fig)
    fig = trial_evidence.plot_timeline()
    assert any("18 randomised: 12 MSC" in t.get_text() for t in fig.axes[0].get_yticklabels())
    plt.close(fig)
    overview = trial_evidence.overview_display().set_index("id")
    assert overview.loc["deng2017", "n"] == "18 randomised: 12 MSC, 6 placebo"
