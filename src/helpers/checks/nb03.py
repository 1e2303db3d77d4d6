"""Checks for the exercises of notebook 03 (MSC biology)."""
from __future__ import annotations

from . import exercise


def _verdicts() -> dict:
    from ..msc import check_isct_criteria, example_panels

    return {k: check_isct_criteria(**p) for k, p in example_panels().items()}


@exercise("3.1")
def which_panels_qualify(answer) -> str:
    """Which illustrative panels meet the ISCT minimal criteria (dict panel -> bool)."""
    truth = {k: v.passed for k, v in _verdicts().items()}
    if not isinstance(answer, dict):
        return ('not quite — give a dict such as {"A": True, "B": False, "C": True}, one '
                "entry per panel.")
    keys = {str(k).upper(): v for k, v in answer.items()}
    if set(keys) != set(truth):
        return f"not quite — give one True/False per panel: {sorted(truth)}."
    if not all(isinstance(v, bool) for v in keys.values()):
        return "not quite — each value should be True (qualifies) or False (does not)."
    wrong = sorted(k for k in truth if keys[k] != truth[k])
    if not wrong:
        return ("correct — only panel A qualifies: B has too few CD105-positive cells and C "
                "too many HLA-DR-positive cells; one failed criterion is enough to fail.")
    if wrong == ["B"]:
        return ("not quite — look at CD105 in panel B: the positive markers must each be "
                "positive on at least the threshold share of cells.")
    if wrong == ["C"]:
        return ("not quite — look at HLA-DR in panel C: it is one of the markers that must be "
                "(almost) absent.")
    if "A" in wrong:
        return ("not quite — panel A: CD11b and CD19 stand in for CD14 and CD79a; the criteria "
                "accept either member of each pair.")
    return "not quite — run check_isct_criteria on each panel and read the reasons."


@exercise("3.2")
def failing_marker_in_c(answer) -> str:
    """The marker that makes panel C fail (str)."""
    if not isinstance(answer, str):
        return 'not quite — give the marker name as text, e.g. "CD34".'
    name = answer.strip().upper().replace(" ", "")
    if name == "HLA-DR" or name == "HLADR":
        return ("correct — HLA-DR is far above the negative threshold; every other "
                "criterion is met, so this one marker decides the verdict.")
    if name in {"CD105", "CD73", "CD90"}:
        return "not quite — that marker must be positive, and in panel C it is."
    return "not quite — read the reason the checker gives for the negative-marker criterion."
