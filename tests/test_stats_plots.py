"""helpers.stats.plots: content of the forest, funnel, ARD-explorer and power figures."""

import matplotlib.pyplot as plt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import draw_declared_widget
from conftest import small_texts_at_course_style as _small_texts_at_course_style
from helpers.stats import plots, pooling

KACKER_Y = [61.0, 61.4, 62.21, 62.3, 62.34, 62.6, 62.7, 62.84, 65.9]
KACKER_V = [0.2025, 1.2100, 0.0900, 0.2025, 0.3844, 0.5625, 0.0676, 0.0225, 1.8225]


def test_forest_plot_content():
    labels = ["A", "B", "C"]
    y, v = [0.2, 0.5, 0.9], [0.04, 0.09, 0.05]
    res = pooling.random_effects(y, v)
    fig = plots.plot_forest(labels, y, v, res, n=[20, 15, 30], xlabel="log odds")
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == labels + ["Pooled (DL)", "95% prediction interval"]
    texts = [t.get_text() for t in ax.texts]
    assert {"20", "15", "30", "k=3"} <= set(texts)
    weights = [float(t[:-1]) for t in texts if t.endswith("%") and t[0].isdigit()]
    assert sum(weights) == pytest.approx(100, abs=0.2)
    assert f"{res.estimate:.2f} [{res.ci_low:.2f}, {res.ci_high:.2f}]" in texts
    assert ax.get_xlabel() == "log odds"
    plt.close(fig)
    two = pooling.random_effects(y[:2], v[:2])
    fig = plots.plot_forest(labels[:2], y[:2], v[:2], two)
    assert "undefined (k < 3)" in [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    fixed = pooling.random_effects(y, v, "FE")
    fig = plots.plot_forest(labels, y, v, fixed)
    assert "none (fixed effect)" in [t.get_text() for t in fig.axes[0].texts]
    assert not [line for line in fig.axes[0].lines if line.get_linewidth() == 3]  # no PI bar
    plt.close(fig)
    with pytest.raises(ValueError, match="result must pool exactly"):
        plots.plot_forest(labels, y, v, two)
    _, ax = plt.subplots()
    assert plots.plot_forest(labels, y, v, ax=ax) is ax.figure
    plt.close(ax.figure)
    hksj = pooling.random_effects(y, v, "REML", ci="hksj", level=0.9)
    fig = plots.plot_forest(labels, y, v, hksj)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "estimate [90% CI]" in texts
    assert f"{hksj.estimate:.2f} [{hksj.ci_low:.2f}, {hksj.ci_high:.2f}]" in texts
    assert "90% prediction interval" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)


def test_funnel_plot_content():
    fig = plots.plot_funnel(KACKER_Y, KACKER_V, labels=list("abcdefghi"))
    ax = fig.axes[0]
    points = [line for line in ax.lines if line.get_label() == "studies"][0]
    assert len(points.get_xdata()) == 9
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # standard error axis inverted
    assert len(ax.texts) == 9
    plt.close(fig)


def test_meta_analysis_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the forest plot (notebook 05 arguments, via
    trial_evidence) and the funnel plot."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        from helpers import trial_evidence as te
        rows, res, _ = te.single_arm_pool()
        figs = [plots.plot_forest(["a", "b", "c"], [0.1, 0.3, 0.5], [0.04, 0.05, 0.06],
                                 pooling.random_effects([0.1, 0.3, 0.5], [0.04, 0.05, 0.06], "DL"),
                                 n=[10, 20, 30], xlabel="effect", null_value=0),
                plots.plot_funnel(list(rows["logit"]), list(rows["var"]), res,
                                 labels=list(rows["label"]))]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


def test_explorer_figure_content_at_defaults():
    fig = plots.plot_ard_explorer()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["active arm", "control arm",
                                                            "difference"]
    assert "NNTB 10.0" in ax.get_xlabel() and "n = 200 per arm" in ax.get_xlabel()
    plt.close(fig)


def test_ard_explorer_and_power_plot_have_no_text_below_11_pt():
    assert _small_texts_at_course_style(plots.plot_ard_explorer) == []
    assert _small_texts_at_course_style(plots.plot_power) == []


def test_power_plot_content():
    fig = plots.plot_power(p_control=0.3, effect=0.2, n_per_arm=93)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "93 per arm: power 80%" in labels
    assert "80% power needs 93 per arm" in labels
    assert fig.axes[0].get_ylabel() == "power (two-sided, α = 0.05)"
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_widget_functions_over_their_declared_ranges(data):
    for fn in (plots.plot_power, plots.plot_ard_explorer):
        draw_declared_widget(data, fn)


# --- in-place widget redraws ------------------------------------------------------------


def _demo(fn):
    from helpers.core.widgets import Demo

    return Demo(fn, name=fn.__name__, alt="test figure of a statistics widget")


def _artists(ax) -> list:
    return [*ax.lines, *ax.collections, *ax.texts]


@pytest.mark.parametrize("fn, target", [
    (plots.plot_ard_explorer, {"active_pct": 0, "control_pct": 100, "n_per_arm": 10}),
    (plots.plot_power, {"p_control": 0.9, "effect": 0.5, "n_per_arm": 500}),
])
def test_widget_redraw_updates_the_same_artists(fn, target):
    demo = _demo(fn)
    ax = demo.redraw().axes[0]
    kept, legend = _artists(ax), ax.get_legend()  # held: new artists cannot take their ids
    demo.redraw(**target)
    assert len(_artists(ax)) == len(kept)
    assert all(new is old for new, old in zip(_artists(ax), kept))
    assert ax.get_legend() is legend


@pytest.mark.parametrize("fn, moves, target", [
    (plots.plot_ard_explorer, [{"active_pct": 100, "control_pct": 0, "n_per_arm": 1000}],
     {"active_pct": 0, "control_pct": 0, "n_per_arm": 10, "method": "wald"}),  # zero-width
    (plots.plot_ard_explorer, [{"method": "wald"}, {"active_pct": 0}],
     {"active_pct": 100, "control_pct": 100}),
    (plots.plot_power, [{"p_control": 0.05, "effect": 0.05, "n_per_arm": 5}],
     {"p_control": 0.9, "effect": 0.5, "n_per_arm": 500}),  # treatment rate capped at 0.99
    (plots.plot_power, [{"n_per_arm": 500}], {"p_control": 0.05, "effect": 0.05}),
])
def test_updated_widget_figure_equals_a_fresh_one(fn, moves, target):
    from helpers.core.style import figure_png, figure_svg

    demo = _demo(fn)
    for values in moves:
        demo.redraw(**values)
    reused, fresh = demo.redraw(**target), fn(**target)
    assert figure_svg(reused, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
    assert figure_png(reused) == figure_png(fresh)
    lines = reused.axes[0].lines
    assert [a.get_label() for a in lines] == [a.get_label() for a in fresh.axes[0].lines]
    plt.close(fresh)
