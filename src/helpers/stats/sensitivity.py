"""Sensitivity analyses of a pooled result: leave-one-out, subgroups, Egger's test.

References
----------
Notebooks 05_trial_evidence and 06_reading_trials_critically. Egger M, Davey Smith G,
Schneider M, Minder C (1997) BMJ 315:629-634.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

from helpers.stats import _checks
from helpers.stats.distributions import chi2_sf, t_sf
from helpers.stats.pooling import random_effects

__all__ = ["leave_one_out", "subgroup_analysis", "egger_test"]


def leave_one_out(effects: Sequence[float], variances: Sequence[float], labels: Sequence[str],
                  method: str = "DL", *, transform: Callable | None = None,
                  level: float = 0.95, ci: str = "wald"):
    """Re-pool leaving out each study in turn (pandas DataFrame, one row per omission).

    Columns: ``omitted``, ``k``, ``estimate``, ``ci_low``, ``ci_high``, ``tau2``, ``i2``;
    ``transform`` (e.g. :func:`helpers.stats.proportions.expit`) is applied to estimate and
    CI if given. ``method``, ``level`` and ``ci`` as in
    :func:`helpers.stats.pooling.random_effects`.

    Raises
    ------
    ValueError
        Fewer than 2 studies, mismatched lengths, or bad values (as ``random_effects``).
    """
    import pandas as pd

    y, v = _checks.paired(effects, variances, min_len=2)
    labels = _checks.labels("labels", labels, len(y))
    if transform is not None and not callable(transform):
        raise TypeError(f"transform must be a function or None; got {transform!r}")
    f = transform or (lambda x: x)
    rows = []
    for i, label in enumerate(labels):
        mask = [j != i for j in range(len(y))]
        res = random_effects(y[mask], v[mask], method, level=level, ci=ci)
        rows.append({"omitted": label, "k": res.k, "estimate": f(res.estimate),
                     "ci_low": f(res.ci_low), "ci_high": f(res.ci_high),
                     "tau2": res.tau2, "i2": res.i2})
    return pd.DataFrame(rows)


def subgroup_analysis(effects: Sequence[float], variances: Sequence[float],
                      subgroups: Sequence[str], method: str = "DL", *,
                      level: float = 0.95, ci: str = "wald"):
    """Pool within each subgroup (e.g. RCT vs single-arm) and test the difference.

    Returns
    -------
    (dict, float, float)
        ``{subgroup: MetaResult}``, the between-subgroup Q (fixed-effect comparison of the
        subgroup estimates) and its P value (NaN if fewer than two subgroups).
    """
    import numpy as np

    y, v = _checks.paired(effects, variances)
    subgroups = _checks.labels("subgroups", subgroups, len(y))
    results = {}
    try:
        names = list(dict.fromkeys(subgroups))
    except TypeError:
        raise TypeError("subgroups must hold subgroup names (strings); got "
                        f"{subgroups!r}") from None
    for name in names:
        mask = np.array([s == name for s in subgroups])
        results[name] = random_effects(y[mask], v[mask], method, level=level, ci=ci)
    if len(results) < 2:
        return results, math.nan, math.nan
    est = np.array([r.estimate for r in results.values()])
    w = 1 / np.array([r.se ** 2 for r in results.values()])
    mean = float((w * est).sum() / w.sum())
    q_between = float((w * (est - mean) ** 2).sum())
    return results, q_between, float(chi2_sf(q_between, len(results) - 1))


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
        about 10 studies it has very little power anyway), or if all studies have the same
        variance (the regression then has no slope to fit).

    References
    ----------
    Notebook 06_reading_trials_critically; Egger M, Davey Smith G, Schneider M, Minder C
    (1997) BMJ 315:629-634.
    """
    import numpy as np

    y, v = _checks.paired(effects, variances, min_len=3)
    k = len(y)
    se = np.sqrt(v)
    X = np.column_stack([np.ones(k), 1 / se])
    z = y / se
    with np.errstate(all="ignore"):
        xtx = X.T @ X
        det = float(np.linalg.det(xtx)) if np.all(np.isfinite(xtx)) else math.nan
    if not (math.isfinite(det) and det > 1e-12 * float(np.abs(xtx).max()) ** 2) or \
            not np.all(np.isfinite(z)):
        raise ValueError("variances must differ between studies (and effects and variances "
                         "be moderate) for Egger's regression; got variances "
                         f"{list(v)!r}")
    beta, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ beta
    sigma2 = float(resid @ resid) / (k - 2)
    cov = sigma2 * np.linalg.inv(xtx)
    se_int = math.sqrt(cov[0, 0])
    t = beta[0] / se_int if se_int > 0 else math.inf
    p = float(2 * t_sf(abs(t), k - 2)) if math.isfinite(t) else 0.0
    return {"intercept": float(beta[0]), "se": se_int, "p": p, "k": k}
