"""helpers.design: the regression-to-the-mean toy model (power: tests/test_stats_power.py)."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import helpers.design as design
from conftest import draw_declared_widget


def test_simulation_matches_the_closed_form():
    sim = design.simulate_regression_to_mean(20000, 8, rng=1)
    expected = design.expected_regression_to_mean(8)
    assert expected < 0
    assert sim["mean_change"] == pytest.approx(expected, abs=0.15)
    assert sim["n_enrolled"] == int((sim["baseline"] >= 8).sum())


def test_regression_to_the_mean_grows_with_threshold_and_noise():
    low = design.expected_regression_to_mean(entry_threshold=4)
    high = design.expected_regression_to_mean(entry_threshold=14)
    assert high < low < 0
    noisy = design.expected_regression_to_mean(8, within_sd=6)
    quiet = design.expected_regression_to_mean(8, within_sd=0.5)
    assert noisy < quiet < 0


def test_simulation_is_reproducible_and_takes_generators():
    a = design.simulate_regression_to_mean(rng=3)
    b = design.simulate_regression_to_mean(rng=np.random.default_rng(3))
    assert a["mean_change"] == b["mean_change"]
    clipped = design.simulate_regression_to_mean(rng=3, clip_at_zero=True)
    assert clipped["baseline"].min() >= 0
    with pytest.raises(ValueError, match="rng"):
        design.simulate_regression_to_mean(rng=-1)
    with pytest.raises(ValueError, match="entry_threshold"):
        design.simulate_regression_to_mean(entry_threshold=50)
    none = design.simulate_regression_to_mean(n_patients=20, entry_threshold=20, rng=0)
    assert none["n_enrolled"] == 0 and math.isnan(none["mean_change"])


def test_regression_figure_uses_its_declared_sample():
    fig = design.plot_regression_to_mean()
    points = sum(len(line.get_xdata()) for line in fig.axes[0].lines
                 if line.get_label().startswith(("screened", "enrolled (")))
    assert points == design.RTM_FIGURE_PATIENTS
    plt.close(fig)


def test_plots_content():
    fig = design.plot_regression_to_mean(entry_threshold=10)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.lines]
    assert "enrolled (baseline ≥ 10)" in labels
    assert any(lab.startswith("enrolled mean:") for lab in labels)
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_widget_functions_over_their_declared_ranges(data):
    draw_declared_widget(data, design.plot_regression_to_mean)
    value = design.expected_regression_to_mean(
        entry_threshold=data.draw(st.floats(0, 20)), within_sd=data.draw(st.floats(0.5, 10)))
    assert math.isfinite(value) and value <= 0


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in plot_regression_to_mean (widget defaults;
    plot_power is checked in tests/test_stats_plots.py)."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [design.plot_regression_to_mean()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)


# --- in-place widget redraws ------------------------------------------------------------


def _demo():
    from helpers.core.widgets import Demo

    return Demo(design.plot_regression_to_mean, name="rtm",
                alt="test figure of regression to the mean")


def test_widget_redraw_updates_the_same_artists():
    demo = _demo()
    ax = demo.redraw().axes[0]
    kept, legend = list(ax.lines), ax.get_legend()  # held: new ones cannot take their ids
    demo.redraw(entry_threshold=14, within_sd=6)
    assert len(ax.lines) == len(kept) and all(a is b for a, b in zip(ax.lines, kept))
    assert ax.get_legend() is legend  # same entries: only its texts change
    assert legend.get_texts()[1].get_text() == "enrolled (baseline ≥ 14)"


@pytest.mark.parametrize("moves, target", [
    ([{}], {"entry_threshold": 20, "within_sd": 0.5}),  # nobody enrolled: no mean marker
    ([{"entry_threshold": 20}], {"entry_threshold": 20, "within_sd": 6}),  # marker made
    ([{"entry_threshold": 20}, {"entry_threshold": 0}, {"entry_threshold": 20}],
     {"entry_threshold": 0, "within_sd": 6}),  # everyone enrolled
    ([{"within_sd": 6}], {"entry_threshold": 12, "within_sd": 0.5}),
])
def test_updated_widget_figure_equals_a_fresh_one(moves, target):
    from helpers.core.style import figure_png, figure_svg

    demo = _demo()
    for values in moves:
        demo.redraw(**values)
    reused, fresh = demo.redraw(**target), design.plot_regression_to_mean(**target)
    assert figure_svg(reused, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
    assert figure_png(reused) == figure_png(fresh)
    texts = [[t.get_text() for t in fig.axes[0].get_legend().get_texts()]
             for fig in (reused, fresh)]
    assert texts[0] == texts[1]
    plt.close(fresh)
