"""Effect sizes for two-arm trials with a binary response: risk difference and NNT.

* :func:`risk_difference` — absolute risk difference (active minus control) with a
  confidence interval (Newcombe's hybrid score interval by default, Wald on request).
* :func:`nnt_from_difference` — number needed to treat with Altman's confidence interval,
  including the case where the risk-difference interval crosses zero (the NNT interval
  then runs through infinity, printed as "NNTH b to ∞ to NNTB a").
* :func:`counts_from_percent` — responders from a reported percentage and arm size.

Only the standard library is used (``statistics.NormalDist``), so importing is cheap.

Examples
--------
>>> rd = risk_difference(60, 100, 40, 100)
>>> round(rd.difference, 2), round(rd.low, 3), round(rd.high, 3)
(0.2, 0.061, 0.328)
>>> nnt_from_difference(rd).text
'NNTB 5.0 (95% CI 3.0 to 16.3)'

References
----------
Notebook ``02_treatment_burden``, section 3.
Newcombe RG (1998). Interval estimation for the difference between independent
proportions: comparison of eleven methods. Stat Med 17(8):873-890.
Altman DG (1998). Confidence intervals for the number needed to treat. BMJ
317(7168):1309-1312.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from helpers.core.params import Choice, Range, ranged
from helpers.core.style import COLORS, MARKERS

__all__ = ["RiskDifference", "NNT", "wilson_interval", "newcombe_limits", "risk_difference",
           "nnt_from_difference", "number_needed_to_treat", "counts_from_percent",
           "plot_ard_explorer"]


def _check_count(name: str, value, high=None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (
            high is not None and value > high):
        limit = f"between 0 and {high}" if high is not None else "0 or more"
        raise ValueError(f"{name} must be a whole number {limit}; got {value!r}")
    return value


def _z(conf: float) -> float:
    if isinstance(conf, bool) or not isinstance(conf, float) or not 0.5 <= conf < 1:
        raise ValueError(f"conf must be a float between 0.5 and 1 (e.g. 0.95); got {conf!r}")
    return NormalDist().inv_cdf(0.5 + conf / 2)


def wilson_interval(events: int, n: int, conf: float = 0.95) -> tuple[float, float]:
    """Return the Wilson score interval for a proportion ``events / n`` (as fractions).

    Raises
    ------
    ValueError
        If ``n`` is not a positive whole number, ``events`` is not in 0..n, or ``conf``
        is outside [0.5, 1).
    """
    _check_arm(events, n)
    return _wilson_limits(events, n, _z(conf))


def _check_arm(events: int, n: int) -> None:
    _check_count("n", n)
    if n == 0:
        raise ValueError("n must be a whole number of at least 1; got 0")
    _check_count("events", events, n)


def _wilson_limits(events: int, n: int, z: float) -> tuple[float, float]:
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_limits(e1: int, n1: int, e2: int, n2: int, z: float) -> tuple[float, float, float]:
    """``(p1 - p2, low, high)``: Newcombe's hybrid score interval, clipped to [-1, 1].

    The arithmetic behind :func:`risk_difference` (method 10 of Newcombe 1998, built from
    two Wilson intervals) for counts the caller has already checked and a normal quantile
    ``z`` (1.96 for 95%); :func:`helpers.stats.meta.risk_difference_ci` uses it too.
    """
    l1, u1 = _wilson_limits(e1, n1, z)
    l2, u2 = _wilson_limits(e2, n2, z)
    p1, p2 = e1 / n1, e2 / n2
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


@dataclass(frozen=True)
class RiskDifference:
    """Absolute risk difference (active minus control), as fractions between -1 and 1."""

    difference: float
    low: float
    high: float
    p_active: float
    p_control: float
    conf: float
    method: str

    @property
    def crosses_zero(self) -> bool:
        """True if the confidence interval includes no difference."""
        return self.low <= 0 <= self.high


def risk_difference(events_active: int, n_active: int, events_control: int, n_control: int,
                    *, conf: float = 0.95, method: str = "newcombe") -> RiskDifference:
    """Return the absolute risk difference (active minus control) with a confidence interval.

    Parameters
    ----------
    events_active, n_active : int
        Responders and patients in the active arm (0 <= events <= n, n >= 1).
    events_control, n_control : int
        Responders and patients in the control arm.
    conf : float, default 0.95
        Confidence level.
    method : {"newcombe", "wald"}
        ``"newcombe"``: hybrid score interval from two Wilson intervals (method 10 of
        Newcombe 1998; behaves well near 0% and 100%); ``"wald"``: the simple normal
        approximation, shown for comparison.

    Returns
    -------
    RiskDifference
        ``difference``, ``low``, ``high`` and both proportions, as fractions.

    Raises
    ------
    ValueError
        For counts outside their range, a bad ``conf`` or an unknown ``method``.
    """
    if method not in ("newcombe", "wald"):
        raise ValueError(f"method must be one of 'newcombe', 'wald'; got {method!r}")
    _check_arm(events_active, n_active)
    z = _z(conf)
    _check_arm(events_control, n_control)
    p1, p2 = events_active / n_active, events_control / n_control
    if method == "newcombe":
        d, low, high = newcombe_limits(events_active, n_active, events_control, n_control, z)
    else:
        d = p1 - p2
        se = math.sqrt(p1 * (1 - p1) / n_active + p2 * (1 - p2) / n_control)
        low, high = d - z * se, d + z * se
    return RiskDifference(d, max(-1.0, low), min(1.0, high), p1, p2, conf, method)


@dataclass(frozen=True)
class NNT:
    """Number needed to treat with its confidence interval (Altman 1998).

    Attributes
    ----------
    value : float
        ``1 / |difference|`` (``inf`` if the difference is 0).
    kind : {"benefit", "harm", "none"}
        NNTB if the active arm responds more, NNTH if less, "none" if equal.
    nntb_limit, nnth_limit : float or None
        When the risk-difference interval crosses zero, the interval for the NNT is in two
        pieces, printed as "NNTH ``nnth_limit`` to ∞ to NNTB ``nntb_limit``": from the harm
        side through infinity to the benefit side.
        Otherwise ``low``/``high`` hold an ordinary interval and these are None.
    low, high : float or None
        Ordinary NNT interval when the risk-difference interval excludes zero.
    text : str
        Ready-to-print summary, e.g. ``"NNTB 7.1 (95% CI NNTH 40.2 to ∞ to NNTB 3.5)"``.
    """

    value: float
    kind: str
    low: float | None
    high: float | None
    nntb_limit: float | None
    nnth_limit: float | None
    crosses_zero: bool
    text: str


def _inv(x: float) -> float:
    return math.inf if x == 0 else 1 / abs(x)


def _fmt(x: float) -> str:
    return "∞" if math.isinf(x) else f"{x:.1f}"


def nnt_from_difference(rd: RiskDifference) -> NNT:
    """Return the NNT and its confidence interval from a :class:`RiskDifference`.

    If the risk-difference interval excludes zero, the NNT interval is the reciprocal of
    its limits.  If it includes zero, the NNT interval is not a single range: it covers
    NNTB from ``1/high`` up to infinity and NNTH from ``1/|low|`` up to infinity — i.e. the
    data are compatible with benefit, no effect and harm (Altman 1998).  Reporting
    "NNT 7 (95% CI -40 to 3.5)" would be wrong; this function never does.

    Raises
    ------
    ValueError
        If ``rd`` is not a :class:`RiskDifference`.
    """
    if not isinstance(rd, RiskDifference):
        raise ValueError(f"rd must be a RiskDifference (from risk_difference); got "
                         f"{type(rd).__name__}")
    d, low, high = rd.difference, rd.low, rd.high
    kind = "benefit" if d > 0 else "harm" if d < 0 else "none"
    value = _inv(d)
    label = {"benefit": "NNTB", "harm": "NNTH", "none": "NNT"}[kind]
    pct = f"{rd.conf:.0%} CI"
    if rd.crosses_zero:
        nntb = _inv(high) if high > 0 else math.inf
        nnth = _inv(low) if low < 0 else math.inf
        text = f"{label} {_fmt(value)} ({pct} NNTH {_fmt(nnth)} to ∞ to NNTB {_fmt(nntb)})"
        return NNT(value, kind, None, None, nntb, nnth, True, text)
    a, b = sorted((_inv(low), _inv(high)))
    return NNT(value, kind, a, b, None, None, False, f"{label} {_fmt(value)} ({pct} "
               f"{_fmt(a)} to {_fmt(b)})")


def number_needed_to_treat(events_active: int, n_active: int, events_control: int,
                           n_control: int, *, conf: float = 0.95) -> NNT:
    """Return the NNT (with Altman's interval) straight from the four counts."""
    return nnt_from_difference(risk_difference(events_active, n_active, events_control,
                                               n_control, conf=conf))


def counts_from_percent(percent: float, n: int) -> int:
    """Return the number of responders implied by a reported percentage of ``n`` patients.

    Parameters
    ----------
    percent : float
        Reported response, per cent (0 to 100).
    n : int
        Arm size (a whole number of at least 1).

    Raises
    ------
    ValueError
        If ``percent`` is outside 0-100 or ``n`` is not a positive whole number.
    """
    Range(0, 100, default=0).validate("percent", percent)
    _check_count("n", n)
    if n == 0:
        raise ValueError("n must be a whole number of at least 1; got 0")
    return int(round(percent * n / 100))


@ranged(
    active_pct=Range(0, 100, default=55, step=1, label="response, active arm (%)"),
    control_pct=Range(0, 100, default=45, step=1, label="response, control arm (%)"),
    n_per_arm=Range(10, 1000, default=200, step=10, integer=True, label="patients per arm"),
    method=Choice(("newcombe", "wald"), default="newcombe", label="interval method"),
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
    from helpers.core.style import fixed_margin_axes

    e1 = counts_from_percent(active_pct, n_per_arm)
    e0 = counts_from_percent(control_pct, n_per_arm)
    rd = risk_difference(e1, n_per_arm, e0, n_per_arm, method=method)
    nnt = nnt_from_difference(rd)
    if ax is None:  # fixed margins leave room for the estimate column right of the axes
        _, ax = fixed_margin_axes((8.4, 3.8), left=0.15, right=0.68, bottom=0.27, top=0.92)
    rows = [("active arm", rd.p_active, wilson_interval(e1, n_per_arm)),
            ("control arm", rd.p_control, wilson_interval(e0, n_per_arm)),
            ("difference", rd.difference, (rd.low, rd.high))]
    for i, (label, est, (lo, hi)) in enumerate(rows):
        y = 2 - i
        ax.errorbar(100 * est, y, xerr=[[max(0.0, 100 * (est - lo))], [max(0.0, 100 * (hi - est))]],
                    fmt=MARKERS[i],
                    color=COLORS[i], capsize=5, markersize=8, lw=2)
        ax.annotate(f"{100 * est:.1f} ({100 * lo:.1f} to {100 * hi:.1f})", (1.02, y),
                    xycoords=("axes fraction", "data"), va="center", ha="left")
    ax.annotate("estimate (95% CI)", (1.02, 1.0), xycoords="axes fraction", va="top",
                ha="left", style="italic")
    ax.axvline(0, color="black", ls="--", lw=1)
    ax.set_yticks([2, 1, 0], [r[0] for r in rows])
    ax.set_xlim(-100, 105)
    ax.set_ylim(-0.6, 2.6)
    ax.set_xlabel(f"per cent responding / percentage-point difference\n{nnt.text}, "
                  f"n = {n_per_arm} per arm")
    return ax.figure
