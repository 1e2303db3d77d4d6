"""Checks for the exercises of notebook 03 (MSC biology)."""
from __future__ import annotations

from . import exercise


def _verdicts() -> dict:
    from helpers.msc import check_isct_criteria, example_panels

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
                "fails a negative-marker criterion; one failed criterion is enough to fail.")
    hints = {"A": "CD11b and CD19 stand in for CD14 and CD79a, and either member of each "
                  "pair is accepted",
             "B": "compare CD105 with the threshold that every positive marker must reach",
             "C": "check the negative markers, each of which must be (almost) absent"}
    return (f"not quite — panel{'s' if len(wrong) > 1 else ''} {' and '.join(wrong)} "
            f"{'are' if len(wrong) > 1 else 'is'} not right yet. "
            + " ".join(f"Panel {k}: {hints[k]}." for k in wrong))


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
