"""ISCT minimal criteria checker and its widget figure (notebook 03)."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.data import fact_number
from helpers.msc import (check_isct_criteria, example_panels, isct_criteria, plot_isct_panel,
                         valid_markers)

ALL = {"osteoblast": True, "adipocyte": True, "chondroblast": True}
GOOD = {"CD105": 99, "CD73": 98, "CD90": 99, "CD45": 0.5, "CD34": 1, "CD14": 0.4,
        "CD19": 0.2, "HLA-DR": 0.8}


def test_criteria_come_from_the_verified_fact():
    crit = isct_criteria()
    assert crit["positive_threshold_pct_ge"] == fact_number("msc_isct_criteria",
                                                             "positive_threshold_pct_ge")
    assert crit["positive_markers"] == ["CD105", "CD73", "CD90"]
    assert crit["negative_threshold_pct_le"] == 2
    assert {"CD14", "CD11b", "CD79a", "CD19", "HLA-DR"} <= set(valid_markers())


def test_good_panel_passes_every_criterion():
    result = check_isct_criteria(True, GOOD, ALL)
    assert result.passed and result.failed == []
    assert len(result.criteria) == 4
    assert result.report().endswith("Overall: meets the ISCT minimal criteria.")


def test_thresholds_are_inclusive():
    edge = dict(GOOD, CD105=95, **{"HLA-DR": 2})
    assert check_isct_criteria(True, edge, ALL).passed
    assert not check_isct_criteria(True, dict(GOOD, CD105=94.9), ALL).passed
    assert not check_isct_criteria(True, dict(GOOD, **{"HLA-DR": 2.1}), ALL).passed


@pytest.mark.parametrize("change, failed, phrase", [
    ({"plastic": False}, "plastic adherence", "does not adhere"),
    ({"markers": dict(GOOD, CD73=80)}, "positive markers", "CD73 80% < 95%"),
    ({"markers": dict(GOOD, CD34=12)}, "negative markers", "CD34 12% > 2%"),
    ({"markers": {k: v for k, v in GOOD.items() if k != "CD90"}}, "positive markers",
     "CD90 not measured"),
    ({"markers": {k: v for k, v in GOOD.items() if k != "CD14"}}, "negative markers",
     "CD14 or CD11b not measured"),
    ({"diff": dict(ALL, adipocyte=False)}, "trilineage", "no adipocyte differentiation"),
    ({"diff": {"osteoblast": True}}, "trilineage", "chondroblast not tested"),
])
def test_each_failure_names_its_criterion_and_reason(change, failed, phrase):
    result = check_isct_criteria(change.get("plastic", True), change.get("markers", GOOD),
                                 change.get("diff", ALL))
    assert not result.passed
    bad = [c for c in result.criteria if not c.passed]
    assert len(bad) == 1 and bad[0].criterion.startswith(failed)
    assert phrase in bad[0].reason


def test_either_member_of_a_pair_may_be_measured_and_all_measured_must_pass():
    alt = {k: v for k, v in GOOD.items() if k not in ("CD14", "CD19")}
    alt.update({"CD11b": 0.3, "CD79a": 0.1})
    assert check_isct_criteria(True, alt, ALL).passed
    assert not check_isct_criteria(True, dict(GOOD, CD11b=30), ALL).passed


def test_marker_names_are_case_insensitive():
    lower = {k.lower(): v for k, v in GOOD.items()}
    assert check_isct_criteria(True, lower, ALL).passed


@pytest.mark.parametrize("args, phrase", [
    ((True, dict(GOOD, CD200=5), ALL), "unknown marker 'CD200'"),
    ((True, dict(GOOD, CD73=101), ALL), "between 0 and 100"),
    ((True, dict(GOOD, CD73=-1), ALL), "between 0 and 100"),
    ((True, dict(GOOD, CD73=float("nan")), ALL), "between 0 and 100"),
    ((True, dict(GOOD, CD73="98"), ALL), "between 0 and 100"),
    ((True, [("CD73", 98)], ALL), "markers must be a dict"),
    (("yes", GOOD, ALL), "plastic_adherent"),
    ((True, GOOD, dict(ALL, neuron=True)), "unknown lineage 'neuron'"),
    ((True, GOOD, dict(ALL, osteoblast="yes")), "True or False"),
])
def test_bad_input_raises_value_error_naming_the_problem(args, phrase):
    with pytest.raises(ValueError, match=phrase):
        check_isct_criteria(*args)


def test_illustrative_panels_have_the_intended_verdicts():
    verdicts = {k: check_isct_criteria(**p) for k, p in example_panels().items()}
    assert verdicts["A"].passed
    assert verdicts["B"].failed == ["positive markers (>= 95% positive)"]
    assert verdicts["C"].failed == ["negative markers (<= 2% positive)"]


def test_plot_shows_eight_markers_and_flags_failures():
    fig = plot_isct_panel(hla_dr=20.0)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "CD105\n98%", "CD73\n99%", "CD90\n99%", "CD45\n1%", "CD34\n1%", "CD14\n0.5%",
        "CD19\n0.5%", "HLA-DR\n20%"]  # each marker with its value
    assert [round(p.get_height(), 1) for p in ax.patches][-1] == 20.0
    assert ax.get_xlabel() == "fails: negative markers"
    assert len(ax.lines) == 3  # the failure markers (one here) + two threshold lines
    assert ax.lines[0].get_xdata().tolist() == [7.0]  # HLA-DR missed its threshold
    plt.close(fig)
    fig = plot_isct_panel()
    assert fig.axes[0].get_xlabel() == "meets the ISCT criteria"
    plt.close(fig)


pct = st.floats(0, 100)


@settings(max_examples=25, deadline=None)
@given(pct, pct, pct, pct, pct, pct, pct, pct, st.booleans(), st.booleans())
def test_plot_over_widget_range_never_fails(a, b, c, d, e, f, g, h, adherent, tri):
    fig = plot_isct_panel(a, b, c, d, e, f, g, h, adherent, tri)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert len(heights) == 8 and all(0 <= x <= 100 and not math.isnan(x) for x in heights)
    plt.close(fig)


def test_plot_rejects_out_of_range_slider_values():
    with pytest.raises(ValueError, match="cd105"):
        plot_isct_panel(cd105=120)


def test_panels_markdown_lists_markers_and_culture_results():
    from helpers.msc import panels_markdown

    text = panels_markdown()
    assert text.splitlines()[0] == "| | Panel A | Panel B | Panel C |"
    assert "| HLA-DR (% positive) | 1.4 | 0.9 | 23.5 |" in text
    assert "| CD11b (% positive) | 0.9 | — | — |" in text
    assert "| plastic adherent | yes | yes | yes |" in text
    with pytest.raises(ValueError, match="panels"):
        panels_markdown({})


@pytest.mark.parametrize("text, group", [
    ("umbilical cord", "umbilical cord"), ("bone marrow", "bone marrow"),
    ("bone marrow or umbilical cord", "bone marrow and/or umbilical cord"),
    ("bone marrow and/or umbilical cord", "bone marrow and/or umbilical cord"),
    ("adipose tissue", "adipose tissue"), (None, "not stated in the source read"),
    ("null (abstract does not specify)", "not stated in the source read")])
def test_source_group(text, group):
    from helpers.msc import source_group

    assert source_group(text) == group


def test_source_group_rejects_non_text():
    from helpers.msc import source_group

    with pytest.raises(ValueError, match="msc_source must be text or None"):
        source_group(3)


def test_cell_sources_count_verified_cohorts_once():
    from helpers.msc import cell_sources
    from helpers.studies import studies

    table = cell_sources()
    cohorts = [r for r in studies(verified_only=True) if r["design"] != "follow-up"]
    assert sum(r["reports"] for r in table) == len(cohorts)
    assert sum(r["donor (allogeneic)"] for r in table) == sum(r["allogeneic"] for r in cohorts)
    assert [r["reports"] for r in table] == sorted((r["reports"] for r in table), reverse=True)
    assert "Carrion 2010" in next(r for r in table if r["tissue source"] == "bone marrow")["studies"]
