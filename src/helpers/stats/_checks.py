"""Argument checks shared by the statistics modules (built on :mod:`helpers.core.validate`).

Internal: each public function of :mod:`helpers.stats` calls these so that a bad argument
raises ``ValueError``/``TypeError`` naming the parameter, never a NaN further down.
"""
from __future__ import annotations

from typing import Any, Sequence

from helpers.core import validate


def vector(name: str, values: Any, *, positive: bool = False, min_len: int = 1,
           length: int | None = None):
    """``values`` as a 1-D float array of finite numbers (all > 0 if ``positive``)."""
    import numpy as np

    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "fiu" \
            and len(values) >= min_len and (length is None or len(values) == length):
        arr = values.astype(float)  # fast path for simulations: one vectorised check
        if np.all(np.isfinite(arr)) and (not positive or np.all(arr > 0)):
            return arr
    items = validate.reals(name, values, min_len=min_len, length=length,
                           low=0.0 if positive else None, low_open=positive)
    return np.asarray(items, dtype=float)


def paired(effects: Any, variances: Any, *, min_len: int = 1):
    """Study effects and their variances (> 0) as two arrays of one length."""
    y = vector("effects", effects, min_len=min_len)
    v = vector("variances", variances, positive=True)
    if len(v) != len(y):
        raise ValueError(f"variances must have one entry per study, as effects ({len(y)}); "
                         f"got {len(v)}")
    return y, v


def labels(name: str, values: Any, length: int, *, like: str = "effects") -> list:
    """A sequence of ``length`` entries (labels, groups, counts …), one per item of ``like``."""
    out = validate.sequence(name, values)
    if len(out) != length:
        raise ValueError(f"{name} must have one entry per study, as {like} ({length}); got "
                         f"{len(out)}")
    return out


#: Largest group size accepted (beyond it float arithmetic on counts would overflow, and no
#: trial is that large).
MAX_N = 10 ** 9


def arm(events: Any, n: Any, *, names: Sequence[str] = ("events", "n"), min_n: int = 1):
    """``(events, n)`` as ints with ``min_n <= n <= MAX_N`` and ``0 <= events <= n``."""
    n = validate.count(names[1], n, low=min_n, high=MAX_N)
    events = validate.count(names[0], events)
    if events > n:
        raise ValueError(f"{names[0]} must be a whole number between 0 and {names[1]} ({n}); "
                         f"got {events}")
    return events, n


def optional_text(name: str, value: Any) -> str | None:
    """``value`` if it is None or a string (empty allowed)."""
    return None if value is None else validate.text(name, value, allow_empty=True)
