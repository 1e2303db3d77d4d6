"""Meta-analysis: effect sizes, fixed- and random-effects pooling, forest and funnel plots.

Pooling uses :func:`statsmodels.stats.meta_analysis.combine_effects` (inverse-variance
weights, Q, DerSimonian-Laird via ``method_re="chi2"``). Paule-Mandel tau² is solved here by
bracketing, because statsmodels' Newton iteration (``method_re="iterated"``) can reset tau²
to 0 when a step overshoots. On top of that this module adds:

* the DerSimonian-Laird tau² and I² are truncated at zero (statsmodels 0.15 returns
  negative values when Q < k - 1, i.e. when studies agree *more* than chance predicts);
* a 95 % prediction interval on a t distribution with k - 2 degrees of freedom for the
  random-effects models, reported as NaN with an explanation in ``notes`` when k < 3 (it is
  undefined, not zero) and never for the fixed-effect model (which assumes there is no
  between-study variation to predict);
* a confidence interval for I² (Higgins and Thompson 2002, :func:`i2_interval`) so that a
  single I² from a handful of studies is not over-read;
* small-sample intervals for single two-arm comparisons: Newcombe's hybrid score interval for
  a risk difference (:func:`risk_difference_ci`) and Welch's t interval for a difference in
  means (:func:`welch_mean_difference_ci`);
* a refusal to pool two reports of one overlapping cohort (:func:`apply_overlap_rule`);
* leave-one-out and subgroup analyses, forest and funnel plots.

Examples
--------
>>> res = random_effects([0.1, 0.3, 0.5], [0.01, 0.02, 0.04], method="FE")
>>> round(res.estimate, 4), res.tau2
(0.2143, 0.0)

References
----------
Notebooks 05_trial_evidence and 06_reading_trials_critically. DerSimonian R, Laird N (1986)
Control Clin Trials 7:177-188; Paule RC, Mandel J (1982) J Res Natl Bur Stand 87:377-385;
Higgins JPT, Thompson SG, Spiegelhalter DJ (2009) J R Stat Soc A 172:137-159 (prediction
interval); Higgins JPT, Thompson SG (2002) Stat Med 21:1539-1558 (I² and its interval);
Newcombe RG (1998) Stat Med 17:873-890 (risk difference); Welch BL (1947) Biometrika
34:28-35. Tested against R metafor output for the Kacker (2004) interlaboratory example and
against statsmodels and scipy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Callable, Sequence
import helpers.stats.distributions as _dist

__all__ = [
    "METHODS", "MetaResult", "random_effects", "apply_overlap_rule",
    "logit_proportion", "expit", "proportion_ci", "pool_proportions",
    "mean_difference", "standardized_mean_difference", "prepost_mean_difference",
    "prepost_smd", "risk_difference_variance", "log_risk_ratio", "risk_difference_ci",
    "welch_mean_difference_ci", "t_interval", "i2_interval", "leave_one_out",
    "subgroup_analysis", "egger_test", "plot_forest", "plot_funnel",
]

METHODS = ("DL", "PM", "FE")
_METHOD_NAMES = {"DL": "random effects, DerSimonian-Laird",
                 "PM": "random effects, Paule-Mandel", "FE": "fixed effect"}


@dataclass(frozen=True)
class MetaResult:
    """Result of a pooled analysis (on the scale of the effects given).

    Attributes
    ----------
    estimate, se : float
        Pooled effect and its standard error.
    ci_low, ci_high : float
        Confidence interval of the pooled effect (normal, level ``1 - alpha``).
    tau2 : float
        Between-study variance (>= 0; 0 for the fixed-effect model).
    q : float
        Cochran's Q (heterogeneity statistic); ``df = k - 1``.
    i2 : float
        I² = max(0, (Q - df) / Q), as a fraction (NaN for k = 1, see ``notes``).
    pi_low, pi_high : float
        Prediction interval for the effect in a new study (t with k - 2 df); NaN for k < 3
        and for the fixed-effect model (see ``notes``).
    k : int
        Number of studies pooled.
    method : str
        ``"DL"``, ``"PM"`` or ``"FE"``.
    weights : tuple of float
        Relative weights (sum to 1) in the order given.
    notes : tuple of str
        Plain-language explanations of anything undefined or adjusted.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    q: float
    df: int
    i2: float
    pi_low: float
    pi_high: float
    k: int
    method: str
    weights: tuple = field(default=())
    notes: tuple = field(default=())
    alpha: float = 0.05

    @property
    def method_name(self) -> str:
        """Long name of the pooling method."""
        return _METHOD_NAMES[self.method]

    @property
    def p_heterogeneity(self) -> float:
        """P value of Cochran's Q test (NaN for k = 1)."""
        if self.df < 1:
            return math.nan

        return float(_dist.chi2_sf(self.q, self.df))

    def i2_interval(self) -> tuple[float, float]:
        """Confidence interval of I² (fractions; NaN for k < 3), see :func:`i2_interval`."""
        if self.k < 3:
            return math.nan, math.nan
        return i2_interval(self.q, self.k, alpha=self.alpha)

    def heterogeneity(self) -> dict:
        """Q, its degrees of freedom and P value, tau², I² and the CI of I², in one dict.

        With few studies (say fewer than 10) Q has little power and the interval of I² is
        very wide: report them together rather than I² alone.
        """
        low, high = self.i2_interval()
        return {"q": self.q, "df": self.df, "p": self.p_heterogeneity, "tau2": self.tau2,
                "i2": self.i2, "i2_low": low, "i2_high": high, "k": self.k}

    def summary(self, digits: int = 3) -> dict:
        """Return the main numbers rounded to ``digits`` (for printing in notebooks)."""
        keys = ("estimate", "se", "ci_low", "ci_high", "tau2", "q", "i2", "pi_low", "pi_high")
        out: dict[str, Any] = {"k": self.k, "method": self.method}
        for key in keys:
            value = getattr(self, key)
            out[key] = value if math.isnan(value) else round(value, digits)
        return out


# --- validation -------------------------------------------------------------------------

def _vector(name: str, values: Any, *, positive: bool = False):
    import numpy as np

    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise ValueError(f"{name} must be a sequence of numbers; got {type(values).__name__}")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must contain only numbers; got {values!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    if len(arr) == 0:
        raise ValueError(f"{name} must contain at least one study (k >= 1); got k = 0")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers (no NaN or inf); got {values!r}")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must all be positive (a variance is > 0); got {values!r}")
    return arr


def _count(name: str, value: Any, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value) \
            or float(value) != int(value) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}; got {value!r}")
    return int(value)


def _positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) \
            or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return float(value)


def _finite(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def _alpha(alpha: Any) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (exclusive); got {alpha!r}")
    return float(alpha)


def _method(method: Any) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}; got {method!r}")
    return method


# --- overlap rule -----------------------------------------------------------------------

def apply_overlap_rule(labels: Sequence[str], groups: Sequence[Any],
                       keep: Sequence[str] | None = None) -> list[bool]:
    """Decide which studies may be pooled when some reports share patients.

    Parameters
    ----------
    labels : sequence of str
        Study identifiers, one per study.
    groups : sequence of str or None
        Overlap group of each study (None, NaN or "" = independent).
    keep : sequence of str, optional
        For every overlap group with more than one study present, the one study to keep.

    Returns
    -------
    list of bool
        ``True`` for the studies to pool.

    Raises
    ------
    ValueError
        If two studies of one group are present and ``keep`` does not name exactly one of
        them, or if ``keep`` names a study that is not in ``labels``.
    """
    labels = list(labels)
    groups = list(groups)
    if len(labels) != len(groups):
        raise ValueError(f"groups must have one entry per label ({len(labels)}); "
                         f"got {len(groups)}")
    keep = [] if keep is None else ([keep] if isinstance(keep, str) else list(keep))
    unknown = [k for k in keep if k not in labels]
    if unknown:
        raise ValueError(f"keep must name studies among labels {labels}; got {unknown}")

    def _group(g):
        if g is None or g == "" or (isinstance(g, float) and math.isnan(g)):
            return None
        return g

    members: dict[Any, list[str]] = {}
    for label, group in zip(labels, groups):
        if _group(group) is not None:
            members.setdefault(_group(group), []).append(label)
    mask = [True] * len(labels)
    for group, names in members.items():
        if len(names) < 2:
            continue
        chosen = [n for n in names if n in keep]
        if len(chosen) != 1:
            raise ValueError(
                f"keep must name exactly one of the overlapping reports {names} (overlap "
                f"group {group!r}: they share patients and would be double-counted); "
                f"got {chosen or 'none'}")
        for i, (label, g) in enumerate(zip(labels, groups)):
            if _group(g) == group and label != chosen[0]:
                mask[i] = False
    return mask


# --- pooling ----------------------------------------------------------------------------

def random_effects(effects: Sequence[float], variances: Sequence[float], method: str = "DL",
                   *, alpha: float = 0.05, labels: Sequence[str] | None = None,
                   groups: Sequence[Any] | None = None,
                   keep: Sequence[str] | None = None) -> MetaResult:
    """Pool study effects by inverse-variance weighting (random or fixed effect).

    Parameters
    ----------
    effects : sequence of float
        Study effect sizes on an additive scale (log odds, log risk ratio, mean difference…).
    variances : sequence of float
        Their sampling variances (> 0), same length.
    method : {"DL", "PM", "FE"}, default "DL"
        DerSimonian-Laird or Paule-Mandel random effects, or fixed effect.
    alpha : float, default 0.05
        1 - confidence level of the confidence and prediction intervals.
    labels, groups : sequence, optional
        Study ids and their overlap groups; if ``groups`` is given, studies sharing patients
        are checked with :func:`apply_overlap_rule` before pooling.
    keep : sequence of str, optional
        Which study to keep from each overlap group (see :func:`apply_overlap_rule`).

    Returns
    -------
    MetaResult

    Raises
    ------
    ValueError
        For empty input (k = 0), mismatched lengths, non-finite values, non-positive
        variances, an unknown method, or overlapping reports without a ``keep`` choice.

    Notes
    -----
    k = 1: the "pooled" value is that study; tau² is not estimable (set to 0), I² and the
    prediction interval are NaN. k = 2: the prediction interval is NaN (k - 2 = 0 degrees
    of freedom). Fixed effect: the prediction interval is NaN (not reported). DerSimonian-
    Laird tau² and I² are truncated at 0.
    """
    import numpy as np

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    if len(y) != len(v):
        raise ValueError(f"variances must have the same length as effects ({len(y)}); "
                         f"got {len(v)}")
    method = _method(method)
    alpha = _alpha(alpha)
    notes: list[str] = []
    if groups is not None:
        if labels is None:
            raise ValueError("labels must be given together with groups")
        if len(labels) != len(y):
            raise ValueError(f"labels must have one entry per study ({len(y)}); "
                             f"got {len(labels)}")
        mask = np.array(apply_overlap_rule(labels, groups, keep))
        dropped = [lab for lab, m in zip(labels, mask) if not m]
        if dropped:
            notes.append(f"left out (overlapping cohort): {', '.join(dropped)}")
        y, v = y[mask], v[mask]
    k = len(y)

    z = _dist.norm_ppf(1 - alpha / 2)
    if k == 1:
        est, se, tau2, q, i2 = float(y[0]), float(math.sqrt(v[0])), 0.0, 0.0, math.nan
        weights = (1.0,)
        notes.append("one study: tau² cannot be estimated (set to 0) and I² is undefined")
    else:
        res = _combine(y, v)
        q = float(res.q)
        i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
        if method == "FE":
            tau2 = 0.0
        elif method == "PM":
            tau2 = _paule_mandel(y, v)
        else:
            tau2 = float(res.tau2)
            if tau2 < 0:
                notes.append(f"{method} tau² was negative ({tau2:.3g}; Q < k - 1) and is "
                             "truncated at 0, so the result equals the fixed-effect one")
                tau2 = 0.0
        if method == "FE" or tau2 == 0.0:
            est, se = float(res.mean_effect_fe), float(res.sd_eff_w_fe)
            w = 1 / v
        elif method == "DL":
            est, se = float(res.mean_effect_re), float(res.sd_eff_w_re)
            w = 1 / (v + tau2)
        else:
            w = 1 / (v + tau2)
            est, se = float((w * y).sum() / w.sum()), float(math.sqrt(1 / w.sum()))
        weights = tuple(float(x) for x in w / w.sum())
    ci_low, ci_high = float(est - z * se), float(est + z * se)
    if method == "FE":
        pi_low = pi_high = math.nan
        notes.append("no prediction interval under fixed effect: the model assumes every "
                     "study shares one true effect, so there is no between-study variation "
                     "to predict")
    elif k >= 3:
        half = _dist.t_ppf(1 - alpha / 2, k - 2) * math.sqrt(tau2 + se ** 2)
        pi_low, pi_high = float(est - half), float(est + half)
    else:
        pi_low = pi_high = math.nan
        notes.append(f"prediction interval undefined for k = {k} (it needs k - 2 >= 1 "
                     "degrees of freedom, i.e. at least 3 studies)")
    return MetaResult(estimate=est, se=se, ci_low=ci_low, ci_high=ci_high, tau2=tau2, q=q,
                      df=k - 1, i2=i2, pi_low=pi_low, pi_high=pi_high, k=k, method=method,
                      weights=weights, notes=tuple(notes), alpha=alpha)


def _combine(y, v):
    """statsmodels' combine_effects with DerSimonian-Laird tau², silencing the warnings it
    emits when that tau² is negative (we truncate it ourselves)."""
    import warnings

    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return combine_effects(y, v, method_re="chi2")


def _paule_mandel(y, v) -> float:
    """Paule-Mandel tau²: the root of Q(tau²) = k - 1, found by bracketing.

    statsmodels' ``method_re="iterated"`` uses Newton steps that reset tau² to 0 whenever
    a step overshoots (e.g. two studies with equal variances at a tight tolerance), so the
    root is bracketed here instead (Q(tau²) decreases monotonically in tau²).
    """
    import numpy as np
    from scipy.optimize import brentq

    k = len(y)

    def excess(t2: float) -> float:
        w = 1 / (v + t2)
        m = (w * y).sum() / w.sum()
        return float((w * (y - m) ** 2).sum()) - (k - 1)

    if excess(0.0) <= 0:
        return 0.0
    high = float(np.var(y) * k + v.max())
    while excess(high) > 0:
        high *= 2
    return float(brentq(excess, 0.0, high, xtol=1e-15, rtol=4 * np.finfo(float).eps,
                        maxiter=500))


# --- effect sizes -----------------------------------------------------------------------

def expit(x):
    """Inverse logit, 1 / (1 + exp(-x)); works on floats and numpy arrays (NaN passes)."""
    import numpy as np

    out = 1 / (1 + np.exp(-np.asarray(x, dtype=float)))
    return float(out) if out.ndim == 0 else out


def logit_proportion(events: int, n: int, *, correction: float = 0.5) -> tuple[float, float]:
    """Log odds of a proportion and its variance, with a continuity correction.

    Parameters
    ----------
    events, n : int
        Responders and patients (0 <= events <= n, n >= 1).
    correction : float, default 0.5
        Added to events and non-events when either is zero (otherwise the log odds is
        infinite); not applied when 0 < events < n.

    Returns
    -------
    (float, float)
        ``log((e + c) / (n - e + c))`` and ``1/(e + c) + 1/(n - e + c)``.

    References
    ----------
    Notebook 05_trial_evidence; the usual logit transform of single proportions
    (e.g. metafor ``escalc(measure="PLO")``).
    """
    n = _count("n", n, low=1)
    events = _count("events", events)
    if events > n:
        raise ValueError(f"events must be between 0 and n ({n}); got {events}")
    if isinstance(correction, bool) or not isinstance(correction, Real) or \
            not 0 < correction <= 1:
        raise ValueError(f"correction must be between 0 (exclusive) and 1; got {correction!r}")
    c = correction if events in (0, n) else 0.0
    a, b = events + c, n - events + c
    return math.log(a / b), 1 / a + 1 / b


def proportion_ci(events: int, n: int, *, alpha: float = 0.05) -> tuple[float, float, float]:
    """Proportion and its exact (Clopper-Pearson) confidence interval.

    Returns
    -------
    (float, float, float)
        ``(events / n, low, high)``, fractions in [0, 1].

    References
    ----------
    Notebook 05_trial_evidence; Clopper CJ, Pearson ES (1934) Biometrika 26:404-413.
    """

    n = _count("n", n, low=1)
    events = _count("events", events)
    if events > n:
        raise ValueError(f"events must be between 0 and n ({n}); got {events}")
    alpha = _alpha(alpha)
    low = 0.0 if events == 0 else float(_dist.beta_ppf(alpha / 2, events, n - events + 1))
    high = 1.0 if events == n else float(_dist.beta_ppf(1 - alpha / 2, events + 1, n - events))
    return events / n, low, high


def pool_proportions(events: Sequence[int], ns: Sequence[int], method: str = "DL", *,
                     correction: float = 0.5, alpha: float = 0.05,
                     labels: Sequence[str] | None = None, groups: Sequence[Any] | None = None,
                     keep: Sequence[str] | None = None) -> tuple[MetaResult, dict]:
    """Pool single-arm proportions on the logit scale and back-transform for display.

    Returns
    -------
    (MetaResult, dict)
        The logit-scale result and ``{"proportion", "ci_low", "ci_high", "pi_low",
        "pi_high"}`` back-transformed to fractions (NaN where undefined).

    Raises
    ------
    ValueError
        As :func:`random_effects`, plus ``events``/``ns`` of different lengths or counts
        out of range.
    """
    events = list(events) if hasattr(events, "__len__") else events
    ns = list(ns) if hasattr(ns, "__len__") else ns
    if not hasattr(events, "__len__") or not hasattr(ns, "__len__"):
        raise ValueError("events and ns must be sequences of whole numbers")
    if len(events) == 0:
        raise ValueError("events must contain at least one study (k >= 1); got k = 0")
    if len(events) != len(ns):
        raise ValueError(f"ns must have the same length as events ({len(events)}); "
                         f"got {len(ns)}")
    pairs = [logit_proportion(e, n, correction=correction) for e, n in zip(events, ns)]
    res = random_effects([p[0] for p in pairs], [p[1] for p in pairs], method, alpha=alpha,
                         labels=labels, groups=groups, keep=keep)
    back = {"proportion": expit(res.estimate), "ci_low": expit(res.ci_low),
            "ci_high": expit(res.ci_high), "pi_low": expit(res.pi_low),
            "pi_high": expit(res.pi_high)}
    return res, back


def mean_difference(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                    n2: int) -> tuple[float, float]:
    """Difference of two independent group means (group 1 - group 2) and its variance.

    Units are those of the means; variance = sd1²/n1 + sd2²/n2.
    """
    m1, m2 = _finite("mean1", mean1), _finite("mean2", mean2)
    s1, s2 = _positive("sd1", sd1), _positive("sd2", sd2)
    k1, k2 = _count("n1", n1, low=2), _count("n2", n2, low=2)
    return m1 - m2, s1 ** 2 / k1 + s2 ** 2 / k2


def standardized_mean_difference(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                                 n2: int) -> tuple[float, float]:
    """Hedges' g (bias-corrected SMD, group 1 - group 2) and its variance.

    References
    ----------
    Notebook 05_trial_evidence; Hedges LV (1981) J Educ Stat 6:107-128 (small-sample
    correction J = 1 - 3 / (4 df - 1)).
    """
    m1, m2 = _finite("mean1", mean1), _finite("mean2", mean2)
    s1, s2 = _positive("sd1", sd1), _positive("sd2", sd2)
    k1, k2 = _count("n1", n1, low=2), _count("n2", n2, low=2)
    df = k1 + k2 - 2
    pooled = math.sqrt(((k1 - 1) * s1 ** 2 + (k2 - 1) * s2 ** 2) / df)
    d = (m1 - m2) / pooled
    j = 1 - 3 / (4 * df - 1)
    var_d = (k1 + k2) / (k1 * k2) + d ** 2 / (2 * (k1 + k2))
    return j * d, j ** 2 * var_d


def _corr(r: Any) -> float:
    if isinstance(r, bool) or not isinstance(r, Real) or not -1 < r < 1:
        raise ValueError(f"r (pre-post correlation) must be between -1 and 1 (exclusive); "
                         f"got {r!r}")
    return float(r)


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
    m1, m2 = _finite("mean_pre", mean_pre), _finite("mean_post", mean_post)
    s1, s2 = _positive("sd_pre", sd_pre), _positive("sd_post", sd_post)
    n = _count("n", n, low=2)
    r = _corr(r)
    sd_change2 = s1 ** 2 + s2 ** 2 - 2 * r * s1 * s2
    return m2 - m1, sd_change2 / n


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
    m1, m2 = _finite("mean_pre", mean_pre), _finite("mean_post", mean_post)
    s1 = _positive("sd_pre", sd_pre)
    _positive("sd_post", sd_post)
    n = _count("n", n, low=3)
    r = _corr(r)
    j = 1 - 3 / (4 * (n - 1) - 1)
    d = (m2 - m1) / s1
    return j * d, j ** 2 * (2 * (1 - r) / n + d ** 2 / (2 * n))


def _two_by_two(e1, n1, e2, n2):
    n1, n2 = _count("n1", n1, low=1), _count("n2", n2, low=1)
    e1, e2 = _count("events1", e1), _count("events2", e2)
    if e1 > n1:
        raise ValueError(f"events1 must be between 0 and n1 ({n1}); got {e1}")
    if e2 > n2:
        raise ValueError(f"events2 must be between 0 and n2 ({n2}); got {e2}")
    return e1, n1, e2, n2


def risk_difference_variance(events1: int, n1: int, events2: int, n2: int) -> tuple[float, float]:
    """Risk difference p1 - p2 (fractions) and its (Wald) variance."""
    e1, n1, e2, n2 = _two_by_two(events1, n1, events2, n2)
    p1, p2 = e1 / n1, e2 / n2
    return p1 - p2, p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2


def log_risk_ratio(events1: int, n1: int, events2: int, n2: int, *,
                   correction: float = 0.5) -> tuple[float, float]:
    """Log risk ratio log(p1 / p2) and its variance (0.5 added to all cells if any is 0)."""
    e1, n1, e2, n2 = _two_by_two(events1, n1, events2, n2)
    if 0 in (e1, e2, n1 - e1, n2 - e2):
        e1, e2, n1, n2 = e1 + correction, e2 + correction, n1 + 2 * correction, n2 + 2 * correction
    return math.log((e1 / n1) / (e2 / n2)), 1 / e1 - 1 / n1 + 1 / e2 - 1 / n2


def risk_difference_ci(events1: int, n1: int, events2: int, n2: int, *,
                       alpha: float = 0.05) -> tuple[float, float, float]:
    """Risk difference p1 - p2 with Newcombe's hybrid score confidence interval.

    Combines the Wilson score intervals of the two proportions (Newcombe's method 10), which
    keeps sensible coverage with a handful of patients per arm, where the Wald interval
    (:func:`risk_difference_variance`) is too narrow and can leave [-1, 1].

    Parameters
    ----------
    events1, n1, events2, n2 : int
        Events and patients in group 1 and group 2 (0 <= events <= n, n >= 1).
    alpha : float, default 0.05
        1 - confidence level, between 0 and 1.

    Returns
    -------
    (float, float, float)
        ``(p1 - p2, low, high)`` as fractions, within [-1, 1].

    Raises
    ------
    ValueError
        Counts out of range or ``alpha`` outside (0, 1).

    References
    ----------
    Notebook 05_trial_evidence; Newcombe RG (1998) Stat Med 17:873-890. Agrees with
    statsmodels ``confint_proportions_2indep(..., method="newcomb", compare="diff")``.
    """
    from helpers.stats.effects import newcombe_limits

    e1, n1, e2, n2 = _two_by_two(events1, n1, events2, n2)
    return newcombe_limits(e1, n1, e2, n2, _z(_alpha(alpha)))


def t_interval(estimate: float, se: float, df: float, *,
               alpha: float = 0.05) -> tuple[float, float]:
    """``estimate ± t(1 - alpha/2, df) * se``: a t-based confidence interval.

    Parameters
    ----------
    estimate : float
        Point estimate (any units).
    se : float
        Its standard error (> 0, same units).
    df : float
        Degrees of freedom (> 0; need not be whole, e.g. Welch's).
    alpha : float, default 0.05
        1 - confidence level, between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper limits.
    """
    est = _finite("estimate", estimate)
    se = _positive("se", se)
    df = _positive("df", df)
    alpha = _alpha(alpha)
    half = float(_dist.t_ppf(1 - alpha / 2, df)) * se
    return est - half, est + half


def welch_mean_difference_ci(mean1: float, sd1: float, n1: int, mean2: float, sd2: float,
                             n2: int, *, alpha: float = 0.05) -> dict:
    """Difference of two independent means (1 - 2) with Welch's t confidence interval.

    With a dozen patients or fewer per arm the normal (z) interval is too narrow; Welch's
    interval uses a t distribution whose degrees of freedom (Welch-Satterthwaite) shrink
    when one arm is small or much more variable.

    Parameters
    ----------
    mean1, sd1, n1, mean2, sd2, n2 : float, float, int
        Means (any units), SDs (> 0, same units) and sizes (>= 2) of the two groups.
    alpha : float, default 0.05
        1 - confidence level, between 0 and 1.

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
    a, b = float(sd1) ** 2 / int(n1), float(sd2) ** 2 / int(n2)
    df = (a + b) ** 2 / (a ** 2 / (int(n1) - 1) + b ** 2 / (int(n2) - 1))
    se = math.sqrt(var)
    low, high = t_interval(diff, se, df, alpha=alpha)
    return {"estimate": diff, "se": se, "df": df, "ci_low": low, "ci_high": high}


def i2_interval(q: float, k: int, *, alpha: float = 0.05) -> tuple[float, float]:
    """Confidence interval of I² from Cochran's Q (Higgins and Thompson 2002, test-based).

    Works on H = sqrt(Q / (k - 1)) with the standard error of ln H given in the paper, then
    converts the limits to I² = (H² - 1) / H², truncated at 0.

    Parameters
    ----------
    q : float
        Cochran's Q (>= 0).
    k : int
        Number of studies (>= 3; with 2 studies the standard error is undefined).
    alpha : float, default 0.05
        1 - confidence level, between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper limits of I² as fractions in [0, 1).

    Raises
    ------
    ValueError
        ``q`` negative or not finite, ``k`` below 3, or ``alpha`` outside (0, 1).

    References
    ----------
    Notebook 05_trial_evidence; Higgins JPT, Thompson SG (2002) Stat Med 21:1539-1558
    (the same formula as R heterometa::higgins).
    """
    if isinstance(q, bool) or not isinstance(q, Real) or not math.isfinite(q) or q < 0:
        raise ValueError(f"q must be a finite number >= 0; got {q!r}")
    k = _count("k", k, low=3)
    alpha = _alpha(alpha)
    z = _z(alpha)
    q = float(q)
    if q > k:
        se_ln_h = 0.5 * (math.log(q) - math.log(k - 1)) / (math.sqrt(2 * q) - math.sqrt(2 * k - 3))
    else:
        se_ln_h = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
    h = max(1.0, math.sqrt(q / (k - 1)))
    h_low = max(1.0, math.exp(math.log(h) - z * se_ln_h))
    h_high = max(1.0, math.exp(math.log(h) + z * se_ln_h))
    return (h_low ** 2 - 1) / h_low ** 2, (h_high ** 2 - 1) / h_high ** 2


# --- sensitivity analyses ---------------------------------------------------------------

def leave_one_out(effects: Sequence[float], variances: Sequence[float], labels: Sequence[str],
                  method: str = "DL", *, transform: Callable | None = None):
    """Re-pool leaving out each study in turn (pandas DataFrame, one row per omission).

    Columns: ``omitted``, ``k``, ``estimate``, ``ci_low``, ``ci_high``, ``tau2``, ``i2``;
    ``transform`` (e.g. :func:`expit`) is applied to estimate and CI if given.
    """
    import pandas as pd

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    labels = list(labels)
    if not len(y) == len(v) == len(labels):
        raise ValueError(f"variances and labels must have the same length as effects "
                         f"({len(y)}); got {len(v)} and {len(labels)}")
    if len(y) < 2:
        raise ValueError(f"effects must contain at least 2 studies for leave-one-out; got {len(y)}")
    f = transform or (lambda x: x)
    rows = []
    for i, label in enumerate(labels):
        mask = [j != i for j in range(len(y))]
        res = random_effects(y[mask], v[mask], method)
        rows.append({"omitted": label, "k": res.k, "estimate": f(res.estimate),
                     "ci_low": f(res.ci_low), "ci_high": f(res.ci_high),
                     "tau2": res.tau2, "i2": res.i2})
    return pd.DataFrame(rows)


def subgroup_analysis(effects: Sequence[float], variances: Sequence[float],
                      subgroups: Sequence[str], method: str = "DL"):
    """Pool within each subgroup (e.g. RCT vs single-arm) and test the difference.

    Returns
    -------
    (dict, float, float)
        ``{subgroup: MetaResult}``, the between-subgroup Q (fixed-effect comparison of the
        subgroup estimates) and its P value (NaN if fewer than two subgroups).
    """
    import numpy as np

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    subgroups = list(subgroups)
    if not len(y) == len(v) == len(subgroups):
        raise ValueError(f"variances and subgroups must have the same length as effects "
                         f"({len(y)}); got {len(v)} and {len(subgroups)}")
    results = {}
    for name in dict.fromkeys(subgroups):
        mask = np.array([s == name for s in subgroups])
        results[name] = random_effects(y[mask], v[mask], method)
    if len(results) < 2:
        return results, math.nan, math.nan
    est = np.array([r.estimate for r in results.values()])
    w = 1 / np.array([r.se ** 2 for r in results.values()])
    mean = float((w * est).sum() / w.sum())
    q_between = float((w * (est - mean) ** 2).sum())
    return results, q_between, float(_dist.chi2_sf(q_between, len(results) - 1))


def egger_test(effects: Sequence[float], variances: Sequence[float]) -> dict:
    """Egger's regression test for funnel-plot asymmetry (small-study effects).

    Regresses ``effect / se`` on ``1 / se``; the intercept measures asymmetry.

    Returns
    -------
    dict
        ``intercept``, ``se``, ``p`` (t test with k - 2 df), ``k``.

    Raises
    ------
    ValueError
        If fewer than 3 studies are given (the test needs k - 2 >= 1 df; with fewer than
        about 10 studies it has very little power anyway).

    References
    ----------
    Notebook 06_reading_trials_critically; Egger M, Davey Smith G, Schneider M, Minder C
    (1997) BMJ 315:629-634.
    """
    import numpy as np

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    if len(y) != len(v):
        raise ValueError(f"variances must have the same length as effects ({len(y)}); "
                         f"got {len(v)}")
    k = len(y)
    if k < 3:
        raise ValueError(f"effects must contain at least 3 studies for Egger's test; got {k}")
    se = np.sqrt(v)
    X = np.column_stack([np.ones(k), 1 / se])
    z = y / se
    beta, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ beta
    sigma2 = float(resid @ resid) / (k - 2)
    cov = sigma2 * np.linalg.inv(X.T @ X)
    se_int = math.sqrt(cov[0, 0])
    t = beta[0] / se_int if se_int > 0 else math.inf
    p = float(2 * _dist.t_sf(abs(t), k - 2)) if math.isfinite(t) else 0.0
    return {"intercept": float(beta[0]), "se": se_int, "p": p, "k": k}


# --- plots ------------------------------------------------------------------------------

def plot_forest(labels: Sequence[str], effects: Sequence[float], variances: Sequence[float],
                result: MetaResult | None = None, *, n: Sequence[int] | None = None,
                transform: Callable | None = None, xlabel: str = "effect",
                null_value: float | None = None, pooled_label: str | None = None,
                display: Sequence[tuple] | None = None, ax=None):
    """Forest plot: one row per study (n, weight, CI), pooled diamond, prediction-interval bar.

    Parameters
    ----------
    labels, effects, variances : sequences
        Study labels and their effects / variances on the analysis scale.
    result : MetaResult, optional
        Pooled result drawn as a diamond (and its prediction interval as a bar when
        defined; under fixed effect the row says "not reported"). Its ``weights`` must
        match the studies.
    n : sequence of int, optional
        Patients per study, printed in the table column.
    transform : callable, optional
        Applied to effects and intervals for display (e.g. :func:`expit` for logits).
    xlabel : str
        Axis label (with units).
    null_value : float, optional
        Draws a dashed reference line (e.g. 0 for a difference, 1 for a ratio).
    pooled_label : str, optional
        Text of the pooled row (default: "Pooled (<method>)").
    display : sequence of (estimate, low, high), optional
        Per-study values to draw instead of the transformed effects (e.g. raw proportions
        with exact intervals, so a 0/2 study is drawn at 0 rather than at its continuity-
        corrected value). Already on the display scale.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Polygon
    from matplotlib.transforms import blended_transform_factory

    from helpers.core.style import COLORS, LINESTYLES, MARKERS

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    labels = [str(s) for s in labels]
    if not len(y) == len(v) == len(labels):
        raise ValueError(f"variances and labels must have the same length as effects "
                         f"({len(y)}); got {len(v)} and {len(labels)}")
    if n is not None and len(n) != len(y):
        raise ValueError(f"n must have one entry per study ({len(y)}); got {len(n)}")
    if result is not None and len(result.weights) != len(y):
        raise ValueError(f"result must pool exactly these {len(y)} studies; it has "
                         f"{len(result.weights)} weights")
    f = transform or (lambda x: x)
    z = 1.959963984540054 if result is None else _z(result.alpha)
    lo, hi = f(y - z * np.sqrt(v)), f(y + z * np.sqrt(v))
    mid = f(y)
    k = len(y)
    if display is not None:
        if len(display) != k:
            raise ValueError(f"display must have one (estimate, low, high) per study ({k}); "
                             f"got {len(display)}")
        mid, lo, hi = (np.array([float(row[i]) for row in display]) for i in range(3))
    rows = k + (2 if result is not None else 0)
    if ax is None:  # fixed margins: the text columns sit outside the axes
        height = 1.2 + 0.4 * rows
        fig, ax = plt.subplots(figsize=(10.0, height), layout="none")
        fig.subplots_adjust(left=0.25, right=0.58, bottom=0.85 / height,
                            top=1 - 0.35 / height)
    ypos = np.arange(k, 0, -1) + (1.5 if result is not None else 0)
    weights = result.weights if result is not None else [1 / k] * k
    wmax = max(weights) if result is not None else 1
    for i in range(k):
        ax.plot([lo[i], hi[i]], [ypos[i]] * 2, color="black", lw=1.2, linestyle="-")
        size = 5 + 9 * math.sqrt(weights[i] / wmax) if result is not None else 7
        ax.plot(mid[i], ypos[i], marker=MARKERS[0], color=COLORS[0], ms=size,
                linestyle="none", markeredgecolor="black")
    tick_labels = list(labels)
    ticks = list(ypos)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    header_y = (ypos[0] + 0.9) if k else 1
    cols = (1.04, 1.17, 1.44)
    ax.text(cols[0], header_y, "n", transform=trans, ha="left", va="center", fontweight="bold")
    ax.text(cols[1], header_y, "weight", transform=trans, ha="left", va="center",
            fontweight="bold")
    ax.text(cols[2], header_y, "estimate [95% CI]", transform=trans, ha="left", va="center",
            fontweight="bold")
    for i in range(k):
        ax.text(cols[0], ypos[i], "" if n is None else f"{int(n[i])}", transform=trans,
                ha="left", va="center")
        ax.text(cols[1], ypos[i], "" if result is None else f"{100 * weights[i]:.1f}%",
                transform=trans, ha="left", va="center")
        ax.text(cols[2], ypos[i], f"{mid[i]:.2f} [{lo[i]:.2f}, {hi[i]:.2f}]", transform=trans,
                ha="left", va="center")
    if result is not None:
        yd = 0.8
        est, cl, ch = f(result.estimate), f(result.ci_low), f(result.ci_high)
        ax.add_patch(Polygon([[cl, yd], [est, yd + 0.3], [ch, yd], [est, yd - 0.3]],
                             closed=True, facecolor=COLORS[1], edgecolor="black",
                             hatch="//"))
        if not math.isnan(result.pi_low):
            pl, ph = f(result.pi_low), f(result.pi_high)
            ax.plot([pl, ph], [yd - 0.6] * 2, color=COLORS[2], lw=3, solid_capstyle="butt",
                    linestyle=LINESTYLES[0])
            pi_text = f"[{pl:.2f}, {ph:.2f}]"
        elif result.method == "FE":
            pi_text = "not reported (fixed effect)"
        else:
            pi_text = "undefined (k < 3)"
        ticks += [yd, yd - 0.6]
        tick_labels += [pooled_label or f"Pooled ({result.method})", "95% prediction interval"]
        ax.text(cols[0], yd, f"k={result.k}", transform=trans, ha="left", va="center")
        ax.text(cols[2], yd, f"{est:.2f} [{cl:.2f}, {ch:.2f}]", transform=trans, ha="left",
                va="center", fontweight="bold")
        ax.text(cols[2], yd - 0.6, pi_text, transform=trans, ha="left", va="center")
    if null_value is not None:
        ax.axvline(null_value, color="grey", linestyle="--", lw=1)
    ax.set_yticks(ticks)
    ax.set_yticklabels(tick_labels)
    ax.set_ylim(-0.1 if result is not None else 0.3, (ypos[0] if k else 1) + 1.4)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax.figure


def _z(alpha: float) -> float:

    return float(_dist.norm_ppf(1 - alpha / 2))


def plot_funnel(effects: Sequence[float], variances: Sequence[float],
                result: MetaResult | None = None, *, labels: Sequence[str] | None = None,
                xlabel: str = "effect", ax=None):
    """Funnel plot: effect against standard error (inverted axis) with pseudo-95% limits.

    Parameters
    ----------
    effects, variances : sequences
        Study effects and variances (analysis scale).
    result : MetaResult, optional
        Pooled result whose estimate centres the funnel (default: fixed-effect mean).
    labels : sequence of str, optional
        Annotate each point.
    xlabel : str
        Axis label.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from helpers.core.style import COLORS, LINESTYLES, MARKERS

    y = _vector("effects", effects)
    v = _vector("variances", variances, positive=True)
    if len(y) != len(v):
        raise ValueError(f"variances must have the same length as effects ({len(y)}); "
                         f"got {len(v)}")
    if labels is not None and len(labels) != len(y):
        raise ValueError(f"labels must have one entry per study ({len(y)}); got {len(labels)}")
    se = np.sqrt(v)
    centre = result.estimate if result is not None else float((y / v).sum() / (1 / v).sum())
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    top = float(se.max()) * 1.1
    grid = np.linspace(0, top, 50)
    ax.plot(centre - 1.96 * grid, grid, color="grey", linestyle=LINESTYLES[1], lw=1,
            label="pseudo 95% limits")
    ax.plot(centre + 1.96 * grid, grid, color="grey", linestyle=LINESTYLES[1], lw=1)
    ax.axvline(centre, color=COLORS[1], linestyle=LINESTYLES[0], lw=1.2, label="pooled estimate")
    ax.plot(y, se, marker=MARKERS[0], color=COLORS[0], linestyle="none",
            markeredgecolor="black", ms=8, label="studies")
    if labels is not None:
        for xi, yi, lab in zip(y, se, labels):
            ax.annotate(str(lab), (xi, yi), textcoords="offset points", xytext=(6, 4),
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.8})
    ax.set_ylim(top, 0)
    ax.set_ylabel("standard error (larger = smaller study)")
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax.figure
