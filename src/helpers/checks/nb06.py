"""Checks for the exercises of notebook 06 (how sure can we be?)."""
from __future__ import annotations

import math

import helpers.design as design
import helpers.stats.power as power

import helpers.studies as studies
from helpers.core.data import fact_number
from . import close, exercise


@exercise("6.1")
def untreated_fall(answer) -> str:
    """Mean change in score of untreated entrants with entry threshold 12 (toy model)."""
    sim = design.simulate_regression_to_mean(entry_threshold=12, rng=0)["mean_change"]
    expected = design.expected_regression_to_mean(entry_threshold=12)
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or math.isnan(answer):
        return "not quite — give one number: the mean change (follow-up minus baseline)."
    if close(answer, sim, abs_tol=0.05) or close(answer, expected, abs_tol=0.05):
        return (f"correct — about {sim:.1f} points with nobody treated: raising the entry "
                "threshold selects patients measured on a bad day, who then look better.")
    if close(-answer, sim, abs_tol=0.05) or close(-answer, expected, abs_tol=0.05):
        return "not quite — check the sign: change = follow-up minus baseline, so a fall is negative."
    default = design.simulate_regression_to_mean(rng=0)["mean_change"]
    if close(answer, default, abs_tol=0.05):
        return "not quite — that is for the default threshold; use entry_threshold=12."
    return ("not quite — run simulate_regression_to_mean(entry_threshold=12, rng=0) and read "
            "'mean_change'.")


@exercise("6.2")
def patients_per_arm(answer) -> str:
    """Patients per arm to detect BLISS-LN's renal-response gain with 80% power.

    The rates are the exact BLISS-LN counts (``bio_bliss_ln_counts``), as in the placebo
    table of the notebook; the rounded percentages of the abstract give a smaller number,
    which is recognised and explained.
    """
    from helpers.critical_reading import _percent

    p0 = _percent(fact_number("bio_bliss_ln_counts", "perr_placebo")) / 100
    p1 = _percent(fact_number("bio_bliss_ln_counts", "perr_belimumab")) / 100
    exact = power.sample_size_two_proportions(p0, p1)
    target = math.ceil(exact)
    rounded = math.ceil(power.sample_size_two_proportions(
        fact_number("bio_bliss_ln", "perr_placebo_pct") / 100,
        fact_number("bio_bliss_ln", "perr_belimumab_pct") / 100))
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or math.isnan(answer):
        return "not quite — give the number of patients per arm as one number."
    if answer == target:
        n_deng = studies.study("deng2017")["n_enrolled"]
        return (f"correct — {target} per arm ({2 * target} in total) to detect "
                f"{p0:.1%} -> {p1:.1%} with 80% power; Deng 2017 randomised {n_deng}. "
                f"With the rounded percentages of the abstract you would get {rounded}: "
                "sample sizes are sensitive to their inputs.")
    if close(answer, exact, abs_tol=0.5):
        return "not quite — round UP: you cannot recruit a fraction of a patient."
    if answer == rounded:
        return ("not quite — that is what the rounded percentages give; use p_control and "
                "p_msc from the table, which come from the exact counts. Sample sizes are "
                "sensitive to their inputs.")
    if close(answer, 2 * target, abs_tol=1):
        return "not quite — that is the total; the question asks for patients per arm."
    arcsine = math.ceil(power.sample_size_two_proportions(p0, p1, method="arcsine"))
    if answer == arcsine:
        return "not quite — close, but use the default (pooled) method of sample_size_two_proportions."
    return ("not quite — use sample_size_two_proportions(p_control, p_msc) with the "
            "BLISS-LN placebo and belimumab rates as fractions.")
