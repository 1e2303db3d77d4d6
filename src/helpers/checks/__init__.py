"""Exercise feedback: one short, deterministic line per check, and never an exception.

A notebook's exercise stub ends with ``check_exercise("1.2", answer)``.  The checker for
exercise ``N.k`` lives in ``helpers.checks.nbNN`` (imported on first use) and returns a
message; :func:`check_exercise` prints it as ``Exercise N.k: <message>``:

* ``not attempted yet — …`` while the answer still holds the ``...`` placeholder,
* ``not quite — <hint>`` for a recognised common mistake,
* ``correct — <why>`` when these checks pass.

Checks are formative: they say which checks passed, never that an answer is perfect.
"""
from __future__ import annotations

import functools
import importlib
import math
import re
from numbers import Real
from typing import Any, Callable

__all__ = ["check_exercise", "feedback", "exercise", "registered", "is_blank", "close",
           "NOT_ATTEMPTED", "CORRECT"]

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
_ID = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
_REGISTRY: dict[str, Callable[..., str]] = {}


def exercise(exercise_id: str) -> Callable:
    """Register the decorated function as the checker of ``exercise_id`` (e.g. ``"0.1"``)."""
    if not isinstance(exercise_id, str) or not _ID.match(exercise_id):
        raise ValueError(f"exercise_id must look like 'N.k' (e.g. '1.2'); got {exercise_id!r}")

    def decorate(fn: Callable[..., str]) -> Callable[..., str]:
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise_id {exercise_id!r} is registered twice")

        @functools.wraps(fn)
        def never_raises(*answers: Any) -> str:
            try:
                return fn(*answers)
            except Exception as err:  # a check is formative: it must never break the notebook
                return _could_not_check(answers, err)

        _REGISTRY[exercise_id] = never_raises
        return never_raises

    return decorate


def _could_not_check(answers: tuple, err: Exception) -> str:
    kinds = ", ".join(type(a).__name__ for a in answers) or "no answer"
    return (f"could not check this answer ({kinds}: {type(err).__name__}) — look at the type "
            "the exercise asks for.")


def is_blank(answer: Any, _seen: frozenset = frozenset()) -> bool:
    """True if ``answer`` is, or contains, the ``...`` placeholder of an untouched stub.

    Containers that hold themselves (``a = []; a.append(a)``) are looked at once.
    """
    if answer is Ellipsis or answer is None:
        return True
    if id(answer) in _seen or len(_seen) > 1000:
        return False
    if isinstance(answer, dict):
        inner = _seen | {id(answer)}
        return any(is_blank(v, inner) for v in answer.values())
    if isinstance(answer, (list, tuple, set)):
        inner = _seen | {id(answer)}
        return not answer or any(is_blank(v, inner) for v in answer)
    return False


def close(value: Any, target: float, *, rel: float = 0.01, abs_tol: float = 0.0) -> bool:
    """True if ``value`` is a real number within ``rel`` (relative) or ``abs_tol`` of target."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    try:
        x = float(value)
    except (OverflowError, ValueError):  # an int too large for a float is no match
        return False
    if math.isnan(x):
        return False
    return math.isclose(x, target, rel_tol=rel, abs_tol=abs_tol)


def _checker(exercise_id: str) -> Callable[..., str]:
    match = _ID.match(exercise_id) if isinstance(exercise_id, str) else None
    if match is None:
        raise ValueError(f"exercise_id must look like 'N.k' (e.g. '1.2'); got {exercise_id!r}")
    if exercise_id not in _REGISTRY:
        module = f"{__name__}.nb{int(match.group(1)):02d}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
    if exercise_id not in _REGISTRY:
        raise ValueError(f"exercise_id {exercise_id!r} has no registered check")
    return _REGISTRY[exercise_id]


def registered(notebook: int | None = None) -> list[str]:
    """Return the registered exercise ids (loading the checks of ``notebook`` first)."""
    if notebook is not None:
        try:
            importlib.import_module(f"{__name__}.nb{int(notebook):02d}")
        except ModuleNotFoundError:
            pass
    ids = sorted(_REGISTRY, key=lambda s: tuple(int(p) for p in s.split(".")))
    return [i for i in ids if notebook is None or i.split(".")[0] == str(int(notebook))]


def feedback(exercise_id: str, *answers: Any) -> str:
    """Return the feedback line for ``answers`` (what :func:`check_exercise` prints).

    Never raises for a bad answer: a checker that fails on an unexpected type yields a
    "could not check" line that names the type received.
    """
    try:
        checker = _checker(exercise_id)
    except Exception as err:  # an unknown or malformed id, whatever its type
        return f"Exercise {exercise_id}: cannot check — {err}"
    try:
        if any(is_blank(a) for a in answers) or not answers:
            return (f"Exercise {exercise_id}: {NOT_ATTEMPTED} — replace each ... with your "
                    "answer and run the cell again.")
        message = checker(*answers)
    except Exception as err:  # feedback must never break the notebook
        message = _could_not_check(answers, err)
    return f"Exercise {exercise_id}: {message}"


def check_exercise(exercise_id: str, *answers: Any) -> None:
    """Print one line of feedback on an exercise answer (see the module docstring)."""
    print(feedback(exercise_id, *answers))
