"""Exercise checks: deterministic single lines, never an exception."""
import pytest

import helpers.checks as checks
from helpers.checks import check_exercise, feedback, is_blank


def test_blank_answers_are_not_attempted():
    for blank in (..., None, [...], {"a": ...}, (1, ...), []):
        assert is_blank(blank)
    assert "not attempted yet" in feedback("0.1", ...)


def test_exercise_0_1_feedback_kinds():
    assert feedback("0.1", 39.365).startswith("Exercise 0.1: correct — ")
    assert feedback("0.1", 39).startswith("Exercise 0.1: correct — ")
    assert "divide by 100,000" in feedback("0.1", 3_936_500)
    assert "figure for everyone" in feedback("0.1", 21.85)
    assert "prevalence in men" in feedback("0.1", 4.63)
    assert feedback("0.1", 12).startswith("Exercise 0.1: not quite — ")


@pytest.mark.parametrize("weird", ["39", object(), float("nan"), True, {"x": 1}])
def test_checks_never_raise(weird):
    line = feedback("0.1", weird)
    assert line.startswith("Exercise 0.1: ") and "\n" not in line


def test_checker_exceptions_become_a_message():
    @checks.exercise("98.1")
    def broken(answer):
        return answer + 1

    assert "could not check this answer (str: TypeError)" in feedback("98.1", "x")
    checks._REGISTRY.pop("98.1")


def test_unknown_or_malformed_exercise_ids_do_not_raise():
    assert "no registered check" in feedback("97.3", 1)
    assert "must look like" in feedback("one", 1)


def test_registration_rejects_duplicates_and_bad_ids():
    with pytest.raises(ValueError, match="registered twice"):
        checks.exercise("0.1")(lambda a: "x")
    with pytest.raises(ValueError, match="must look like"):
        checks.exercise("0-1")


def test_check_exercise_prints_exactly_one_line(capsys):
    check_exercise("0.1", ...)
    assert capsys.readouterr().out.count("\n") == 1


def test_registered_lists_notebook_checks():
    assert "0.1" in checks.registered(0)



def test_exercise_3_1_feedback_names_every_wrong_panel():
    from helpers.checks import feedback

    two = feedback("3.1", {"A": False, "B": True, "C": False})
    assert "not quite — panels A and B are not right yet" in two
    assert "CD11b" in two and "CD105" in two and "HLA-DR" not in two
    one = feedback("3.1", {"A": True, "B": False, "C": True})
    assert "not quite — panel C is not right yet" in one and "negative markers" in one
    assert "HLA-DR" not in feedback("3.1", {"A": True, "B": False, "C": False})
