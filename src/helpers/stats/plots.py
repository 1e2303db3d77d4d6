"""Figures of the statistics core: forest and funnel plots, the ARD explorer, power curves.

Every function takes ``ax=None`` (a new figure is made) and returns the
:class:`matplotlib.figure.Figure`; colours are Okabe-Ito, paired with markers or line styles.

References
----------
Notebooks 02_treatment_burden (ARD explorer), 05_trial_evidence (forest plot) and
06_reading_trials_critically (funnel plot, power curve).
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Sequence

from helpers.core import validate
from helpers.core.params import Choice, Range, ranged
from helpers.core.style import COLORS, LINESTYLES, MARKERS
from helpers.stats import _checks
from helpers.stats.distributions import z_quantile
from helpers.stats.effect_sizes import (RD_METHOD_LABELS, RD_METHODS, nnt_from_difference,
                                        risk_difference)
from helpers.stats.pooling import MetaResult
from helpers.stats.power import power_curve, power_two_proportions, sample_size_two_proportions
from helpers.stats.proportions import counts_from_percent, wilson_interval

__all__ = ["plot_forest", "plot_funnel", "plot_ard_explorer", "plot_power"]


def _result(result) -> MetaResult | None:
    if result is not None and not isinstance(result, MetaResult):
        raise validate.ParameterTypeError(
            f"result must be a MetaResult (from random_effects) or None; got {result!r}")
    return result


def _transform(transform) -> Callable:
    if transform is not None and not callable(transform):
        raise validate.ParameterTypeError(f"transform must be a function or None; got "
                                          f"{transform!r}")
    return transform or (lambda x: x)


# --- meta-analysis ----------------------------------------------------------------------

#: Default forest plot layout: 9 in wide (900 px at 100 dpi, a GitHub column), study labels
#: in the first 2.1 in, the axes to 5.1 in, the n / weight / estimate columns after it.
FOREST_WIDTH = 9.0
FOREST_LEFT, FOREST_RIGHT = 2.1 / FOREST_WIDTH, 5.1 / FOREST_WIDTH

def plot_forest(labels: Sequence[str], effects: Sequence[float], variances: Sequence[float],
                result: MetaResult | None = None, *, n: Sequence[int] | None = None,
                transform: Callable | None = None, xlabel: str = "effect",
                null_value: float | None = None, pooled_label: str | None = None,
                display: Sequence[tuple] | None = None, ax=None):
    """Forest plot: one row per study (n, weight, CI), pooled diamond, prediction-interval bar.

    Parameters
    ----------
    labels, effects, variances : sequences
        Study labels and their effects / variances on the analysis scale.
    result : MetaResult, optional
        Pooled result drawn as a diamond (and its prediction interval as a bar when
        defined; under fixed effect the row says "not reported"). Its ``weights`` must
        match the studies.
    n : sequence of int, optional
        Patients per study, printed in the table column.
    transform : callable, optional
        Applied to effects and intervals for display (e.g. :func:`expit` for logits).
    xlabel : str
        Axis label (with units).
    null_value : float, optional
        Draws a dashed reference line (e.g. 0 for a difference, 1 for a ratio).
    pooled_label : str, optional
        Text of the pooled row (default: "Pooled (<method>)").
    display : sequence of (estimate, low, high), optional
        Per-study values to draw instead of the transformed effects (e.g. raw proportions
        with exact intervals, so a 0/2 study is drawn at 0 rather than at its continuity-
        corrected value). Already on the display scale.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon
    from matplotlib.transforms import blended_transform_factory

    y, v = _checks.paired(effects, variances)
    labels = [str(s) for s in _checks.labels("labels", labels, len(y))]
    xlabel = validate.text("xlabel", xlabel, allow_empty=True)
    pooled_label = _checks.optional_text("pooled_label", pooled_label)
    if null_value is not None:
        null_value = validate.real("null_value", null_value)
    ax = validate.axes("ax", ax)
    if n is not None:
        n = [validate.count(f"n[{i}]", x, high=_checks.MAX_N)
             for i, x in enumerate(_checks.labels("n", n, len(y)))]
    if _result(result) is not None and len(result.weights) != len(y):
        raise ValueError(f"result must pool exactly these {len(y)} studies; it has "
                         f"{len(result.weights)} weights")
    f = _transform(transform)
    level = 0.95 if result is None else result.level
    z = z_quantile(level)
    lo, hi = f(y - z * np.sqrt(v)), f(y + z * np.sqrt(v))
    mid = f(y)
    k = len(y)
    if display is not None:
        display = _checks.labels("display", display, k)
        rows3 = [_checks.vector(f"display[{i}]", row, length=3) for i, row in enumerate(display)]
        mid, lo, hi = (np.array([row[i] for row in rows3]) for i in range(3))
    rows = k + (2 if result is not None else 0)
    if ax is None:  # fixed margins: the text columns sit outside the axes
        height = 1.2 + 0.4 * rows
        fig, ax = plt.subplots(figsize=(FOREST_WIDTH, height), layout="none")
        fig.subplots_adjust(left=FOREST_LEFT, right=FOREST_RIGHT, bottom=0.85 / height,
                            top=1 - 0.35 / height)
    ypos = np.arange(k, 0, -1) + (1.5 if result is not None else 0)
    weights = result.weights if result is not None else [1 / k] * k
    wmax = max(weights) if result is not None else 1
    for i in range(k):  # Line2D added directly: what ax.plot makes, without its parsing
        ax.add_line(Line2D([lo[i], hi[i]], [ypos[i]] * 2, color="black", lw=1.2, linestyle="-"))
        size = 5 + 9 * math.sqrt(weights[i] / wmax) if result is not None else 7
        ax.add_line(Line2D([mid[i]], [ypos[i]], marker=MARKERS[0], color=COLORS[0], ms=size,
                           linestyle="none", markeredgecolor="black"))
    tick_labels = list(labels)
    ticks = list(ypos)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    header_y = (ypos[0] + 0.9) if k else 1
    cols = (1.04, 1.17, 1.43)
    ax.text(cols[0], header_y, "n", transform=trans, ha="left", va="center", fontweight="bold")
    ax.text(cols[1], header_y, "weight", transform=trans, ha="left", va="center",
            fontweight="bold")
    ax.text(cols[2], header_y, f"estimate [{level:.0%} CI]", transform=trans, ha="left", va="center",
            fontweight="bold")
    for i in range(k):
        ax.text(cols[0], ypos[i], "" if n is None else f"{int(n[i])}", transform=trans,
                ha="left", va="center")
        ax.text(cols[1], ypos[i], "" if result is None else f"{100 * weights[i]:.1f}%",
                transform=trans, ha="left", va="center")
        ax.text(cols[2], ypos[i], f"{mid[i]:.2f} [{lo[i]:.2f}, {hi[i]:.2f}]", transform=trans,
                ha="left", va="center")
    if result is not None:
        yd = 0.8
        est, cl, ch = f(result.estimate), f(result.ci_low), f(result.ci_high)
        ax.add_patch(Polygon([[cl, yd], [est, yd + 0.3], [ch, yd], [est, yd - 0.3]],
                             closed=True, facecolor=COLORS[1], edgecolor="black",
                             hatch="//"))
        if not math.isnan(result.pi_low):
            pl, ph = f(result.pi_low), f(result.pi_high)
            ax.plot([pl, ph], [yd - 0.6] * 2, color=COLORS[2], lw=3, solid_capstyle="butt",
                    linestyle=LINESTYLES[0])
            pi_text = f"[{pl:.2f}, {ph:.2f}]"
        elif result.method == "FE":
            pi_text = "none (fixed effect)"
        else:
            pi_text = "undefined (k < 3)"
        ticks += [yd, yd - 0.6]
        tick_labels += [pooled_label or f"Pooled ({result.method})", f"{level:.0%} prediction interval"]
        ax.text(cols[0], yd, f"k={result.k}", transform=trans, ha="left", va="center")
        ax.text(cols[2], yd, f"{est:.2f} [{cl:.2f}, {ch:.2f}]", transform=trans, ha="left",
                va="center", fontweight="bold")
        ax.text(cols[2], yd - 0.6, pi_text, transform=trans, ha="left", va="center")
    if null_value is not None:
        ax.axvline(null_value, color="grey", linestyle="--", lw=1)
    ax.set_yticks(ticks)
    ax.set_yticklabels(tick_labels)
    ax.set_ylim(-0.1 if result is not None else 0.3, (ypos[0] if k else 1) + 1.4)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ax.figure


def plot_funnel(effects: Sequence[float], variances: Sequence[float],
                result: MetaResult | None = None, *, labels: Sequence[str] | None = None,
                xlabel: str = "effect", level: float = 0.95, ax=None):
    """Funnel plot: effect against standard error (inverted axis) with pseudo-confidence limits.

    Parameters
    ----------
    effects, variances : sequences
        Study effects and variances (analysis scale).
    result : MetaResult, optional
        Pooled result whose estimate centres the funnel (default: fixed-effect mean).
    labels : sequence of str, optional
        Annotate each point.
    xlabel : str
        Axis label.
    level : float, default 0.95
        Level of the pseudo-confidence limits (``centre ± z * se``).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    y, v = _checks.paired(effects, variances)
    if labels is not None:
        labels = _checks.labels("labels", labels, len(y))
    _result(result)
    xlabel = validate.text("xlabel", xlabel, allow_empty=True)
    ax = validate.axes("ax", ax)
    z = z_quantile(level)
    se = np.sqrt(v)
    centre = result.estimate if result is not None else float((y / v).sum() / (1 / v).sum())
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    top = float(se.max()) * 1.1
    grid = np.linspace(0, top, 50)
    ax.plot(centre - z * grid, grid, color="grey", linestyle=LINESTYLES[1], lw=1,
            label=f"pseudo {level:.0%} limits")
    ax.plot(centre + z * grid, grid, color="grey", linestyle=LINESTYLES[1], lw=1)
    ax.axvline(centre, color=COLORS[1], linestyle=LINESTYLES[0], lw=1.2, label="pooled estimate")
    ax.plot(y, se, marker=MARKERS[0], color=COLORS[0], linestyle="none",
            markeredgecolor="black", ms=8, label="studies")
    if labels is not None:
        for xi, yi, lab in zip(y, se, labels):
            ax.annotate(str(lab), (xi, yi), textcoords="offset points", xytext=(6, 4),
                        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.8})
    ax.set_ylim(top, 0)
    ax.set_ylabel("standard error (larger = smaller study)")
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax.figure


# --- two-arm comparisons and trial size --------------------------------------------------

@ranged(
    active_pct=Range(0, 100, default=55, step=1, label="response, active arm (%)"),
    control_pct=Range(0, 100, default=45, step=1, label="response, control arm (%)"),
    n_per_arm=Range(10, 1000, default=200, step=10, integer=True, label="patients per arm"),
    method=Choice(RD_METHODS, default="newcombe", label="interval method",
                  option_labels=tuple(RD_METHOD_LABELS[m] for m in RD_METHODS)),
)
def plot_ard_explorer(active_pct: float = 55, control_pct: float = 45, n_per_arm: int = 200,
                      method: str = "newcombe", *, ax=None):
    """Draw both arms' response (Wilson 95% CI) and their difference (95% CI), with the NNT.

    Parameters
    ----------
    active_pct, control_pct : float
        Response in each arm, per cent (0 to 100); rounded to whole responders.
    n_per_arm : int
        Patients per arm (10 to 1000).
    method : {"newcombe", "wald"}
        Interval for the difference.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.figure.Figure
        Three rows on one percentage scale (active, control, difference), a dashed line at
        no difference, each row's estimate (95% CI) in a column right of the axes, and the
        NNT with its interval in the x label.
    """
    from helpers.core.style import keep_handles, updatable_axes

    ax = validate.axes("ax", ax)
    e1 = counts_from_percent(active_pct, n_per_arm)
    e0 = counts_from_percent(control_pct, n_per_arm)
    rd = risk_difference(e1, n_per_arm, e0, n_per_arm, method=method)
    nnt = nnt_from_difference(rd)
    handles, made = None, ax is None
    if made:  # fixed margins leave room for the estimate column right of the axes
        _, ax, handles = updatable_axes("plot_ard_explorer", (8.4, 3.8), left=0.15,
                                        right=0.68, bottom=0.27, top=0.92)
    rows = [(rd.p_active, wilson_interval(e1, n_per_arm)),
            (rd.p_control, wilson_interval(e0, n_per_arm)), (rd.difference, (rd.low, rd.high))]
    if handles is None:
        handles = _draw_ard_rows(ax, rows)
    else:  # a live redraw moves each row's marker, bar and caps and rewrites its estimate
        for (bars, text), (est, (lo, hi)), y in zip(handles, rows, (2, 1, 0)):
            _move_errorbar(bars, *_error_span(est, lo, hi), y)
            text.set_text(_estimate_text(est, lo, hi))
    ax.set_xlabel(f"per cent responding / percentage-point difference\n{nnt.text}, "
                  f"n = {n_per_arm} per arm")
    if made:
        keep_handles(ax.figure, "plot_ard_explorer", handles)
    return ax.figure


#: Row labels of :func:`plot_ard_explorer`, top to bottom.
_ARD_ROWS = ("active arm", "control arm", "difference")


def _error_span(est: float, lo: float, hi: float) -> tuple:
    """Marker position and the bar's extent below and above it, in per cent."""
    return 100 * est, max(0.0, 100 * (est - lo)), max(0.0, 100 * (hi - est))


def _estimate_text(est: float, lo: float, hi: float) -> str:
    return f"{100 * est:.1f} ({100 * lo:.1f} to {100 * hi:.1f})"


def _draw_ard_rows(ax, rows: list) -> list:
    """Draw the three rows and the fixed parts; ``[(errorbar, estimate text)]`` per row."""
    handles = []
    for i, (est, (lo, hi)) in enumerate(rows):
        y = 2 - i
        x, below, above = _error_span(est, lo, hi)
        bars = ax.errorbar(x, y, xerr=[[below], [above]], fmt=MARKERS[i],
                           color=COLORS[i], capsize=5, markersize=8, lw=2)
        text = ax.annotate(_estimate_text(est, lo, hi), (1.02, y),
                           xycoords=("axes fraction", "data"), va="center", ha="left")
        handles.append((bars, text))
    ax.annotate("estimate (95% CI)", (1.02, 1.0), xycoords="axes fraction", va="top",
                ha="left", style="italic")
    ax.axvline(0, color="black", ls="--", lw=1)
    ax.set_yticks([2, 1, 0], _ARD_ROWS)
    ax.set_xlim(-100, 105)
    ax.set_ylim(-0.6, 2.6)
    return handles


def _move_errorbar(bars, x: float, below: float, above: float, y: float) -> None:
    """Move one horizontal ``errorbar`` (marker, bar and both caps) to new values."""
    left, right = x - below, x + above  # as errorbar computes the bar's ends
    marker, (cap_left, cap_right), (bar,) = bars.lines
    marker.set_data([x], [y])
    cap_left.set_data([left], [y])
    cap_right.set_data([right], [y])
    bar.set_segments([[(left, y), (right, y)]])


@ranged(effect=Range(0.05, 0.5, default=0.15, step=0.05,  # first slider: moves the curve most
                     label="extra responders with MSC (fraction)"),
        p_control=Range(0.05, 0.9, default=0.3, step=0.05, label="control response rate"),
        n_per_arm=Range(5, 500, default=50, step=5, integer=True, label="patients per arm"))
def plot_power(p_control: float = 0.3, effect: float = 0.15, n_per_arm: int = 50, *,
               alpha: float = 0.05, ax=None):
    """Power curve for a two-arm trial of response rates, with the chosen size marked.

    Parameters
    ----------
    p_control : float
        Response rate in the control arm (fraction).
    effect : float
        Absolute increase in response rate with the new treatment (fraction); capped so
        the treatment rate stays below 0.99.
    n_per_arm : int
        Patients per arm for the marked point.
    alpha : float, default 0.05
        Two-sided significance level.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from helpers.core.style import keep_handles, updatable_axes

    ax = validate.axes("ax", ax)
    p_treat = min(p_control + effect, 0.99)
    ns = _power_sizes()
    powers = power_curve(p_control, p_treat, ns, alpha=alpha)
    chosen = power_two_proportions(p_control, p_treat, n_per_arm, alpha=alpha)
    needed = math.ceil(sample_size_two_proportions(p_control, p_treat, alpha=alpha))
    labels = [f"{p_control:.0%} vs {p_treat:.0%} responders", "80% power",
              f"{n_per_arm} per arm: power {chosen:.0%}", f"80% power needs {needed} per arm"]
    handles, made = None, ax is None
    if made:  # a live redraw moves the curve, the point and the line and relabels them
        _, ax, handles = updatable_axes("plot_power", (9.0, 4.0), left=0.075, right=0.63,
                                        bottom=0.14, top=0.98)
    if handles is None:
        handles = _draw_power(ax, ns, powers, n_per_arm, chosen, needed, labels)
    else:
        curve, point, line = handles
        curve.set_data(ns, powers)
        point.set_data([n_per_arm], [chosen])
        line.set_xdata([needed, needed])
        for artist, text, label in zip((curve, None, point, line),
                                       ax.get_legend().get_texts(), labels):
            text.set_text(label)  # the legend's copy, and the artist's own label
            if artist is not None:
                artist.set_label(label)
    ax.set_ylabel(f"power (two-sided, α = {alpha:g})")
    if made:
        keep_handles(ax.figure, "plot_power", handles)
    return ax.figure


@functools.lru_cache(maxsize=1)
def _power_sizes():
    """Trial sizes of the power curve: 5 to 1,000 per arm, log-spaced (made once, read-only)."""
    import numpy as np

    sizes = np.unique(np.geomspace(5, 1000, 60).round())
    sizes.flags.writeable = False
    return sizes


def _draw_power(ax, ns, powers, n_per_arm: int, chosen: float, needed: int,
                labels: list) -> tuple:
    """Draw the power figure; the curve, the chosen point and the needed-size line."""
    from helpers.core.style import plain_log_axis

    curve, = ax.plot(ns, powers, color=COLORS[0], linestyle=LINESTYLES[0], label=labels[0])
    ax.axhline(0.8, color="grey", linestyle=LINESTYLES[1], lw=1, label=labels[1])
    point, = ax.plot([n_per_arm], [chosen], marker=MARKERS[2], color=COLORS[1], ms=10,
                     markeredgecolor="black", linestyle="none", label=labels[2])
    line = ax.axvline(needed, color=COLORS[2], linestyle=LINESTYLES[2], lw=1.2,
                      label=labels[3])
    ax.set_xscale("log")
    plain_log_axis(ax.xaxis, subs=(1.0, 2.0, 5.0))
    ax.set_xlim(5, 1000)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("patients per arm (log scale)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return curve, point, line
