"""Epidemiology helpers: expected numbers of people living with SLE from cited prevalence.

Numbers come from the packaged background facts (Tian et al. 2023 modelling study,
doi:10.1136/ard-2022-223035); nothing here is typed in by hand.

Examples
--------
>>> round(expected_cases(50_000, 78.73), 2)
39.37
"""
from __future__ import annotations

from .data import fact_number
from .params import Range, ranged
from .style import COLORS

__all__ = ["expected_cases", "prevalence_by_sex", "plot_expected_cases"]


def expected_cases(population: float, prevalence_per_100k: float) -> float:
    """Return the expected number of prevalent cases in a population.

    Parameters
    ----------
    population : float
        Number of people (>= 0).
    prevalence_per_100k : float
        Prevalence, cases per 100,000 people (0 to 100,000).

    Raises
    ------
    ValueError
        If either argument is negative, not a number, or prevalence exceeds 100,000.
    """
    Range(0, 1e10, default=0).validate("population", population)
    Range(0, 1e5, default=0).validate("prevalence_per_100k", prevalence_per_100k)
    return population * prevalence_per_100k / 100_000


def prevalence_by_sex() -> dict[str, float]:
    """Return verified SLE prevalence per 100,000 for women and men (Tian et al. 2023)."""
    return {
        "women": fact_number("epi_sex_ratio", "prevalence_women_per_100k"),
        "men": fact_number("epi_sex_ratio", "prevalence_men_per_100k"),
    }


@ranged(
    population_thousands=Range(10, 2000, default=100, step=10, integer=True,
                               label="population (thousands)"),
    share_women=Range(0.0, 1.0, default=0.5, step=0.05, label="share of women"),
)
def plot_expected_cases(population_thousands: int = 100, share_women: float = 0.5, *, ax=None):
    """Bar chart of the expected number of women and men living with SLE in a population.

    Parameters
    ----------
    population_thousands : int, default 100
        Population size in thousands (10 to 2000).
    share_women : float, default 0.5
        Fraction of the population who are women (0 to 1).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6))
    people = population_thousands * 1000
    prevalence = prevalence_by_sex()
    counts = {
        "women": expected_cases(people * share_women, prevalence["women"]),
        "men": expected_cases(people * (1 - share_women), prevalence["men"]),
    }
    bars = ax.bar(list(counts), list(counts.values()), color=[COLORS[0], COLORS[1]],
                  hatch=["", "//"], edgecolor="black", width=0.6)
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in counts.values()], padding=3)
    ax.set_ylabel("expected people living with SLE")
    ax.set_ylim(0, max(max(counts.values()) * 1.2, 1))
    ax.set_xlabel(f"population of {people:,} ({share_women:.0%} women)")
    return ax.figure
