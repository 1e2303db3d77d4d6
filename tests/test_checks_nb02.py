"""Exercise checks of notebook 02: correct answers, common mistakes, never an exception."""
import pytest

from helpers.checks import feedback
from helpers.checks.nb02 import bliss76_counts, interpretation_options
from helpers.stats.effect_sizes import nnt_from_difference, number_needed_to_treat, risk_difference


def _reference():
    (e1, n1), (e0, n0) = bliss76_counts()["active"], bliss76_counts()["control"]
    return (number_needed_to_treat(e1, n1, e0, n0), risk_difference(e1, n1, e0, n0),
            nnt_from_difference(risk_difference(e1, n1, e0, n0, method="wald")))


def test_bliss76_counts_use_the_verified_arm_sizes():
    assert bliss76_counts() == {"active": (118, 273), "low_dose": (110, 271),
                                "control": (92, 275)}


def test_exercise_2_1_branches():
    ref, rd, wald = _reference()
    ok = {"nnt": ref.value, "low": ref.low, "high": ref.high}
    assert "correct — NNTB 10.2 (Newcombe" in feedback("2.1", ok)
    assert "(Wald" in feedback("2.1", {"nnt": ref.value, "low": wald.low, "high": wald.high})
    assert "fraction" in feedback("2.1", dict(ok, nnt=ref.value / 100))
    assert "NNT = 1 /" in feedback("2.1", dict(ok, nnt=3.0))
    assert "swaps the order" in feedback("2.1", dict(ok, low=ref.high, high=ref.low))
    assert "difference's limits" in feedback("2.1", dict(ok, low=rd.low, high=rd.high))
    assert "take 1 / each limit" in feedback("2.1", dict(ok, low=2.0, high=3.0))
    assert "keep the dict" in feedback("2.1", [1, 2, 3])


@pytest.mark.parametrize("letter, phrase", [("B", "correct"), (" b ", "correct"),
                                            ("A", "point estimate"), ("C", "not shown"),
                                            ("D", "placebo"), ("E", "one letter")])
def test_exercise_2_2(letter, phrase):
    assert phrase in feedback("2.2", letter)


def test_options_are_computed_from_data():
    options = interpretation_options()
    assert "About 14 patients" in options["B"] and "41%" in options["D"]


@pytest.mark.parametrize("exercise_id", ["2.1", "2.2"])
@pytest.mark.parametrize("odd", [None, ..., 3.5, "text", object(), {"nnt": "x", "low": 1,
                                                                     "high": 2}])
def test_checks_never_raise(exercise_id, odd):
    assert feedback(exercise_id, odd).startswith(f"Exercise {exercise_id}: ")
