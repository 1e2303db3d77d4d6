"""Inverse-variance pooling: fixed effect and random effects (DL, PM, REML), HKSJ intervals.

* :func:`random_effects` — pooled estimate, its confidence interval (Wald, or
  Hartung-Knapp-Sidik-Jonkman with ``ci="hksj"``), tau², Cochran's Q, I² and a prediction
  interval, with plain-language ``notes`` for anything undefined or adjusted;
* :func:`pool_proportions` — single-arm proportions pooled on the logit scale;
* :func:`prediction_interval` — the range of true effects expected in a new study;
* :func:`i2_interval` — confidence interval of I² (Higgins and Thompson 2002);
* :func:`apply_overlap_rule` — refuses to pool two reports of one cohort.

Between-study variance tau²:

* ``"DL"`` DerSimonian-Laird (method of moments; truncated at 0 when Q < k - 1);
* ``"PM"`` Paule-Mandel (root of the generalised Q = k - 1, found by bracketing);
* ``"REML"`` restricted maximum likelihood (Fisher scoring with step halving, at most
  :data:`REML_MAX_ITER` iterations and a convergence check; a bounded one-dimensional
  maximisation of the restricted likelihood is the fallback, stated in ``notes``);
* ``"FE"`` fixed effect (tau² = 0).

With few studies the Wald interval (normal quantile, tau² treated as known) is too narrow;
``ci="hksj"`` rescales the variance of the estimate by the weighted residual mean square
and uses a t distribution with k - 1 degrees of freedom. This is the usual, untruncated
variant (as metafor's ``test="knha"``): when the studies agree more than their variances
predict, the HKSJ interval can be *narrower* than the Wald one; the "ad hoc" modification
(never letting the scaling factor fall below 1; Knapp and Hartung 2003) is not applied, and
a note says when the factor is below 1.

The prediction interval is ``estimate ± t(k - 2) * sqrt(tau² + se²)`` (Higgins et al. 2009)
with the standard error of the chosen interval; it is NaN, with a note, for k < 3 (undefined)
and for the fixed-effect model (nothing to predict). With few studies it covers poorly.

Examples
--------
>>> res = random_effects([0.1, 0.3, 0.5], [0.01, 0.02, 0.04], method="FE")
>>> round(res.estimate, 4), res.tau2
(0.2143, 0.0)

References
----------
Notebooks 05_trial_evidence and 06_reading_trials_critically. DerSimonian R, Laird N (1986)
Control Clin Trials 7:177-188; Paule RC, Mandel J (1982) J Res Natl Bur Stand 87:377-385;
Viechtbauer W (2005) J Educ Behav Stat 30:261-293 (REML); Hartung J, Knapp G (2001) Stat Med
20:3875-3889 and Sidik K, Jonkman JN (2002) Stat Med 21:3153-3159 (HKSJ); IntHout J,
Ioannidis JPA, Borm GF (2014) BMC Med Res Methodol 14:25; Higgins JPT, Thompson SG,
Spiegelhalter DJ (2009) J R Stat Soc A 172:137-159 (prediction interval); Higgins JPT,
Thompson SG (2002) Stat Med 21:1539-1558 (I² and its interval). Tested against metafor's
published output (Kacker 2004 interlaboratory data; the BCG vaccine trials, dat.bcg) and
against statsmodels and scipy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from helpers.core import validate
from helpers.stats import _checks
from helpers.stats.distributions import chi2_sf, t_quantile, z_quantile
from helpers.stats.proportions import expit, logit_proportion

__all__ = ["METHODS", "METHOD_LABELS", "CI_METHODS", "REML_MAX_ITER", "MetaResult", "random_effects",
           "pool_proportions", "prediction_interval", "i2_interval", "apply_overlap_rule"]

METHODS = ("DL", "PM", "REML", "FE")
CI_METHODS = ("wald", "hksj")
_METHOD_NAMES = {"DL": "random effects, DerSimonian-Laird",
                 "PM": "random effects, Paule-Mandel",
                 "REML": "random effects, restricted maximum likelihood",
                 "FE": "fixed effect"}
#: Short names of the methods for menus and legends (what a reader sees, not the code).
METHOD_LABELS = {"DL": "DerSimonian–Laird (random)", "PM": "Paule–Mandel (random)",
                 "REML": "REML (random)", "FE": "fixed effect"}

#: Most Fisher-scoring iterations for the REML tau²; convergence: change below
#: ``REML_TOL * max(1, tau²)``.
REML_MAX_ITER = 100
REML_TOL = 1e-10


@dataclass(frozen=True)
class MetaResult:
    """Result of a pooled analysis (on the scale of the effects given).

    Attributes
    ----------
    estimate, se : float
        Pooled effect and its standard error (the HKSJ standard error if ``ci_method`` is
        ``"hksj"``).
    ci_low, ci_high : float
        Confidence interval of the pooled effect at confidence ``level`` (normal quantile
        for ``"wald"``, t with k - 1 df for ``"hksj"``).
    tau2 : float
        Between-study variance (>= 0; 0 for the fixed-effect model).
    q : float
        Cochran's Q (heterogeneity statistic, >= 0); ``df = k - 1``.
    i2 : float
        I² = max(0, (Q - df) / Q), as a fraction (NaN for k = 1, see ``notes``).
    pi_low, pi_high : float
        Prediction interval for the effect in a new study (t with k - 2 df); NaN for k < 3
        and for the fixed-effect model (see ``notes``).
    k : int
        Number of studies pooled.
    method : str
        ``"DL"``, ``"PM"``, ``"REML"`` or ``"FE"``.
    weights : tuple of float
        Relative weights (sum to 1) in the order given.
    notes : tuple of str
        Plain-language explanations of anything undefined or adjusted.
    level : float
        Confidence level of the confidence and prediction intervals.
    ci_method : str
        ``"wald"`` or ``"hksj"``.
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
    level: float = 0.95
    ci_method: str = "wald"

    @property
    def method_name(self) -> str:
        """Long name of the pooling method."""
        return _METHOD_NAMES[self.method]

    @property
    def p_heterogeneity(self) -> float:
        """P value of Cochran's Q test (NaN for k = 1)."""
        if self.df < 1:
            return math.nan
        return float(chi2_sf(self.q, self.df))

    def prediction_interval(self) -> tuple[float, float]:
        """``(pi_low, pi_high)``; NaN for k < 3 and under fixed effect (see ``notes``)."""
        return self.pi_low, self.pi_high

    def i2_interval(self) -> tuple[float, float]:
        """Confidence interval of I² (fractions; NaN for k < 3), see :func:`i2_interval`."""
        if self.k < 3:
            return math.nan, math.nan
        return i2_interval(self.q, self.k, level=self.level)

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
        digits = validate.count("digits", digits, high=15)
        keys = ("estimate", "se", "ci_low", "ci_high", "tau2", "q", "i2", "pi_low", "pi_high")
        out: dict[str, Any] = {"k": self.k, "method": self.method}
        for key in keys:
            value = getattr(self, key)
            out[key] = value if math.isnan(value) else round(value, digits)
        return out


# --- overlap rule -----------------------------------------------------------------------

def _overlap_key(g: Any):
    if g is None or g == "" or (isinstance(g, float) and math.isnan(g)):
        return None
    try:
        hash(g)
    except TypeError:
        raise validate.ParameterTypeError(
            f"groups must hold overlap-group names (strings) or None; got {g!r}") from None
    return g


def apply_overlap_rule(labels: Sequence[str], groups: Sequence[Any],
                       keep: Sequence[str] | None = None) -> list[bool]:
    """Decide which studies may be pooled when some reports share patients.

    Parameters
    ----------
    labels : sequence of str
        Study identifiers, one per study.
    groups : sequence of str or None
        Overlap group of each study (None, NaN or "" = independent).
    keep : str or sequence of str, optional
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
    labels = validate.sequence("labels", labels)
    groups = [_overlap_key(g) for g in _checks.labels("groups", groups, len(labels),
                                                        like="labels")]
    if keep is None:
        keep = []
    elif isinstance(keep, str):
        keep = [keep]
    else:
        keep = validate.sequence("keep", keep)
    unknown = [k for k in keep if k not in labels]
    if unknown:
        raise ValueError(f"keep must name studies among labels {labels}; got {unknown}")
    members: dict[Any, list[str]] = {}
    for label, group in zip(labels, groups):
        if group is not None:
            members.setdefault(group, []).append(label)
    mask = [True] * len(labels)
    for group, names in members.items():
        if len(names) < 2:
            continue
        chosen = [n for n in names if n in keep]
        if len(chosen) != 1:
            raise ValueError(
                f"keep must name exactly one of the overlapping reports {names}, which "
                f"groups puts in overlap group {group!r} (they share patients and would "
                f"be double-counted); got {chosen or 'none'}")
        for i, (label, g) in enumerate(zip(labels, groups)):
            if g == group and label != chosen[0]:
                mask[i] = False
    return mask


# --- tau² estimators --------------------------------------------------------------------

def _weighted_mean(y, v, tau2: float):
    """``(mean, se, weights)`` of inverse-variance weighting with ``1 / (v + tau2)``."""
    w = 1 / (v + tau2)
    sw = float(w.sum())
    return float((w * y).sum()) / sw, math.sqrt(1 / sw), w


def _q(y, v, tau2: float = 0.0) -> float:
    """Generalised Cochran's Q: a sum of squares, so never negative, even after rounding."""
    mean, _, w = _weighted_mean(y, v, tau2)
    return float((w * (y - mean) ** 2).sum())


def _projection(w):
    """``P = W - w wᵀ / Σw``, its diagonal built from the sum of the *other* weights.

    The textbook expansions (``Σw - Σw²/Σw`` for tr P, ``Σw² - 2Σw³/Σw + (Σw²/Σw)²`` for
    tr PP) cancel to 0 when one weight dominates; built entry by entry they do not.
    """
    import numpy as np

    sw = float(w.sum())
    others = np.array([float(np.delete(w, i).sum()) for i in range(len(w))])
    p = -np.outer(w, w) / sw
    np.fill_diagonal(p, w * others / sw)
    return p


def _tau2_dl(y, v) -> float:
    """DerSimonian-Laird moment estimate (may be negative: the caller truncates)."""
    import numpy as np

    c = float(np.trace(_projection(1 / v)))  # = Σw - Σw²/Σw
    return (_q(y, v) - (len(y) - 1)) / c


def _tau2_pm(y, v) -> float:
    """Paule-Mandel tau²: the root of Q(tau²) = k - 1, found by bracketing.

    Q(tau²) decreases monotonically in tau², so the root is bracketed (at most 200
    doublings of the upper end) and found by Brent's method. statsmodels'
    ``method_re="iterated"`` uses Newton steps that reset tau² to 0 whenever a step
    overshoots, which is why this module does not use it.
    """
    import numpy as np
    from scipy.optimize import brentq

    k = len(y)

    def excess(t2: float) -> float:
        return _q(y, v, t2) - (k - 1)

    if excess(0.0) <= 0:
        return 0.0
    high = float(np.var(y) * k + v.max())
    for _ in range(200):
        if excess(high) <= 0:
            break
        high *= 2
    else:
        raise ValueError("effects and variances must be moderate enough to bracket the "
                         "Paule-Mandel tau²")
    return float(brentq(excess, 0.0, high, xtol=1e-15, rtol=4 * np.finfo(float).eps,
                        maxiter=500))


def _reml_loglik(y, v, tau2: float) -> float:
    """Restricted log-likelihood of tau² (up to a constant) for the intercept-only model."""
    import numpy as np

    mean, _, w = _weighted_mean(y, v, tau2)
    return -0.5 * float(np.log(v + tau2).sum() + math.log(w.sum())
                        + (w * (y - mean) ** 2).sum())


def _reml_step(y, v, tau2: float) -> float:
    """Fisher-scoring step for tau²: score / expected information of the REML likelihood.

    With ``P`` from :func:`_projection` the score is ``(Σ w² r² - tr P) / 2`` and the
    information ``tr(P P) / 2``. Returns NaN when the information is not positive.
    """
    import numpy as np

    mean, _, w = _weighted_mean(y, v, tau2)
    p = _projection(w)
    score = 0.5 * (float((w * w * (y - mean) ** 2).sum()) - float(np.trace(p)))
    info = 0.5 * float((p * p).sum())
    return score / info if info > 0 and math.isfinite(info) else math.nan


def _tau2_reml(y, v, start: float) -> tuple[float, bool]:
    """REML tau² by Fisher scoring from ``start``; ``(tau2, converged)``.

    Each step is halved (at most 30 times) until the restricted likelihood does not
    decrease, tau² is kept >= 0, and iteration stops when the change is below
    ``REML_TOL * max(1, tau²)`` or after :data:`REML_MAX_ITER` steps. If it did not
    converge, a bounded Brent maximisation of the same likelihood is used instead.
    scipy.optimize (about 25 MB in every kernel) is imported only for that fallback.
    """
    t2, ll = start, _reml_loglik(y, v, start)
    for _ in range(REML_MAX_ITER):
        step = _reml_step(y, v, t2)
        if not math.isfinite(step):
            break
        for _ in range(30):
            new = max(0.0, t2 + step)
            new_ll = _reml_loglik(y, v, new)
            if new_ll >= ll - 1e-12 * abs(ll):
                break
            step /= 2
        if abs(new - t2) <= REML_TOL * max(1.0, t2):
            return new, True
        t2, ll = new, new_ll
    from scipy.optimize import minimize_scalar

    upper = 10 * (float(y.var()) + float(v.max())) + 2 * t2
    res = minimize_scalar(lambda t: -_reml_loglik(y, v, t), bounds=(0.0, upper),
                          method="bounded", options={"xatol": 1e-12, "maxiter": 500})
    return float(res.x), False


def _tau2(method: str, y, v, notes: list[str]) -> float:
    if method == "FE":
        return 0.0
    if method == "PM":
        return _tau2_pm(y, v)
    dl = _tau2_dl(y, v)
    if method == "REML":
        tau2, converged = _tau2_reml(y, v, max(0.0, dl))
        if not converged:
            notes.append(f"REML Fisher scoring did not converge in {REML_MAX_ITER} "
                         "iterations; tau² was found by bounded maximisation instead")
        return tau2
    if dl < 0:
        notes.append(f"{method} tau² was negative ({dl:.3g}; Q < k - 1) and is "
                     "truncated at 0, so the result equals the fixed-effect one")
        return 0.0
    return dl


# --- pooling ----------------------------------------------------------------------------

def prediction_interval(estimate: float, se: float, tau2: float, k: int, *,
                        level: float = 0.95) -> tuple[float, float]:
    """Range of true effects expected in a new study: ``estimate ± t(k-2) sqrt(tau² + se²)``.

    Parameters
    ----------
    estimate, se, tau2 : float
        Pooled estimate, its standard error (>= 0) and the between-study variance (>= 0).
    k : int
        Number of studies (>= 3: the t distribution has k - 2 degrees of freedom).
    level : float, default 0.95
        Coverage, strictly between 0 and 1.

    Returns
    -------
    (float, float)

    References
    ----------
    Higgins JPT, Thompson SG, Spiegelhalter DJ (2009) J R Stat Soc A 172:137-159. With few
    studies its actual coverage is poor (tau² is imprecise); read it as a rough range.
    """
    estimate = validate.real("estimate", estimate)
    se = validate.real("se", se, low=0)
    tau2 = validate.real("tau2", tau2, low=0)
    k = validate.count("k", k, low=3)
    half = t_quantile(level, k - 2) * math.sqrt(tau2 + se * se)
    low, high = estimate - half, estimate + half
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"tau2 and se must give a finite interval; got {tau2!r}, {se!r}")
    return low, high


def _select(y, v, labels, groups, keep, notes):
    import numpy as np

    if labels is not None:
        labels = _checks.labels("labels", labels, len(y))
    if groups is None:
        return y, v
    if labels is None:
        raise ValueError("labels must be given together with groups")
    mask = np.array(apply_overlap_rule(labels, groups, keep))
    dropped = [lab for lab, m in zip(labels, mask) if not m]
    if dropped:
        notes.append(f"left out (overlapping cohort): {', '.join(map(str, dropped))}")
    return y[mask], v[mask]


def _interval(y, v, tau2, w, est, se, ci, level, notes):
    """``(se, multiplier)`` of the confidence interval for ``ci`` ("wald" or "hksj")."""
    k = len(y)
    if ci == "wald":
        return se, z_quantile(level)
    if k < 2:
        raise ValueError("ci='hksj' needs at least 2 studies (t with k - 1 degrees of "
                         "freedom); got k = 1 — use ci='wald'")
    scale = float((w * (y - est) ** 2).sum()) / (k - 1)
    if scale < 1:
        notes.append(f"HKSJ scaling factor {scale:.3g} < 1: the interval is narrower than "
                     "the Wald one (no ad hoc truncation at 1 is applied)")
    return math.sqrt(scale) * se, t_quantile(level, k - 1)


def _moderate(y, v) -> None:
    """Refuse values whose weights or squares overflow (1 / 1e-320, 1e200²…)."""
    import numpy as np

    with np.errstate(all="ignore"):
        w = 1 / v
        ok = np.all(np.isfinite(w)) and math.isfinite(float((w * y).sum())) and \
            math.isfinite(float((w * y * y).sum())) and math.isfinite(float(w.sum() ** 2))
    if not ok:
        raise ValueError("effects and variances must be moderate enough for finite weights "
                         f"and sums of squares; got effects {list(y)!r} and variances "
                         f"{list(v)!r}")


def random_effects(effects: Sequence[float], variances: Sequence[float], method: str = "DL",
                   *, level: float = 0.95, ci: str = "wald",
                   labels: Sequence[str] | None = None, groups: Sequence[Any] | None = None,
                   keep: Sequence[str] | None = None) -> MetaResult:
    """Pool study effects by inverse-variance weighting (random or fixed effect).

    Parameters
    ----------
    effects : sequence of float
        Study effect sizes on an additive scale (log odds, log risk ratio, mean difference…).
    variances : sequence of float
        Their sampling variances (> 0), same length.
    method : {"DL", "PM", "REML", "FE"}, default "DL"
        tau² estimator: DerSimonian-Laird, Paule-Mandel or restricted maximum likelihood;
        or fixed effect.
    level : float, default 0.95
        Confidence level of the confidence and prediction intervals.
    ci : {"wald", "hksj"}, default "wald"
        Normal (Wald) interval, or the Hartung-Knapp-Sidik-Jonkman interval (t with
        k - 1 df, untruncated; needs k >= 2).
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
        variances, an unknown method or interval, overlapping reports without a ``keep``
        choice, ``ci="hksj"`` with one study, or values too extreme for a finite result.

    Notes
    -----
    k = 1: the "pooled" value is that study; tau² is not estimable (set to 0), I² and the
    prediction interval are NaN. k = 2: the prediction interval is NaN (k - 2 = 0 degrees
    of freedom). Fixed effect: the prediction interval is NaN (not reported). DerSimonian-
    Laird tau² and I² are truncated at 0.
    """
    y, v = _checks.paired(effects, variances)
    method = validate.choice("method", method, METHODS)
    ci = validate.choice("ci", ci, CI_METHODS)
    level = validate.level("level", level)
    notes: list[str] = []
    y, v = _select(y, v, labels, groups, keep, notes)
    _moderate(y, v)
    k = len(y)
    if k == 1:
        tau2, q, i2 = 0.0, 0.0, math.nan
        notes.append("one study: tau² cannot be estimated (set to 0) and I² is undefined")
    else:
        q = _q(y, v)
        i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
        tau2 = _tau2(method, y, v, notes)
    est, se, w = _weighted_mean(y, v, tau2)
    se, mult = _interval(y, v, tau2, w, est, se, ci, level, notes)
    ci_low, ci_high = est - mult * se, est + mult * se
    if not all(math.isfinite(x) for x in (est, se, ci_low, ci_high, tau2, q)):
        raise ValueError("effects and variances must be moderate enough for a finite pooled "
                         f"result; got effects {list(y)!r} and variances {list(v)!r}")
    pi_low = pi_high = math.nan
    if method == "FE":
        notes.append("no prediction interval under fixed effect: the model assumes every "
                     "study shares one true effect, so there is no between-study variation "
                     "to predict")
    elif k >= 3:
        pi_low, pi_high = prediction_interval(est, se, tau2, k, level=level)
    else:
        notes.append(f"prediction interval undefined for k = {k} (it needs k - 2 >= 1 "
                     "degrees of freedom, i.e. at least 3 studies)")
    weights = tuple(float(x) for x in w / w.sum())
    return MetaResult(estimate=est, se=se, ci_low=ci_low, ci_high=ci_high, tau2=tau2, q=q,
                      df=k - 1, i2=i2, pi_low=pi_low, pi_high=pi_high, k=k, method=method,
                      weights=weights, notes=tuple(notes), level=level, ci_method=ci)


def pool_proportions(events: Sequence[int], ns: Sequence[int], method: str = "DL", *,
                     correction: float = 0.5, level: float = 0.95, ci: str = "wald",
                     labels: Sequence[str] | None = None, groups: Sequence[Any] | None = None,
                     keep: Sequence[str] | None = None) -> tuple[MetaResult, dict]:
    """Pool single-arm proportions on the logit scale and back-transform for display.

    Returns
    -------
    (MetaResult, dict)
        The logit-scale result and ``{"proportion", "ci_low", "ci_high", "pi_low",
        "pi_high"}`` back-transformed to fractions (the prediction limits are NaN where
        the result's are, see its ``notes``).

    Raises
    ------
    ValueError
        As :func:`random_effects`, plus ``events``/``ns`` of different lengths or counts
        out of range.
    """
    events = validate.sequence("events", events)
    if len(events) == 0:
        raise ValueError("events must contain at least one study (k >= 1); got k = 0")
    ns = _checks.labels("ns", ns, len(events), like="events")
    counts = [_checks.arm(e, n, names=(f"events[{i}]", f"ns[{i}]"))
              for i, (e, n) in enumerate(zip(events, ns))]
    pairs = [logit_proportion(e, n, correction=correction) for e, n in counts]
    res = random_effects([p[0] for p in pairs], [p[1] for p in pairs], method, level=level,
                         ci=ci, labels=labels, groups=groups, keep=keep)
    back = {"proportion": expit(res.estimate), "ci_low": expit(res.ci_low),
            "ci_high": expit(res.ci_high)}
    for key in ("pi_low", "pi_high"):
        value = getattr(res, key)
        back[key] = math.nan if math.isnan(value) else expit(value)
    return res, back


def i2_interval(q: float, k: int, *, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of I² from Cochran's Q (Higgins and Thompson 2002, test-based).

    Works on H = sqrt(Q / (k - 1)) with the standard error of ln H given in the paper, then
    converts the limits to I² = (H² - 1) / H², truncated at 0.

    Parameters
    ----------
    q : float
        Cochran's Q (>= 0).
    k : int
        Number of studies (>= 3; with 2 studies the standard error is undefined).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper limits of I² as fractions in [0, 1).

    Raises
    ------
    ValueError
        ``q`` negative or not finite, ``k`` below 3, or ``level`` outside (0, 1).

    References
    ----------
    Notebook 05_trial_evidence; Higgins JPT, Thompson SG (2002) Stat Med 21:1539-1558
    (the same formula as R heterometa::higgins).
    """
    q = validate.real("q", q, low=0)
    k = validate.count("k", k, low=3, high=_checks.MAX_N)
    z = z_quantile(level)
    if q > k:
        se_ln_h = 0.5 * (math.log(q) - math.log(k - 1)) / (math.sqrt(2 * q) - math.sqrt(2 * k - 3))
    else:
        se_ln_h = math.sqrt(1 / (2 * (k - 2)) * (1 - 1 / (3 * (k - 2) ** 2)))
    h = max(1.0, math.sqrt(q / (k - 1)))
    h_low = max(1.0, math.exp(math.log(h) - z * se_ln_h))
    h_high = max(1.0, math.exp(min(300.0, math.log(h) + z * se_ln_h)))
    return (h_low ** 2 - 1) / h_low ** 2, (h_high ** 2 - 1) / h_high ** 2
