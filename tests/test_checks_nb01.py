"""Exercise checks of notebook 01: correct answers, common mistakes, never an exception."""
import pytest

from helpers.checks import feedback

A = ["arthritis", "rash", "mucosal_ulcers", "proteinuria", "low_complement",
     "increased_dna_binding"]
B_COUNTED = {"mucocutaneous": "oral_ulcers", "hematologic": "leukopenia",
             "complement_proteins": "low_c3_and_c4"}


@pytest.mark.parametrize("answer, phrase", [
    (A, "correct"), (A[::-1] + ["rash"], "correct"),
    (A + ["fever"], "38 °C"), (A + ["thrombocytopenia"], "blood counts"),
    (A[:3] + A[4:], "proteinuria counts"), (A[:4], "laboratory descriptors"),
    (["arthritis", "malar_rash"], "not SLEDAI-2K descriptor ids"), (16, "not the score"),
    (A + ["seizure"], "not supported"), (A[1:], "missed 1"),
])
def test_exercise_1_1(answer, phrase):
    assert phrase in feedback("1.1", answer)


@pytest.mark.parametrize("answer, phrase", [
    ({"reduction": 4, "meets_sri4_sledai": True}, "correct"),
    ({"reduction": 4, "meets_sri4_sledai": False}, "at least 4"),
    ({"reduction": -4, "meets_sri4_sledai": False}, "before minus"),
    ({"reduction": 6, "meets_sri4_sledai": True}, "score both visits"),
    ({"reduction": 4, "meets_sri4_sledai": "yes"}, "True or False"),
    ([4, True], "keep the dict"),
])
def test_exercise_1_2(answer, phrase):
    assert phrase in feedback("1.2", answer)


@pytest.mark.parametrize("answer, phrase", [
    ({"counted": B_COUNTED, "total": 9, "classified": False}, "correct"),
    ({"counted": dict(B_COUNTED, mucocutaneous="nonscarring_alopecia"), "total": 9,
      "classified": False}, "correct"),
    ({"counted": B_COUNTED, "total": 11, "classified": True}, "only one 2-point"),
    ({"counted": B_COUNTED, "total": 12, "classified": True}, "not 3 + 4"),
    ({"counted": dict(B_COUNTED, complement_proteins="low_c3_or_c4"), "total": 8,
      "classified": False}, "low_c3_and_c4"),
    ({"counted": B_COUNTED, "total": 9, "classified": True}, "below the threshold"),
    ({"counted": {"renal": "proteinuria"}, "total": 9, "classified": False}, "one criterion"),
    ({"counted": B_COUNTED, "total": 8, "classified": False}, "add the weights"),
    ({"counted": "oral_ulcers", "total": 9, "classified": False}, "should map"),
    ({"total": 9}, "keep the dict"),
])
def test_exercise_1_3(answer, phrase):
    assert phrase in feedback("1.3", answer)


@pytest.mark.parametrize("exercise_id", ["1.1", "1.2", "1.3"])
@pytest.mark.parametrize("odd", [None, ..., 3.5, "text", object(), {"a": 1}, [1, 2]])
def test_checks_never_raise(exercise_id, odd):
    assert feedback(exercise_id, odd).startswith(f"Exercise {exercise_id}: ")
