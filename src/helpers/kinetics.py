"""Where infused MSCs go: a small compartment model, clearly a SIMPLIFICATION.

Cells infused into a vein leave the blood within minutes; nearly all are caught in the
lung capillaries, a tiny share reaches other tissues, and cells in both places disappear
and are cleared. The model tracks the fraction of the infused dose in each place::

    blood --k_lung--> lung --k_clear_lung--> cleared
      \\--k_other--> other tissues --k_clear_other--> cleared

with first-order (exponential) rates, solved in closed form (the model is linear).

What the model tracks is *donor material still detectable*, not living cells. Its two
sourced defaults come from a mouse study that measured human DNA (Lee et al. 2009): the
lung half-life (about a day) and the share trapped in the lung (fewer than 1,000 of 2
million cells were found in six other tissues). DNA assays also count dying cells and
debris, so the model's curve is an upper bound on living cells: in another mouse study
viable MSCs were recovered from the lungs only up to 24 h and never from other organs
(Eggenhofer et al. 2012). The blood half-life and the half-life in other tissues are
ASSUMPTIONS. Real cells also clump, are engulfed by phagocytes and are dispersed as
debris (see notebook 04).

References
----------
Notebook ``04_msc_immunomodulation``.
Eggenhofer E et al. (2012). Front Immunol 3:297. doi:10.3389/fimmu.2012.00297
Lee RH et al. (2009). Cell Stem Cell 5(1):54-63. doi:10.1016/j.stem.2009.05.003
"""
from __future__ import annotations

import functools
import math

from helpers.core.data import fact_number
from helpers.core.params import Range, ranged
from helpers.core.style import COLORS, LINESTYLES, MARKERS, keep_handles, updatable_axes
from helpers.core import validate

__all__ = ["COMPARTMENTS", "default_lung_half_life_h", "default_percent_to_other",
           "simulate_persistence", "alive_fraction", "plot_persistence"]

#: Order of the compartments in the state vector.
COMPARTMENTS = ("blood", "lung", "other", "cleared")
#: Legend labels of the curves of :func:`plot_persistence`, in drawing order.
_SERIES = ("detectable in total (model)", "in lung", "in other tissues", "in blood")


@functools.lru_cache(maxsize=1)
def _tracking_timepoints() -> tuple:
    return tuple(fact_number("msc_mech_eggenhofer2012", "timepoints_h"))


def default_lung_half_life_h() -> float:
    """Lung half-life of infused human MSCs in mice, hours, measured as human DNA.

    From the verified fact ``msc_mech_tsg6_lee2009`` (Lee et al. 2009). DNA assays also
    count dying cells, so this is an upper bound for the survival of living cells.
    """
    return float(fact_number("msc_mech_tsg6_lee2009", "lung_half_life_hours_approx"))


def default_percent_to_other() -> float:
    """Percent of the dose reaching tissues other than the lung (Lee et al. 2009), rounded.

    At most ``cells_in_six_other_tissues_max`` of ``hmscs_infused`` cells (verified fact
    ``msc_mech_tsg6_lee2009``) were found in six other tissues: ``100 * 1000 / 2e6 =
    0.05`` percent, rounded to 2 decimals. Viable cells were found in no other organ in
    Eggenhofer et al. (2012), so this is an upper bound.
    """
    elsewhere = (fact_number("msc_mech_tsg6_lee2009", "cells_in_six_other_tissues_max")
                 / fact_number("msc_mech_tsg6_lee2009", "hmscs_infused"))
    return round(100.0 * elsewhere, 2)


# Defaults are literals (importing stays light); tests/test_kinetics.py checks that they
# equal default_percent_to_other() and default_lung_half_life_h().
_SPECS = dict(
    # first slider: the lung half-life moves every curve (the others change little)
    lung_half_life_h=Range(4.0, 96.0, default=24.0, step=2.0,
                           label="lung half-life, h (DNA-based)"),
    percent_to_other=Range(0.0, 5.0, default=0.05, step=0.05,
                           label="% of cells reaching other tissues"),
    blood_half_life_min=Range(1.0, 60.0, default=10.0, step=1.0,
                              label="blood half-life, min (assumed)"),
    other_half_life_h=Range(4.0, 96.0, default=24.0, step=2.0,
                            label="half-life in other tissues, h (assumed)"),
)


@ranged(**_SPECS, hours=Range(24.0, 168.0, default=96.0, step=12.0, label="time shown, h"))
def simulate_persistence(percent_to_other: float = 0.05, blood_half_life_min: float = 10.0,
                         lung_half_life_h: float = 24.0, other_half_life_h: float = 24.0,
                         hours: float = 96.0, *, n_points: int = 241) -> dict:
    """Solve the compartment model for one intravenous dose (a simplification).

    The model is linear, so it is solved in closed form (no numerical integration; it
    agrees with an ODE solver to about 1e-10, checked in ``tests/test_kinetics.py``).

    Parameters
    ----------
    percent_to_other : float, default 0.05
        Percent of the cells leaving the blood that reach other tissues rather than the
        lung (0 to 5; default from Lee et al. 2009, see :func:`default_percent_to_other`).
    blood_half_life_min : float, default 10
        Half-life in the blood, minutes (assumption: cells leave the blood within minutes).
    lung_half_life_h : float, default 24
        Half-life of donor material in the lung, hours (Lee et al. 2009, mouse, measured
        as human DNA, so it includes dying cells: an upper bound for living cells).
    other_half_life_h : float, default 24
        Half-life of cells that reach other tissues, hours (assumption).
    hours : float, default 96
        Length of the simulation, hours.
    n_points : int, keyword-only, default 241
        Number of output time points (11 to 2001).

    Returns
    -------
    dict
        ``t`` (hours) and one array per compartment in :data:`COMPARTMENTS`, each the
        fraction of the infused dose (they sum to 1 at every time). ``blood``, ``lung``
        and ``other`` hold donor material still detectable there; ``cleared`` the rest.
    """
    import numpy as np

    Range(11, 2001, default=241, integer=True).validate("n_points", n_points)
    ln2 = math.log(2)
    k_out = ln2 / (blood_half_life_min / 60.0)
    k_other = k_out * percent_to_other / 100.0
    c_lung, c_other = ln2 / lung_half_life_h, ln2 / other_half_life_h
    t = np.linspace(0.0, hours, n_points)
    blood = np.exp(-k_out * t)
    lung = (k_out - k_other) * _transit(k_out, c_lung, t)
    other = k_other * _transit(k_out, c_other, t)
    cleared = 1.0 - blood - lung - other  # so the four sum to 1 (up to round-off)
    y = np.clip(np.vstack([blood, lung, other, cleared]), 0.0, 1.0)  # round-off below 0
    return {"t": t, **{name: y[i] for i, name in enumerate(COMPARTMENTS)}}


def _transit(k_in: float, k_loss: float, t):
    """Solution of ``dx/dt = exp(-k_in t) - k_loss x``, ``x(0) = 0``, at the times ``t``.

    ``(exp(-k_loss t) - exp(-k_in t)) / (k_in - k_loss)``, written with ``expm1`` so it
    stays accurate when the two rates are close (``t exp(-k t)`` when they are equal).
    """
    import numpy as np

    gap = k_in - k_loss
    if gap == 0:
        return t * np.exp(-k_in * t)
    return np.exp(-k_loss * t) * -np.expm1(-gap * t) / gap


def alive_fraction(result: dict, hour: float) -> float:
    """Fraction of the infused dose not yet cleared (blood + lung + other) at ``hour``.

    In this model that is the donor material still *detectable*; because the default
    lung half-life comes from DNA measurements, it is an upper bound on the fraction of
    cells still alive. Linear interpolation between the model's time points.

    Parameters
    ----------
    result : dict
        Output of :func:`simulate_persistence`.
    hour : float
        Time after infusion, hours, within the simulated span.

    Returns
    -------
    float
        Fraction of the infused dose (0 to 1).

    Raises
    ------
    ValueError
        If ``hour`` lies outside the simulated time span.
    """
    import numpy as np

    keys = ("t", "blood", "lung", "other")
    if not isinstance(result, dict) or not all(k in result for k in keys):
        raise validate.ParameterTypeError(f"result must be the dict returned by "
                                          f"simulate_persistence (keys {', '.join(keys)}); "
                                          f"got {type(result).__name__}")
    try:
        t, *parts = (np.asarray(result[k], dtype=float) for k in keys)
    except (TypeError, ValueError):
        raise ValueError("result must hold numeric arrays (as returned by "
                         "simulate_persistence)") from None
    if t.ndim != 1 or t.size < 2 or any(p.shape != t.shape for p in parts) or not all(
            np.isfinite(a).all() for a in (t, *parts)):
        raise ValueError("result must hold finite 1-D arrays of one length (as returned by "
                         "simulate_persistence)")
    Range(float(t[0]), float(t[-1]), default=float(t[0])).validate("hour", hour)
    alive = parts[0] + parts[1] + parts[2]
    return float(np.interp(hour, t, alive))


@ranged(**_SPECS, hours=Range(24.0, 168.0, default=96.0, step=12.0, label="time shown, h"))
def plot_persistence(percent_to_other: float = 0.05, blood_half_life_min: float = 10.0,
                     lung_half_life_h: float = 24.0, other_half_life_h: float = 24.0,
                     hours: float = 96.0, *, ax=None):
    """Percent of the infused cells still detectable in blood, lung and other tissues.

    A model curve, not living cells (see the module docstring). Dotted vertical lines
    mark the 1 h, 24 h and 72 h time points of the Eggenhofer et al. (2012) tracking
    study, read from the packaged fact.

    Returns
    -------
    matplotlib.figure.Figure
    """

    res = simulate_persistence(percent_to_other, blood_half_life_min, lung_half_life_h,
                               other_half_life_h, hours)
    ax = validate.axes("ax", ax)
    handles, made = None, ax is None
    if made:  # a live redraw only moves the curves, the time-point lines and the x range
        _, ax, handles = updatable_axes("plot_persistence", (6.8, 4.6), left=0.11, right=0.98,
                                        bottom=0.12, top=0.84)
    alive = res["blood"] + res["lung"] + res["other"]
    values = [100 * alive, 100 * res["lung"], 100 * res["other"], 100 * res["blood"]]
    if handles is None:
        handles = _draw_persistence(ax, res["t"], values)
    else:
        for line, ys in zip(handles["curves"], values):
            line.set_data(res["t"], ys)
    _mark_timepoints(ax, handles["marks"], hours)
    ax.set_xlim(0, hours)
    if made:
        keep_handles(ax.figure, "plot_persistence", handles)
    return ax.figure


def _draw_persistence(ax, t, values: list) -> dict:
    """Draw the four curves and everything that does not move; the artists to update."""
    from matplotlib.ticker import MaxNLocator

    every = max(len(t) // 8, 1)
    curves = [ax.plot(t, ys, color=COLORS[i], linestyle=LINESTYLES[i], marker=MARKERS[i],
                      markevery=every, label=label)[0]
              for i, (label, ys) in enumerate(zip(_SERIES, values))]
    ax.xaxis.set_major_locator(MaxNLocator(5))  # few ticks: tick creation dominates redraws
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylim(0, 105)
    ax.set_xlabel("hours after intravenous infusion")
    ax.set_ylabel("% of infused cells")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)  # outside: never hides curves
    return {"curves": curves, "marks": {}}


def _mark_timepoints(ax, marks: dict, hours: float) -> None:
    """Dotted lines at the tracking study's time points from 1 h to ``hours``.

    ``marks`` maps each time point to its line: a line is made the first time its point
    is in range (after all the others, as in a fresh drawing, since the points ascend)
    and hidden while it is out of range.
    """
    for h in _tracking_timepoints():
        if 1 <= h <= hours and h not in marks:
            marks[h] = ax.axvline(h, color="grey", linestyle=":", linewidth=1)
        if h in marks:
            marks[h].set_visible(h <= hours)
