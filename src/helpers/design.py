"""Trial-design helpers: regression to the mean (power and sample size live in the stats core).

Used by notebooks 06_reading_trials_critically (why "the score fell after treatment" is weak
evidence; how many patients an MSC randomised trial would need) and 08_future_directions.
The power and sample-size functions are defined in :mod:`helpers.stats.power` (their figure
in :mod:`helpers.stats.plots`) and re-exported here, so ``helpers.design.plot_power`` and
friends keep working.

The regression-to-the-mean model is a **toy model**: each patient has a stable "true"
disease-activity level, each visit measures it with independent noise, and nobody is
treated. Patients enter only if their baseline score reaches a threshold. Its parameters
are illustrative, not estimates from lupus cohorts.

Examples
--------
>>> round(expected_regression_to_mean(8, 6, 3, 3), 2)
-2.38

References
----------
Notebooks 06_reading_trials_critically and 08_future_directions. Barnett AG, van der Pols JC,
Dobson AJ (2005) Int J Epidemiol 34:215-220 (regression to the mean).
"""
from __future__ import annotations

import math
from typing import Any

from helpers.core.params import Range, ranged
import helpers.stats.distributions as _dist
from helpers.stats.plots import plot_power
from helpers.stats.power import (power_curve, power_fisher_exact, power_two_proportions,
                                 sample_size_two_proportions)
from helpers.core import validate

__all__ = [
    "simulate_regression_to_mean", "expected_regression_to_mean", "plot_regression_to_mean",
    "RTM_FIGURE_PATIENTS", "power_two_proportions", "power_fisher_exact",
    "sample_size_two_proportions", "power_curve", "plot_power",
]

_ENTRY = Range(0, 20, default=8, step=1, label="entry threshold (score points)")

#: Patients screened in the regression-to-the-mean figure (fewer than the simulation's
#: default of 2000, so the scatter stays readable and the widget redraws quickly).
RTM_FIGURE_PATIENTS = 600


def _rng(rng: Any):
    import numpy as np

    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int) or rng < 0:
        raise ValueError(f"rng must be a non-negative int seed or a numpy Generator; got {rng!r}")
    return np.random.default_rng(rng)


# --- regression to the mean -------------------------------------------------------------

@ranged(n_patients=Range(20, 20000, default=2000, integer=True, label="patients screened"),
        entry_threshold=_ENTRY,
        population_mean=Range(0, 20, default=6, label="population mean score (points)"),
        between_sd=Range(0.5, 10, default=3, label="SD of true scores between patients"),
        within_sd=Range(0.5, 10, default=3, label="SD of visit-to-visit noise"))
def simulate_regression_to_mean(n_patients: int = 2000, entry_threshold: float = 8,
                                population_mean: float = 6, between_sd: float = 3,
                                within_sd: float = 3, *, rng=0, clip_at_zero: bool = False) -> dict:
    """Simulate untreated patients who enter a study only if their baseline score is high.

    Toy model: true score ``T ~ Normal(population_mean, between_sd)``; a visit measures
    ``T + noise`` with ``noise ~ Normal(0, within_sd)``, independently at baseline and
    follow-up. No treatment is given.

    Parameters
    ----------
    n_patients : int
        Patients screened.
    entry_threshold : float
        Minimum baseline score to enter (score points).
    population_mean, between_sd, within_sd : float
        Model parameters (score points).
    rng : int or numpy.random.Generator, default 0
        Seed or generator.
    clip_at_zero : bool, default False
        Measured scores below 0 are set to 0 (activity scores cannot be negative); the
        closed form of :func:`expected_regression_to_mean` assumes no clipping.

    Returns
    -------
    dict
        ``baseline``, ``followup`` (arrays for all screened patients), ``enrolled``
        (boolean mask), ``n_enrolled``, ``mean_baseline``, ``mean_followup`` and
        ``mean_change`` (follow-up - baseline among the enrolled; NaN if nobody enrolled).
    """
    import numpy as np

    gen = _rng(rng)
    true = gen.normal(population_mean, between_sd, n_patients)
    baseline = true + gen.normal(0, within_sd, n_patients)
    followup = true + gen.normal(0, within_sd, n_patients)
    if clip_at_zero:
        baseline, followup = np.maximum(baseline, 0), np.maximum(followup, 0)
    enrolled = baseline >= entry_threshold
    k = int(enrolled.sum())
    mb = float(baseline[enrolled].mean()) if k else math.nan
    mf = float(followup[enrolled].mean()) if k else math.nan
    return {"baseline": baseline, "followup": followup, "enrolled": enrolled, "n_enrolled": k,
            "mean_baseline": mb, "mean_followup": mf, "mean_change": mf - mb}


@ranged(entry_threshold=_ENTRY,
        population_mean=Range(0, 20, default=6, label="population mean score (points)"),
        between_sd=Range(0.5, 10, default=3, label="SD of true scores between patients"),
        within_sd=Range(0.5, 10, default=3, label="SD of visit-to-visit noise"))
def expected_regression_to_mean(entry_threshold: float = 8, population_mean: float = 6,
                                between_sd: float = 3, within_sd: float = 3) -> float:
    """Expected fall in score among enrolled, untreated patients (score points, <= 0).

    With reliability ``rho = between_sd² / (between_sd² + within_sd²)`` and total SD
    ``s``, the expected change is ``-(1 - rho) * s * phi(a) / (1 - Phi(a))`` with
    ``a = (entry_threshold - population_mean) / s`` (mean of a truncated normal).
    """

    s = math.sqrt(between_sd ** 2 + within_sd ** 2)
    rho = between_sd ** 2 / s ** 2
    a = (entry_threshold - population_mean) / s
    excess = s * math.exp(_dist.norm_logpdf(a) - _dist.norm_logsf(a))
    return -(1 - rho) * excess


@ranged(entry_threshold=_ENTRY,
        within_sd=Range(0.5, 6, default=3, step=0.5, label="visit-to-visit noise SD (points)"))
def plot_regression_to_mean(entry_threshold: float = 8, within_sd: float = 3, *, rng=0,
                            ax=None):
    """Scatter of baseline vs follow-up scores of untreated patients, entrants highlighted.

    Toy model (see :func:`simulate_regression_to_mean`, other parameters at defaults), drawn
    for :data:`RTM_FIGURE_PATIENTS` screened patients rather than the simulation's default,
    and with scores clipped at 0, so its enrolled means differ a little from an unclipped
    run of :func:`simulate_regression_to_mean` with default settings. The figure shows the
    no-change line and the mean baseline and follow-up score of those who entered.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from helpers.core.style import keep_handles, updatable_axes

    sim = simulate_regression_to_mean(n_patients=RTM_FIGURE_PATIENTS,
                                      entry_threshold=entry_threshold,
                                      within_sd=within_sd, rng=rng, clip_at_zero=True)
    ax = validate.axes("ax", ax)
    handles, made = None, ax is None
    if made:  # a live redraw moves the points and lines and relabels the legend
        _, ax, handles = updatable_axes("plot_regression_to_mean", (8.8, 4.6), left=0.08,
                                        right=0.68, bottom=0.11, top=0.98)
    b, f = sim["baseline"], sim["followup"]
    lims = (-0.5, max(b.max(), f.max()) + 1)
    mean = ((sim["mean_baseline"], sim["mean_followup"]) if sim["n_enrolled"] else None)
    if handles is None:
        handles = _draw_rtm(ax, sim, entry_threshold, lims, mean)
    else:
        _update_rtm(ax, handles, sim, entry_threshold, lims, mean)
    ax.set_xlim(lims)
    ax.set_ylim(lims)
    if made:
        keep_handles(ax.figure, "plot_regression_to_mean", handles)
    return ax.figure


def _rtm_labels(entry_threshold: float, mean) -> tuple:
    """Legend labels of the enrolled points and of the enrolled mean (None: no mean)."""
    enrolled = f"enrolled (baseline ≥ {entry_threshold:g})"
    return enrolled, None if mean is None else f"enrolled mean: {mean[0]:.1f} → {mean[1]:.1f}"


def _draw_rtm(ax, sim: dict, entry_threshold: float, lims: tuple, mean) -> dict:
    """Draw the scatter, the lines, the mean (if anyone entered) and the legend."""
    from matplotlib.ticker import MaxNLocator

    from helpers.core.style import COLORS, MARKERS

    b, f, e = sim["baseline"], sim["followup"], sim["enrolled"]
    enrolled_label, mean_label = _rtm_labels(entry_threshold, mean)
    out, = ax.plot(b[~e], f[~e], MARKERS[1], color=COLORS[5], ms=3, alpha=0.5,
                   linestyle="none", label="screened, not enrolled")
    inside, = ax.plot(b[e], f[e], MARKERS[0], color=COLORS[0], ms=4, alpha=0.8,
                      linestyle="none", label=enrolled_label)
    diagonal, = ax.plot(lims, lims, color="black", lw=1, linestyle="--", label="no change")
    threshold = ax.axvline(entry_threshold, color=COLORS[3], lw=1.2, linestyle=":")
    handles = {"points": (out, inside), "diagonal": diagonal, "threshold": threshold,
               "mean": None}
    if mean is not None:
        handles["mean"] = _draw_rtm_mean(ax, mean, mean_label)
    for axis in (ax.xaxis, ax.yaxis):  # few ticks: creating them dominates the redraw
        axis.set_major_locator(MaxNLocator(6, integer=True))
    ax.set_xlabel("baseline score (points, toy model)")
    ax.set_ylabel("follow-up score, no treatment (points)")
    _rtm_legend(ax)
    return handles


def _draw_rtm_mean(ax, mean: tuple, label: str):
    from helpers.core.style import COLORS

    return ax.plot([mean[0]], [mean[1]], marker="D", color=COLORS[1], ms=11,
                   markeredgecolor="black", linestyle="none", label=label)[0]


def _rtm_legend(ax, handles=None) -> None:
    extra = {} if handles is None else {"handles": handles}
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), **extra)


def _update_rtm(ax, handles: dict, sim: dict, entry_threshold: float, lims: tuple,
                mean) -> None:
    """Move the drawing of :func:`_draw_rtm` to a new setting.

    The mean marker is made the first time someone enters (it is the last artist, as in
    a fresh drawing) and hidden while nobody does; the legend is rebuilt only when the
    marker appears or goes, otherwise its texts are changed.
    """
    b, f, e = sim["baseline"], sim["followup"], sim["enrolled"]
    out, inside = handles["points"]
    out.set_data(b[~e], f[~e])
    inside.set_data(b[e], f[e])
    handles["diagonal"].set_data(lims, lims)
    handles["threshold"].set_xdata([entry_threshold, entry_threshold])
    enrolled_label, mean_label = _rtm_labels(entry_threshold, mean)
    inside.set_label(enrolled_label)
    marker = handles["mean"]
    listed = marker is not None and marker.get_visible()
    if mean is not None and marker is None:
        marker = handles["mean"] = _draw_rtm_mean(ax, mean, mean_label)
    elif mean is not None:
        marker.set_data([mean[0]], [mean[1]])
        marker.set_label(mean_label)
    if marker is not None:
        marker.set_visible(mean is not None)
    shown = [out, inside, handles["diagonal"]] + ([marker] if mean is not None else [])
    if listed != (mean is not None):
        _rtm_legend(ax, shown)
    else:
        for text, artist in zip(ax.get_legend().get_texts(), shown):
            text.set_text(artist.get_label())
