"""Toy simulation: when only a biomarker-defined subgroup responds to a treatment.

This is a **simulation with made-up response rates**, not a model fitted to lupus data. It
shows (1) how an average effect across all patients dilutes a subgroup effect, and (2) how
enrolling only biomarker-positive patients (enrichment) changes the sample size, using the
power formulas of :mod:`helpers.stats.power`.

Assumptions: biomarker-negative patients respond to the new treatment exactly as to control;
biomarker-positive patients gain ``effect_in_positive``; the biomarker test is perfect.

Examples
--------
>>> round(diluted_effect(0.4, 0.3), 3)
0.12
>>> plan = enrichment_plan(biomarker_prevalence=0.4, p_control=0.3, effect_in_positive=0.3)
>>> plan["n_all_comers"] > plan["n_enriched"]
True

References
----------
Notebook 08_future_directions. Power formulas: helpers.stats.power (Fleiss et al. 2003). The
search for predictors of MSC response in lupus is retrospective so far (Wen et al. 2019,
doi:10.1155/2019/7061408).
"""
from __future__ import annotations

import functools
import math

from helpers.core.params import Range, ranged
from helpers.core.style import (COLORS, LINESTYLES, MARKERS, keep_handles, plain_log_axis,
                                 updatable_axes)
from helpers.core import validate

__all__ = ["STRATIFY_RANGES", "diluted_effect", "enrichment_plan", "simulate_trial",
           "plot_enrichment", "plot_simulated_trial"]

STRATIFY_RANGES = dict(
    # first slider: the effect moves every curve (the share only moves the marker)
    effect_in_positive=Range(0.1, 0.35, default=0.3, step=0.05,
                             label="extra responders among biomarker-positive"),
    biomarker_prevalence=Range(0.1, 1.0, default=0.4, step=0.05,
                               label="share of patients biomarker-positive"),
    p_control=Range(0.1, 0.6, default=0.3, step=0.05, label="response rate on control"),
)


def diluted_effect(biomarker_prevalence: float, effect_in_positive: float) -> float:
    """Average treatment effect over all patients when only positives benefit.

    Parameters
    ----------
    biomarker_prevalence : float
        Share of patients who are biomarker-positive (0 to 1).
    effect_in_positive : float
        Absolute increase in response rate among positives (0 to 1).

    Returns
    -------
    float
        ``biomarker_prevalence * effect_in_positive`` (absolute difference in response rate).
    """
    Range(0, 1, default=0.5).validate("biomarker_prevalence", biomarker_prevalence)
    Range(0, 1, default=0.5).validate("effect_in_positive", effect_in_positive)
    return biomarker_prevalence * effect_in_positive


def _per_arm(p_control: float, p_treatment: float, power: float, alpha: float) -> int:
    """Patients per arm to compare two response rates, rounded up (helpers.stats.power)."""
    from helpers.stats.power import sample_size_two_proportions

    return math.ceil(sample_size_two_proportions(p_control, p_treatment, power=power,
                                                 alpha=alpha))


#: The design every plan of this module assumes unless told otherwise.
_POWER, _ALPHA = 0.8, 0.05


def _treated_rate(p_control: float, effect_in_positive: float) -> float:
    """Response rate of biomarker-positive treated patients (capped at 0.99)."""
    return min(p_control + effect_in_positive, 0.99)


def _screened(n_enriched: int, prevalence: float) -> int:
    """Patients screened to enrol both arms of the enriched trial."""
    return math.ceil(2 * n_enriched / prevalence)


def _all_comers(prevalence: float, p_control: float, p_treat_pos: float,
                power: float, alpha: float) -> tuple[float, int]:
    """The diluted effect of an all-comers trial and its patients per arm."""
    effect_all = prevalence * (p_treat_pos - p_control)
    return effect_all, _per_arm(p_control, p_control + effect_all, power, alpha)


@ranged(**STRATIFY_RANGES)
def enrichment_plan(biomarker_prevalence: float = 0.4, p_control: float = 0.3,
                    effect_in_positive: float = 0.3, *, power: float = _POWER,
                    alpha: float = _ALPHA) -> dict:
    """Patients per arm for an all-comers trial and for a biomarker-enriched trial.

    Returns
    -------
    dict
        ``effect_all`` (diluted effect), ``n_all_comers`` and ``n_enriched`` (patients per arm,
        rounded up), ``screened_enriched`` (patients screened to enrol the enriched trial's two
        arms), ``ratio`` (all-comers / enriched per-arm size).
    """
    p_treat_pos = _treated_rate(p_control, effect_in_positive)
    effect_all, n_all = _all_comers(biomarker_prevalence, p_control, p_treat_pos, power, alpha)
    n_enriched = _per_arm(p_control, p_treat_pos, power, alpha)
    return {"effect_all": effect_all, "n_all_comers": n_all, "n_enriched": n_enriched,
            "screened_enriched": _screened(n_enriched, biomarker_prevalence),
            "ratio": n_all / n_enriched}


@ranged(**STRATIFY_RANGES)
def simulate_trial(biomarker_prevalence: float = 0.4, p_control: float = 0.3,
                   effect_in_positive: float = 0.3, *, n_per_arm: int = 100, rng=0):
    """Simulate one all-comers two-arm trial and report response by arm and subgroup.

    Parameters
    ----------
    n_per_arm : int, default 100
        Patients per arm (10 to 2000).
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    pandas.DataFrame
        Rows ``all patients``, ``biomarker-positive``, ``biomarker-negative``; columns
        ``control``, ``treatment`` (observed response proportions) and ``n_control``,
        ``n_treatment``.
    """
    import numpy as np
    import pandas as pd

    Range(10, 2000, default=100, integer=True).validate("n_per_arm", n_per_arm)
    gen = validate.rng("rng", rng)
    p_pos = _treated_rate(p_control, effect_in_positive)
    rows = {}
    arms = {}
    for arm in ("control", "treatment"):
        positive = gen.random(n_per_arm) < biomarker_prevalence
        p = np.where(positive & (arm == "treatment"), p_pos, p_control)
        respond = gen.random(n_per_arm) < p
        arms[arm] = (positive, respond)
    for name, select in (("all patients", lambda pos: np.ones_like(pos, dtype=bool)),
                         ("biomarker-positive", lambda pos: pos),
                         ("biomarker-negative", lambda pos: ~pos)):
        row = {}
        for arm, (positive, respond) in arms.items():
            mask = select(positive)
            row[arm] = float(respond[mask].mean()) if mask.any() else float("nan")
            row[f"n_{arm}"] = int(mask.sum())
        rows[name] = row
    return pd.DataFrame(rows).T[["control", "treatment", "n_control", "n_treatment"]]


#: Prevalences at which :func:`plot_enrichment` draws its curves.
_GRID = tuple(round(0.1 + 0.05 * i, 2) for i in range(19))
_SERIES = (("all-comers trial (per arm)", "n_all_comers"),
           ("enriched trial (per arm)", "n_enriched"),
           ("screened for the enriched trial", "screened_enriched"))


@functools.lru_cache(maxsize=256)
def _curves(p_control: float, effect_in_positive: float) -> tuple:
    """The three curves of :func:`plot_enrichment` over :data:`_GRID`, as
    :func:`enrichment_plan` gives them (the enriched trial's size does not depend on the
    prevalence, so it is computed once)."""
    p_treat_pos = _treated_rate(p_control, effect_in_positive)
    n_enriched = _per_arm(p_control, p_treat_pos, _POWER, _ALPHA)
    n_all = tuple(_all_comers(g, p_control, p_treat_pos, _POWER, _ALPHA)[1] for g in _GRID)
    return n_all, (n_enriched,) * len(_GRID), tuple(_screened(n_enriched, g) for g in _GRID)


@ranged(**STRATIFY_RANGES)
def plot_enrichment(biomarker_prevalence: float = 0.4, p_control: float = 0.3,
                    effect_in_positive: float = 0.3, *, ax=None):
    """Patients needed per arm against biomarker prevalence: all-comers vs enriched trials.

    The chosen prevalence is marked. Simulation inputs, not lupus data. A widget's
    redraw moves the curves, the line and the marker of the figure it drew before.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax = validate.axes("ax", ax)
    curves = _curves(p_control, effect_in_positive)
    chosen = enrichment_plan(biomarker_prevalence, p_control, effect_in_positive)
    handles, made = None, ax is None
    if made:
        _, ax, handles = updatable_axes("plot_enrichment", (9.0, 4.0), left=0.9 / 9,
                                        right=5.8 / 9, bottom=0.13, top=0.98)
    if handles is not None:
        lines, vline, marker = handles
        for line, ys in zip(lines, curves):
            line.set_ydata(ys)
        vline.set_xdata([biomarker_prevalence] * 2)
        marker.set_data([biomarker_prevalence], [chosen["n_all_comers"]])
        ax.relim()  # the y limits follow the curves, as a fresh drawing's autoscaling
        ax.autoscale_view()
        return ax.figure
    handles = _draw_enrichment(ax, curves, biomarker_prevalence, chosen["n_all_comers"])
    if made:
        keep_handles(ax.figure, "plot_enrichment", handles)
    return ax.figure


def _draw_enrichment(ax, curves, prevalence: float, n_all: float) -> tuple:
    """Draw :func:`plot_enrichment` in full; return its curves, prevalence line and marker."""
    lines = [ax.plot(_GRID, ys, color=COLORS[i], ls=LINESTYLES[i], marker=MARKERS[i],
                     markevery=3, label=label)[0]
             for i, ((label, _), ys) in enumerate(zip(_SERIES, curves))]
    vline = ax.axvline(prevalence, color="black", lw=1, ls=":")
    marker, = ax.plot(prevalence, n_all, marker="o", ms=10, mfc="none", color="black")
    ax.set_yscale("log")
    plain_log_axis(ax.yaxis, subs=(1.0, 2.0, 5.0))
    ax.set_xlabel("share of patients biomarker-positive")
    ax.set_ylabel("patients (log scale)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return lines, vline, marker


def plot_simulated_trial(table, *, ax=None):
    """Grouped bars of observed response by subgroup and arm from :func:`simulate_trial`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    needed = ["control", "treatment", "n_control", "n_treatment"]
    if not all(c in getattr(table, "columns", []) for c in needed) or len(table) == 0:
        raise ValueError(f"table must be a DataFrame with columns {needed} "
                         "(as returned by simulate_trial)")
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.4, 4.2))
    width = 0.38
    for j, (arm, hatch) in enumerate((("control", ""), ("treatment", "//"))):
        xs = [i + (j - 0.5) * width for i in range(len(table))]
        ax.bar(xs, table[arm], width=width, color=COLORS[j], hatch=hatch, edgecolor="black",
               label=arm)
        for x, v, n in zip(xs, table[arm], table[f"n_{arm}"]):
            ax.text(x, v + 0.01, f"{v:.2f}\n(n={int(n)})", ha="center", va="bottom",
                    fontsize=11)
    ax.set_xticks(range(len(table)), list(table.index))
    ax.set_ylabel("observed response (proportion)")
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax.figure
