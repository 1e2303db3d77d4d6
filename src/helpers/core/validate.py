"""One way to check arguments, with one message style, for every public function.

Every message names the parameter, says what is allowed and shows what was given::

    n must be a whole number >= 1; got 0
    level must be a number strictly between 0 and 1; got 1.5

Numbers may be Python or numpy scalars (``np.int64(3)`` is a whole number); ``bool`` is
never a number.  A wrong *type* raises :class:`ParameterTypeError`, which is both a
``TypeError`` and a ``ValueError`` (as numpy's ``AxisError`` is both a ``ValueError`` and an
``IndexError``), so callers that catch either keep working; a value of the right type
outside its range raises ``ValueError``.

Examples
--------
>>> count("events", 3, high=10)
3
>>> real("level", 1.5, low=0, high=1, low_open=True, high_open=True)
Traceback (most recent call last):
...
ValueError: level must be a number strictly between 0 and 1; got 1.5
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Iterable, Sequence

__all__ = ["ParameterTypeError", "real", "count", "probability", "level", "choice",
           "flag", "reals", "sequence", "text", "axes", "table", "records", "rng",
           "describe_interval"]


class ParameterTypeError(TypeError, ValueError):
    """An argument of the wrong type (also a ``ValueError``, for existing callers)."""


def _fmt(x: float) -> str:
    return f"{x:g}"


def describe_interval(low: float | None = None, high: float | None = None, *,
                      low_open: bool = False, high_open: bool = False) -> str:
    """Return the allowed interval as words, e.g. ``'between 0 and 1'`` or ``'> 0'``."""
    if low is not None and high is not None:
        if low_open and high_open:
            return f"strictly between {_fmt(low)} and {_fmt(high)}"
        if not low_open and not high_open:
            return f"between {_fmt(low)} and {_fmt(high)}"
        left = ">" if low_open else ">="
        right = "<" if high_open else "<="
        return f"{left} {_fmt(low)} and {right} {_fmt(high)}"
    if low is not None:
        return f"{'>' if low_open else '>='} {_fmt(low)}"
    if high is not None:
        return f"{'<' if high_open else '<='} {_fmt(high)}"
    return "finite"


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and not (
        hasattr(value, "dtype") and value.dtype.kind == "b")


def real(name: str, value: Any, *, low: float | None = None, high: float | None = None,
         low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite ``float`` inside the interval, or raise.

    Parameters
    ----------
    name : str
        The parameter's name, used in the message.
    value : object
        What the caller passed.
    low, high : float, optional
        Bounds; ``None`` means unbounded on that side (the value must still be finite).
    low_open, high_open : bool, default False
        Exclude the bound itself.

    Raises
    ------
    ParameterTypeError
        ``value`` is not a real number (``bool``, ``str``, ``None``, complex, arrays …).
    ValueError
        ``value`` is NaN, infinite or outside the interval.
    """
    where = describe_interval(low, high, low_open=low_open, high_open=high_open)
    what = "a finite number" if where == "finite" else f"a number {where}"
    if not _is_number(value):
        raise ParameterTypeError(f"{name} must be {what}; got {value!r}")
    try:
        x = float(value)
    except OverflowError:  # an int too large for a float is not a finite number
        raise ValueError(f"{name} must be {what}; got an integer of {len(str(value))} "
                         "digits") from None
    bad = not math.isfinite(x)
    if low is not None and not bad:
        bad = x <= low if low_open else x < low
    if high is not None and not bad:
        bad = bad or (x >= high if high_open else x > high)
    if bad:
        raise ValueError(f"{name} must be {what}; got {value!r}")
    return x


def count(name: str, value: Any, *, low: int = 0, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` (a whole number ``low <= value <= high``), or raise.

    Whole-valued floats such as ``3.0`` are accepted; ``3.5`` is not.
    """
    where = describe_interval(low, high)
    if not _is_number(value):
        raise ParameterTypeError(f"{name} must be a whole number {where}; got {value!r}")
    if not isinstance(value, Integral):
        x = float(value)
        if not math.isfinite(x) or x != int(x):
            raise ValueError(f"{name} must be a whole number {where}; got {value!r}")
    n = int(value)
    if n < low or (high is not None and n > high):
        raise ValueError(f"{name} must be a whole number {where}; got {value!r}")
    return n


def probability(name: str, value: Any, *, open_ends: bool = False) -> float:
    """Return ``value`` as a float in [0, 1] (or (0, 1) with ``open_ends``), or raise."""
    return real(name, value, low=0.0, high=1.0, low_open=open_ends, high_open=open_ends)


def level(name: str, value: Any) -> float:
    """Return a confidence level strictly between 0 and 1 (e.g. 0.95), or raise."""
    return real(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def choice(name: str, value: Any, options: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``options``, else raise ``ValueError``."""
    options = tuple(options)
    try:
        ok = value in options
    except Exception:  # unhashable or oddly comparing values are simply not options
        ok = False
    if not ok:
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {shown}; got {value!r}")
    return value


def flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (numpy bools included), else raise."""
    if isinstance(value, bool):
        return value
    if hasattr(value, "dtype") and getattr(value, "shape", None) == () and value.dtype.kind == "b":
        return bool(value)
    raise ParameterTypeError(f"{name} must be True or False; got {value!r}")


def text(name: str, value: Any, *, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a string (non-empty unless ``allow_empty``), else raise."""
    if not isinstance(value, str):
        raise ParameterTypeError(f"{name} must be a string; got {value!r}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    return value


def _is_sequence(values: Any) -> bool:
    """True for lists, tuples, arrays, Series …; False for strings, mappings and sets."""
    return (not isinstance(values, (str, bytes, dict, set, frozenset))
            and hasattr(values, "__len__") and hasattr(values, "__iter__"))


def sequence(name: str, values: Any) -> list:
    """Return a flat sequence (list, tuple, 1-D array, Series; not a string, mapping or set)
    as a list, or raise :class:`ParameterTypeError`."""
    if not _is_sequence(values) or getattr(values, "ndim", 1) != 1:
        raise ParameterTypeError(f"{name} must be a flat sequence (list, tuple or "
                                 f"1-D array); got {values!r}")
    return list(values)


def reals(name: str, values: Any, *, min_len: int = 1, length: int | None = None,
          low: float | None = None, high: float | None = None,
          low_open: bool = False, high_open: bool = False) -> list[float]:
    """Return a flat sequence of finite numbers as a list of floats, or raise.

    Parameters
    ----------
    name : str
        The parameter's name.
    values : sequence of numbers (list, tuple, 1-D numpy array, pandas Series)
    min_len : int, default 1
        Fewest items allowed.
    length : int, optional
        Exact length required (e.g. to match another argument).
    low, high, low_open, high_open
        Bounds every item must respect (as in :func:`real`).
    """
    if not _is_sequence(values):
        raise ParameterTypeError(f"{name} must be a sequence of numbers; got {values!r}")
    if getattr(values, "ndim", 1) != 1:
        raise ValueError(f"{name} must be a flat (1-D) sequence of numbers; got shape "
                         f"{getattr(values, 'shape', None)}")
    items: Sequence[Any] = list(values)
    if length is not None and len(items) != length:
        raise ValueError(f"{name} must have {length} items; got {len(items)}")
    if len(items) < min_len:
        raise ValueError(f"{name} must have at least {min_len} item(s); got {len(items)}")
    checked = _checked_array(values, low, high, low_open, high_open)
    if checked is not None:
        return checked
    out = []
    for i, item in enumerate(items):
        out.append(real(f"{name}[{i}]", item, low=low, high=high,
                        low_open=low_open, high_open=high_open))
    return out


def _checked_array(values: Any, low, high, low_open: bool, high_open: bool) -> list | None:
    """A numpy array's items as floats if all pass :func:`real`'s checks, else None.

    One vectorised check instead of one :func:`real` call per item (a widget refits
    arrays of wells on every redraw); for anything else, or any bad item, None sends
    :func:`reals` to the item-by-item check, which names the first bad item.
    """
    dtype = getattr(values, "dtype", None)
    if type(values).__module__ != "numpy" or dtype is None or dtype.kind not in "fiu" or (
            dtype.kind == "f" and dtype.itemsize > 8):
        return None
    import numpy as np

    x = values.astype(float)
    bad = ~np.isfinite(x)
    if low is not None:
        bad |= x <= low if low_open else x < low
    if high is not None:
        bad |= x >= high if high_open else x > high
    return None if bad.any() else x.tolist()


def axes(name: str, value: Any, *, count: int = 1) -> Any:
    """Return ``value`` if it is ``None`` or the Axes a plot draws on, else raise.

    Parameters
    ----------
    name : str
        The parameter's name (usually ``"ax"``).
    value : None, matplotlib Axes, or a sequence of ``count`` Axes
        ``None`` lets the plot make its own figure.
    count : int, default 1
        Panels the plot draws: 1 wants one Axes, 2 a pair (e.g. from
        ``plt.subplots(1, 2)``).

    Returns
    -------
    None, Axes or tuple of Axes
    """
    if value is None:
        return None
    from matplotlib.axes import Axes  # only reached by plots, which import matplotlib anyway

    if count == 1:
        if isinstance(value, Axes):
            return value
        raise ParameterTypeError(f"{name} must be a matplotlib Axes or None; got {value!r}")
    if isinstance(value, Axes):
        raise ValueError(f"{name} must be a sequence of {count} matplotlib Axes (this plot "
                         f"draws {count} panels, e.g. plt.subplots(1, {count})) or None; "
                         "got one Axes")
    items = list(value.ravel()) if hasattr(value, "ravel") else (
        list(value) if isinstance(value, (list, tuple)) else None)
    if items is None or len(items) != count or not all(isinstance(a, Axes) for a in items):
        raise ParameterTypeError(f"{name} must be a sequence of {count} matplotlib Axes "
                                 f"(e.g. plt.subplots(1, {count})) or None; got {value!r}")
    return tuple(items)


def table(name: str, value: Any, columns: Iterable[str] = ()) -> Any:
    """Return ``value`` if it is a pandas DataFrame holding ``columns``, else raise.

    Checked by shape (``columns`` and ``iterrows``), so pandas is not imported here.
    """
    if not (hasattr(value, "columns") and hasattr(value, "iterrows")):
        raise ParameterTypeError(f"{name} must be a pandas DataFrame; got "
                                 f"{type(value).__name__}")
    lacking = [c for c in columns if c not in value.columns]
    if lacking:
        raise ValueError(f"{name} must have the columns {list(columns)}; it lacks {lacking}")
    return value


def records(name: str, value: Any, keys: Iterable[str] = (), *, min_len: int = 1) -> list:
    """Return ``value`` as a list of dicts that each hold ``keys``, else raise."""
    keys = list(keys)
    if not isinstance(value, (list, tuple)):
        raise ParameterTypeError(f"{name} must be a list of dicts; got {type(value).__name__}")
    if len(value) < min_len:
        raise ValueError(f"{name} must have at least {min_len} row(s); got {len(value)}")
    for i, row in enumerate(value):
        if not isinstance(row, dict):
            raise ParameterTypeError(f"{name}[{i}] must be a dict; got {row!r}")
        lacking = [k for k in keys if k not in row]
        if lacking:
            raise ValueError(f"{name}[{i}] must have the keys {keys}; it lacks {lacking}")
    return list(value)


def rng(name: str, value: Any):
    """Return a ``numpy.random.Generator`` from a seed (whole number >= 0) or a Generator."""
    import numpy as np

    if isinstance(value, np.random.Generator):
        return value
    if not _is_number(value) or not isinstance(value, Integral) or value < 0:
        raise ParameterTypeError(f"{name} must be a whole-number seed >= 0 or a "
                                 f"numpy.random.Generator; got {value!r}")
    return np.random.default_rng(int(value))
