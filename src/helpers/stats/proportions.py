"""Single proportions: Wilson and exact intervals, the logit scale and its inverse.

* :func:`wilson_interval` — Wilson score interval (the building block of Newcombe's
  interval for a risk difference, :func:`helpers.stats.effect_sizes.risk_difference`);
* :func:`proportion_ci` — exact (Clopper-Pearson) interval, as shown beside each study;
* :func:`logit_proportion` / :func:`expit` — the scale on which single-arm proportions are
  pooled (:func:`helpers.stats.pooling.pool_proportions`);
* :func:`counts_from_percent` — responders implied by a reported percentage.

Examples
--------
>>> low, high = wilson_interval(3, 10)
>>> round(low, 3), round(high, 3)
(0.108, 0.603)

References
----------
Notebooks 02_treatment_burden and 05_trial_evidence. Wilson EB (1927) J Am Stat Assoc
22:209-212; Clopper CJ, Pearson ES (1934) Biometrika 26:404-413.
"""
from __future__ import annotations

import math
from typing import Any

from helpers.core import validate
from helpers.stats import _checks
from helpers.stats.distributions import beta_ppf, z_quantile

__all__ = ["wilson_interval", "wilson_limits", "proportion_ci", "logit_proportion", "expit",
           "counts_from_percent"]


def wilson_limits(events: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score limits for counts already checked and a normal multiplier ``z``."""
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_interval(events: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion ``events / n`` (as fractions).

    Parameters
    ----------
    events, n : int
        Responders and patients (whole numbers, Python or numpy; 0 <= events <= n, n >= 1).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Raises
    ------
    ValueError
        If ``n`` is not a whole number >= 1, ``events`` is not in 0..n, or ``level`` is
        outside (0, 1).
    """
    events, n = _checks.arm(events, n)
    return wilson_limits(events, n, z_quantile(level))


def proportion_ci(events: int, n: int, *, level: float = 0.95) -> tuple[float, float, float]:
    """Proportion and its exact (Clopper-Pearson) confidence interval.

    Returns
    -------
    (float, float, float)
        ``(events / n, low, high)``, fractions in [0, 1].

    Raises
    ------
    ValueError
        Counts out of range or ``level`` outside (0, 1).

    References
    ----------
    Notebook 05_trial_evidence; Clopper CJ, Pearson ES (1934) Biometrika 26:404-413.
    """
    events, n = _checks.arm(events, n)
    tail = (1 - validate.level("level", level)) / 2
    low = 0.0 if events == 0 else float(beta_ppf(tail, events, n - events + 1))
    high = 1.0 if events == n else float(beta_ppf(1 - tail, events + 1, n - events))
    return events / n, low, high


def logit_proportion(events: int, n: int, *, correction: float = 0.5) -> tuple[float, float]:
    """Log odds of a proportion and its variance, with a continuity correction.

    Parameters
    ----------
    events, n : int
        Responders and patients (0 <= events <= n, n >= 1).
    correction : float, default 0.5
        Added to events and non-events when either is zero (otherwise the log odds is
        infinite); not applied when 0 < events < n. Between 0 (exclusive) and 1.

    Returns
    -------
    (float, float)
        ``log((e + c) / (n - e + c))`` and ``1/(e + c) + 1/(n - e + c)``.

    References
    ----------
    Notebook 05_trial_evidence; the usual logit transform of single proportions
    (e.g. metafor ``escalc(measure="PLO")``).
    """
    events, n = _checks.arm(events, n)
    correction = validate.real("correction", correction, low=0, high=1, low_open=True)
    c = correction if events in (0, n) else 0.0
    a, b = events + c, n - events + c
    return math.log(a / b), 1 / a + 1 / b


def expit(x: Any):
    """Inverse logit, 1 / (1 + exp(-x)), of a finite number or a 1-D sequence of them.

    Returns a float for a number and a numpy array for a sequence or array.

    Raises
    ------
    ValueError
        ``x`` is not a finite number or a flat sequence of finite numbers (NaN and
        infinities included).
    """
    import numpy as np

    if hasattr(x, "__len__") and not isinstance(x, (str, bytes)):
        arr = _checks.vector("x", x, min_len=0)
    else:
        arr = np.asarray(validate.real("x", x))
    with np.errstate(over="ignore"):  # exp(-x) overflows to inf for x << 0: expit -> 0
        out = 1 / (1 + np.exp(-arr))
    return float(out) if out.ndim == 0 else out


def counts_from_percent(percent: float, n: int) -> int:
    """Return the number of responders implied by a reported percentage of ``n`` patients.

    Parameters
    ----------
    percent : float
        Reported response, per cent (0 to 100).
    n : int
        Arm size (a whole number of at least 1).

    Raises
    ------
    ValueError
        If ``percent`` is outside 0-100 or ``n`` is not a positive whole number.
    """
    percent = validate.real("percent", percent, low=0, high=100)
    n = validate.count("n", n, low=1, high=_checks.MAX_N)
    return int(round(percent * n / 100))
