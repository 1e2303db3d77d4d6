"""Compartment model of infused MSCs (notebook 04): mass balance and known answers."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.core.data import fact_number
from helpers.kinetics import (COMPARTMENTS, alive_fraction, default_lung_half_life_h,
                              default_percent_to_other, plot_persistence,
                              simulate_persistence)
from helpers.core.params import param_ranges
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_mass_is_conserved_at_every_time():
    res = simulate_persistence()
    total = sum(res[name] for name in COMPARTMENTS)
    assert np.allclose(total, 1.0, atol=1e-8)
    assert res["t"][0] == 0 and res["t"][-1] == 96
    assert res["blood"][0] == 1.0 and res["cleared"][0] == 0.0


def test_matches_the_closed_form_solution():
    """The linear model has an analytic solution: compare the lung compartment."""
    pct, tb, tl = 4.0, 15.0, 30.0
    f = 1 - pct / 100
    res = simulate_persistence(percent_to_other=pct, blood_half_life_min=tb,
                               lung_half_life_h=tl, other_half_life_h=10.0, hours=72.0)
    kb, kl = math.log(2) / (tb / 60), math.log(2) / tl
    t = res["t"]
    lung = f * kb / (kl - kb) * (np.exp(-kb * t) - np.exp(-kl * t))
    assert np.allclose(res["lung"], lung, atol=1e-6)
    assert np.allclose(res["blood"], np.exp(-kb * t), atol=1e-6)


def test_with_negligible_blood_time_alive_cells_halve_at_the_lung_half_life():
    res = simulate_persistence(percent_to_other=1.0, blood_half_life_min=1.0,
                               lung_half_life_h=24.0, other_half_life_h=24.0)
    assert alive_fraction(res, 24.0) == pytest.approx(0.5, abs=0.01)
    assert alive_fraction(res, 72.0) == pytest.approx(0.125, abs=0.01)


def test_default_lung_half_life_is_the_verified_fact():
    assert default_lung_half_life_h() == fact_number("msc_mech_tsg6_lee2009",
                                                     "lung_half_life_hours_approx")
    assert param_ranges(simulate_persistence)["lung_half_life_h"].default == \
        default_lung_half_life_h()


def test_default_share_elsewhere_follows_lee_2009():
    """Fewer than 1,000 of 2 million cells in six other tissues: 0.05% of the dose."""
    lee = "msc_mech_tsg6_lee2009"
    expected = 100 * fact_number(lee, "cells_in_six_other_tissues_max") / \
        fact_number(lee, "hmscs_infused")
    assert default_percent_to_other() == pytest.approx(expected)
    assert param_ranges(simulate_persistence)["percent_to_other"].default == \
        default_percent_to_other()


def test_defaults_agree_with_the_tracking_studies():
    """Almost nothing outside the lung; about half the DNA-based signal left at 24 h."""
    res = simulate_persistence()
    assert res["other"].max() < 0.001  # Eggenhofer: no viable cells in other organs
    assert alive_fraction(res, 24.0) == pytest.approx(0.5, abs=0.02)  # Lee: t1/2 ~ 24 h
    assert alive_fraction(res, 72.0) < 0.15  # an upper bound; none viable at 72 h


@pytest.mark.parametrize("call, phrase", [
    (lambda: simulate_persistence(percent_to_other=6.0), "percent_to_other"),
    (lambda: simulate_persistence(blood_half_life_min=0), "blood_half_life_min"),
    (lambda: simulate_persistence(n_points=3), "n_points"),
    (lambda: alive_fraction(simulate_persistence(hours=24), 48), "hour"),
])
def test_bad_input_raises_value_error(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_plot_content():
    fig = plot_persistence()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "detectable in total (model)", "in lung", "in other tissues", "in blood"]
    assert ax.lines[0].get_ydata()[0] == pytest.approx(100.0)
    dotted = [ln.get_xdata()[0] for ln in ax.lines[4:]]
    assert dotted == [1, 24, 72]  # the Eggenhofer time points within 96 h (5 min omitted)
    plt.close(fig)


SPECS = param_ranges(plot_persistence)


@settings(max_examples=25, deadline=None)
@given(**{name: st.floats(spec.low, spec.high) for name, spec in SPECS.items()})
def test_widget_range_conserves_mass_without_negatives(**values):
    res = simulate_persistence(**values)
    stacked = np.vstack([res[name] for name in COMPARTMENTS])
    assert not np.isnan(stacked).any() and stacked.min() >= 0
    assert np.allclose(stacked.sum(axis=0), 1.0, atol=1e-6)
    fig = plot_persistence(**values)
    plt.close(fig)


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_persistence_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_persistence) == []


# --- exercise 4.2 feedback -------------------------------------------------------------


def test_exercise_4_2_accepts_the_value_it_prints_and_hints_at_mistakes():
    from helpers.checks import feedback

    target = alive_fraction(simulate_persistence(), 72.0)
    ok = feedback("4.2", target)
    assert "correct" in ok and f"{target:.2f}" in ok
    assert "correct" in feedback("4.2", round(target, 2))  # the printed precision
    assert "percentage" in feedback("4.2", 100 * target)
    assert "already cleared" in feedback("4.2", 1 - target)
    assert "viability cultures" in feedback("4.2", 0)
    assert "not text" in feedback("4.2", "13%")


# --- closed-form solution and in-place widget redraws -----------------------------------


def _numerical(pct, tb, tl, to, hours):
    """The compartment model integrated numerically (tight tolerances), clipped as before."""
    from scipy.integrate import solve_ivp

    ln2 = math.log(2)
    k_out = ln2 / (tb / 60)
    k_other, c_lung, c_other = k_out * pct / 100, ln2 / tl, ln2 / to
    k_lung = k_out - k_other

    def rhs(_t, y):
        blood, lung, other, _cleared = y
        return [-k_out * blood, k_lung * blood - c_lung * lung,
                k_other * blood - c_other * other, c_lung * lung + c_other * other]

    t = np.linspace(0, hours, 241)
    sol = solve_ivp(rhs, (0, hours), [1, 0, 0, 0], t_eval=t, method="LSODA", rtol=1e-11,
                    atol=1e-14)
    return np.clip(sol.y, 0, 1)


@pytest.mark.parametrize("pct, tb, tl, to, hours", [
    (0.05, 10, 24, 24, 96), (0.0, 1, 4, 4, 24), (5.0, 60, 96, 4, 168), (5.0, 60, 4, 96, 168),
    (2.5, 30, 50, 50, 120)])
def test_closed_form_matches_a_numerical_solution(pct, tb, tl, to, hours):
    res = simulate_persistence(pct, tb, tl, to, hours)
    expected = _numerical(pct, tb, tl, to, hours)
    for i, name in enumerate(COMPARTMENTS):
        assert np.allclose(res[name], expected[i], rtol=0, atol=1e-9), name


def test_equal_rates_use_the_limit_of_the_closed_form():
    from helpers.kinetics import _transit

    t = np.linspace(0, 10, 11)
    assert np.array_equal(_transit(0.5, 0.5, t), t * np.exp(-0.5 * t))
    assert np.allclose(_transit(0.5, 0.5 + 1e-12, t), t * np.exp(-0.5 * t), atol=1e-10)


def _demo():
    from helpers.core.widgets import Demo

    return Demo(plot_persistence, name="persistence", alt="test")


def test_widget_redraw_updates_the_same_curves():
    demo = _demo()
    fig = demo.redraw(hours=48.0)
    kept = list(fig.axes[0].lines)  # held, so a new artist cannot reuse an old one's id
    demo.redraw(hours=168.0, lung_half_life_h=4.0)
    lines = fig.axes[0].lines
    assert all(new is old for new, old in zip(lines, kept)) and len(lines) == len(kept) + 1
    assert lines[0].get_xdata()[-1] == 168.0
    demo.close()


@pytest.mark.parametrize("moves, target", [
    ([{"hours": 168.0}], {"hours": 24.0}),  # the 72 h line hidden again
    ([{"hours": 24.0}], {"hours": 168.0}),  # the 72 h line made during a redraw
    ([{"hours": 24.0}, {"hours": 72.0, "percent_to_other": 5.0}], {"hours": 60.0}),
    ([{"percent_to_other": 5.0, "blood_half_life_min": 60.0}],
     {"lung_half_life_h": 96.0, "other_half_life_h": 4.0}),
])
def test_updated_widget_figure_equals_a_fresh_one(moves, target):
    from helpers.core.style import figure_png, figure_svg

    demo = _demo()
    for values in [{}, *moves]:
        demo.redraw(**values)
    reused, fresh = demo.redraw(**target), plot_persistence(**target)
    assert figure_svg(reused, text_as_paths=False) == figure_svg(fresh, text_as_paths=False)
    assert figure_png(reused) == figure_png(fresh)
    plt.close(fresh)
    demo.close()
