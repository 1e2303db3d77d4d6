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
