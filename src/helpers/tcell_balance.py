"""A TOY model of the Th17/Treg balance and a short-lived MSC-derived signal.

Three quantities in arbitrary units, time in days::

    dTh17/dt = a * I / (1 + I) / (1 + S(t)) - d17 * Th17 - c * Treg * Th17
    dTreg/dt = g * S(t) * R0 + (R0 - Treg) / L
    dI/dt    = k * Th17 - dI * I

``I`` is inflammation driven by Th17 cells; Tregs restrain Th17 cells; the MSC-derived
signal ``S(t) = strength * exp(-t / duration)`` (standing for secreted factors and the
after-effects of engulfed MSCs) induces extra Tregs (rate ``g * S * R0``) and hinders Th17
induction. Induction and turnover are separate terms: ``L`` is the Treg lifetime, which
sets only how fast extra Tregs are lost again (``R0`` is the untreated level and does not
depend on ``L``). So a longer lifetime keeps the induced Tregs, and with them the lower
Th17 level, for longer, and the time for Th17 cells to recover rises with ``L``
(:func:`recovery_days`; checked in ``tests/test_tcell_balance.py``). The Th17-inflammation
loop also rebuilds itself slowly, most of all when the inflammatory drive ``a`` is low,
so even with short-lived Tregs Th17 cells return some days after the signal has faded.

All rate constants are invented for teaching: the model shows a *mechanism of the
argument* ("a brief signal can shift a balance for longer if the cells it induces are
long-lived"), not a prediction for any patient.

References
----------
Notebook ``04_msc_immunomodulation``. Th17/Treg imbalance in SLE: Huang J et al. (2024),
Front Immunol 15:1425847, doi:10.3389/fimmu.2024.1425847.
"""
from __future__ import annotations

import functools

from helpers.core.params import Range, ranged
from helpers.core.style import (COLORS, LINESTYLES, MARKERS, hatched_span, keep_handles,
                                 updatable_axes)
from helpers.core import validate

__all__ = ["TOY_RATES", "baseline_state", "simulate_balance", "recovery_days", "plot_balance"]

#: Invented rate constants of the toy model (per day, arbitrary units); ``g`` is the Treg
#: induction rate per unit of MSC signal.
TOY_RATES = {"d17": 0.5, "c": 0.5, "R0": 1.0, "k": 1.0, "dI": 1.0, "g": 0.1}

_SPECS = dict(
    signal_strength=Range(0.0, 5.0, default=2.0, step=0.1, label="MSC signal strength (toy units)"),
    signal_days=Range(0.5, 14.0, default=2.0, step=0.5, label="MSC signal lasts (days, e-folding)"),
    treg_lifetime_days=Range(2.0, 60.0, default=20.0, step=1.0, label="Treg lifetime (days)"),
    inflammatory_drive=Range(1.2, 4.0, default=2.5, step=0.1, label="inflammatory drive a (toy units)"),
)


def baseline_state(inflammatory_drive: float, treg_lifetime_days: float) -> tuple:
    """Steady state (Th17, Treg, inflammation) of the toy model without MSC signal.

    Solved in closed form: ``Treg* = R0``, ``I* = k Th17* / dI`` and
    ``Th17* = dI / k * (a k / (dI (d17 + c Treg*)) - 1)`` (0 if that is negative).
    The Treg lifetime does not change the steady state; it is validated because the
    same pair of arguments describes a simulation.

    Parameters
    ----------
    inflammatory_drive : float
        Maximal rate of Th17 induction by inflammation ``a``, toy units per day (1.2 to 4).
    treg_lifetime_days : float
        Average lifetime of a Treg, days (2 to 60).

    Returns
    -------
    tuple of float
        ``(Th17*, Treg*, I*)`` in toy units.

    Raises
    ------
    ValueError
        If either argument lies outside its range.
    """
    Range(1.2, 4.0, default=2.5).validate("inflammatory_drive", inflammatory_drive)
    Range(2.0, 60.0, default=20.0).validate("treg_lifetime_days", treg_lifetime_days)
    r = TOY_RATES
    treg = r["R0"]
    th17 = max(r["dI"] / r["k"] * (inflammatory_drive * r["k"] /
                                    (r["dI"] * (r["d17"] + r["c"] * treg)) - 1.0), 0.0)
    return th17, treg, r["k"] * th17 / r["dI"]


@ranged(**_SPECS, days=Range(14.0, 180.0, default=90.0, step=7.0, label="days shown"))
def simulate_balance(signal_strength: float = 2.0, signal_days: float = 2.0,
                     treg_lifetime_days: float = 20.0, inflammatory_drive: float = 2.5,
                     days: float = 90.0, *, n_points: int = 361) -> dict:
    """Run the toy model from its untreated steady state after one MSC-derived signal.

    Parameters
    ----------
    signal_strength : float, default 2
        Peak of the MSC-derived signal S (0 = no MSCs), toy units.
    signal_days : float, default 2
        Time for the signal to fall to 1/e of its peak, days.
    treg_lifetime_days : float, default 20
        Average lifetime of a Treg, days: how fast Tregs induced by the signal are lost
        again (it does not change the untreated level or the rate of induction).
    inflammatory_drive : float, default 2.5
        Maximal rate of Th17 induction by inflammation, toy units per day.
    days : float, default 90
        Simulated time, days.
    n_points : int, keyword-only, default 361
        Number of output time points (11 to 4001).

    Returns
    -------
    dict
        ``t`` (days), ``th17``, ``treg``, ``inflammation``, ``signal`` (arrays) and
        ``baseline`` (the untreated steady state as a dict).
    """
    import numpy as np

    Range(11, 4001, default=361, integer=True).validate("n_points", n_points)
    t, y, baseline = _solve(float(signal_strength), float(signal_days),
                            float(treg_lifetime_days), float(inflammatory_drive), float(days),
                            int(n_points))
    return {"t": t.copy(), "th17": y[0].copy(), "treg": y[1].copy(),
            "inflammation": y[2].copy(),
            "signal": signal_strength * np.exp(-t / signal_days),
            "baseline": dict(zip(("th17", "treg", "inflammation"), baseline))}


@functools.lru_cache(maxsize=64)
def _solve(strength: float, duration: float, life: float, a: float, days: float,
           n_points: int) -> tuple:
    """``(t, y, baseline)`` of the toy model for one parameter tuple (cached, read-only).

    ``scipy.integrate.odeint`` (LSODA, as before, rtol 1e-8, atol 1e-10) with a
    plain-float right-hand side: about a fifth of the time of ``solve_ivp`` with the same
    method and tolerances, which matters inside a widget callback; the solutions agree to
    about 1e-8. The last 64 parameter tuples are kept, so moving a slider back is free.
    """
    import math

    import numpy as np
    from scipy.integrate import odeint

    r = TOY_RATES
    d17, c, r0, k, d_i, g = r["d17"], r["c"], r["R0"], r["k"], r["dI"], r["g"]
    exp = math.exp

    def rhs(y, t):
        th17, treg, infl = y
        s = strength * exp(-t / duration)
        return (a * infl / (1.0 + infl) / (1.0 + s) - d17 * th17 - c * treg * th17,
                g * s * r0 + (r0 - treg) / life,
                k * th17 - d_i * infl)

    baseline = baseline_state(a, life)
    t = np.linspace(0.0, days, n_points)
    y, info = odeint(rhs, baseline, t, rtol=1e-8, atol=1e-10, full_output=True)
    if info["message"] != "Integration successful.":  # pragma: no cover
        raise ValueError(f"the toy model could not be solved: {info['message']}")
    y = np.clip(y.T, 0.0, None)
    t.flags.writeable = y.flags.writeable = False
    return t, y, baseline


def recovery_days(result: dict, level: float = 0.95) -> float:
    """Last day on which Th17 cells are below ``level`` times their untreated level.

    Parameters
    ----------
    result : dict
        Output of :func:`simulate_balance`.
    level : float, default 0.95
        Fraction of the untreated Th17 level that counts as recovered (0.5 to 0.999).

    Returns
    -------
    float
        Days after infusion until Th17 cells have recovered (0 if they never fell below
        ``level``; the simulated span if they had not recovered by its end).

    Raises
    ------
    ValueError
        If ``level`` lies outside its range.
    """
    import numpy as np

    Range(0.5, 0.999, default=0.95).validate("level", level)
    low = result["th17"] < level * result["baseline"]["th17"]
    return float(result["t"][low].max()) if np.any(low) else 0.0


@ranged(**_SPECS, days=Range(14.0, 180.0, default=90.0, step=7.0, label="days shown"))
def plot_balance(signal_strength: float = 2.0, signal_days: float = 2.0,
                 treg_lifetime_days: float = 20.0, inflammatory_drive: float = 2.5,
                 days: float = 90.0, *, ax=None):
    """Th17, Treg and the Th17/Treg ratio as % of their untreated level (toy model).

    The shaded band marks the days while the MSC signal is above 5% of its peak.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    res = simulate_balance(signal_strength, signal_days, treg_lifetime_days,
                           inflammatory_drive, days)
    ax = validate.axes("ax", ax)
    handles, made = None, ax is None
    if made:  # a live redraw only moves the curves and the band and sets the ranges
        _, ax, handles = updatable_axes("plot_balance", (6.8, 4.6), left=0.11, right=0.98,
                                        bottom=0.12, top=0.84)
    values = _balance_series(res)
    band = min(signal_days * np.log(20.0), days) if signal_strength > 0 else None
    if handles is None:
        handles = _draw_balance(ax, res["t"], values, band)
    else:
        for line, ys in zip(handles["curves"], values):
            line.set_data(res["t"], ys)
        _move_band(ax, handles, band)
    ax.set_xlim(0, days)
    ax.set_ylim(0, max(200.0, float(max(np.max(v) for v in values)) * 1.1))
    if made:
        keep_handles(ax.figure, "plot_balance", handles)
    return ax.figure


#: Legend labels of :func:`plot_balance`: the three curves, then the shaded band.
_LABELS = ("Th17 cells", "Treg cells", "Th17/Treg ratio", "MSC signal > 5% of peak")


def _balance_series(res: dict) -> list:
    """Th17, Treg and their ratio as % of the untreated levels."""
    import numpy as np

    base = res["baseline"]

    def pct(values, ref):
        return 100 * values / ref if ref > 0 else np.full_like(values, 100.0)

    return [pct(res["th17"], base["th17"]), pct(res["treg"], base["treg"]),
            pct(res["th17"] / res["treg"], base["th17"] / base["treg"])]


def _draw_balance(ax, t, values: list, band) -> dict:
    """Draw the curves, the band (``band`` = its end, None for none) and the fixed parts."""
    from matplotlib.ticker import MaxNLocator

    every = max(len(t) // 9, 1)
    curves = [ax.plot(t, ys, color=COLORS[i], linestyle=LINESTYLES[i], marker=MARKERS[i],
                      markevery=every, label=label)[0]
              for i, (label, ys) in enumerate(zip(_LABELS, values))]
    span = None if band is None else _band(ax, band)
    ax.xaxis.set_major_locator(MaxNLocator(5))  # few ticks: tick creation dominates redraws
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.axhline(100, color="grey", linewidth=1, linestyle=":")
    ax.set_xlabel("days after infusion (toy model)")
    ax.set_ylabel("% of untreated level")
    _balance_legend(ax)
    return {"curves": curves, "span": span}


def _band(ax, end: float):
    return hatched_span(ax, 0, end, color=COLORS[5], hatch="//", label=_LABELS[3])


def _balance_legend(ax, handles=None):
    """The legend above the axes (outside: it never hides a curve)."""
    extra = {} if handles is None else {"handles": handles}
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, **extra)


def _move_band(ax, handles: dict, band) -> None:
    """Resize, show or hide the band; the legend lists it only while it is shown.

    A band first needed in a redraw is made then: patches are drawn below all lines, so
    its place among the axes' artists does not change the picture.
    """
    span = handles["span"]
    shown = span is not None and span.get_visible()
    if band is not None and span is None:
        span = handles["span"] = _band(ax, band)
    elif band is not None:
        span.set_width(band)  # the band starts at 0
    if span is not None:
        span.set_visible(band is not None)
    if shown != (band is not None):
        _balance_legend(ax, handles["curves"] + ([span] if band is not None else []))
