"""Normal, t, chi-squared and beta quantiles/tails from ``scipy.special``.

``scipy.stats`` costs about 0.6 s to import, more than a whole small notebook; these
one-line wrappers over ``scipy.special`` (about 0.05 s) give the same numbers
(``tests/test_stats_distributions.py`` compares them with ``scipy.stats``).

:func:`z_quantile` and :func:`t_quantile` are the package's only way from a confidence
level to the multiplier of a two-sided interval (``z_quantile(0.95)`` is the familiar 95 %
normal multiplier), so no module types that number.
"""
from __future__ import annotations

import math

from helpers.core import validate

__all__ = ["norm_cdf", "norm_ppf", "norm_logpdf", "norm_logsf", "chi2_sf", "t_ppf", "t_sf",
           "beta_ppf", "z_quantile", "t_quantile"]


def z_quantile(level: float = 0.95) -> float:
    """Normal multiplier of a two-sided interval at confidence ``level``.

    Raises
    ------
    ValueError
        ``level`` is not a number strictly between 0 and 1.
    """
    return float(norm_ppf(_upper_tail_point(level)))


def t_quantile(level: float, df: float) -> float:
    """Student-t multiplier of a two-sided interval at confidence ``level`` with ``df`` df.

    ``df`` need not be whole (e.g. Welch-Satterthwaite degrees of freedom).

    Raises
    ------
    ValueError
        ``level`` outside (0, 1) or ``df`` not a positive finite number.
    """
    q = _upper_tail_point(level)
    df = validate.real("df", df, low=0, low_open=True)
    return float(t_ppf(q, df))


def _upper_tail_point(level) -> float:
    """``0.5 + level / 2``, refusing levels so close to 1 that it rounds to 1."""
    level = validate.level("level", level)
    q = 0.5 + level / 2
    if q >= 1.0:
        raise ValueError(f"level must be a number strictly between 0 and 1 that is not "
                         f"within rounding of 1; got {level!r}")
    return q


def _arg(name: str, value, *, low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False, infinite: bool = True):
    """A number or array of numbers (no NaN; ±inf only if ``infinite``) within the bounds.

    Scalars come back as floats (numpy scalars accepted), arrays as float arrays.
    """
    import numpy as np

    if isinstance(value, (bool, str, bytes)) or value is None:
        raise validate.ParameterTypeError(f"{name} must be a number or an array of numbers; "
                                          f"got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise validate.ParameterTypeError(f"{name} must be a number or an array of numbers; "
                                          f"got {value!r}") from None
    bad = np.isnan(arr) | (~np.isfinite(arr) if not infinite else False)
    if low is not None:
        bad |= (arr <= low) if low_open else (arr < low)
    if high is not None:
        bad |= (arr >= high) if high_open else (arr > high)
    if np.any(bad):
        where = validate.describe_interval(low, high, low_open=low_open, high_open=high_open)
        raise ValueError(f"{name} must be {'numbers' if arr.ndim else 'a number'} {where} "
                         f"(no NaN); got {value!r}")
    return float(arr) if arr.ndim == 0 else arr


def _finite(result, names: str):
    """``result`` if it holds no NaN or infinity, else a ValueError naming the inputs."""
    import numpy as np

    if not np.all(np.isfinite(result)):
        raise ValueError(f"{names} must be moderate enough for a finite result; got {result!r}")
    return result


def norm_cdf(x):
    """Standard normal cumulative distribution function."""
    from scipy import special

    return special.ndtr(_arg("x", x))


def norm_ppf(p):
    """Standard normal quantile function (``p`` in [0, 1]; 0 and 1 give ∓inf)."""
    from scipy import special

    return special.ndtri(_arg("p", p, low=0, high=1, low_open=True, high_open=True))


def norm_logpdf(x):
    """Log density of the standard normal."""
    x = _arg("x", x, infinite=False)
    return _finite(-0.5 * x * x - 0.5 * math.log(2 * math.pi), "x")


def norm_logsf(x):
    """Log survival function of the standard normal (accurate far in the tail)."""
    from scipy import special

    return _finite(special.log_ndtr(-_arg("x", x)), "x")


def chi2_sf(x, df):
    """Upper tail probability of a chi-squared distribution with ``df`` degrees of freedom."""
    from scipy import special

    return special.chdtrc(_arg("df", df, low=0, low_open=True, infinite=False),
                          _arg("x", x, low=0))


def t_ppf(p, df):
    """Quantile of Student's t distribution with ``df`` degrees of freedom."""
    from scipy import special

    return special.stdtrit(_arg("df", df, low=0, low_open=True),
                           _arg("p", p, low=0, high=1, low_open=True, high_open=True))


def t_sf(x, df):
    """Upper tail probability of Student's t distribution."""
    from scipy import special

    return special.stdtr(_arg("df", df, low=0, low_open=True), -_arg("x", x))


def beta_ppf(q, a, b):
    """Quantile of the beta distribution with shape parameters ``a`` and ``b`` (> 0)."""
    from scipy import special

    return _finite(special.betaincinv(_arg("a", a, low=0, low_open=True, infinite=False),
                                      _arg("b", b, low=0, low_open=True, infinite=False),
                                      _arg("q", q, low=0, high=1)), "a and b")
