"""Checks for the exercises of notebook 08 (future directions)."""
from __future__ import annotations

from . import close, exercise


@exercise("8.1")
def diluted_effect_quarter(answer) -> str:
    """Average effect when 25% are biomarker-positive and positives gain 0.30."""
    target = 0.25 * 0.30
    if close(answer, target, rel=0.01):
        return ("correct — 0.25 × 0.30 = 0.075: only one patient in four can benefit, so the "
                "average effect is a quarter of the subgroup effect.")
    if close(answer, 0.30, rel=0.01):
        return ("not quite — 0.30 is the effect in biomarker-positive patients only; the "
                "negatives gain nothing, which dilutes the average.")
    if close(answer, 7.5, rel=0.01):
        return "not quite — that is in percentage points; give a proportion (0 to 1)."
    if close(answer, 0.75 * 0.30, rel=0.01):
        return "not quite — you used the share of biomarker-negative patients (0.75)."
    return "not quite — multiply the share of positive patients by their gain in response."


@exercise("8.2")
def remission_over_all_treated(answer) -> str:
    """Complete remission at 1 year in Wang 2013 over all patients treated."""
    from helpers.studies import parse_fraction, study

    row = study("wang2013")
    events, seen = parse_fraction(row["responders"]["CR_1y"])
    treated = row["n_enrolled"]
    target = events / treated
    if close(answer, target, rel=0.01):
        return (f"correct — {events}/{treated} ≈ {target:.3f}: counting the {treated - seen} "
                "patients not seen as non-remitters gives the most cautious estimate.")
    if close(answer, events / seen, rel=0.01):
        return (f"not quite — {events}/{seen} uses the patients seen at the visit; the "
                f"question asks about all {treated} treated.")
    if close(answer, 100 * target, rel=0.01):
        return "not quite — that is a percentage; give a proportion (0 to 1)."
    return "not quite — divide the patients in complete remission by all patients treated."
