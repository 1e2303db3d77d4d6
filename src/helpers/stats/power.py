"""Power and sample size for comparing two response rates.

* :func:`power_two_proportions` / :func:`sample_size_two_proportions` — normal
  approximation (pooled-variance z test, or Cohen's arcsine h);
* :func:`power_fisher_exact` — exact power of Fisher's test, by enumerating every trial
  result (honest for very small trials);
* :func:`power_curve` — power over a range of sizes (drawn by
  :func:`helpers.stats.plots.plot_power`).

``alpha`` here is the two-sided *significance level of a test* (the chance of a false
positive), not a confidence level; the critical value is
``z_quantile(1 - alpha)``.

Examples
--------
>>> round(sample_size_two_proportions(0.3, 0.5), 0)
93.0
>>> round(power_two_proportions(0.3, 0.5, 93), 3)
0.8

References
----------
Notebooks 06_reading_trials_critically and 08_future_directions. Fleiss JL, Levin B, Paik MC
(2003) Statistical Methods for Rates and Proportions, 3rd ed., Wiley (sample size for two
proportions, normal approximation without continuity correction); Cohen J (1988)
Statistical Power Analysis for the Behavioral Sciences, 2nd ed. (arcsine h); Fisher's exact
test as in ``scipy.stats.fisher_exact`` (two-sided, "sum of less likely tables").
"""
from __future__ import annotations

import math
from typing import Any

from helpers.core import validate
from helpers.stats import _checks
from helpers.stats.distributions import norm_cdf, norm_ppf, z_quantile

__all__ = ["POWER_METHODS", "power_two_proportions", "power_fisher_exact",
           "sample_size_two_proportions", "power_curve"]

POWER_METHODS = ("pooled", "arcsine")


def _rates(p_control: Any, p_treatment: Any) -> tuple[float, float]:
    p1 = validate.probability("p_control", p_control, open_ends=True)
    p2 = validate.probability("p_treatment", p_treatment, open_ends=True)
    if p1 == p2:
        raise ValueError("p_treatment must differ from p_control (no effect has no power "
                         "to detect)")
    return p1, p2


def _critical(alpha: Any) -> float:
    """Two-sided critical value of a z test at significance level ``alpha`` (>= 1e-10)."""
    return z_quantile(1 - validate.real("alpha", alpha, low=1e-10, high=1, high_open=True))


def _ratio(ratio: Any) -> float:
    return validate.real("ratio", ratio, low=0, high=10, low_open=True)


def power_two_proportions(p_control: float, p_treatment: float, n_per_arm: float, *,
                          alpha: float = 0.05, ratio: float = 1.0,
                          method: str = "pooled") -> float:
    """Power of a two-sided test comparing two response rates (normal approximation).

    Parameters
    ----------
    p_control, p_treatment : float
        Response rates (fractions, strictly between 0 and 1, not equal).
    n_per_arm : float
        Patients in the control arm (the treatment arm has ``ratio * n_per_arm``).
    alpha : float, default 0.05
        Two-sided significance level (1e-10 <= alpha < 1).
    ratio : float, default 1
        Treatment : control allocation ratio.
    method : {"pooled", "arcsine"}
        ``"pooled"``: z test with the pooled variance under the null (Fleiss et al. 2003;
        as ``statsmodels.stats.proportion.power_proportions_2indep``); ``"arcsine"``:
        Cohen's h with ``statsmodels.stats.power.NormalIndPower``.

    Returns
    -------
    float
        Power, a probability.
    """
    p1, p2 = _rates(p_control, p_treatment)
    n_per_arm = validate.real("n_per_arm", n_per_arm, low=2, high=_checks.MAX_N)
    z_a = _critical(alpha)
    ratio = _ratio(ratio)
    method = validate.choice("method", method, POWER_METHODS)
    n1, n2 = n_per_arm, n_per_arm * ratio
    if method == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1)))
        se = math.sqrt(1 / n1 + 1 / n2)
        return float(norm_cdf(h / se - z_a) + norm_cdf(-h / se - z_a))
    return float(_pooled_power(p1, p2, n1, n2, z_a))


def _pooled_power(p1: float, p2: float, n1, n2, z_a: float):
    """Power of the pooled-variance z test, for arm sizes ``n1``, ``n2`` (numbers or arrays)."""
    import numpy as np

    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    se0 = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    se1 = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    diff = abs(p2 - p1)
    return norm_cdf((diff - z_a * se0) / se1) + norm_cdf((-diff - z_a * se0) / se1)


def _fisher_rejects(n1: int, n2: int, alpha: float):
    """Boolean matrix ``R[x1, x2]``: does two-sided Fisher's exact test reject at ``alpha``?

    ``x1`` responders of ``n1`` and ``x2`` of ``n2``. The two-sided P value sums the
    conditional (hypergeometric) probabilities of all tables with the same margins that are
    no more likely than the observed one (relative tolerance 1e-7, as
    ``scipy.stats.fisher_exact``).
    """
    import numpy as np

    lg = [math.lgamma(k + 1) for k in range(n1 + n2 + 1)]

    def log_comb(n, k):
        return lg[n] - lg[k] - lg[n - k]

    reject = np.zeros((n1 + 1, n2 + 1), dtype=bool)
    for m in range(n1 + n2 + 1):  # total responders
        lo, hi = max(0, m - n2), min(n1, m)
        xs = np.arange(lo, hi + 1)
        logp = np.array([log_comb(n1, x) + log_comb(n2, m - x) for x in xs]) - \
            log_comb(n1 + n2, m)
        prob = np.exp(logp)
        for x, p_obs in zip(xs, prob):
            p_value = prob[prob <= p_obs * (1 + 1e-7)].sum()
            reject[x, m - x] = p_value <= alpha
    return reject


def power_fisher_exact(p_control: float, p_treatment: float, n_control: int,
                       n_treatment: int, *, alpha: float = 0.05) -> float:
    """Exact power of the two-sided Fisher exact test comparing two response rates.

    Sums, over every possible trial result (``x`` responders of ``n_treatment`` and ``y``
    of ``n_control``), the binomial probability of that result times whether Fisher's exact
    test rejects at ``alpha``. No normal approximation is involved, so it is the honest
    power of a very small trial, where the normal approximation of
    :func:`power_two_proportions` is too optimistic.

    Parameters
    ----------
    p_control, p_treatment : float
        True response rates (fractions, strictly between 0 and 1).
    n_control, n_treatment : int
        Patients per arm (1 to 300 each).
    alpha : float, default 0.05
        Two-sided significance level.

    Returns
    -------
    float
        Power, a probability.

    References
    ----------
    Notebook 06_reading_trials_critically. Fisher's exact test as in
    ``scipy.stats.fisher_exact`` (two-sided, "sum of less likely tables").
    """
    import numpy as np

    p0 = validate.probability("p_control", p_control, open_ends=True)
    p1 = validate.probability("p_treatment", p_treatment, open_ends=True)
    alpha = validate.probability("alpha", alpha, open_ends=True)
    n0 = validate.count("n_control", n_control, low=1, high=300)
    n1 = validate.count("n_treatment", n_treatment, low=1, high=300)
    reject = _fisher_rejects(n1, n0, alpha)

    def binom_pmf(n, p):
        k = np.arange(n + 1)
        logc = np.array([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                         for j in k])
        return np.exp(logc + k * math.log(p) + (n - k) * math.log1p(-p))

    return float(binom_pmf(n1, p1) @ reject @ binom_pmf(n0, p0))


def sample_size_two_proportions(p_control: float, p_treatment: float, *, power: float = 0.8,
                                alpha: float = 0.05, ratio: float = 1.0,
                                method: str = "pooled") -> float:
    """Patients per control arm needed to reach ``power`` (not rounded; round up to use).

    Parameters and methods as :func:`power_two_proportions`. The ``"pooled"`` value is
    the classical closed form
    ``[z_{a/2} sqrt(pbar qbar (1 + 1/r)) + z_b sqrt(p1 q1 + p2 q2 / r)]² / (p2 - p1)²``,
    and the ``"arcsine"`` one ``(z_{a/2} + z_b)² (1 + 1/r) / h²``.
    """
    p1, p2 = _rates(p_control, p_treatment)
    z_b = float(norm_ppf(validate.probability("power", power, open_ends=True)))
    z_a = _critical(alpha)
    ratio = _ratio(ratio)
    method = validate.choice("method", method, POWER_METHODS)
    if method == "arcsine":
        h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
        return (z_a + z_b) ** 2 * (1 + 1 / ratio) / h ** 2
    pbar = (p1 + ratio * p2) / (1 + ratio)
    top = z_a * math.sqrt(pbar * (1 - pbar) * (1 + 1 / ratio)) + \
        z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2) / ratio)
    return top ** 2 / (p2 - p1) ** 2


def power_curve(p_control: float, p_treatment: float, n_values, *, alpha: float = 0.05):
    """Power at each per-arm sample size in ``n_values`` (numpy array, pooled method).

    Raises
    ------
    ValueError
        As :func:`power_two_proportions`, or ``n_values`` not a non-empty flat sequence of
        sizes >= 2.
    """
    import numpy as np

    sizes = validate.reals("n_values", n_values, low=2, high=_checks.MAX_N)
    p1, p2 = _rates(p_control, p_treatment)
    n = np.asarray(sizes, dtype=float)
    # the formula of power_two_proportions (ratio 1) on all sizes at once: the same values
    return _pooled_power(p1, p2, n, n, _critical(alpha))
