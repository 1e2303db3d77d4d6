"""Epidemiology helpers: expected numbers of people living with SLE from cited prevalence.

Numbers come from the packaged background facts (Tian et al. 2023 modelling study,
doi:10.1136/ard-2022-223035); nothing here is typed in by hand.

Examples
--------
>>> round(expected_cases(50_000, 78.73), 2)
39.37
"""
from __future__ import annotations

from helpers.core.data import fact_number
from helpers.core.params import Range, ranged
from helpers.core.style import COLORS, keep_handles, updatable_axes
from helpers.core import validate

__all__ = ["expected_cases", "prevalence_by_sex", "plot_expected_cases", "sex_specific_rates",
           "plot_sex_specific_rates", "female_share", "rate_intervals"]


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
    ax = validate.axes("ax", ax)
    kept, made = None, ax is None
    if made:  # a live redraw changes the bar heights and the texts
        _, ax, kept = updatable_axes("plot_expected_cases", (6.4, 3.6), left=0.12, right=0.98,
                                     bottom=0.16, top=0.97)
    people = population_thousands * 1000
    prevalence = prevalence_by_sex()
    counts = {
        "women": expected_cases(people * share_women, prevalence["women"]),
        "men": expected_cases(people * (1 - share_women), prevalence["men"]),
    }
    if kept is None:
        kept = _draw_expected_cases(ax, counts)
    else:
        _update_expected_cases(kept, counts)
    ax.set_ylim(0, max(max(counts.values()) * 1.2, 1))
    ax.set_xlabel(f"population of {people:,} ({share_women:.0%} women)")
    if made:
        keep_handles(ax.figure, "plot_expected_cases", kept)
    return ax.figure


def _draw_expected_cases(ax, counts: dict) -> tuple:
    """Draw the two bars with their value labels; return ``(bars, labels)`` to update."""
    bars = ax.bar(list(counts), list(counts.values()), color=[COLORS[0], COLORS[1]],
                  hatch=["", "//"], edgecolor="black", width=0.6)
    labels = ax.bar_label(bars, labels=[f"{v:,.0f}" for v in counts.values()], padding=3)
    ax.set_ylabel("expected people living with SLE")
    return list(bars), labels


def _update_expected_cases(kept: tuple, counts: dict) -> None:
    """Set the kept bars to new heights and move their labels as ``Axes.bar_label`` places them."""
    for bar, label, value in zip(*kept, counts.values()):
        bar.set_height(value)
        (x0, y0), (x1, y1) = bar.get_bbox().get_points()
        label.xy = ((x0 + x1) / 2, max(y0, y1))
        label.set_text(f"{value:,.0f}")


# --- notebook 01: incidence and prevalence by sex ----------------------------------------

def sex_specific_rates() -> dict[str, dict[str, float]]:
    """Return verified global SLE incidence and prevalence for women, men and everyone.

    Returns
    -------
    dict
        ``{"incidence": {"women", "men", "all"}, "prevalence": {...}}``; incidence in new
        cases per 100,000 person-years, prevalence in cases per 100,000 people
        (Tian et al. 2023 modelling study).

    References
    ----------
    Notebook ``01_lupus_pathology``, section 1. Tian J et al. (2023). Ann Rheum Dis
    82(3):351-356. doi:10.1136/ard-2022-223035
    """
    return {
        "incidence": {
            "women": fact_number("epi_sex_ratio", "incidence_women_per_100k_py"),
            "men": fact_number("epi_sex_ratio", "incidence_men_per_100k_py"),
            "all": fact_number("epi_global_incidence", "incidence_per_100k_py"),
        },
        "prevalence": {
            "women": fact_number("epi_sex_ratio", "prevalence_women_per_100k"),
            "men": fact_number("epi_sex_ratio", "prevalence_men_per_100k"),
            "all": fact_number("epi_global_prevalence", "prevalence_per_100k"),
        },
    }


def rate_intervals(sex: str = "all") -> dict[str, tuple[float, float]]:
    """Return the uncertainty ranges Tian et al. (2023) give for the modelled rates.

    Parameters
    ----------
    sex : {"all", "women", "men"}, default "all"
        Both sexes together (the global estimates) or one sex.

    Returns
    -------
    dict
        ``{"incidence": (low, high), "prevalence": (low, high)}``; incidence in new cases per
        100,000 person-years, prevalence in cases per 100,000 people.  These are the ranges
        printed in brackets after the modelled point estimates in the abstract.

    Raises
    ------
    ValueError
        If ``sex`` is not one of the three options.

    References
    ----------
    Notebook ``01_lupus_pathology``, section 1. Tian J et al. (2023). Ann Rheum Dis
    82(3):351-356. doi:10.1136/ard-2022-223035
    """
    if sex not in ("all", "women", "men"):
        raise ValueError(f"sex must be one of 'all', 'women', 'men'; got {sex!r}")
    if sex == "all":
        return {
            "incidence": (fact_number("epi_global_incidence", "incidence_range_low"),
                          fact_number("epi_global_incidence", "incidence_range_high")),
            "prevalence": (fact_number("epi_global_prevalence", "prevalence_range_low"),
                           fact_number("epi_global_prevalence", "prevalence_range_high")),
        }
    return {measure: (fact_number("epi_sex_ratio", f"{measure}_{sex}_range_low"),
                      fact_number("epi_sex_ratio", f"{measure}_{sex}_range_high"))
            for measure in ("incidence", "prevalence")}


def female_share() -> dict[str, float]:
    """Return the share of women (%) among prevalent and incident cases (Tian et al. 2023).

    Computed from the modelled numbers of women and men (millions), so it carries their
    rounding.
    """
    women = fact_number("epi_sex_ratio", "women_affected_million")
    men = fact_number("epi_sex_ratio", "men_affected_million")
    new_women = fact_number("epi_sex_ratio", "new_cases_women_million")
    new_men = fact_number("epi_sex_ratio", "new_cases_men_million")
    return {"prevalent": 100 * women / (women + men),
            "incident": 100 * new_women / (new_women + new_men)}


def plot_sex_specific_rates(*, ax=None):
    """Grouped bars of global SLE incidence and prevalence in women, men and overall.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Two groups (incidence per 100,000 person-years; prevalence per 100,000 people) of
        three bars (women, men, all), each labelled with its value.
    """
    import matplotlib.pyplot as plt

    rates = sex_specific_rates()
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8))
    groups = ["incidence", "prevalence"]
    width = 0.26
    for k, (who, hatch) in enumerate((("women", ""), ("men", "//"), ("all", ".."))):
        values = [rates[g][who] for g in groups]
        bars = ax.bar([i + (k - 1) * width for i in range(2)], values, width=width,
                      color=COLORS[k], hatch=hatch, edgecolor="black", label=who)
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=2, fontsize=11)
    ax.set_xticks([0, 1], ["new cases per 100,000\nperson-years (incidence)",
                           "living with SLE per\n100,000 people (prevalence)"])
    ax.set_ylabel("rate per 100,000")
    ax.set_ylim(0, max(rates["prevalence"].values()) * 1.18)
    ax.legend(loc="upper left")
    return ax.figure
