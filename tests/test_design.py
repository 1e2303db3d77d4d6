"""helpers.design: regression-to-the-mean toy model, power and sample size for two rates."""
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import power_proportions_2indep, proportion_effectsize

import helpers.design as design
from helpers.core.params import param_ranges


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


def test_textbook_sample_size_30_vs_50_percent():
    # Classical normal-approximation formula without continuity correction (Fleiss et al.
    # 2003): 30% vs 50% responders, two-sided alpha 0.05, power 80% -> 93 per arm.
    assert math.ceil(design.sample_size_two_proportions(0.3, 0.5)) == 93
    assert design.power_two_proportions(0.3, 0.5, 93) == pytest.approx(0.8, abs=0.002)


@pytest.mark.parametrize("p1, p2, n, ratio", [(0.3, 0.5, 93, 1), (0.2, 0.35, 40, 2),
                                              (0.6, 0.4, 120, 0.5), (0.1, 0.3, 17, 1)])
def test_power_agrees_with_statsmodels(p1, p2, n, ratio):
    # statsmodels: prop1 = prop2 + diff observed in nobs1, prop2 in nobs1 * ratio
    ref = power_proportions_2indep(p1 - p2, p2, n, ratio=ratio, alpha=0.05,
                                   alternative="two-sided")
    assert design.power_two_proportions(p1, p2, n, ratio=ratio) == pytest.approx(
        ref.power, abs=1e-10)
    h = proportion_effectsize(p2, p1)
    ref_h = NormalIndPower().power(h, n, 0.05, ratio=ratio, alternative="two-sided")
    assert design.power_two_proportions(p1, p2, n, ratio=ratio, method="arcsine") == \
        pytest.approx(ref_h, abs=1e-10)


@pytest.mark.parametrize("method", ["pooled", "arcsine"])
def test_sample_size_inverts_power(method):
    n = design.sample_size_two_proportions(0.25, 0.4, power=0.9, method=method)
    assert design.power_two_proportions(0.25, 0.4, n, method=method) == pytest.approx(0.9, abs=1e-3)
    solved = NormalIndPower().solve_power(proportion_effectsize(0.4, 0.25), power=0.9, alpha=0.05)
    if method == "arcsine":
        assert n == pytest.approx(solved, rel=1e-4)


@pytest.mark.parametrize("p0, p1, n0, n1", [(0.3, 0.7, 20, 25), (72 / 223, 96 / 223, 6, 12),
                                            (0.5, 0.9, 8, 8), (0.1, 0.4, 3, 30)])
def test_fisher_power_matches_brute_force_with_scipy(p0, p1, n0, n1):
    from scipy.stats import binom, fisher_exact

    expected = sum(binom.pmf(x, n1, p1) * binom.pmf(y, n0, p0)
                   for x in range(n1 + 1) for y in range(n0 + 1)
                   if fisher_exact([[x, n1 - x], [y, n0 - y]])[1] <= 0.05)
    assert design.power_fisher_exact(p0, p1, n0, n1) == pytest.approx(expected, abs=1e-12)


def test_fisher_power_is_below_the_normal_approximation_for_a_tiny_trial():
    # Deng 2017 size (6 placebo, 12 MSC), BLISS-LN rates from the exact counts
    exact = design.power_fisher_exact(72 / 223, 96 / 223, 6, 12)
    normal = design.power_two_proportions(72 / 223, 96 / 223, 6, ratio=2)
    assert exact == pytest.approx(0.0325, abs=0.0005)
    assert normal == pytest.approx(0.0667, abs=0.0005)
    # with large arms the two agree closely
    big = design.power_fisher_exact(0.3, 0.5, 150, 150)
    assert big == pytest.approx(design.power_two_proportions(0.3, 0.5, 150), abs=0.03)


@pytest.mark.parametrize("call, phrase", [
    (lambda: design.power_fisher_exact(0, 0.5, 5, 5), "p_control"),
    (lambda: design.power_fisher_exact(0.3, 0.5, 0, 5), "n_control"),
    (lambda: design.power_fisher_exact(0.3, 0.5, 5, 2.5), "n_treatment"),
    (lambda: design.power_fisher_exact(0.3, 0.5, 5, 5, alpha=1), "alpha"),
    (lambda: design.power_two_proportions(0, 0.5, 10), "p_control"),
    (lambda: design.power_two_proportions(0.3, 1.2, 10), "p_treatment"),
    (lambda: design.power_two_proportions(0.3, 0.3, 10), "p_treatment must differ"),
    (lambda: design.power_two_proportions(0.3, 0.5, 1), "n_per_arm"),
    (lambda: design.power_two_proportions(0.3, 0.5, 10, alpha=0), "alpha"),
    (lambda: design.power_two_proportions(0.3, 0.5, 10, ratio=0), "ratio"),
    (lambda: design.power_two_proportions(0.3, 0.5, 10, method="exact"), "method"),
    (lambda: design.sample_size_two_proportions(0.3, 0.5, power=1), "power"),
])
def test_bad_input_names_the_parameter(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


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
    fig = design.plot_power(p_control=0.3, effect=0.2, n_per_arm=93)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "93 per arm: power 80%" in labels
    assert "80% power needs 93 per arm" in labels
    plt.close(fig)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_widget_functions_over_their_declared_ranges(data):
    for fn in (design.plot_regression_to_mean, design.plot_power):
        kwargs = {}
        for name, spec in param_ranges(fn).items():
            if spec.integer:
                kwargs[name] = data.draw(st.integers(int(spec.low), int(spec.high)))
            else:
                kwargs[name] = data.draw(st.floats(spec.low, spec.high))
        fig = fn(**kwargs)
        for line in fig.axes[0].lines:
            ydata = np.asarray(line.get_ydata(), dtype=float)
            assert not np.isnan(ydata).any()
        plt.close(fig)
    value = design.expected_regression_to_mean(
        entry_threshold=data.draw(st.floats(0, 20)), within_sd=data.draw(st.floats(0.5, 10)))
    assert math.isfinite(value) and value <= 0


def test_figures_have_no_text_below_11_pt():
    """Course style: every text >= 11 pt in the plot_regression_to_mean and plot_power (widget defaults)."""
    from helpers.core.style import RC_PARAMS, small_texts

    with plt.rc_context(RC_PARAMS):
        figs = [design.plot_regression_to_mean(), design.plot_power()]
        for fig in figs:
            assert small_texts(fig) == []
            plt.close(fig)
