"""Declared parameter ranges: one place for validation, widget bounds and tests.

Each model, calculator or plotting function that a widget can drive declares its
parameters once with :func:`ranged`.  The same declaration is used to

* validate arguments (``ValueError`` naming the parameter and the allowed range),
* build slider / dropdown / checkbox bounds in :mod:`helpers.core.widgets`,
* generate property-based tests over the whole allowed range.

Examples
--------
>>> @ranged(dose=Range(0.0, 10.0, default=1.0, step=0.5, label="dose, 10^6 cells/kg"))
... def response(dose=1.0):
...     return dose / (1 + dose)
>>> round(response(dose=3.0), 2)
0.75
>>> response(dose=11)
Traceback (most recent call last):
...
ValueError: dose (dose, 10^6 cells/kg) must be between 0 and 10; got 11
"""
from __future__ import annotations

import functools
import inspect
import math
from dataclasses import dataclass
from numbers import Real
from typing import Any, Callable

from helpers.core import validate

__all__ = ["Range", "Choice", "Flag", "ranged", "LazyRanged", "param_ranges", "defaults",
           "random_settings"]


def _fmt(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Range:
    """A closed numeric interval ``[low, high]`` with a default and a slider step.

    Parameters
    ----------
    low, high : float
        Inclusive bounds.
    default : float
        Value used for the static figure drawn before a widget.
    step : float, optional
        Slider step; defaults to 1 for integer ranges and (high - low) / 100 otherwise.
    label : str, optional
        Human-readable name with units, used in widget labels and error messages.
    integer : bool, default False
        If True, the value must be a whole number (an ``IntSlider`` is built).
    log : bool, default False
        If True, the slider moves in equal *ratios* (a ``FloatLogSlider``): for a quantity
        drawn on a log axis, where a linear slider would crowd the lower decades into
        its first few steps. ``step`` is then in powers of ten (default: 1/100 of the
        range's decades) and ``low`` must be positive.
    """

    low: float
    high: float
    default: float
    step: float | None = None
    label: str = ""
    integer: bool = False
    log: bool = False

    def __post_init__(self) -> None:
        validate.real("low", self.low)
        validate.real("high", self.high)
        validate.real("default", self.default)
        if self.step is not None:
            validate.real("step", self.step, low=0, low_open=True)
        validate.text("label", self.label, allow_empty=True)
        validate.flag("integer", self.integer)
        validate.flag("log", self.log)
        if self.log and (self.integer or not self.low > 0):
            raise ValueError(f"a log Range needs a positive low and no integer values; "
                             f"got low={self.low}, integer={self.integer}")
        if not self.low < self.high:
            raise ValueError(f"Range low ({self.low}) must be below high ({self.high})")
        if not self.low <= self.default <= self.high:
            raise ValueError(f"Range default ({self.default}) must lie in [{self.low}, {self.high}]")

    @property
    def slider_step(self) -> float:
        """The step used by a slider for this range."""
        if self.step is not None:
            return self.step
        if self.log:
            return (math.log10(self.high) - math.log10(self.low)) / 100
        return 1 if self.integer else (self.high - self.low) / 100

    def positions(self) -> list[float]:
        """Every value a slider for this range can take, from ``low`` to ``high``."""
        if self.log:
            lo, hi = math.log10(self.low), math.log10(self.high)
            steps = int(round((hi - lo) / self.slider_step))
            return [self.snap(10 ** min(lo + k * self.slider_step, hi)) for k in range(steps + 1)]
        steps = int(round((self.high - self.low) / self.slider_step))
        return [float(min(round(self.low + k * self.slider_step, 10), self.high))
                for k in range(steps + 1)]

    def snap(self, value: float) -> float:
        """``value`` moved onto a bound it misses by rounding only (a log slider's 10**x)."""
        for bound in (self.low, self.high):
            if math.isclose(value, bound, rel_tol=1e-9):
                return float(bound)
        return value

    def describe(self) -> str:
        """Return the allowed range as text, e.g. ``'between 0 and 10'``."""
        text = f"between {_fmt(self.low)} and {_fmt(self.high)}"
        if self.integer:
            text = "a whole number " + text
        return text

    def validate(self, name: str, value: Any) -> Any:
        """Return ``value`` if it lies in the range, else raise ``ValueError``."""
        bad = isinstance(value, bool) or not isinstance(value, Real)
        if not bad and self.log:
            value = self.snap(value)
        if not bad:
            try:
                bad = math.isnan(float(value)) or not self.low <= value <= self.high
            except OverflowError:  # an int too large for a float is outside every range
                bad = True
            if self.integer and not bad:
                bad = float(value) != int(value)
        if bad:
            what = f"{name} ({self.label})" if self.label else name
            raise ValueError(f"{what} must be {self.describe()}; got {value!r}")
        return int(value) if self.integer else value


def _member(value: Any, options: tuple) -> bool:
    """``value in options``, False for values that cannot be compared (e.g. arrays)."""
    try:
        return bool(value in options)
    except Exception:  # noqa: BLE001 - an array or odd object is simply not an option
        return False


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of options (a dropdown in a widget).

    Parameters
    ----------
    options : tuple
        The values the parameter may take (ids, codes, numbers).
    default : object
        One of ``options``.
    label : str, optional
        Human-readable name of the parameter.
    option_labels : tuple of str, optional
        What a reader sees for each option, in the same order (e.g. "Wang 2014" for
        ``"wang2014"``); the function still receives the option itself. Default: the
        options as text.
    """

    options: tuple
    default: Any
    label: str = ""
    option_labels: tuple = ()

    def __post_init__(self) -> None:
        if not isinstance(self.options, tuple) or not self.options:
            raise validate.ParameterTypeError(f"options must be a non-empty tuple; got "
                                              f"{self.options!r}")
        validate.text("label", self.label, allow_empty=True)
        if any(isinstance(o, float) and not math.isfinite(o) for o in self.options):
            raise ValueError(f"options must not hold NaN or infinite numbers; got "
                             f"{self.options!r}")
        if not _member(self.default, self.options):
            raise ValueError(f"Choice default {self.default!r} is not one of {self.options!r}")
        if not isinstance(self.option_labels, tuple):
            raise validate.ParameterTypeError(f"option_labels must be a tuple of str; got "
                                              f"{self.option_labels!r}")
        if self.option_labels:
            if len(self.option_labels) != len(self.options):
                raise ValueError(f"option_labels must give one label per option "
                                 f"({len(self.options)}); got {len(self.option_labels)}")
            for i, text in enumerate(self.option_labels):
                validate.text(f"option_labels[{i}]", text)
            if len(set(self.option_labels)) != len(self.option_labels):
                raise ValueError(f"option_labels must be distinct; got {self.option_labels!r}")

    @property
    def labelled_options(self) -> list[tuple[str, Any]]:
        """``[(label, option), ...]``, as an ipywidgets ``Dropdown`` takes them."""
        labels = self.option_labels or tuple(str(o) for o in self.options)
        return list(zip(labels, self.options))

    def describe(self) -> str:
        """Return the allowed options as text."""
        return "one of " + ", ".join(repr(o) for o in self.options)

    def validate(self, name: str, value: Any) -> Any:
        """Return ``value`` if it is an allowed option, else raise ``ValueError``."""
        if not _member(value, self.options):
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}")
        return value


@dataclass(frozen=True)
class Flag:
    """A yes/no switch (a checkbox in a widget)."""

    default: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        validate.flag("default", self.default)
        validate.text("label", self.label, allow_empty=True)

    def describe(self) -> str:
        """Return the allowed values as text."""
        return "True or False"

    def validate(self, name: str, value: Any) -> bool:
        """Return ``value`` if it is a bool, else raise ``ValueError``."""
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be {self.describe()}; got {value!r}")
        return value


Spec = Range | Choice | Flag


def ranged(**specs: Spec) -> Callable:
    """Declare and enforce the allowed values of a function's keyword parameters.

    The wrapped function validates every declared argument on each call and exposes
    the declarations as ``fn.param_ranges`` (read by :func:`param_ranges`).

    Parameters
    ----------
    **specs : Range, Choice or Flag
        One declaration per parameter name; each name must be a parameter of the function.

    Raises
    ------
    ValueError
        At decoration time if a name is not a parameter; at call time if a value is
        outside its declared range.
    """

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)
        unknown = set(specs) - set(signature.parameters)
        if unknown:
            raise ValueError(f"{fn.__name__} has no parameter(s) {sorted(unknown)}")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, spec in specs.items():
                bound.arguments[name] = spec.validate(name, bound.arguments[name])
            return fn(*bound.args, **bound.kwargs)

        wrapper.param_ranges = dict(specs)
        return wrapper

    return decorate


class LazyRanged:
    """A :func:`ranged` function whose declarations come from data, built on first use.

    It behaves as the function itself (call, ``inspect.signature``, ``param_ranges``,
    ``help``) but runs ``build`` -- which reads the data and returns the decorated
    function -- only when one of those is first needed, so importing its module does no
    work.

    Parameters
    ----------
    build : callable
        ``build()`` returns the function decorated with :func:`ranged`.
    name, doc : str
        The function's name and docstring (available before it is built).
    module : str
        The defining module's ``__name__``.
    """

    def __init__(self, build: Callable[[], Callable], name: str, doc: str, module: str):
        self._build = build
        self.__name__ = self.__qualname__ = name
        self.__module__ = module
        self.__doc__ = doc

    @functools.cached_property
    def _function(self) -> Callable:
        return self._build()

    @property
    def __signature__(self):
        return inspect.signature(self._function)

    @property
    def param_ranges(self) -> dict:
        return self._function.param_ranges

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {self.__module__}.{self.__name__}>"


def param_ranges(fn: Callable) -> dict[str, Spec]:
    """Return the parameter declarations of a function decorated with :func:`ranged`."""
    specs = getattr(fn, "param_ranges", None)
    if specs is None:
        raise ValueError(f"fn must be decorated with helpers.core.params.ranged; {fn!r} is not")
    return dict(specs)


def defaults(fn: Callable) -> dict[str, Any]:
    """Return ``{name: default}`` for every declared parameter of ``fn``."""
    return {name: spec.default for name, spec in param_ranges(fn).items()}


def random_settings(specs: dict[str, Spec], rng, *, extremes: bool = False) -> dict[str, Any]:
    """Return one random setting of a widget's controls (for benchmarks and layout tests).

    Parameters
    ----------
    specs : dict
        ``{name: Range | Choice | Flag}``, e.g. ``Demo.specs``.
    rng : numpy.random.Generator
    extremes : bool, default False
        False puts every slider at a position it can take (a whole number of steps from
        its low end); True puts each slider at its low or high end, where labels are
        longest and models most extreme.

    Returns
    -------
    dict
        ``{name: value}``; options and flags are drawn at random in both modes.
    """
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        if isinstance(spec, Choice):
            values[name] = spec.options[int(rng.integers(len(spec.options)))]
        elif isinstance(spec, Flag):
            values[name] = bool(rng.integers(2))
        elif extremes:
            values[name] = (spec.low, spec.high)[int(rng.integers(2))]
        elif spec.integer:
            values[name] = int(rng.integers(int(spec.low), int(spec.high) + 1))
        else:
            positions = spec.positions()
            values[name] = positions[int(rng.integers(len(positions)))]
    return values
