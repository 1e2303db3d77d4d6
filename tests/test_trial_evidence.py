"""helpers.trial_evidence: notebook 05 analyses read the verified data and honour overlap."""
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.stats import pooling
import helpers.studies as studies
import helpers.trial_evidence as te
from helpers.core.params import Choice, param_ranges


def test_default_pool_keeps_one_nanjing_report():
    rows, res, back = te.single_arm_pool()
    groups = [g for g in rows["group"] if g]
    assert groups == ["nanjing_drum_tower"] and te.DEFAULT_KEEP in set(rows["id"])
    assert res.k == len(te.INDEPENDENT_UNCONTROLLED) + 1
    direct, _ = pooling.pool_proportions(list(rows["events"]), list(rows["n"]))
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
    from helpers.core.tables import markdown_table

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
        te.plot_pooled_response(method="ML")


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


def test_response_by_design_shows_studies_individually_without_a_test():
    table = te.response_by_design()
    assert isinstance(table, pd.DataFrame)  # no between-design Q test any more
    rows, _, _ = te.single_arm_pool()
    assert len(table) == len(rows) + 2  # each pooled study plus the two trial arms
    assert {"Deng 2017: MSC arm", "Deng 2017: placebo arm"} <= set(table["study"])
    assert not any("case-series" == s for s in table["study"])  # no pooled design rows
    assert (table["ci_low"] <= table["proportion"]).all()
    assert (table["proportion"] <= table["ci_high"]).all()
    carrion = table[table["study"].str.startswith("Carrion")].iloc[0]
    assert carrion["proportion"] == 0 and "(imputed)" in carrion["study"]


def test_response_definitions_say_how_and_when_each_study_counted():
    table = te.response_definitions()
    assert list(table["study"]) == list(te.single_arm_pool()[0]["label"])
    timing = dict(zip(table["study"], table["timing"]))
    assert timing["Wang 2014"].startswith("window") and timing["Ranjbar 2022"].startswith("window")
    assert timing["Kamen 2022"].startswith("time point")
    counted = dict(zip(table["study"], table["how counted"]))
    assert "imputed by the course" in counted["Carrion 2010"]
    assert "relapsed" in counted["Wang 2014"]


def test_pooled_summary_reports_heterogeneity_with_an_i2_interval():
    summary = te.pooled_summary()
    rows, res, back = te.single_arm_pool()
    assert summary["proportion"] == back["proportion"] and summary["k"] == res.k
    assert summary["df"] == res.k - 1 and summary["q"] == pytest.approx(res.q)
    assert 0 <= summary["i2_low"] <= summary["i2"] <= summary["i2_high"] < 1
    assert 0 < summary["p"] <= 1
    fixed = te.pooled_summary("FE")
    assert math.isnan(fixed["pi_low"]) and math.isnan(fixed["pi_high"])
    assert [s["id"] for s in te.not_pooled()] == ["farge2025"]


def test_rct_intervals_are_small_sample_ones():
    from statsmodels.stats.proportion import confint_proportions_2indep

    rct = te.rct_results()
    rd = rct[rct["measure"] == "risk difference"].iloc[0]
    ref = confint_proportions_2indep(9, 12, 5, 6, method="newcomb", compare="diff")
    assert (rd["ci_low"], rd["ci_high"]) == pytest.approx(tuple(float(x) for x in ref))
    assert rd["ci_low"] < -0.3 and rd["ci_high"] > 0.3  # compatible with large harm or benefit
    sledai = rct[rct["outcome"].str.startswith("SLEDAI")].iloc[0]
    assert sledai["interval"].startswith("Welch t")
    row = studies.study("deng2017")
    se = math.sqrt(row["sledai_change_sd_msc"] ** 2 / 12 + row["sledai_change_sd_placebo"] ** 2 / 6)
    assert sledai["ci_high"] - sledai["ci_low"] > 2 * 1.96 * se  # wider than the z interval


def test_overview_and_registry_show_no_unverified_numbers():
    overview = te.overview_display()
    unverified = overview[overview["verified"] != "yes"]
    assert len(unverified) == len([r for r in studies.studies() if not r["verified"]])
    for column in ("n", "dose", "follow_up_months"):
        assert set(unverified[column]) == {"unverified"}
    registry = te.registry_table()
    linked = dict(zip(registry["registry id"], registry["publication"]))
    assert linked["NCT03562065"] == "Farge 2025" and linked["NCT01539902"] == "Deng 2017"
    assert linked["IRCT2016090729747N1"] == "Ranjbar 2022"
    assert linked["NCT02633163"] == "none found in the sources searched"
    notes = te.review_notes()
    assert "Deng 2017" in notes["rcts_listed"] and len(notes["rcts_listed"]) >= 2
    assert notes["low_credibility"] and "SLEDAI" in notes["single_trial_outcomes"]


def test_widget_prints_a_caveat_for_non_default_nanjing_reports():
    for report, phrase in (("wen2019", "low disease activity"),
                           ("sun_eular2017_5y", "survivor bias")):
        fig = te.plot_pooled_response(nanjing_report=report)
        assert any(phrase in t.get_text() for t in fig.texts), report
        plt.close(fig)
    fig = te.plot_pooled_response()
    assert not fig.texts
    plt.close(fig)
    fig = te.plot_pooled_response(method="FE")
    assert "none (fixed effect)" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the timeline, forest plot and pooled-response widget default."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [te.plot_timeline(), te.plot_single_arm_forest(), te.plot_pooled_response()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_comparison_shows_zhou_null_12_month_pools_beside_the_6_month_ones():
    table = te.comparison_table()
    zhou = table[table["source"] == "zhou2020_meta"]
    twelve = zhou[zhou["outcome"].str.contains("at 12 mo")]
    assert {"proteinuria at 12 mo (WMD)", "SLEDAI at 12 mo (WMD)"} <= set(twelve["outcome"])
    assert (twelve["caveat"].str.contains("interval includes no difference")).all()
    assert set(twelve["estimate [95% CI]"]) == {"-0.46 [-1.37, 0.45]", "-1.00 [-3.13, 1.14]"}


def test_comparison_flags_the_review_by_the_programme_it_pools():
    table = te.comparison_table()
    zeng25 = table[table["source"] == "zeng2025_meta"].iloc[0]
    assert zeng25["estimate [95% CI]"] == "-2.32 [-3.59, -1.06]"
    assert "authors of the programme" in zeng25["caveat"]
    assert zeng25["studies"] == "not in the abstract read"


def test_deng_proteinuria_baselines_are_unbalanced_and_change_differs_from_end_values():
    d = te.proteinuria_end_vs_change()
    assert (d["baseline_msc"], d["baseline_control"]) == (3.1, 4.5)
    assert d["end_difference"]["estimate"] == pytest.approx(-2.1)
    assert d["change_difference"]["estimate"] == pytest.approx(-0.7)
    # the interval of the fairer (change) estimate includes no difference
    assert d["change_difference"]["ci_low"] < 0 < d["change_difference"]["ci_high"]


def test_registry_table_names_no_mirror_site_but_the_data_keep_them():
    table = te.registry_table()
    shown = " ".join(table.astype(str).to_numpy().ravel())
    for mirror in ("meddatax", "centerwatch", "veeva", "trialx", "clinicaltrialexchange"):
        assert mirror not in shown.lower()
    locators = {t.get("nct"): t["source_locator"] for t in studies.registered_trials()}
    assert "meddatax" in locators["NCT02633163"]
    assert {"NCT00698191", "NCT01741857", "NCT03171194", "NCT04184258"} <= set(table["registry id"])
    unverified = table[table["registry id"] == "NCT03171194"].iloc[0]
    assert unverified["verified"].startswith("NO") and unverified["planned n"] == "—"


def test_misle_status_in_the_table_is_active_not_recruiting():
    row = te.registry_table().set_index("registry id").loc["NCT02633163"]
    assert row["status in the copy read"].startswith("Active, not recruiting")


def test_pooling_methods_table_matches_direct_pooling_and_hksj_is_widest():
    """Notebook 05's sentence 'the HKSJ interval is the widest of the three' is locked here."""
    from helpers.stats import pooling, proportions
    from helpers.trial_evidence import pooling_methods_table, single_arm_pool

    table = pooling_methods_table()
    assert len(set(table["studies"])) == 1 and table["studies"][0] >= 3
    widths = list(table["interval width (points)"])
    assert widths[2] == max(widths) and widths[2] > widths[0]
    rows, _, _ = single_arm_pool()
    res = pooling.random_effects(list(rows["logit"]), list(rows["var"]), method="REML", ci="hksj")
    assert table["pooled"][2] == f"{proportions.expit(res.estimate):.0%}"
    assert table["tau² (logit)"][1] == pytest.approx(res.tau2)


def _widget_settings():
    """Edge settings of the pooled-response widget: one study, no Nanjing report, fixed
    effect, the longest caveat, all studies, k < 3."""
    off = {f"include_{sid}": False for sid in te.INDEPENDENT_UNCONTROLLED}
    return [dict(nanjing_report="bao2023", **off), dict(method="FE", nanjing_report="none"),
            dict(method="REML", nanjing_report="wang2018"),
            dict(method="PM", nanjing_report="wen2019", include_kamen2022=False),
            dict(nanjing_report="none", include_carrion2010=False, include_barbado2018=False),
            dict(method="FE", nanjing_report="sun_eular2017_5y"), {}]


def test_pooled_response_redraw_updates_the_same_artists_and_matches_a_fresh_drawing():
    """Redraws with other studies (another row count, figure height and caveat, or none)
    and other methods reuse the artists of the first drawing; each equals a new drawing."""
    from helpers.core.style import figure_png, figure_svg
    from helpers.core.widgets import Demo

    demo = Demo(te.plot_pooled_response, name="05_pooled", alt="pooled response forest")
    fig = demo.redraw()
    ax = fig.axes[0]
    before = [id(a) for a in ax.get_children()]
    empty = {"nanjing_report": "none", **{f"include_{sid}": False
                                          for sid in te.INDEPENDENT_UNCONTROLLED}}
    for values in [empty, *_widget_settings()[:3], empty, *_widget_settings()]:
        assert demo.redraw(**values) is fig
        assert [id(a) for a in ax.get_children()] == before
        fresh = demo.figure(**values)
        assert fig.get_size_inches().tolist() == fresh.get_size_inches().tolist()
        assert ax.get_xlim() == fresh.axes[0].get_xlim()
        assert figure_svg(fig, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
        assert figure_png(fig) == figure_png(fresh), values
        plt.close(fresh)
    shown = [line for line in ax.lines if line.get_visible()]
    assert len(shown) == 2 * te.single_arm_pool()[1].k + 1  # CI and marker per study, PI
    assert not [t for t in fig.texts if t.get_visible()]
    assert demo.redraw(**empty) is fig
    assert [t.get_text() for t in ax.texts if t.get_visible()] == [
        "No study selected: tick at least one study to pool."]
    assert not ax.axison and fig.get_size_inches().tolist() == [9.0, 2.5]
    demo.close()


def test_pooled_response_figure_is_plot_single_arm_forest_in_the_widget_layout():
    """The widget's own forest (ax=None) draws what plot_single_arm_forest draws on axes of
    the same layout (including the x axis of 0 to 1 that plot_forest keeps without a
    prediction interval), so the two cannot drift apart."""
    from helpers.core.style import figure_png, fixed_margin_axes

    for values in _widget_settings()[:-1] + [{}]:
        ours = te.plot_pooled_response(**values)
        height = ours.get_figheight()
        extra = 0.3 * len(te._caveat_lines(values.get("nanjing_report", "wang2014")))
        theirs, ax = fixed_margin_axes((9.0, height), left=2.1 / 9, right=5.1 / 9,
                                       bottom=(0.85 + extra) / height, top=1 - 0.35 / height)
        te.plot_pooled_response(**values, ax=ax)
        assert figure_png(ours) == figure_png(theirs), values
        plt.close(ours)
        plt.close(theirs)


def test_pooled_response_rows_are_the_single_arm_pool_of_every_selection():
    import itertools

    for report, method in itertools.product(te.NANJING_CHOICES, ("DL", "FE")):
        for flags in itertools.product((True, False), repeat=len(te.INDEPENDENT_UNCONTROLLED)):
            chosen = [s for s, on in zip(te.INDEPENDENT_UNCONTROLLED, flags) if on]
            chosen += [] if report == "none" else [report]
            if not chosen:
                continue
            ids = tuple(s for s in te.uncontrolled_ids() if s in chosen)
            content = te._forest_content(ids, method)
            sub, res, back = te.single_arm_pool(list(ids), keep=None if report == "none"
                                                else report, method=method)
            assert list(content["tick_labels"][:-2]) == [te._label(r) for _, r in sub.iterrows()]
            assert content["pooled_texts"][0] == f"k={res.k}"
            assert content["pooled_texts"][1].startswith(f"{back['proportion']:.2f} [")
            assert [row[4][1] for row in content["rows"]] == [
                f"{100 * w:.1f}%" for w in res.weights]
