"""Normal, t, chi-squared and beta quantiles/tails from ``scipy.special``.

``scipy.stats`` costs about 0.6 s to import, more than a whole small notebook; these
one-line wrappers over ``scipy.special`` (about 0.05 s) give the same numbers
(``tests/test_stats_distributions.py`` compares them with ``scipy.stats``).

:func:`z_quantile` and :func:`t_quantile` are the package's only way from a confidence
level to the multiplier of a two-sided interval (``z_quantile(0.95)`` = 1.95996…), so no
module types 1.96.
"""
from __future__ import annotations

import math

from helpers.core import validate

__all__ = ["norm_cdf", "norm_ppf", "norm_logpdf", "norm_logsf", "chi2_sf", "t_ppf", "t_sf",
           "beta_ppf", "z_quantile", "t_quantile"]


def z_quantile(level: float = 0.95) -> float:
    """Normal multiplier of a two-sided interval at confidence ``level`` (1.96 for 0.95).

    Raises
    ------
    ValueError
        ``level`` is not a number strictly between 0 and 1.
    """
    level = validate.level("level", level)
    return float(norm_ppf(0.5 + level / 2))


def t_quantile(level: float, df: float) -> float:
    """Student-t multiplier of a two-sided interval at confidence ``level`` with ``df`` df.

    ``df`` need not be whole (e.g. Welch-Satterthwaite degrees of freedom).

    Raises
    ------
    ValueError
        ``level`` outside (0, 1) or ``df`` not a positive finite number.
    """
    level = validate.level("level", level)
    df = validate.real("df", df, low=0, low_open=True)
    return float(t_ppf(0.5 + level / 2, df))


def norm_cdf(x):
    """Standard normal cumulative distribution function."""
    from scipy import special

    return special.ndtr(x)


def norm_ppf(p):
    """Standard normal quantile function."""
    from scipy import special

    return special.ndtri(p)


def norm_logpdf(x):
    """Log density of the standard normal."""
    return -0.5 * x * x - 0.5 * math.log(2 * math.pi)


def norm_logsf(x):
    """Log survival function of the standard normal (accurate far in the tail)."""
    from scipy import special

    return special.log_ndtr(-x)


def chi2_sf(x, df):
    """Upper tail probability of a chi-squared distribution with ``df`` degrees of freedom."""
    from scipy import special

    return special.chdtrc(df, x)


def t_ppf(p, df):
    """Quantile of Student's t distribution with ``df`` degrees of freedom."""
    from scipy import special

    return special.stdtrit(df, p)


def t_sf(x, df):
    """Upper tail probability of Student's t distribution."""
    from scipy import special

    return special.stdtr(df, -x)


def beta_ppf(q, a, b):
    """Quantile of the beta distribution with shape parameters ``a`` and ``b``."""
    from scipy import special

    return special.betaincinv(a, b, q)
