"""helpers.trial_evidence: notebook 05 analyses read the verified data and honour overlap."""
import math

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import meta, studies
from helpers import trial_evidence as te
from helpers.params import Choice, param_ranges


def test_default_pool_keeps_one_nanjing_report():
    rows, res, back = te.single_arm_pool()
    groups = [g for g in rows["group"] if g]
    assert groups == ["nanjing_drum_tower"] and te.DEFAULT_KEEP in set(rows["id"])
    assert res.k == len(te.INDEPENDENT_UNCONTROLLED) + 1
    direct, _ = meta.pool_proportions(list(rows["events"]), list(rows["n"]))
    assert res.estimate == pytest.approx(direct.estimate)
    assert back["ci_low"] < back["proportion"] < back["ci_high"]


def test_pool_refuses_overlap_without_keep_and_bad_ids():
    everything = te.uncontrolled_ids()
    with pytest.raises(ValueError, match="keep must name exactly one"):
        te.single_arm_pool(everything, keep=None)
    with pytest.raises(ValueError, match="include must list ids"):
        te.single_arm_pool(["deng2017"])
    with pytest.raises(ValueError, match="include must name at least one"):
        te.single_arm_pool([])
    rows, _, _ = te.single_arm_pool(everything, keep="wen2019")
    assert "wen2019" in set(rows["id"]) and "wang2014" not in set(rows["id"])


def test_rct_results_come_from_the_trial_row():
    rct = te.rct_results()
    rr = rct[rct["measure"] == "risk ratio"].iloc[0]
    deng = studies.study("deng2017")["responders"]
    assert rr["msc"] == deng["msc_overall_remission"].split()[0]
    assert rr["ci_low"] < 1 < rr["ci_high"]
    sledai = rct[rct["outcome"].str.startswith("SLEDAI")].iloc[0]
    row = studies.study("deng2017")
    assert sledai["estimate"] == row["sledai_change_mean_msc"] - row["sledai_change_mean_placebo"]


def test_prepost_results_depend_on_the_assumed_correlation():
    low = te.sledai_results(r=0.2)["pre-post"][0]
    high = te.sledai_results(r=0.8)["pre-post"][0]
    assert low["mean_change"] == high["mean_change"]
    assert (high["ci_high"] - high["ci_low"]) < (low["ci_high"] - low["ci_low"])
    prot = te.proteinuria_results()
    assert prot["pre-post"] and prot["two-arm"]


def test_comparison_and_tables():
    table = te.comparison_table()
    assert "this notebook" in set(table["source"])
    assert "secretome_meta_bioscmed" not in set(table["source"])
    from helpers.tables import markdown_table

    md = markdown_table(table).data
    assert md.count("\n") == len(table) + 1
    loo = te.leave_one_out_response()
    assert len(loo) == te.single_arm_pool()[1].k


def test_figures_content():
    fig = te.plot_timeline()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(studies.studies())
    assert sum("(unverified)" in lab for lab in labels) == len(
        [r for r in studies.studies() if not r["verified"]])
    plt.close(fig)
    fig = te.plot_pooled_response(nanjing_report="none", include_carrion2010=False)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "Carrion 2010" not in ticks and "Wang 2014" not in ticks
    plt.close(fig)
    fig = te.plot_pooled_response(nanjing_report="none", **{
        f"include_{sid}": False for sid in te.INDEPENDENT_UNCONTROLLED})
    assert "No study selected" in fig.axes[0].texts[0].get_text()
    plt.close(fig)
    with pytest.raises(ValueError, match="method"):
        te.plot_pooled_response(method="REML")


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_pooled_response_widget_over_its_declared_ranges(data):
    kwargs = {}
    for name, spec in param_ranges(te.plot_pooled_response).items():
        kwargs[name] = data.draw(st.sampled_from(spec.options)) if isinstance(spec, Choice) \
            else data.draw(st.booleans())
    fig = te.plot_pooled_response(**kwargs)
    for line in fig.axes[0].lines:
        assert not any(math.isnan(float(x)) for x in line.get_xdata())
    plt.close(fig)


def test_response_by_design_separates_designs_and_rct_arms():
    table, q_between, p_between = te.response_by_design()
    assert {"single-arm", "case-series", "RCT: MSC arm", "RCT: placebo arm"} == set(table["subgroup"])
    assert q_between >= 0 and 0 <= p_between <= 1
    assert (table["ci_low"] <= table["proportion"]).all()
    assert (table["proportion"] <= table["ci_high"]).all()
    rows, _, _ = te.single_arm_pool()
    assert table.loc[table["subgroup"] != "RCT: MSC arm", "patients"].sum() - \
        table.loc[table["subgroup"] == "RCT: placebo arm", "patients"].sum() == rows["n"].sum()


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the timeline, forest plot and pooled-response widget default."""
    from helpers.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [te.plot_timeline(), te.plot_single_arm_forest(), te.plot_pooled_response()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
