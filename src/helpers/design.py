"""Trial-design helpers: regression to the mean, and power / sample size for response rates.

Used by notebooks 06_reading_trials_critically (why "the score fell after treatment" is weak
evidence; how many patients an MSC randomised trial would need) and 08_future_directions.

The regression-to-the-mean model is a **toy model**: each patient has a stable "true"
disease-activity level, each visit measures it with independent noise, and nobody is
treated. Patients enter only if their baseline score reaches a threshold. Its parameters
are illustrative, not estimates from lupus cohorts.

Examples
--------
>>> round(sample_size_two_proportions(0.3, 0.5), 0)
93.0
>>> round(power_two_proportions(0.3, 0.5, 93), 3)
0.8

References
----------
Notebooks 06_reading_trials_critically and 08_future_directions. Barnett AG, van der Pols JC,
Dobson AJ (2005) Int J Epidemiol 34:215-220 (regression to the mean); Fleiss JL, Levin B,
Paik MC (2003) Statistical Methods for Rates and Proportions, 3rd ed., Wiley (sample size
for two proportions, normal approximation without continuity correction); the exact power
of Fisher's test is computed by enumerating every possible trial result.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any

from helpers.core.params import Range, ranged
import helpers.stats.distributions as _dist

__all__ = [
    "simulate_regression_to_mean", "expected_regression_to_mean", "plot_regression_to_mean",
    "RTM_FIGURE_PATIENTS", "power_two_proportions", "power_fisher_exact",
    "sample_size_two_proportions", "power_curve", "plot_power",
]

_ENTRY = Range(0, 20, default=8, step=1, label="entry threshold (score points)")

#: Patients screened in the regression-to-the-mean figure (fewer than the simulation's
#: default of 2000, so the scatter stays readable and the widget redraws quickly).
RTM_FIGURE_PATIENTS = 600


def _rng(rng: Any):
    import numpy as np

    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int) or rng < 0:
        raise ValueError(f"rng must be a non-negative int seed or a numpy Generator; got {rng!r}")
    return np.random.default_rng(rng)


def _prob(name: str, value: Any, *, open_: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value) or \
            (open_ and not 0 < value < 1) or (not open_ and not 0 <= value <= 1):
        rng = "between 0 and 1 (exclusive)" if open_ else "between 0 and 1"
        raise ValueError(f"{name} must be {rng}; got {value!r}")
    return float(value)


# --- regression to the mean -------------------------------------------------------------

@ranged(n_patients=Range(20, 20000, default=2000, integer=True, label="patients screened"),
        entry_threshold=_ENTRY,
        population_mean=Range(0, 20, default=6, label="population mean score (points)"),
        between_sd=Range(0.5, 10, default=3, label="SD of true scores between patients"),
        within_sd=Range(0.5, 10, default=3, label="SD of visit-to-visit noise"))
def simulate_regression_to_mean(n_patients: int = 2000, entry_threshold: float = 8,
                                population_mean: float = 6, between_sd: float = 3,
                                within_sd: float = 3, *, rng=0, clip_at_zero: bool = False) -> dict:
    """Simulate untreated patients who enter a study only if their baseline score is high.

    Toy model: true score ``T ~ Normal(population_mean, between_sd)``; a visit measures
    ``T + noise`` with ``noise ~ Normal(0, within_sd)``, independently at baseline and
    follow-up. No treatment is given.

    Parameters
    ----------
    n_patients : int
        Patients screened.
    entry_threshold : float
        Minimum baseline score to enter (score points).
    population_mean, between_sd, within_sd : float
        Model parameters (score points).
    rng : int or numpy.random.Generator, default 0
        Seed or generator.
    clip_at_zero : bool, default False
        Measured scores below 0 are set to 0 (activity scores cannot be negative); the
        closed form of :func:`expected_regression_to_mean` assumes no clipping.

    Returns
    -------
    dict
        ``baseline``, ``followup`` (arrays for all screened patients), ``enrolled``
        (boolean mask), ``n_enrolled``, ``mean_baseline``, ``mean_followup`` and
        ``mean_change`` (follow-up - baseline among the enrolled; NaN if nobody enrolled).
    """
    import numpy as np

    gen = _rng(rng)
    true = gen.normal(population_mean, between_sd, n_patients)
    baseline = true + gen.normal(0, within_sd, n_patients)
    followup = true + gen.normal(0, within_sd, n_patients)
    if clip_at_zero:
        baseline, followup = np.maximum(baseline, 0), np.maximum(followup, 0)
    enrolled = baseline >= entry_threshold
    k = int(enrolled.sum())
    mb = float(baseline[enrolled].mean()) if k else math.nan
    mf = float(followup[enrolled].mean()) if k else math.nan
    return {"baseline": baseline, "followup": followup, "enrolled": enrolled, "n_enrolled": k,
            "mean_baseline": mb, "mean_followup": mf, "mean_change": mf - mb}


@ranged(entry_threshold=_ENTRY,
        population_mean=Range(0, 20, default=6, label="population mean score (points)"),
        between_sd=Range(0.5, 10, default=3, label="SD of true scores between patients"),
        within_sd=Range(0.5, 10, default=3, label="SD of visit-to-visit noise"))
def expected_regression_to_mean(entry_threshold: float = 8, population_mean: float = 6,
                                between_sd: float = 3, within_sd: float = 3) -> float:
    """Expected fall in score among enrolled, untreated patients (score points, <= 0).

    With reliability ``rho = between_sd² / (between_sd² + within_sd²)`` and total SD
    ``s``, the expected change is ``-(1 - rho) * s * phi(a) / (1 - Phi(a))`` with
    ``a = (entry_threshold - population_mean) / s`` (mean of a truncated normal).
    """

    s = math.sqrt(between_sd ** 2 + within_sd ** 2)
    rho = between_sd ** 2 / s ** 2
    a = (entry_threshold - population_mean) / s
    excess = s * math.exp(_dist.norm_logpdf(a) - _dist.norm_logsf(a))
    return -(1 - rho) * excess


@ranged(entry_threshold=_ENTRY,
        within_sd=Range(0.5, 6, default=3, step=0.5, label="visit-to-visit noise SD (points)"))
def plot_regression_to_mean(entry_threshold: float = 8, within_sd: float = 3, *, rng=0,
                            ax=None):
    """Scatter of baseline vs follow-up scores of untreated patients, entrants highlighted.

    Toy model (see :func:`simulate_regression_to_mean`, other parameters at defaults), drawn
    for :data:`RTM_FIGURE_PATIENTS` screened patients rather than the simulation's default,
    and with scores clipped at 0, so its enrolled means differ a little from an unclipped
    run of :func:`simulate_regression_to_mean` with default settings. The figure shows the
    no-change line and the mean baseline and follow-up score of those who entered.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.ticker import MaxNLocator

    from helpers.core.style import COLORS, MARKERS, fixed_margin_axes

    sim = simulate_regression_to_mean(n_patients=RTM_FIGURE_PATIENTS,
                                      entry_threshold=entry_threshold,
                                      within_sd=within_sd, rng=rng, clip_at_zero=True)
    if ax is None:
        _, ax = fixed_margin_axes((8.8, 4.6), left=0.08, right=0.68, bottom=0.11, top=0.98)
    b, f, e = sim["baseline"], sim["followup"], sim["enrolled"]
    ax.plot(b[~e], f[~e], MARKERS[1], color=COLORS[5], ms=3, alpha=0.5, linestyle="none",
            label="screened, not enrolled")
    ax.plot(b[e], f[e], MARKERS[0], color=COLORS[0], ms=4, alpha=0.8, linestyle="none",
            label=f"enrolled (baseline ≥ {entry_threshold:g})")
    lims = (-0.5, max(b.max(), f.max()) + 1)
    ax.plot(lims, lims, color="black", lw=1, linestyle="--", label="no change")
    ax.axvline(entry_threshold, color=COLORS[3], lw=1.2, linestyle=":")
    if sim["n_enrolled"]:
        ax.plot([sim["mean_baseline"]], [sim["mean_followup"]], marker="D", color=COLORS[1],
                ms=11, markeredgecolor="black", linestyle="none",
                label=(f"enrolled mean: {sim['mean_baseline']:.1f} → "
                       f"{sim['mean_followup']:.1f}"))
    ax.set_xlim(lims)
    ax.set_ylim(lims)
    for axis in (ax.xaxis, ax.yaxis):  # few ticks: creating them dominates the redraw
        axis.set_major_locator(MaxNLocator(6, integer=True))
    ax.set_xlabel("baseline score (points, toy model)")
    ax.set_ylabel("follow-up score, no treatment (points)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax.figure


# --- power and sample size --------------------------------------------------------------

def _z(p: float) -> float:

    return float(_dist.norm_ppf(p))


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
        Two-sided significance level.
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
    p1 = _prob("p_control", p_control)
    p2 = _prob("p_treatment", p_treatment)
    if p1 == p2:
        raise ValueError("p_treatment must differ from p_control (no effect has no power "
                         "to detect)")
    if isinstance(n_per_arm, bool) or not isinstance(n_per_arm, Real) or not n_per_arm >= 2:
        raise ValueError(f"n_per_arm must be a number >= 2; got {n_per_arm!r}")
    alpha = _prob("alpha", alpha)
    if isinstance(ratio, bool) or not isinstance(ratio, Real) or not 0 < ratio <= 10:
        raise ValueError(f"ratio must be between 0 (exclusive) and 10; got {ratio!r}")
    if method not in ("pooled", "arcsine"):
        raise ValueError(f"method must be one of ['pooled', 'arcsine']; got {method!r}")

    n1, n2 = float(n_per_arm), float(n_per_arm) * ratio
    z_a = _z(1 - alpha / 2)
    if method == "arcsine":
        h = abs(2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1)))
        se = math.sqrt(1 / n1 + 1 / n2)
        return float(_dist.norm_cdf(h / se - z_a) + _dist.norm_cdf(-h / se - z_a))
    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    se0 = math.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    se1 = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    diff = abs(p2 - p1)
    return float(_dist.norm_cdf((diff - z_a * se0) / se1)
                 + _dist.norm_cdf((-diff - z_a * se0) / se1))


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

    p0 = _prob("p_control", p_control)
    p1 = _prob("p_treatment", p_treatment)
    alpha = _prob("alpha", alpha)
    sizes = {}
    for name, n in (("n_control", n_control), ("n_treatment", n_treatment)):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 300:
            raise ValueError(f"{name} must be a whole number from 1 to 300; got {n!r}")
        sizes[name] = n
    n0, n1 = sizes["n_control"], sizes["n_treatment"]
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
    p1 = _prob("p_control", p_control)
    p2 = _prob("p_treatment", p_treatment)
    if p1 == p2:
        raise ValueError("p_treatment must differ from p_control")
    power = _prob("power", power)
    alpha = _prob("alpha", alpha)
    if isinstance(ratio, bool) or not isinstance(ratio, Real) or not 0 < ratio <= 10:
        raise ValueError(f"ratio must be between 0 (exclusive) and 10; got {ratio!r}")
    if method not in ("pooled", "arcsine"):
        raise ValueError(f"method must be one of ['pooled', 'arcsine']; got {method!r}")
    z_a, z_b = _z(1 - alpha / 2), _z(power)
    if method == "arcsine":
        h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
        return (z_a + z_b) ** 2 * (1 + 1 / ratio) / h ** 2
    pbar = (p1 + ratio * p2) / (1 + ratio)
    top = z_a * math.sqrt(pbar * (1 - pbar) * (1 + 1 / ratio)) + \
        z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2) / ratio)
    return top ** 2 / (p2 - p1) ** 2


def power_curve(p_control: float, p_treatment: float, n_values, *, alpha: float = 0.05):
    """Power at each per-arm sample size in ``n_values`` (numpy array, pooled method)."""
    import numpy as np

    return np.array([power_two_proportions(p_control, p_treatment, float(n), alpha=alpha)
                     for n in n_values])


@ranged(p_control=Range(0.05, 0.9, default=0.3, step=0.05, label="control response rate"),
        effect=Range(0.05, 0.5, default=0.15, step=0.05,
                     label="extra responders with MSC (fraction)"),
        n_per_arm=Range(5, 500, default=50, step=5, integer=True, label="patients per arm"))
def plot_power(p_control: float = 0.3, effect: float = 0.15, n_per_arm: int = 50, *,
               alpha: float = 0.05, ax=None):
    """Power curve for a two-arm trial of response rates, with the chosen size marked.

    Parameters
    ----------
    p_control : float
        Response rate in the control arm (fraction).
    effect : float
        Absolute increase in response rate with the new treatment (fraction); capped so
        the treatment rate stays below 0.99.
    n_per_arm : int
        Patients per arm for the marked point.
    alpha : float, default 0.05
        Two-sided significance level.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    from helpers.core.style import COLORS, LINESTYLES, MARKERS, fixed_margin_axes, plain_log_axis

    p_treat = min(p_control + effect, 0.99)
    ns = np.unique(np.geomspace(5, 1000, 60).round())
    powers = power_curve(p_control, p_treat, ns, alpha=alpha)
    chosen = power_two_proportions(p_control, p_treat, n_per_arm, alpha=alpha)
    needed = sample_size_two_proportions(p_control, p_treat, alpha=alpha)
    if ax is None:
        _, ax = fixed_margin_axes((9.0, 4.0), left=0.075, right=0.63, bottom=0.14, top=0.98)
    ax.plot(ns, powers, color=COLORS[0], linestyle=LINESTYLES[0],
            label=f"{p_control:.0%} vs {p_treat:.0%} responders")
    ax.axhline(0.8, color="grey", linestyle=LINESTYLES[1], lw=1, label="80% power")
    ax.plot([n_per_arm], [chosen], marker=MARKERS[2], color=COLORS[1], ms=10,
            markeredgecolor="black", linestyle="none",
            label=f"{n_per_arm} per arm: power {chosen:.0%}")
    ax.axvline(math.ceil(needed), color=COLORS[2], linestyle=LINESTYLES[2], lw=1.2,
               label=f"80% power needs {math.ceil(needed)} per arm")
    ax.set_xscale("log")
    plain_log_axis(ax.xaxis, subs=(1.0, 2.0, 5.0))
    ax.set_xlim(5, 1000)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("patients per arm (log scale)")
    ax.set_ylabel("power (two-sided, α = 0.05)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax.figure
