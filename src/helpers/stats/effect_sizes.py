"""Effect sizes of comparisons: risk difference, NNT, risk ratio, mean differences, SMDs.

* :func:`risk_difference` — the one risk-difference implementation: difference (active
  minus control), its Wald variance and a confidence interval (Newcombe's hybrid score
  interval by default, Wald on request). :func:`risk_difference_ci` and
  :func:`risk_difference_variance` are views of its result for pooling code.
* :func:`nnt_from_difference` — number needed to treat with Altman's confidence interval,
  including the case where the risk-difference interval crosses zero (the NNT interval
  then runs through infinity, printed as "NNTH b to ∞ to NNTB a").
* :func:`log_risk_ratio` — log risk ratio and its variance.
* :func:`mean_difference`, :func:`standardized_mean_difference` (Hedges' g),
  :func:`prepost_mean_difference`, :func:`prepost_smd` — continuous outcomes;
  :func:`welch_mean_difference_ci` and :func:`t_interval` — small-sample t intervals.

Examples
--------
>>> rd = risk_difference(60, 100, 40, 100)
>>> round(rd.difference, 2), round(rd.low, 3), round(rd.high, 3)
(0.2, 0.061, 0.328)
>>> nnt_from_difference(rd).text
'NNTB 5.0 (95% CI 3.0 to 16.3)'

References
----------
Notebooks 02_treatment_burden (section 3) and 05_trial_evidence.
Newcombe RG (1998) Stat Med 17:873-890 (risk difference, method 10);
Altman DG (1998) BMJ 317:1309-1312 (NNT interval); Hedges LV (1981) J Educ Stat
6:107-128; Becker BJ (1988) Br J Math Stat Psychol 41:257-278; Morris SB, DeShon RP (2002)
Psychol Methods 7:105-125; Welch BL (1947) Biometrika 34:28-35.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from helpers.core import validate
from helpers.stats import _checks
from helpers.stats.distributions import t_quantile, z_quantile
from helpers.stats.proportions import wilson_limits

__all__ = ["RiskDifference", "NNT", "newcombe_limits", "risk_difference",
           "risk_difference_ci", "risk_difference_variance", "log_risk_ratio",
           "nnt_from_difference", "number_needed_to_treat", "mean_difference",
           "standardized_mean_difference", "prepost_mean_difference", "prepost_smd",
           "t_interval", "welch_mean_difference_ci"]

RD_METHODS = ("newcombe", "wald")
#: What a reader sees for each interval method of a risk difference.
RD_METHOD_LABELS = {"newcombe": "Newcombe (Wilson score)", "wald": "Wald (normal approximation)"}
_ACTIVE_CONTROL = ("events_active", "n_active", "events_control", "n_control")
_ONE_TWO = ("events1", "n1", "events2", "n2")


# --- risk difference ---------------------------------------------------------------------

def newcombe_limits(e1: int, n1: int, e2: int, n2: int, z: float) -> tuple[float, float, float]:
    """``(p1 - p2, low, high)``: Newcombe's hybrid score interval, clipped to [-1, 1].

    The arithmetic behind :func:`risk_difference` (method 10 of Newcombe 1998, built from
    two Wilson intervals) for counts the caller has already checked and a normal multiplier
    ``z`` (:func:`helpers.stats.distributions.z_quantile`).
    """
    l1, u1 = wilson_limits(e1, n1, z)
    l2, u2 = wilson_limits(e2, n2, z)
    p1, p2 = e1 / n1, e2 / n2
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


@dataclass(frozen=True)
class RiskDifference:
    """Absolute risk difference (active minus control), as fractions between -1 and 1.

    ``variance`` is the Wald variance ``p1 q1 / n1 + p2 q2 / n2`` (used for pooling; None
    for a result built by hand without arm sizes); ``low``/``high`` the interval of
    ``method`` at confidence ``level``.
    """

    difference: float
    low: float
    high: float
    p_active: float
    p_control: float
    level: float
    method: str
    variance: float | None = None

    @property
    def crosses_zero(self) -> bool:
        """True if the confidence interval includes no difference."""
        return self.low <= 0 <= self.high


def _two_arms(e1, n1, e2, n2, names):
    e1, n1 = _checks.arm(e1, n1, names=names[:2])
    e2, n2 = _checks.arm(e2, n2, names=names[2:])
    return e1, n1, e2, n2


def _risk_difference(e1: int, n1: int, e2: int, n2: int, level: float,
                     method: str) -> RiskDifference:
    z = z_quantile(level)
    p1, p2 = e1 / n1, e2 / n2
    variance = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    if method == "newcombe":
        d, low, high = newcombe_limits(e1, n1, e2, n2, z)
    else:
        d = p1 - p2
        low, high = d - z * math.sqrt(variance), d + z * math.sqrt(variance)
    return RiskDifference(d, max(-1.0, low), min(1.0, high), p1, p2, level, method, variance)


def risk_difference(events_active: int, n_active: int, events_control: int, n_control: int,
                    *, level: float = 0.95, method: str = "newcombe") -> RiskDifference:
    """Return the absolute risk difference (active minus control) with a confidence interval.

    Parameters
    ----------
    events_active, n_active : int
        Responders and patients in the active arm (0 <= events <= n, n >= 1).
    events_control, n_control : int
        Responders and patients in the control arm.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"newcombe", "wald"}
        ``"newcombe"``: hybrid score interval from two Wilson intervals (method 10 of
        Newcombe 1998; behaves well near 0% and 100%); ``"wald"``: the simple normal
        approximation, shown for comparison.

    Returns
    -------
    RiskDifference
        ``difference``, ``low``, ``high``, both proportions and the Wald ``variance``.

    Raises
    ------
    ValueError
        For counts outside their range, a bad ``level`` or an unknown ``method``.
    """
    method = validate.choice("method", method, RD_METHODS)
    counts = _two_arms(events_active, n_active, events_control, n_control, _ACTIVE_CONTROL)
    return _risk_difference(*counts, validate.level("level", level), method)


def risk_difference_ci(events1: int, n1: int, events2: int, n2: int, *,
                       level: float = 0.95) -> tuple[float, float, float]:
    """``(p1 - p2, low, high)`` with Newcombe's interval: :func:`risk_difference` as a tuple.

    Newcombe's interval keeps sensible coverage with a handful of patients per arm, where
    the Wald interval is too narrow and can leave [-1, 1]. Agrees with statsmodels
    ``confint_proportions_2indep(..., method="newcomb", compare="diff")``.

    Raises
    ------
    ValueError
        Counts out of range or ``level`` outside (0, 1).
    """
    counts = _two_arms(events1, n1, events2, n2, _ONE_TWO)
    rd = _risk_difference(*counts, validate.level("level", level), "newcombe")
    return rd.difference, rd.low, rd.high


def risk_difference_variance(events1: int, n1: int, events2: int,
                             n2: int) -> tuple[float, float]:
    """Risk difference p1 - p2 (fractions) and its Wald variance (for pooling)."""
    rd = _risk_difference(*_two_arms(events1, n1, events2, n2, _ONE_TWO), 0.95, "wald")
    return rd.difference, rd.variance


def log_risk_ratio(events1: int, n1: int, events2: int, n2: int, *,
                   correction: float = 0.5) -> tuple[float, float]:
    """Log risk ratio log(p1 / p2) and its variance (``correction`` added if a cell is 0).

    ``correction`` (between 0 exclusive and 1) is added to every cell of the 2 x 2 table
    when any cell is zero, as metafor's ``escalc(measure="RR")`` does by default.
    """
    e1, n1, e2, n2 = _two_arms(events1, n1, events2, n2, _ONE_TWO)
    c = validate.real("correction", correction, low=0, high=1, low_open=True)
    if 0 in (e1, e2, n1 - e1, n2 - e2):
        e1, e2, n1, n2 = e1 + c, e2 + c, n1 + 2 * c, n2 + 2 * c
    return math.log((e1 / n1) / (e2 / n2)), 1 / e1 - 1 / n1 + 1 / e2 - 1 / n2


# --- number needed to treat ------------------------------------------------------------

@dataclass(frozen=True)
class NNT:
    """Number needed to treat with its confidence interval (Altman 1998).

    Attributes
    ----------
    value : float
        ``1 / |difference|`` (``inf`` if the difference is 0).
    kind : {"benefit", "harm", "none"}
        NNTB if the active arm responds more, NNTH if less, "none" if equal.
    nntb_limit, nnth_limit : float or None
        When the risk-difference interval crosses zero, the interval for the NNT is in two
        pieces, printed as "NNTH ``nnth_limit`` to ∞ to NNTB ``nntb_limit``": from the harm
        side through infinity to the benefit side.
        Otherwise ``low``/``high`` hold an ordinary interval and these are None.
    low, high : float or None
        Ordinary NNT interval when the risk-difference interval excludes zero.
    text : str
        Ready-to-print summary, e.g. ``"NNTB 7.1 (95% CI NNTH 40.2 to ∞ to NNTB 3.5)"``.
    """

    value: float
    kind: str
    low: float | None
    high: float | None
    nntb_limit: float | None
    nnth_limit: float | None
    crosses_zero: bool
    text: str


def _inv(x: float) -> float:
    return math.inf if x == 0 else 1 / abs(x)


def _fmt(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f}"


def nnt_from_difference(rd: RiskDifference) -> NNT:
    """Return the NNT and its confidence interval from a :class:`RiskDifference`.

    If the risk-difference interval excludes zero, the NNT interval is the reciprocal of
    its limits.  If it includes zero, the NNT interval is not a single range: it covers
    NNTB from ``1/high`` up to infinity and NNTH from ``1/|low|`` up to infinity — i.e. the
    data are compatible with benefit, no effect and harm (Altman 1998).  Reporting
    "NNT 7 (95% CI -40 to 3.5)" would be wrong; this function never does.

    Raises
    ------
    ValueError
        If ``rd`` is not a :class:`RiskDifference`.
    """
    if not isinstance(rd, RiskDifference):
        raise validate.ParameterTypeError(
            f"rd must be a RiskDifference (from risk_difference); got {type(rd).__name__}")
    d, low, high = rd.difference, rd.low, rd.high
    kind = "benefit" if d > 0 else "harm" if d < 0 else "none"
    value = _inv(d)
    label = {"benefit": "NNTB", "harm": "NNTH", "none": "NNT"}[kind]
    pct = f"{rd.level:.0%} CI"
    if rd.crosses_zero:
        nntb = _inv(high) if high > 0 else math.inf
        nnth = _inv(low) if low < 0 else math.inf
        text = f"{label} {_fmt(value)} ({pct} NNTH {_fmt(nnth)} to ∞ to NNTB {_fmt(nntb)})"
        return NNT(value, kind, None, None, nntb, nnth, True, text)
    a, b = sorted((_inv(low), _inv(high)))
    return NNT(value, kind, a, b, None, None, False, f"{label} {_fmt(value)} ({pct} "
               f"{_fmt(a)} to {_fmt(b)})")


def number_needed_to_treat(events_active: int, n_active: int, events_control: int,
                           n_control: int, *, level: float = 0.95) -> NNT:
    """Return the NNT (with Altman's interval) straight from the four counts."""
    return nnt_from_difference(risk_difference(events_active, n_active, events_control,
                                               n_control, level=level))


# --- continuous outcomes ---------------------------------------------------------------

def _group(names: tuple[str, ...], mean, sd, *n, min_n: int = 2):
    """One group's mean, SD (> 0) and, if given, size (a whole number >= ``min_n``)."""
    m = validate.real(names[0], mean)
    s = validate.real(names[1], sd, low=0, low_open=True)
    k = validate.count(names[2], n[0], low=min_n, high=_checks.MAX_N) if n else None
    return m, s, k


def _sq(x: float) -> float:
    return x * x  # inf rather than OverflowError for huge inputs (caught by _finite_pair)


def mean_difference(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                    n2: int) -> tuple[float, float]:
    """Difference of two independent group means (group 1 - group 2) and its variance.

    Units are those of the means; variance = sd1²/n1 + sd2²/n2 (SDs > 0, n >= 2).
    """
    m1, s1, k1 = _group(("mean1", "sd1", "n1"), mean1, sd1, n1)
    m2, s2, k2 = _group(("mean2", "sd2", "n2"), mean2, sd2, n2)
    return _finite_pair("mean1, sd1, mean2 and sd2", m1 - m2, _sq(s1) / k1 + _sq(s2) / k2)


def standardized_mean_difference(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                                 n2: int) -> tuple[float, float]:
    """Hedges' g (bias-corrected SMD, group 1 - group 2) and its variance.

    References
    ----------
    Notebook 05_trial_evidence; Hedges LV (1981) J Educ Stat 6:107-128 (small-sample
    correction J = 1 - 3 / (4 df - 1)).
    """
    m1, s1, k1 = _group(("mean1", "sd1", "n1"), mean1, sd1, n1)
    m2, s2, k2 = _group(("mean2", "sd2", "n2"), mean2, sd2, n2)
    df = k1 + k2 - 2
    c = max(s1, s2)  # scaled so that tiny SDs do not underflow to a zero pooled SD
    pooled = c * math.sqrt(((k1 - 1) * _sq(s1 / c) + (k2 - 1) * _sq(s2 / c)) / df)
    d = (m1 - m2) / pooled
    j = 1 - 3 / (4 * df - 1)
    var_d = (k1 + k2) / (k1 * k2) + _sq(d) / (2 * (k1 + k2))
    return _finite_pair("mean1, sd1, mean2 and sd2", j * d, _sq(j) * var_d)


def _finite_pair(names: str, est: float, var: float) -> tuple[float, float]:
    """``(est, var)`` if both are finite, else a ValueError naming the inputs ``names``."""
    if not (math.isfinite(est) and math.isfinite(var)):
        raise ValueError(f"{names} must be moderate enough for a finite estimate and variance;"
                         f" got {est!r} and {var!r}")
    return est, var


def _correlation(r) -> float:
    return validate.real("r (pre-post correlation)", r, low=-1, high=1, low_open=True,
                         high_open=True)


def prepost_mean_difference(mean_pre: float, sd_pre: float, mean_post: float, sd_post: float,
                            n: int, *, r: float = 0.5) -> tuple[float, float]:
    """Mean change (post - pre) in one group and its variance, given a pre-post correlation.

    Papers rarely report the SD of the change; it follows from both SDs and the
    correlation ``r`` between a patient's before and after values, which is almost never
    reported either. ``r`` is therefore an explicit, changeable assumption:
    ``sd_change² = sd_pre² + sd_post² - 2 r sd_pre sd_post``; variance = sd_change² / n.

    References
    ----------
    Notebook 05_trial_evidence; Cochrane Handbook for Systematic Reviews of Interventions,
    chapter 6 (imputing a change-score SD from a correlation).
    """
    m1, s1, _ = _group(("mean_pre", "sd_pre"), mean_pre, sd_pre)
    m2, s2, _ = _group(("mean_post", "sd_post"), mean_post, sd_post)
    n = validate.count("n", n, low=2, high=_checks.MAX_N)
    r = _correlation(r)
    sd_change2 = _sq(s1) + _sq(s2) - 2 * r * s1 * s2
    return _finite_pair("mean_pre, sd_pre, mean_post and sd_post", m2 - m1, sd_change2 / n)


def prepost_smd(mean_pre: float, sd_pre: float, mean_post: float, sd_post: float, n: int, *,
                r: float = 0.5) -> tuple[float, float]:
    """Standardised mean change (post - pre, in baseline-SD units) and its variance.

    ``g = J (mean_post - mean_pre) / sd_pre`` with ``J = 1 - 3 / (4 (n - 1) - 1)``;
    variance ``J² [2 (1 - r) / n + g² / (2 n)]`` (Becker 1988), so it depends on the
    assumed pre-post correlation ``r``.

    References
    ----------
    Notebook 05_trial_evidence; Becker BJ (1988) Br J Math Stat Psychol 41:257-278;
    Morris SB, DeShon RP (2002) Psychol Methods 7:105-125.
    """
    m1, s1, _ = _group(("mean_pre", "sd_pre"), mean_pre, sd_pre)
    m2, _, _ = _group(("mean_post", "sd_post"), mean_post, sd_post)
    n = validate.count("n", n, low=3, high=_checks.MAX_N)
    r = _correlation(r)
    j = 1 - 3 / (4 * (n - 1) - 1)
    d = (m2 - m1) / s1
    return _finite_pair("mean_pre, sd_pre and mean_post", j * d,
                        _sq(j) * (2 * (1 - r) / n + _sq(d) / (2 * n)))


def t_interval(estimate: float, se: float, df: float, *,
               level: float = 0.95) -> tuple[float, float]:
    """``estimate ± t(df) * se`` at confidence ``level``: a t-based confidence interval.

    Parameters
    ----------
    estimate : float
        Point estimate (any units).
    se : float
        Its standard error (> 0, same units).
    df : float
        Degrees of freedom (> 0; need not be whole, e.g. Welch's).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper limits.
    """
    est = validate.real("estimate", estimate)
    se = validate.real("se", se, low=0, low_open=True)
    half = t_quantile(level, df) * se
    low, high = est - half, est + half
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"se is too large for a finite interval; got {se!r}")
    return low, high


def welch_mean_difference_ci(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                             n2: int, *, level: float = 0.95) -> dict:
    """Difference of two independent means (1 - 2) with Welch's t confidence interval.

    With a dozen patients or fewer per arm the normal (z) interval is too narrow; Welch's
    interval uses a t distribution whose degrees of freedom (Welch-Satterthwaite) shrink
    when one arm is small or much more variable.

    Parameters
    ----------
    mean1, sd1, n1, mean2, sd2, n2 : float, float, int
        Means (any units), SDs (> 0, same units) and sizes (>= 2) of the two groups.
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    dict
        ``estimate``, ``se``, ``df``, ``ci_low``, ``ci_high`` (units of the means).

    References
    ----------
    Notebook 05_trial_evidence; Welch BL (1947) Biometrika 34:28-35. Agrees with scipy's
    ``ttest_ind_from_stats(..., equal_var=False)``.
    """
    diff, var = mean_difference(mean1, sd1, n1, mean2, sd2, n2)
    se = math.sqrt(var)
    if not se > 0:
        raise ValueError(f"sd1 and sd2 must give a positive standard error; got {sd1!r} "
                         f"and {sd2!r}")
    a, b = float(sd1) / math.sqrt(int(n1)), float(sd2) / math.sqrt(int(n2))
    c = max(a, b)  # scaled Welch-Satterthwaite formula: no underflow to 0 / 0
    a, b = _sq(a / c), _sq(b / c)
    df = _sq(a + b) / (_sq(a) / (int(n1) - 1) + _sq(b) / (int(n2) - 1))
    low, high = t_interval(diff, se, df, level=level)
    return {"estimate": diff, "se": se, "df": df, "ci_low": low, "ci_high": high}
