"""The Th17/Treg toy model (notebook 04): steady state, direction of effects, ranges."""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.params import param_ranges
from helpers.tcell_balance import (TOY_RATES, baseline_state, plot_balance, recovery_days,
                                   simulate_balance)
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_without_signal_the_system_stays_at_its_steady_state():
    res = simulate_balance(signal_strength=0.0)
    base = res["baseline"]
    assert np.allclose(res["th17"], base["th17"], rtol=1e-6)
    assert np.allclose(res["treg"], base["treg"], rtol=1e-6)


def test_baseline_known_answer():
    assert baseline_state(2.5, 20.0) == pytest.approx((1.5, 1.0, 1.5))
    assert baseline_state(1.2, 60.0) == pytest.approx((0.2, 1.0, 0.2))


def test_signal_shifts_balance_towards_treg_then_returns():
    res = simulate_balance(signal_strength=3.0, signal_days=2.0, days=180.0)
    base = res["baseline"]
    ratio = res["th17"] / res["treg"]
    assert ratio.min() < 0.6 * base["th17"] / base["treg"]
    assert res["treg"].max() > base["treg"]
    assert ratio[-1] == pytest.approx(base["th17"] / base["treg"], rel=0.02)


def test_longer_lived_tregs_make_the_effect_last_longer():
    def days_below_90pct(life):
        res = simulate_balance(signal_strength=3.0, treg_lifetime_days=life, days=180.0)
        base = res["baseline"]
        low = res["th17"] / res["treg"] < 0.9 * base["th17"] / base["treg"]
        return res["t"][low].max()

    assert days_below_90pct(40.0) > days_below_90pct(5.0)


LIFETIMES = (2.0, 5.0, 10.0, 20.0, 40.0, 60.0)


def test_recovery_time_rises_with_treg_lifetime_at_the_defaults():
    """The text's claim: longer-lived Tregs keep Th17 cells down for longer."""
    days = [recovery_days(simulate_balance(treg_lifetime_days=life, days=180.0))
            for life in LIFETIMES]
    assert all(later > earlier for earlier, later in zip(days, days[1:])), days
    # short-lived Tregs: Th17 cells are back within a few weeks of the signal fading
    assert days[0] < 21 and days[-1] > 3 * days[0]


@pytest.mark.parametrize("drive", [1.2, 2.5, 4.0])
@pytest.mark.parametrize("strength, duration", [(0.3, 2.0), (2.0, 2.0), (2.0, 7.0)])
def test_recovery_time_never_falls_as_the_lifetime_grows(drive, strength, duration):
    days = [recovery_days(simulate_balance(strength, duration, life, drive, days=180.0))
            for life in LIFETIMES]
    assert all(later >= earlier for earlier, later in zip(days, days[1:])), days


def test_lifetime_changes_neither_steady_state_nor_initial_induction():
    """Induction (g S R0) is separate from turnover ((R0 - Treg)/L)."""
    early = [simulate_balance(treg_lifetime_days=life, days=14.0, n_points=1401)
             for life in (5.0, 60.0)]
    assert early[0]["baseline"] == early[1]["baseline"]
    slope = [(r["treg"][1] - r["treg"][0]) / (r["t"][1] - r["t"][0]) for r in early]
    expected = TOY_RATES["g"] * 2.0 * TOY_RATES["R0"]  # g * S(0) * R0 at the defaults
    assert slope == pytest.approx([expected, expected], rel=0.02)


def test_recovery_days_known_cases_and_bad_level():
    flat = simulate_balance(signal_strength=0.0)
    assert recovery_days(flat) == 0.0
    with pytest.raises(ValueError, match="level"):
        recovery_days(flat, level=1.5)


@pytest.mark.parametrize("call, phrase", [
    (lambda: simulate_balance(signal_strength=-1), "signal_strength"),
    (lambda: simulate_balance(days=1000), "days"),
    (lambda: baseline_state(0.1, 20), "inflammatory_drive"),
])
def test_bad_input_raises_value_error(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_plot_content():
    fig = plot_balance()
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Th17 cells", "Treg cells", "Th17/Treg ratio", "MSC signal > 5% of peak"]
    assert fig.axes[0].lines[0].get_ydata()[0] == pytest.approx(100.0)
    plt.close(fig)


SPECS = param_ranges(plot_balance)


@settings(max_examples=25, deadline=None)
@given(**{name: st.floats(spec.low, spec.high) for name, spec in SPECS.items()})
def test_widget_range_no_nan_no_negative_populations(**values):
    res = simulate_balance(**values)
    for key in ("th17", "treg", "inflammation"):
        assert not np.isnan(res[key]).any() and res[key].min() >= 0
    fig = plot_balance(**values)
    for line in fig.axes[0].lines:
        assert not np.isnan(np.asarray(line.get_ydata(), dtype=float)).any()
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_balance_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_balance) == []


# --- in-place widget redraws ------------------------------------------------------------


def _redraw_after(moves: list, target: dict):
    """The live figure of a widget demo after ``moves``, then ``target``; and a fresh one."""
    from helpers.core.widgets import Demo

    demo = Demo(plot_balance, name="balance", alt="test figure of the toy model")
    for values in moves:
        demo.redraw(**values)
    return demo.redraw(**target), plot_balance(**target)


def test_widget_redraw_updates_the_same_curves_and_band():
    from helpers.core.widgets import Demo

    demo = Demo(plot_balance, name="balance", alt="test figure of the toy model")
    ax = demo.redraw().axes[0]
    kept = list(ax.lines) + list(ax.patches)  # held: a new artist cannot take an old id
    demo.redraw(signal_strength=5.0, signal_days=14.0, days=180.0)
    assert all(new is old for new, old in zip(list(ax.lines) + list(ax.patches), kept))
    assert len(ax.lines) + len(ax.patches) == len(kept)
    assert ax.lines[0].get_xdata()[-1] == 180.0


@pytest.mark.parametrize("moves, target", [
    ([{}], {"signal_strength": 0.0}),  # band hidden, legend without it
    ([{"signal_strength": 0.0}], {}),  # band made during a redraw, legend with it again
    ([{"signal_strength": 0.0}, {"signal_days": 14.0}, {"signal_strength": 0.0}],
     {"signal_days": 14.0, "days": 14.0}),  # the band fills the x range
    ([{"inflammatory_drive": 4.0, "signal_strength": 5.0}],
     {"inflammatory_drive": 1.2, "treg_lifetime_days": 60.0, "days": 180.0}),
])
def test_updated_widget_figure_equals_a_fresh_one(moves, target):
    from helpers.core.style import figure_png, figure_svg

    reused, fresh = _redraw_after(moves, target)
    assert figure_svg(reused, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
    assert figure_png(reused) == figure_png(fresh)
    labels = [t.get_text() for t in reused.axes[0].get_legend().get_texts()]
    assert labels == [t.get_text() for t in fresh.axes[0].get_legend().get_texts()]
    plt.close(fresh)
