"""Checks for the exercises of notebook 00 (start here)."""
from __future__ import annotations

from helpers.core.data import fact_number
from . import close, exercise


@exercise("0.1")
def town_of_50000_women(answer) -> str:
    """Expected number of women living with SLE among 50,000 women."""
    women = fact_number("epi_sex_ratio", "prevalence_women_per_100k")
    overall = fact_number("epi_global_prevalence", "prevalence_per_100k")
    men = fact_number("epi_sex_ratio", "prevalence_men_per_100k")
    target = 50_000 * women / 100_000
    if close(answer, target, rel=0.02, abs_tol=0.5):
        return (f"correct — 50,000 × {women} / 100,000 ≈ {target:.0f} women; "
                "prevalence is a rate per 100,000, so scale it to the population.")
    if close(answer, 50_000 * women, rel=0.02):
        return "not quite — the prevalence is per 100,000 people: divide by 100,000."
    if close(answer, 50_000 * women / 10_000, rel=0.02):
        return "not quite — check the denominator: the rate is per 100,000, not per 10,000."
    if close(answer, 50_000 * overall / 100_000, rel=0.02):
        return (f"not quite — {overall} per 100,000 is the figure for everyone; the question "
                "is about women, whose prevalence is higher.")
    if close(answer, 50_000 * men / 100_000, rel=0.02):
        return "not quite — that used the prevalence in men; use the one for women."
    if close(answer, women, rel=0.02):
        return "not quite — that is the rate per 100,000; the town has 50,000 women."
    return ("not quite — multiply the number of women by the prevalence per 100,000, "
            "then divide by 100,000.")
