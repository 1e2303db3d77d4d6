"""helpers.stats.power: power and sample size against statsmodels and brute force."""
import math

import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import power_proportions_2indep, proportion_effectsize

import helpers.design as design
from helpers.stats import power


def test_textbook_sample_size_30_vs_50_percent():
    # Classical normal-approximation formula without continuity correction (Fleiss et al.
    # 2003): 30% vs 50% responders, two-sided alpha 0.05, power 80% -> 93 per arm.
    assert math.ceil(power.sample_size_two_proportions(0.3, 0.5)) == 93
    assert power.power_two_proportions(0.3, 0.5, 93) == pytest.approx(0.8, abs=0.002)


@pytest.mark.parametrize("p1, p2, n, ratio", [(0.3, 0.5, 93, 1), (0.2, 0.35, 40, 2),
                                              (0.6, 0.4, 120, 0.5), (0.1, 0.3, 17, 1)])
def test_power_agrees_with_statsmodels(p1, p2, n, ratio):
    # statsmodels: prop1 = prop2 + diff observed in nobs1, prop2 in nobs1 * ratio
    ref = power_proportions_2indep(p1 - p2, p2, n, ratio=ratio, alpha=0.05,
                                   alternative="two-sided")
    assert power.power_two_proportions(p1, p2, n, ratio=ratio) == pytest.approx(
        ref.power, abs=1e-10)
    h = proportion_effectsize(p2, p1)
    ref_h = NormalIndPower().power(h, n, 0.05, ratio=ratio, alternative="two-sided")
    assert power.power_two_proportions(p1, p2, n, ratio=ratio, method="arcsine") == \
        pytest.approx(ref_h, abs=1e-10)


@pytest.mark.parametrize("method", ["pooled", "arcsine"])
def test_sample_size_inverts_power(method):
    n = power.sample_size_two_proportions(0.25, 0.4, power=0.9, method=method)
    assert power.power_two_proportions(0.25, 0.4, n, method=method) == pytest.approx(0.9, abs=1e-3)
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
    assert power.power_fisher_exact(p0, p1, n0, n1) == pytest.approx(expected, abs=1e-12)


def test_fisher_power_is_below_the_normal_approximation_for_a_tiny_trial():
    # Deng 2017 size (6 placebo, 12 MSC), BLISS-LN rates from the exact counts
    exact = power.power_fisher_exact(72 / 223, 96 / 223, 6, 12)
    normal = power.power_two_proportions(72 / 223, 96 / 223, 6, ratio=2)
    assert exact == pytest.approx(0.0325, abs=0.0005)
    assert normal == pytest.approx(0.0667, abs=0.0005)
    # with large arms the two agree closely
    big = power.power_fisher_exact(0.3, 0.5, 150, 150)
    assert big == pytest.approx(power.power_two_proportions(0.3, 0.5, 150), abs=0.03)


@pytest.mark.parametrize("call, phrase", [
    (lambda: power.power_fisher_exact(0, 0.5, 5, 5), "p_control"),
    (lambda: power.power_fisher_exact(0.3, 0.5, 0, 5), "n_control"),
    (lambda: power.power_fisher_exact(0.3, 0.5, 5, 2.5), "n_treatment"),
    (lambda: power.power_fisher_exact(0.3, 0.5, 5, 5, alpha=1), "alpha"),
    (lambda: power.power_two_proportions(0, 0.5, 10), "p_control"),
    (lambda: power.power_two_proportions(0.3, 1.2, 10), "p_treatment"),
    (lambda: power.power_two_proportions(0.3, 0.3, 10), "p_treatment must differ"),
    (lambda: power.power_two_proportions(0.3, 0.5, 1), "n_per_arm"),
    (lambda: power.power_two_proportions(0.3, 0.5, 10, alpha=0), "alpha"),
    (lambda: power.power_two_proportions(0.3, 0.5, 10, ratio=0), "ratio"),
    (lambda: power.power_two_proportions(0.3, 0.5, 10, method="exact"), "method"),
    (lambda: power.sample_size_two_proportions(0.3, 0.5, power=1), "power"),
])
def test_bad_input_names_the_parameter(call, phrase):
    with pytest.raises(ValueError, match=phrase):
        call()


def test_power_curve_and_the_design_re_exports():
    curve = power.power_curve(0.3, 0.5, [10, 93, 400])
    assert curve[1] == pytest.approx(power.power_two_proportions(0.3, 0.5, 93))
    assert list(curve) == sorted(curve)
    assert design.power_two_proportions is power.power_two_proportions
    assert design.sample_size_two_proportions is power.sample_size_two_proportions
    with pytest.raises(ValueError, match="n_values"):
        power.power_curve(0.3, 0.5, [])


@pytest.mark.parametrize("p_control, p_treatment, alpha", [
    (0.3, 0.5, 0.05), (0.05, 0.1, 0.05), (0.9, 0.99, 0.01), (0.6, 0.2, 0.2), (0.5, 0.51, 1e-6)])
def test_power_curve_equals_power_two_proportions_at_every_size(p_control, p_treatment, alpha):
    """The curve is computed for all sizes at once: bit for bit the scalar function."""
    sizes = [2, 5, 7.5, 10, 93, 400, 1000, 123456]
    curve = power.power_curve(p_control, p_treatment, sizes, alpha=alpha)
    assert curve.tolist() == [power.power_two_proportions(p_control, p_treatment, n,
                                                          alpha=alpha) for n in sizes]


@pytest.mark.parametrize("kwargs, phrase", [
    ({"p_control": 0.0}, "p_control"), ({"p_treatment": 1.0}, "p_treatment"),
    ({"p_treatment": 0.3}, "p_treatment must differ"), ({"alpha": 1.0}, "alpha"),
    ({"n_values": [10, 1]}, "n_values"), ({"n_values": "10"}, "n_values")])
def test_power_curve_names_the_bad_argument(kwargs, phrase):
    args = {"p_control": 0.3, "p_treatment": 0.5, "n_values": [10, 20], **kwargs}
    with pytest.raises((TypeError, ValueError), match=phrase):
        power.power_curve(**args)
