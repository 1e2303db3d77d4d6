"""Suppression-assay teaching simulation and the 4PL fit (notebook 04)."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.assay import (DEFAULT_RATIOS, example_assay, fit_four_pl, four_pl,
                           plot_suppression_assay, ratio_label, simulate_suppression_assay)
from helpers.core.params import param_ranges
from conftest import small_texts_at_course_style as _small_texts_at_course_style


def test_four_pl_known_values():
    assert four_pl(0.05, 10, 100, 0.05, 1.0) == pytest.approx(55.0)
    assert four_pl(1e-9, 10, 100, 0.05, 2.0) == pytest.approx(100.0)
    assert four_pl(1e9, 10, 100, 0.05, 2.0) == pytest.approx(10.0)
    assert np.all(np.diff(four_pl(np.array(DEFAULT_RATIOS), 10, 100, 0.05, 1.0)) > 0)


@pytest.mark.parametrize("true", [
    {"bottom": 10.0, "top": 100.0, "ic50": 0.05, "hill": 1.0},
    {"bottom": 30.0, "top": 95.0, "ic50": 0.01, "hill": 2.0},
    {"bottom": 0.0, "top": 110.0, "ic50": 0.15, "hill": 0.7},
])
def test_fit_recovers_known_parameters_from_noiseless_data(true):
    data = simulate_suppression_assay(**true, noise_sd=0.0, replicates=2)
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    for name, value in true.items():
        assert getattr(fit, name) == pytest.approx(value, rel=1e-4, abs=1e-4)
    assert fit.ic50_ci[0] <= fit.ic50 <= fit.ic50_ci[1]


def test_noisy_fit_interval_is_symmetric_on_the_log_scale():
    data = simulate_suppression_assay(rng=0)
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    low, high = fit.ic50_ci
    assert low < fit.ic50 < high
    assert fit.ic50 / low == pytest.approx(high / fit.ic50)


def test_interval_covers_the_true_ic50_about_95_percent_of_the_time():
    covered = 0
    for seed in range(80):
        data = simulate_suppression_assay(rng=seed)
        low, high = fit_four_pl(data["ratio"], data["proliferation"]).ic50_ci
        covered += low <= 0.05 <= high
    assert 0.85 <= covered / 80 <= 1.0


def test_simulation_is_seeded_and_non_negative():
    a = simulate_suppression_assay(noise_sd=15.0, bottom=0.0, rng=3)
    b = simulate_suppression_assay(noise_sd=15.0, bottom=0.0, rng=np.random.default_rng(3))
    assert np.array_equal(a["proliferation"], b["proliferation"])
    assert a["proliferation"].min() >= 0
    assert a["ratio"].size == 3 * len(DEFAULT_RATIOS)


@pytest.mark.parametrize("call, phrase", [
    (lambda: simulate_suppression_assay(ic50=1.0), "ic50"),
    (lambda: simulate_suppression_assay(replicates=0), "replicates"),
    (lambda: simulate_suppression_assay(rng=-1), "rng"),
    (lambda: simulate_suppression_assay(ratios=[1, 0.1, 0.0, 0.01, 0.001]), "ratios"),
    (lambda: fit_four_pl([1, 2, 3], [1, 2, 3]), "at least 6 wells"),
    (lambda: fit_four_pl([1, 1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6]), "distinct ratios"),
    (lambda: fit_four_pl([1, 2], [1]), "proliferation must have 2 items"),
    (lambda: fit_four_pl([1, 0.5, 0.2, 0.1, 0.05, -1], [1] * 6), r"ratio\[5\] must be a number > 0"),
    (lambda: fit_four_pl(list(DEFAULT_RATIOS), [50.0] * 10, level=1.5), "level"),
    (lambda: four_pl(0, 10, 100, 0.05, 1), "ratio"),
    (lambda: four_pl(1, 10, 100, -0.05, 1), "ic50"),
    (lambda: ratio_label(0), "msc_per_t_cell"),
])
def test_bad_input_raises_value_error(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_ratio_label():
    assert [ratio_label(x) for x in (0.05, 0.001, 1.0, 2.0, 0.4)] == ["1:20", "1:1000", "1:1",
                                                                      "2:1", "1:2.5"]


def test_plot_content():
    fig = plot_suppression_assay()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "simulated wells" and labels[1] == "true curve (IC50 1:20)"
    assert labels[2].startswith("4PL fit (IC50 1:") and labels[3] == "95% CI of fitted IC50"
    assert len(ax.lines[0].get_xdata()) == 30
    assert ax.get_xscale() == "log"
    plt.close(fig)


SPECS = param_ranges(plot_suppression_assay)


def _strategy(spec):
    if spec.integer:
        return st.integers(int(spec.low), int(spec.high))
    return st.floats(spec.low, spec.high)


@settings(max_examples=25, deadline=None)
@given(**{name: _strategy(spec) for name, spec in SPECS.items()})
def test_widget_range_gives_finite_fits_and_no_negative_wells(**values):
    data = simulate_suppression_assay(values["ic50"], values["hill"], values["bottom"], 100.0,
                                      values["noise_sd"], values["replicates"],
                                      rng=values["seed"])
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    assert data["proliferation"].min() >= 0
    assert all(math.isfinite(v) for v in (fit.bottom, fit.top, fit.ic50, fit.hill))
    assert not any(math.isnan(v) for v in fit.ic50_ci)
    fig = plot_suppression_assay(**values)
    assert len(fig.axes) == 1
    plt.close(fig)


def test_unidentified_ic50_gets_an_unbounded_interval_instead_of_overflowing():
    # a slider setting found by the widget benchmark: flat, noisy curve, one well per ratio
    values = dict(ic50=0.178187, hill=1.069865, bottom=47.477748, noise_sd=11.981541,
                  replicates=1, seed=21)
    data = simulate_suppression_assay(values["ic50"], values["hill"], values["bottom"], 100.0,
                                      values["noise_sd"], values["replicates"],
                                      rng=values["seed"])
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    assert fit.ic50_ci[1] == math.inf and 0 <= fit.ic50_ci[0] < fit.ic50
    plt.close(plot_suppression_assay(**values))


# --- readable text: every figure at its defaults has no text below 11 pt ----------------



def test_plot_suppression_assay_has_no_text_smaller_than_11_pt():
    assert _small_texts_at_course_style(plot_suppression_assay) == []


# --- exercise 4.1 feedback -------------------------------------------------------------


def test_exercise_4_1_gives_specific_hints_for_text_answers():
    from helpers.checks import feedback

    fit = fit_four_pl(example_assay()["ratio"], example_assay()["proliferation"])
    assert "correct" in feedback("4.1", fit.ic50)
    as_label = feedback("4.1", ratio_label(fit.ic50))  # e.g. "1:45"
    assert "not quite" in as_label and "right ratio written as text" in as_label
    assert "give a number, not text" in feedback("4.1", "one to forty")
    assert "T cells per MSC" in feedback("4.1", 1 / fit.ic50)


# --- the fit's exact Jacobian ------------------------------------------------------------

@pytest.mark.parametrize("params", [(10.0, 100.0, -1.3, 1.0), (-20.0, 180.0, 0.4, 9.5),
                                    (50.0, 60.0, -3.5, 0.1)])
def test_log_model_jacobian_matches_central_differences(params):
    from helpers.assay import _log_model, _log_model_jacobian

    lx = np.log10(np.repeat(DEFAULT_RATIOS, 2))
    numeric = []
    for i in range(4):
        step = 1e-6 * max(1.0, abs(params[i]))
        up, down = list(params), list(params)
        up[i] += step
        down[i] -= step
        numeric.append((_log_model(lx, *up) - _log_model(lx, *down)) / (2 * step))
    np.testing.assert_allclose(_log_model_jacobian(lx, *params), np.column_stack(numeric),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("seed", range(0, 50, 7))
def test_fit_with_the_exact_jacobian_agrees_with_finite_differences(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    data = simulate_suppression_assay(float(rng.uniform(0.005, 0.2)), float(rng.uniform(0.5, 3)),
                                      float(rng.uniform(0, 50)), 100.0,
                                      float(rng.uniform(0.5, 15)), int(rng.integers(1, 7)),
                                      rng=seed)
    exact = fit_four_pl(data["ratio"], data["proliferation"])
    monkeypatch.setattr("helpers.assay._log_model_jacobian", "2-point")  # curve_fit's default
    numeric = fit_four_pl(data["ratio"], data["proliferation"])
    assert exact.ic50 == pytest.approx(numeric.ic50, rel=1e-3)
    assert exact.hill == pytest.approx(numeric.hill, rel=1e-3)
    assert (exact.bottom, exact.top) == pytest.approx((numeric.bottom, numeric.top), abs=0.05)
    assert exact.se_log10_ic50 == pytest.approx(numeric.se_log10_ic50, rel=1e-3)


# --- the live figure is updated in place, not drawn again -------------------------------

def _picture(fig) -> tuple:
    from helpers.core.style import figure_png, figure_svg

    return figure_svg(fig, text_as_paths=False), figure_png(fig)


_EDGES = [dict(replicates=6, noise_sd=15.0, seed=50), dict(replicates=1, noise_sd=0.0),
          dict(ic50=0.2, hill=3.0, bottom=50.0), dict(ic50=0.005, hill=0.5, bottom=0.0),
          dict(ic50=0.178187, hill=1.069865, bottom=47.477748, noise_sd=11.981541,
               replicates=1, seed=21)]  # the last one: CI without an upper limit


def test_live_redraw_moves_the_same_wells_curves_and_band():
    from helpers.core.widgets import Demo

    demo = Demo(plot_suppression_assay, name="04_test_assay", alt="Assay figure for a test.")
    fig = demo.redraw()
    ax = fig.axes[0]
    kept = (list(ax.lines), list(ax.patches), ax.get_legend())
    for values in _EDGES:
        assert demo.redraw(**values) is fig
        assert (list(ax.lines), list(ax.patches), ax.get_legend()) == kept
    assert len(ax.lines[0].get_xdata()) == 10  # one well per ratio at the last setting
    demo.close()


def test_figure_updated_in_place_equals_a_fresh_one_at_the_edges():
    from helpers.core.widgets import Demo

    demo = Demo(plot_suppression_assay, name="04_test_assay", alt="Assay figure for a test.")
    for values in _EDGES + _EDGES[::-1]:
        reused = demo.redraw(**values)
        fresh = plot_suppression_assay(**values)
        assert _picture(reused) == _picture(fresh), values
        plt.close(fresh)
    demo.close()
