"""The public API holds under bad input: a property-based test over every exported callable.

Every callable name in ``helpers.__all__`` is called with hostile arguments (wrong types,
None, NaN, +/-inf, huge and negative numbers, empty, ragged and self-referencing containers,
unknown ids, unicode text) mixed with plausible ones (small numbers, ids found in the
package data, the options a parameter declares).  Allowed outcomes:

* a normal return whose numbers contain no NaN, infinity or complex value, or
* ``ValueError`` / ``TypeError`` whose message names one of the function's parameters.

Anything else (OverflowError, KeyError, IndexError, RecursionError, a call that runs for
seconds …) breaks the promise.  Exercise checks must never raise at all.

``benchmarks/fuzz_api.py`` imports this module and runs the same calls without stopping at
the first violation, to count violations by exception type.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import io
import math
import random
import re
import signal
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import helpers

matplotlib.use("Agg")

DATA = Path(helpers.__file__).resolve().parent / "data"
#: CPU seconds one call may take before it counts as a violation (an unbounded loop)
CALL_SECONDS = 10
#: examples per function: plots and widgets draw figures, so they get fewer
EXAMPLES = {"plot": 6, "widget": 4, "other": 25}


# ---------------------------------------------------------------------------------------
# what the public API is
# ---------------------------------------------------------------------------------------
def public_callables() -> list[str]:
    """Every callable name exported by ``helpers`` (resolved through the lazy map)."""
    names = []
    for name in helpers.__all__:
        module = helpers._EXPORTS.get(name)
        obj = getattr(importlib_module(module), name) if module else getattr(helpers, name)
        if callable(obj):
            names.append(name)
    return names


def importlib_module(module: str):
    import importlib

    return importlib.import_module(f"helpers.{module}")


def resolve(name: str) -> Callable:
    """The exported object itself (not whatever ``helpers.<name>`` happens to hold)."""
    return getattr(importlib_module(helpers._EXPORTS[name]), name)


def kind(name: str) -> str:
    if name.startswith("plot_") or name in {"show"}:
        return "plot"
    if name.endswith("_demo") or name == "interactive_demo":
        return "widget"
    return "other"


# ---------------------------------------------------------------------------------------
# hostile and plausible values
# ---------------------------------------------------------------------------------------
def _yaml_ids() -> list[str]:
    """Ids and keys found in the package's data files (so calls reach past id look-ups)."""
    import yaml

    found: set[str] = set()

    def walk(node, depth=0):
        if depth > 4:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and depth <= 1:
                    found.add(k)
                if k in ("id", "key") and isinstance(v, str):
                    found.add(v)
                walk(v, depth + 1)
        elif isinstance(node, list):
            for v in node:
                walk(v, depth + 1)

    for path in sorted(DATA.rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(found)


@functools.cache
def known_strings() -> tuple[str, ...]:
    """Plausible strings: data ids, string defaults and declared options of every callable."""
    pool = set(_yaml_ids())
    for name in public_callables():
        fn = resolve(name)
        with contextlib.suppress(TypeError, ValueError):
            for p in inspect.signature(fn).parameters.values():
                if isinstance(p.default, str):
                    pool.add(p.default)
        for spec in getattr(fn, "param_ranges", {}).values():
            pool.update(o for o in getattr(spec, "options", ()) if isinstance(o, str))
    from helpers.checks import registered

    for nb in range(10):
        pool.update(registered(nb))
    return tuple(sorted(pool))


def _self_list():
    items: list = [1.0, 2.0]
    items.append(items)
    return items


def _self_dict():
    d: dict = {"a": 1.0}
    d["self"] = d
    return d


class _Weird:
    """An object of no expected type, whose repr is fine."""

    def __repr__(self) -> str:
        return "<weird object>"


SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 0.5, 1.0]
BIG_INTS = [10**12, -10**12, 2**63, 10**400, -10**400, -1, 0, 1, 2]

numbers = st.one_of(
    st.integers(-1000, 1000),
    st.sampled_from(BIG_INTS),
    st.floats(-1e3, 1e3),
    st.sampled_from(SPECIAL_FLOATS),
)
plain = st.one_of(
    numbers,
    st.none(),
    st.booleans(),
    st.complex_numbers(max_magnitude=10),
    st.text(max_size=8),
    st.sampled_from(["", " ", "é", "ünïcödé ✓", "\x00", "…", "日本語", "NaN", "1:45"]),
    st.builds(lambda: b"bytes"),
    st.builds(_Weird),
    st.builds(lambda: np.float64("nan")),
    st.builds(lambda: np.int64(3)),
    st.builds(lambda: np.float64(0.25)),
)


@functools.cache
def hostile() -> st.SearchStrategy:
    """One argument value: hostile or plausible, scalars or containers."""
    pool = known_strings()
    ids = st.integers(0, len(pool) - 1).map(pool.__getitem__)   # (a short strategy repr)
    scalar = st.one_of(plain, ids)
    return st.one_of(
        scalar,
        ids,
        st.lists(st.one_of(numbers, ids), max_size=4),
        st.lists(scalar, max_size=4).map(tuple),
        st.just([]), st.just(()), st.just({}), st.just(set()),
        st.just([[1, 2], [3]]),                       # ragged
        st.just([[1.0, 2.0], [3.0, 4.0]]),            # 2-D
        st.dictionaries(st.one_of(ids, st.text(max_size=4)), scalar, max_size=3),
        st.dictionaries(ids, st.booleans(), max_size=3),
        st.builds(_self_list),
        st.builds(_self_dict),
        st.lists(st.one_of(st.floats(-1e3, 1e3), st.sampled_from(SPECIAL_FLOATS)),
                 max_size=4).map(lambda xs: np.asarray(xs, dtype=float)),
        st.builds(lambda: np.zeros((2, 2))),
        st.builds(lambda: (lambda *a, **k: None)),    # a callable where data is expected
    )


@st.composite
def calls(draw, fn: Callable) -> tuple[list, dict]:
    """Arguments for one call of ``fn``: every required parameter and some optional ones."""
    params = list(inspect.signature(fn).parameters.values())
    has_varargs = any(p.kind is p.VAR_POSITIONAL for p in params)
    args: list = []
    kwargs: dict = {}
    value = hostile()
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            args.extend(draw(st.lists(value, max_size=3)))
        elif p.kind is p.VAR_KEYWORD:
            names = sorted(getattr(fn, "param_ranges", {})) + ["no_such_option"]
            kwargs.update(draw(st.dictionaries(st.sampled_from(names), value, max_size=2)))
        elif p.default is not p.empty and draw(st.booleans()):
            continue                                  # keep the default
        elif p.kind is p.POSITIONAL_ONLY or (has_varargs and p.kind is p.POSITIONAL_OR_KEYWORD):
            args.append(draw(value))
        else:
            kwargs[p.name] = draw(value)
    return args, kwargs


# ---------------------------------------------------------------------------------------
# judging one call
# ---------------------------------------------------------------------------------------
class CallTimeout(Exception):
    """A single call ran longer than CALL_SECONDS."""


@contextlib.contextmanager
def time_limit(seconds: float):
    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise CallTimeout(f"call ran over {seconds} s")

    # CPU time, not wall time: a loaded machine must not turn a slow call into a failure
    try:
        previous = signal.signal(signal.SIGPROF, stop)
    except ValueError:                                # not the main thread: no limit
        yield
        return
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextlib.contextmanager
def isolated():
    """Keep global state (rcParams, random generators, stdout, figures) as it was."""
    import matplotlib.pyplot as plt

    np_state, py_state = np.random.get_state(), random.getstate()
    with matplotlib.rc_context(), contextlib.redirect_stdout(io.StringIO()):
        try:
            yield
        finally:
            plt.close("all")
            np.random.set_state(np_state)
            random.setstate(py_state)


def names_a_parameter(message: str, fn: Callable) -> bool:
    """True if ``message`` names one of ``fn``'s parameters (as a whole word)."""
    with contextlib.suppress(TypeError, ValueError):
        names = set(inspect.signature(fn).parameters)
        names |= set(getattr(fn, "param_ranges", {}))
        for name in names:
            if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message):
                return True
    return False


def non_finite(value: Any, depth: int = 0, seen: set | None = None) -> str | None:
    """Describe the first NaN, infinity or complex number inside ``value`` (None if none)."""
    seen = set() if seen is None else seen
    if depth > 6 or id(value) in seen:
        return None
    if isinstance(value, (bool, str, bytes)) or value is None:
        return None
    if isinstance(value, complex) or isinstance(value, np.complexfloating):
        return "complex"
    if isinstance(value, (float, np.floating)):
        return None if math.isfinite(value) else repr(float(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "c":
            return "complex"
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            return "NaN/inf in array"
        if value.dtype.kind == "O":
            return non_finite(value.tolist(), depth + 1, seen)
        return None
    seen.add(id(value))
    if type(value).__name__ in ("DataFrame", "Series"):
        # in a pandas table NaN is the missing-data marker (a cell the source did not
        # report), so only infinities and complex numbers count here
        numeric = value.select_dtypes("number") if hasattr(value, "select_dtypes") else (
            value if value.dtype.kind in "fc" else value.iloc[:0])
        array = np.asarray(numeric.to_numpy())
        if array.dtype.kind == "c":
            return "complex"
        if array.dtype.kind == "f" and np.isinf(array).any():
            return "inf in table"
        return None
    if isinstance(value, dict):
        for v in value.values():
            found = non_finite(v, depth + 1, seen)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for v in value:
            found = non_finite(v, depth + 1, seen)
            if found:
                return found
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found = non_finite(getattr(value, f.name, None), depth + 1, seen)
            if found:
                return found
    return None


def outcome(fn: Callable, args: list, kwargs: dict, *, never_raise: bool = False) -> str:
    """``'ok'`` or a short name of the broken promise (e.g. ``'KeyError'``)."""
    try:
        with isolated(), time_limit(CALL_SECONDS):
            result = fn(*args, **kwargs)
    except CallTimeout:
        return "Timeout"
    except (ValueError, TypeError) as err:
        if never_raise:
            return type(err).__name__
        if names_a_parameter(str(err), fn):
            return "ok"
        return f"{type(err).__name__} naming no parameter"
    except Exception as err:                          # noqa: BLE001 - that is the point
        return type(err).__name__
    found = non_finite(result)
    return f"silent {found}" if found else "ok"


def describe_call(name: str, args: list, kwargs: dict) -> str:
    shown = [repr(a)[:80] for a in args] + [f"{k}={v!r}"[:80] for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


# ---------------------------------------------------------------------------------------
# runners shared by the test and the benchmark
# ---------------------------------------------------------------------------------------
def fuzz_settings(examples: int, *, shrink: bool = True):
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    phases=phases, suppress_health_check=list(HealthCheck))


def run_function(name: str, report: Callable[[str, str], None], *, shrink: bool = True):
    """Fuzz one exported callable; ``report(outcome, call)`` is called for each call."""
    fn = resolve(name)

    @fuzz_settings(EXAMPLES[kind(name)], shrink=shrink)
    @given(calls(fn))
    def run(call):
        args, kwargs = call
        report(outcome(fn, args, kwargs), describe_call(name, args, kwargs))

    run()


def all_check_ids() -> list[str]:
    from helpers.checks import registered

    ids: list[str] = []
    for nb in range(10):
        ids.extend(registered(nb))
    return ids


def run_check(exercise_id: str, report: Callable[[str, str], None], *, shrink: bool = True):
    """Fuzz one exercise check, directly and through feedback / check_exercise."""
    from helpers.checks import _checker, check_exercise, feedback

    checker = _checker(exercise_id)

    @fuzz_settings(EXAMPLES["other"], shrink=shrink)
    @given(st.lists(hostile(), min_size=1, max_size=2))
    def run(answers):
        for label, fn in ((f"check {exercise_id}", checker), ("feedback", feedback),
                          ("check_exercise", check_exercise)):
            # a checker takes one answer; feedback and check_exercise take any number
            call = answers[:1] if fn is checker else [exercise_id, *answers]
            report(outcome(fn, call, {}, never_raise=True), describe_call(label, call, {}))

    run()


def count_outcomes(shrink: bool = False) -> tuple[Counter, Counter, dict[str, str]]:
    """Run every fuzz target once; return (outcomes, violations per name, first example)."""
    tally: Counter = Counter()
    per_name: Counter = Counter()
    examples: dict[str, str] = {}

    def recorder(target: str):
        def report(result: str, call: str) -> None:
            tally[result] += 1
            if result != "ok":
                per_name[target] += 1
                examples.setdefault(f"{target}: {result}", call)
        return report

    def guarded(run, target, *args):
        try:
            run(*args, recorder(target), shrink=shrink)
        except Exception as err:  # noqa: BLE001 - a strategy that cannot even be built
            tally[f"harness {type(err).__name__}"] += 1
            per_name[target] += 1
            examples.setdefault(f"{target}: harness", repr(err)[:200])

    for name in public_callables():
        guarded(run_function, name, name)
    for exercise_id in all_check_ids():
        guarded(run_check, f"check {exercise_id}", exercise_id)
    return tally, per_name, examples


# ---------------------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------------------
def _fail(result: str, call: str) -> None:
    assert result == "ok", f"{result}: {call}"


def _params(names):
    return list(names)


@pytest.mark.parametrize("name", _params(public_callables()))
def test_public_callable_holds_under_bad_input(name):
    run_function(name, _fail)


@pytest.mark.parametrize("exercise_id", all_check_ids())
def test_exercise_check_never_raises(exercise_id):
    run_check(exercise_id, _fail)


def test_every_callable_is_fuzzed():
    """The list is enumerated, not hand-picked: it covers every callable export."""
    names = public_callables()
    assert len(names) >= 150
    assert {"sledai_2k", "plot_msc_funnel", "check_exercise", "Range"} <= set(names)


def test_judge_catches_what_it_should():
    """The judge itself: a silent NaN, a KeyError and an anonymous ValueError are caught."""
    def bad(x):
        return {"a": [float("nan")]}

    def keyerror(x):
        return {}[x]

    def anonymous(x):
        raise ValueError("something went wrong")

    def named(x):
        raise ValueError(f"x must be a number; got {x!r}")

    assert outcome(bad, [1], {}).startswith("silent")
    assert outcome(keyerror, [1], {}) == "KeyError"
    assert outcome(anonymous, [1], {}) == "ValueError naming no parameter"
    assert outcome(named, [1], {}) == "ok"
    assert outcome(named, [1], {}, never_raise=True) == "ValueError"
    assert non_finite(_self_list()) is None
