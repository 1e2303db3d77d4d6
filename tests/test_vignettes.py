"""Invented vignettes: keys are valid ids, texts render, bad names raise."""
import pytest

from helpers.scores import classify_eular_acr_2019, sledai_2k
from helpers.vignettes import VIGNETTES, vignette_text


def test_vignette_keys_are_valid_and_give_the_teaching_results():
    a = VIGNETTES["A"]
    assert sledai_2k(a["sledai_key"]) - sledai_2k(a["followup"]["sledai_key"]) == 4
    b = classify_eular_acr_2019(VIGNETTES["B"]["eular_key"], VIGNETTES["B"]["ana_positive"])
    assert (b.total, b.classified) == (9, False)


def test_vignette_text_is_labelled_invented():
    assert "(invented)" in vignette_text("A") and vignette_text("B").count("\n- ") == 6
    assert "three months later" in vignette_text("A", followup=True)
    with pytest.raises(ValueError, match="name must be one of"):
        vignette_text("C")
    with pytest.raises(ValueError, match="no follow-up"):
        vignette_text("B", followup=True)
