"""A T-cell suppression assay as a TEACHING SIMULATION, and a four-parameter logistic fit.

In a suppression (potency) assay, activated T cells are cultured with MSCs at several
MSC:T-cell ratios and their proliferation is measured relative to T cells alone. Here the
data are *simulated* from a four-parameter logistic (4PL) curve with Gaussian noise; the
parameters are plausible teaching values, not estimates from any study. The fit recovers
the IC50 - the MSC:T-cell ratio that halves the way from ``top`` to ``bottom``.

Examples
--------
>>> data = simulate_suppression_assay(noise_sd=0.0)
>>> round(fit_four_pl(data["ratio"], data["proliferation"]).ic50, 3)
0.05

References
----------
Notebook ``04_msc_immunomodulation``. Dose-dependent suppression of T-cell proliferation by
marrow stromal cells: Di Nicola M et al. (2002), Blood 99(10):3838-3843, PMID 11986244.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from helpers.core.params import Range, ranged
from helpers.core.style import (COLORS, LINESTYLES, MARKERS, hatched_span, keep_handles,
                                 updatable_axes)
from helpers.core import validate

__all__ = ["DEFAULT_RATIOS", "four_pl", "simulate_suppression_assay", "example_assay", "FourPLFit",
           "fit_four_pl", "ratio_label", "plot_suppression_assay"]

#: MSC:T-cell ratios of the simulated assay, as MSCs per T cell (1:1 down to 1:1000).
DEFAULT_RATIOS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)

# a log slider: the IC50 is drawn on a log axis, so each step moves the curve alike
_IC50 = Range(0.005, 0.2, default=0.05, log=True,
              label="true IC50 (MSCs per T cell)")
_HILL = Range(0.5, 3.0, default=1.0, step=0.1, label="true Hill slope")
_BOTTOM = Range(0.0, 50.0, default=10.0, step=1.0, label="true bottom (% of control)")
_TOP = Range(60.0, 120.0, default=100.0, step=1.0, label="true top (% of control)")
_NOISE = Range(0.0, 15.0, default=5.0, step=0.5, label="noise SD (% of control)")
_REPS = Range(1, 6, default=3, integer=True, label="replicate wells per ratio")
_SEED = Range(0, 50, default=0, integer=True, label="random seed (new noise)")


def _as_generator(rng):
    import numpy as np

    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, int) or rng < 0:
        raise ValueError(f"rng must be a non-negative int seed or a numpy Generator; got {rng!r}")
    return np.random.default_rng(rng)


def four_pl(ratio, bottom: float, top: float, ic50: float, hill: float):
    """Four-parameter logistic: proliferation (% of control) at an MSC:T-cell ratio.

    ``bottom + (top - bottom) / (1 + (ratio / ic50) ** hill)``; falls from ``top`` (few
    MSCs) to ``bottom`` (many MSCs) for ``hill > 0``.

    Parameters
    ----------
    ratio : float or array
        MSCs per T cell (> 0).
    bottom, top : float
        Proliferation (% of T cells alone) at very high / very low ratios.
    ic50 : float
        Ratio (MSCs per T cell) at the midpoint between top and bottom (> 0).
    hill : float
        Steepness (> 0).

    Returns
    -------
    numpy.ndarray
    """
    import numpy as np

    if isinstance(ratio, np.ndarray) and ratio.ndim == 0:
        ratio = ratio.item()
    if validate._is_number(ratio):
        x = np.asarray(validate.real("ratio", ratio, low=0, low_open=True))
    else:
        x = np.asarray(validate.reals("ratio", ratio, low=0, low_open=True))
    bottom = validate.real("bottom", bottom)
    top = validate.real("top", top)
    ic50 = validate.real("ic50", ic50, low=0, low_open=True)
    hill = validate.real("hill", hill, low=0, low_open=True)
    return _four_pl_on(x, bottom, top, ic50, hill)


@ranged(ic50=_IC50, hill=_HILL, bottom=_BOTTOM, top=_TOP, noise_sd=_NOISE, replicates=_REPS)
def simulate_suppression_assay(ic50: float = 0.05, hill: float = 1.0, bottom: float = 10.0,
                               top: float = 100.0, noise_sd: float = 5.0, replicates: int = 3,
                               *, ratios=DEFAULT_RATIOS, rng=0) -> dict:
    """Simulate a suppression assay (teaching simulation, not real data).

    Parameters
    ----------
    ic50 : float, default 0.05
        True IC50, MSCs per T cell (0.005 to 0.2; 0.05 means 1 MSC per 20 T cells).
    hill : float, default 1.0
        True Hill slope (0.5 to 3).
    bottom, top : float
        True proliferation at saturating / negligible MSC numbers, % of T cells alone.
    noise_sd : float, default 5.0
        Standard deviation of well-to-well noise, percentage points (0 to 15).
    replicates : int, default 3
        Wells per ratio (1 to 6).
    ratios : sequence of float, keyword-only
        MSC:T-cell ratios (MSCs per T cell); default :data:`DEFAULT_RATIOS`.
    rng : int or numpy.random.Generator, keyword-only, default 0
        Seed or generator for the noise.

    Returns
    -------
    dict
        ``ratio`` and ``proliferation`` (numpy arrays, one entry per well; proliferation
        is clipped at 0 because a cell count cannot be negative) and ``true`` (the
        parameters used).
    """
    import numpy as np

    x = np.asarray(ratios, dtype=float)
    if x.ndim != 1 or x.size < 5 or np.any(~np.isfinite(x)) or np.any(x <= 0):
        raise ValueError("ratios must be at least 5 positive, finite MSC:T-cell ratios")
    gen = _as_generator(rng)
    x = np.repeat(x, replicates)
    y = four_pl(x, bottom, top, ic50, hill) + gen.normal(0.0, noise_sd, size=x.size)
    return {"ratio": x, "proliferation": np.clip(y, 0.0, None),
            "true": {"bottom": bottom, "top": top, "ic50": ic50, "hill": hill}}


def example_assay() -> dict:
    """The simulated data set of exercise 4.1 in notebook 04 (a teaching simulation).

    Same as ``simulate_suppression_assay(ic50=0.02, hill=1.2, bottom=15, noise_sd=6,
    replicates=3, rng=4)``.
    """
    return simulate_suppression_assay(ic50=0.02, hill=1.2, bottom=15.0, top=100.0,
                                      noise_sd=6.0, replicates=3, rng=4)


@dataclass(frozen=True)
class FourPLFit:
    """Result of :func:`fit_four_pl` (IC50 in MSCs per T cell; CI from the log10 scale)."""

    bottom: float
    top: float
    ic50: float
    hill: float
    ic50_ci: tuple
    se_log10_ic50: float
    level: float


def _log_model(lx, bottom, top, log_ic50, hill):
    """The 4PL curve on the log10 scale of the ratio (what :func:`fit_four_pl` fits)."""
    return bottom + (top - bottom) / (1.0 + 10.0 ** (hill * (lx - log_ic50)))


def _log_model_jacobian(lx, bottom, top, log_ic50, hill):
    """Derivatives of :func:`_log_model` by its four parameters, one column each.

    Exact derivatives instead of finite differences: a fit needs about a third fewer
    model evaluations (the live widget refits on every slider move).
    """
    import numpy as np

    u = 10.0 ** (hill * (lx - log_ic50))
    share = 1.0 / (1.0 + u)  # d/d top; 1 - share = d/d bottom
    slope = (top - bottom) * math.log(10.0) * u * share ** 2
    return np.column_stack((1.0 - share, share, slope * hill, -slope * (lx - log_ic50)))


def fit_four_pl(ratio, proliferation, *, level: float = 0.95) -> FourPLFit:
    """Fit a four-parameter logistic with ``scipy.optimize.curve_fit``; IC50 with a CI.

    The IC50 is fitted on the log10 scale (it spans orders of magnitude), so its
    confidence interval is ``10 ** (log10 IC50 +/- t * SE)`` with ``n - 4`` degrees of
    freedom: asymmetric on the ratio scale.

    Parameters
    ----------
    ratio : array of float
        MSCs per T cell, one per well (> 0).
    proliferation : array of float
        Proliferation, % of T cells alone, one per well.
    level : float, default 0.95
        Confidence level of the interval (0.5 to 0.999).

    Returns
    -------
    FourPLFit

    Raises
    ------
    ValueError
        If the arrays differ in length, have fewer than 6 wells or fewer than 4 distinct
        ratios, contain non-finite values, or the fit does not converge.
    """
    import numpy as np
    from scipy.optimize import curve_fit
    from scipy.special import stdtrit

    x = np.asarray(validate.reals("ratio", ratio, low=0, low_open=True))
    y = np.asarray(validate.reals("proliferation", proliferation, length=x.size))
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("ratio and proliferation must be 1-D arrays of the same length")
    if x.size < 6 or np.unique(x).size < 4:
        raise ValueError("ratio must hold at least 6 wells at 4 or more distinct ratios")
    if np.any(~np.isfinite(x)) or np.any(x <= 0) or np.any(~np.isfinite(y)):
        raise ValueError("ratio must be positive and finite; proliferation must be finite")
    Range(0.5, 0.999, default=0.95).validate("level", level)

    logx = np.log10(x)
    lo, hi = logx.min() - 2.0, logx.max() + 2.0
    p0 = [float(np.min(y)), float(np.max(y)), float(np.median(logx)), 1.0]
    p0 = [p0[0], max(p0[1], p0[0] + 1.0), p0[2], p0[3]]
    bounds = ([-50.0, 0.0, lo, 0.1], [150.0, 250.0, hi, 10.0])
    try:
        popt, pcov = curve_fit(_log_model, logx, y, p0=p0, bounds=bounds, maxfev=20000,
                               jac=_log_model_jacobian)
    except RuntimeError as err:  # pragma: no cover - bounded fits converge in practice
        raise ValueError(f"the 4PL fit did not converge: {err}") from None
    bottom, top, log_ic50, hill = (float(v) for v in popt)
    df = x.size - 4
    se = float(np.sqrt(pcov[2, 2])) if np.isfinite(pcov[2, 2]) and df > 0 else math.inf
    t = float(stdtrit(df, 0.5 + level / 2)) if df > 0 else math.inf
    half = t * se
    # a nearly flat or very noisy curve leaves log10 IC50 unidentified: the upper limit
    # can exceed the largest float, so it becomes infinite instead of overflowing
    ci = ((10.0 ** (log_ic50 - half),
           math.inf if log_ic50 + half > 300 else 10.0 ** (log_ic50 + half))
          if math.isfinite(half) else (0.0, math.inf))
    return FourPLFit(bottom, top, 10.0 ** log_ic50, hill, ci, se, level)


def ratio_label(msc_per_t_cell: float) -> str:
    """Format MSCs per T cell as a ratio, e.g. 0.05 -> ``'1:20'``, 2.0 -> ``'2:1'``."""
    msc_per_t_cell = validate.real("msc_per_t_cell", msc_per_t_cell, low=0, low_open=True)

    def fmt(v: float) -> str:
        return f"{v:.0f}" if v >= 10 else f"{v:.2g}"

    if msc_per_t_cell >= 1:
        return f"{fmt(msc_per_t_cell)}:1"
    return f"1:{fmt(1 / msc_per_t_cell)}"


@ranged(ic50=_IC50, hill=_HILL, bottom=_BOTTOM, noise_sd=_NOISE, replicates=_REPS, seed=_SEED)
def plot_suppression_assay(ic50: float = 0.05, hill: float = 1.0, bottom: float = 10.0,
                           noise_sd: float = 5.0, replicates: int = 3, seed: int = 0, *, ax=None):
    """Simulated assay wells, the true curve, the 4PL fit and the IC50 with its 95% CI.

    Parameters
    ----------
    ic50, hill, bottom, noise_sd, replicates
        As in :func:`simulate_suppression_assay` (``top`` is fixed at 100%).
    seed : int, default 0
        Seed of the simulated noise (0 to 50).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = simulate_suppression_assay(ic50, hill, bottom, 100.0, noise_sd, replicates, rng=seed)
    fit = fit_four_pl(data["ratio"], data["proliferation"])
    ax = validate.axes("ax", ax)
    kept, made = None, ax is None
    if made:  # a live redraw moves the wells, the curves and the band, and relabels
        _, ax, kept = updatable_axes("plot_suppression_assay", (6.8, 4.8), left=0.12,
                                     right=0.98, bottom=0.12, top=0.84)
    grid = _curve_grid()
    curves = (_four_pl_on(grid, bottom, 100.0, ic50, hill),
              _four_pl_on(grid, fit.bottom, fit.top, fit.ic50, fit.hill))
    labels = (f"true curve (IC50 {ratio_label(ic50)})", f"4PL fit (IC50 {ratio_label(fit.ic50)})")
    span = (max(fit.ic50_ci[0], grid[0] / 10), min(fit.ic50_ci[1], grid[-1] * 10))
    if kept is None:
        kept = _draw_assay(ax, grid, data, curves, labels, span)
    else:
        _update_assay(kept, data, curves, labels, span)
    if made:
        keep_handles(ax.figure, "plot_suppression_assay", kept)
    return ax.figure


@functools.cache
def _curve_grid():
    """The 200 ratios (log-spaced over :data:`DEFAULT_RATIOS`) the curves are drawn at."""
    import numpy as np

    grid = np.logspace(np.log10(min(DEFAULT_RATIOS)), np.log10(max(DEFAULT_RATIOS)), 200)
    grid.flags.writeable = False  # shared by every call
    return grid


def _four_pl_on(x, bottom: float, top: float, ic50: float, hill: float):
    """:func:`four_pl` on checked arguments (the widget's curve grid is not checked again)."""
    import numpy as np

    with np.errstate(over="ignore"):  # (ratio / ic50) ** hill -> inf just means "bottom"
        return bottom + (top - bottom) / (1.0 + (x / ic50) ** hill)


def _draw_assay(ax, grid, data: dict, curves: tuple, labels: tuple, span: tuple) -> tuple:
    """Draw the assay figure in full; return the artists a live redraw updates."""
    import numpy as np
    from matplotlib.ticker import NullLocator

    wells, = ax.plot(data["ratio"], data["proliferation"], linestyle="none", marker=MARKERS[0],
                     color=COLORS[0], alpha=0.8, label="simulated wells")
    true, = ax.plot(grid, curves[0], color=COLORS[6], linestyle=LINESTYLES[1], linewidth=1.5,
                    label=labels[0])
    fitted, = ax.plot(grid, curves[1], color=COLORS[1], linestyle=LINESTYLES[0], label=labels[1])
    band = hatched_span(ax, *span, color=COLORS[1], alpha=0.15, hatch="..",
                        label="95% CI of fitted IC50")
    ax.set_xscale("log")
    ax.set_xlim(grid[0] / 1.5, grid[-1] * 1.5)
    ticks = [1.0, 0.1, 0.01, 0.001]
    ax.set_xticks(ticks, [ratio_label(t) for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())  # minor log ticks cost more than the model
    ax.set_yticks([0, 25, 50, 75, 100, 125])
    ax.set_ylim(min(0.0, float(np.min(data["proliferation"]))), 135)
    ax.set_xlabel("MSC : T-cell ratio (more MSCs to the right)")
    ax.set_ylabel("T-cell proliferation (% of control)")
    legend = ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2,
                       frameon=False)  # outside: never hides wells
    return wells, true, fitted, band, legend.get_texts()[1:3]


def _update_assay(kept: tuple, data: dict, curves: tuple, labels: tuple, span: tuple) -> None:
    """Move the kept wells, curves and CI band to a new setting; relabel the legend."""
    import numpy as np

    wells, true, fitted, band, texts = kept
    wells.set_data(data["ratio"], data["proliferation"])
    for line, curve, label, text in zip((true, fitted), curves, labels, texts):
        line.set_ydata(curve)
        line.set_label(label)
        text.set_text(label)
    band.set_x(span[0])
    band.set_width(span[1] - span[0])
    ylim = (min(0.0, float(np.min(data["proliferation"]))), 135)
    if wells.axes.get_ylim() != ylim:
        wells.axes.set_ylim(ylim)
