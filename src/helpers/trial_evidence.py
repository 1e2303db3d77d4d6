"""Analyses and figures behind notebook 05 (what the MSC trials in lupus show).

Everything here reads the verified rows of the packaged study data (:mod:`helpers.studies`)
and pools them with :mod:`helpers.stats.pooling`; no result is typed in.

The pooled single-arm "response" is *descriptive*: each study counts responders with its own
definition and over its own window (:data:`OUTCOME_LABEL`, :func:`response_definitions`), so
the pool is not one comparable endpoint. Single two-arm comparisons use small-sample intervals
(Newcombe score for a risk difference, Welch t for a difference in means).

Examples
--------
>>> table, res, back = single_arm_pool()
>>> res.k
5

References
----------
Notebook 05_trial_evidence. Sources: the rows of ``helpers/data/msc_sle_studies.yaml`` and
``msc_sle_meta_analyses.yaml`` (each with DOI/PMID and locator).
"""
from __future__ import annotations

import functools
import math
import re
from typing import Sequence

import helpers.stats.effect_sizes as effect_sizes
import helpers.stats.plots as plots
import helpers.stats.pooling as pooling
import helpers.stats.proportions as proportions
import helpers.stats.sensitivity as sensitivity
from helpers.stats.distributions import z_quantile

import helpers.studies as studies
from helpers.core.params import Choice, Flag, LazyRanged, ranged
from helpers.core import validate

__all__ = ["pooling_methods_table", "NANJING_CHOICES", "INDEPENDENT_UNCONTROLLED", "DEFAULT_KEEP", "OUTCOME",
           "OUTCOME_LABEL", "uncontrolled_ids", "single_arm_pool", "pooled_summary",
           "response_definitions", "not_pooled", "plot_single_arm_forest",
           "plot_pooled_response", "plot_timeline", "overview_display", "registry_table",
           "rct_results", "sledai_results", "proteinuria_results", "comparison_table",
           "leave_one_out_response", "response_by_design", "review_notes",
           "proteinuria_end_vs_change"]

#: Name of the extraction rules in the data file (``response_outcomes``).
OUTCOME = "any clinical response"
#: What that outcome really is: each study's own responder definition, mostly the best
#: response reached within a window; not one endpoint that can be compared across studies.
OUTCOME_LABEL = "response as each study defined it (best response within a window)"


def _response_rows():
    table = studies.response_table(OUTCOME)
    return table[table["design"] != "RCT"].reset_index(drop=True)


def _timing(note: str, months: float) -> str:
    """Read how a study timed its responder count from the rule's note prefix."""
    if note.startswith("window"):
        return f"window, up to {months:g} months"
    if note.startswith("time point"):
        return f"time point, {months:g} months"
    return f"unclear, about {months:g} months"


def _caveat(note: str) -> str:
    """The rule's note without its timing prefix ("window: ..." -> "...")."""
    return note.split(":", 1)[1].strip() if ":" in note else note


def _label(row) -> str:
    """Study label, marked "(imputed)" when the course coded the count itself."""
    return row["label"] + (" (imputed)" if "imputed by the course" in row["note"] else "")


def uncontrolled_ids() -> list[str]:
    """Ids of the verified uncontrolled studies with a responder count, in data order."""
    return list(_response_rows()["id"])


# The constants below are read from the data on first use (module ``__getattr__``), so
# importing this module parses no data file and imports no pandas.

@functools.cache
def _independent_uncontrolled() -> tuple[str, ...]:
    """Independent (non-overlapping) uncontrolled studies with responder counts."""
    return tuple(r for r in uncontrolled_ids() if studies.overlap_group_of(r) is None)


@functools.cache
def _default_keep() -> str:
    """The report kept from the Nanjing overlap group unless told otherwise."""
    return studies.overlap_groups()["nanjing_drum_tower"]["default_keep"]


@functools.cache
def _nanjing_choices() -> tuple[str, ...]:
    """Which Nanjing report the widget may keep ("none" = leave the group out)."""
    keep = _default_keep()
    return tuple([keep] + [r for r in uncontrolled_ids()
                           if studies.overlap_group_of(r) and r != keep] + ["none"])


_LAZY = {"INDEPENDENT_UNCONTROLLED": _independent_uncontrolled, "DEFAULT_KEEP": _default_keep,
         "NANJING_CHOICES": _nanjing_choices}


def __getattr__(name: str):
    if name in _LAZY:
        return _LAZY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _GroupDefault:
    """Default of ``keep``: the overlap group's ``default_keep`` (wang2014), read on use."""

    def __repr__(self) -> str:
        return "<the Nanjing overlap group's default_keep>"


GROUP_DEFAULT = _GroupDefault()


def _keep(keep):
    """Resolve :data:`GROUP_DEFAULT`; check that ``keep`` is a study id or None."""
    if keep is GROUP_DEFAULT:
        return _default_keep()
    if keep is not None:
        validate.text("keep", keep)
    return keep


def single_arm_pool(include: Sequence[str] | None = None, keep: str | None = GROUP_DEFAULT,
                    method: str = "DL"):
    """Pool the response proportions of uncontrolled studies, applying the overlap rule.

    Parameters
    ----------
    include : sequence of str, optional
        Study ids to consider (default: every verified uncontrolled study with a responder
        count, including all the overlapping Nanjing reports).
    keep : str or None, default the overlap group's ``default_keep`` (wang2014)
        Which Nanjing report to keep if several are included; ``None`` means the overlap
        rule must find at most one (else ``ValueError``).
    method : {"DL", "PM", "FE"}
        Pooling method.

    Returns
    -------
    (DataFrame, MetaResult, dict)
        The rows actually pooled (with ``logit`` and ``var`` columns), the logit-scale
        result and the back-transformed proportion, CI and prediction interval.

    Raises
    ------
    ValueError
        Unknown ids, overlapping reports without a valid ``keep``, or no study left.
    """
    keep = _keep(keep)
    validate.choice("method", method, pooling.METHODS)
    if include is not None and (isinstance(include, (str, bytes, dict)) or not hasattr(
            include, "__iter__")):
        raise validate.ParameterTypeError(f"include must be a sequence of study ids or None; "
                                          f"got {include!r}")
    table = _response_rows()
    valid = list(table["id"])
    ids = valid if include is None else list(include)
    unknown = [i for i in ids if not isinstance(i, str) or i not in valid]
    if unknown:
        raise ValueError(f"include must list ids among {valid}; got {unknown}")
    if not ids:
        raise ValueError("include must name at least one study")
    sub = table[table["id"].isin(ids)].reset_index(drop=True)
    keep_list = [keep] if keep is not None and keep in list(sub["id"]) else []
    mask = pooling.apply_overlap_rule(list(sub["id"]), list(sub["group"]), keep_list)
    sub = sub[mask].reset_index(drop=True)
    pairs = [proportions.logit_proportion(e, n) for e, n in zip(sub["events"], sub["n"])]
    sub["logit"] = [p[0] for p in pairs]
    sub["var"] = [p[1] for p in pairs]
    res, back = pooling.pool_proportions(list(sub["events"]), list(sub["n"]), method)
    return sub, res, back


def pooled_summary(method: str = "DL") -> dict:
    """The default descriptive pool with its heterogeneity statistics, for printing.

    Parameters
    ----------
    method : {"DL", "PM", "FE"}
        Pooling method.

    Returns
    -------
    dict
        ``k``, ``patients``, ``labels``, ``method_name``; ``proportion``, ``ci_low``,
        ``ci_high``, ``pi_low``, ``pi_high`` (fractions; the prediction interval is NaN
        under fixed effect or for k < 3); ``tau2`` (logit scale), ``q``, ``df``, ``p``,
        ``i2``, ``i2_low``, ``i2_high`` (I² and its 95% CI as fractions).
    """
    rows, res, back = single_arm_pool(method=method)
    out = {"k": res.k, "patients": int(rows["n"].sum()), "labels": list(rows["label"]),
           "method_name": res.method_name, **back}
    out.update(res.heterogeneity())
    return out


def response_definitions(include: Sequence[str] | None = None,
                         keep: str | None = GROUP_DEFAULT):
    """How each pooled study counted a responder, and when (DataFrame of text).

    Columns: ``study``, ``design``, ``responders`` ("events/n"), ``timing`` ("window, up to
    12 months" when any response within the window counts, "time point, 4.6 months" when
    it was assessed once), ``definition`` (the study's own) and ``how counted`` (the
    course's extraction note, e.g. a count imputed by the course).
    """
    import pandas as pd

    sub, _, _ = single_arm_pool(include, keep)
    return pd.DataFrame([{
        "study": r["label"], "design": r["design"], "responders": f"{r['events']}/{r['n']}",
        "timing": _timing(r["note"], r["timepoint_months"]), "definition": r["definition"],
        "how counted": _caveat(r["note"])} for _, r in sub.iterrows()])


def not_pooled() -> list[dict]:
    """Verified, independent uncontrolled studies left out of the pool, with the reason.

    Returns
    -------
    list of dict
        ``id``, ``label`` and ``reason`` for each verified study outside the Nanjing overlap
        group that is not randomised and has no responder count in the data.
    """
    pooled = set(uncontrolled_ids())
    out = []
    for row in studies.verified_studies():
        if row["design"] == "RCT" or row["id"] in pooled or studies.overlap_group_of(row["id"]):
            continue
        out.append({"id": row["id"], "label": studies.study_label(row["id"]),
                    "reason": "no responder counts were read from its report"})
    return out


def plot_single_arm_forest(include: Sequence[str] | None = None,
                           keep: str | None = GROUP_DEFAULT, method: str = "DL", *, ax=None):
    """Forest plot of response proportions in uncontrolled studies (exact study CIs).

    Each study counts responders with its own definition (see :func:`response_definitions`);
    a count imputed by the course is labelled "(imputed)" and the pooled row is labelled
    descriptive. Under fixed effect no prediction interval is drawn.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ax = validate.axes("ax", ax)
    sub, res, _ = single_arm_pool(include, keep, method)
    display = [proportions.proportion_ci(e, n) for e, n in zip(sub["events"], sub["n"])]
    return plots.plot_forest([_label(r) for _, r in sub.iterrows()], list(sub["logit"]),
                            list(sub["var"]), res, n=list(sub["n"]), transform=proportions.expit,
                            display=display, pooled_label=f"Pooled ({method}), descriptive",
                            xlabel="proportion responding (each study's own definition)",
                            ax=ax)


@functools.cache
def _flags() -> dict:
    return {f"include_{sid}": Flag(default=True, label=f"include {studies.study_label(sid)}")
            for sid in _independent_uncontrolled()}


@functools.cache
def _nanjing_caveat(report: str) -> str:
    """Caveat shown under the widget's figure when a non-default Nanjing report is kept."""
    if report in ("none", _default_keep()):
        return ""
    row = _response_rows().set_index("id").loc[report]
    return f"Note on {row['label']}: {_caveat(row['note'])}" if row["note"] else ""


@functools.cache
def _caveat_lines(report: str) -> tuple[str, ...]:
    """:func:`_nanjing_caveat` wrapped to the width of the widget's figure."""
    import textwrap

    return tuple(textwrap.wrap(_nanjing_caveat(report), 92))


_NO_STUDY = "No study selected: tick at least one study to pool."


def _pooled_response_plot(method="DL", nanjing_report=GROUP_DEFAULT, ax=None, **flags):
    ax = validate.axes("ax", ax)
    nanjing_report = _keep(nanjing_report)
    chosen = {sid for sid in _independent_uncontrolled() if flags.get(f"include_{sid}", True)}
    if nanjing_report != "none":
        chosen.add(nanjing_report)
    if not chosen and ax is None:
        return _live_forest(None, ())
    if not chosen:
        ax.text(0.5, 0.5, _NO_STUDY, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax.figure
    ids = tuple(sid for sid in _study_rows() if sid in chosen)  # data order
    keep = None if nanjing_report == "none" else nanjing_report
    caveat = _caveat_lines(nanjing_report)
    if ax is None:
        return _live_forest(_forest_content(ids, method), caveat)
    fig = plot_single_arm_forest(list(ids), keep=keep, method=method, ax=ax)
    if caveat:
        fig.text(0.02, 0.1 / fig.get_figheight(), "\n".join(caveat), ha="left", va="bottom")
    return fig


# --- the widget's own forest plot, updated in place ---------------------------------------
# With ax=None the widget draws the forest plot of plots.plot_forest (same artists, same
# order) with a row for every study it can show, the unused rows hidden, so that a redraw
# only moves, relabels and shows or hides them (style.updatable_axes). The figure's height
# follows the rows, as plot_forest's does.

#: Columns of the n, weight and estimate texts (axes fractions), as in plots.plot_forest.
_FOREST_COLS = (1.04, 1.17, 1.43)
#: Height of the pooled diamond's row and of the prediction interval's row below it.
_POOLED_Y = 0.8
_PI_Y = _POOLED_Y - 0.6


@functools.cache
def _study_rows() -> dict:
    """Each uncontrolled study's label, counts and exact CI, for the widget's forest plot."""
    import numpy as np

    return {r["id"]: (_label(r), r["events"], r["n"],
                      np.asarray(proportions.proportion_ci(r["events"], r["n"]), dtype=float))
            for _, r in _response_rows().iterrows()}


@functools.lru_cache(maxsize=1024)
def _forest_content(ids: tuple, method: str) -> dict:
    """Everything the widget's forest plot shows for these studies and method (computed once).

    ``ids`` are in data order, with at most one Nanjing report (the overlap rule keeps
    all of them). The values and texts are those :func:`plot_single_arm_forest` gives to
    :func:`helpers.stats.plots.plot_forest`, computed as it computes them.
    """
    labels, events, ns, display = zip(*(_study_rows()[sid] for sid in ids))
    res, _ = pooling.pool_proportions(list(events), list(ns), method)
    rows = _study_content(display, ns, res.weights)
    top = rows[0][2]  # the first study's row
    return {"rows": rows, "header_y": top + 0.9, "top": top + 1.4,
            "ticks": (*(row[2] for row in rows), _POOLED_Y, _PI_Y),
            "tick_labels": (*labels, f"Pooled ({method}), descriptive",
                            f"{res.level:.0%} prediction interval"),
            "header": f"estimate [{res.level:.0%} CI]", **_pooled_content(res)}


def _study_content(display, ns, weights) -> tuple:
    """Per study row: CI ends, estimate, height, marker size and the n/weight/CI texts."""
    import numpy as np

    mid, lo, hi = (np.array([row[i] for row in display]) for i in range(3))
    ypos = np.arange(len(mid), 0, -1) + 1.5
    wmax = max(weights)
    return tuple(((lo[i], hi[i]), mid[i], ypos[i], 5 + 9 * math.sqrt(weights[i] / wmax),
                  (f"{int(n)}", f"{100 * weights[i]:.1f}%",
                   f"{mid[i]:.2f} [{lo[i]:.2f}, {hi[i]:.2f}]"))
                 for i, n in enumerate(ns))


def _pooled_content(res) -> dict:
    """The pooled rows: diamond corners, prediction interval (None if undefined), texts."""
    est, cl, ch = (proportions.expit(x) for x in (res.estimate, res.ci_low, res.ci_high))
    pi = None if math.isnan(res.pi_low) else (proportions.expit(res.pi_low),
                                              proportions.expit(res.pi_high))
    pi_text = (f"[{pi[0]:.2f}, {pi[1]:.2f}]" if pi else "none (fixed effect)"
               if res.method == "FE" else "undefined (k < 3)")
    return {"diamond": ((cl, _POOLED_Y), (est, _POOLED_Y + 0.3), (ch, _POOLED_Y),
                        (est, _POOLED_Y - 0.3)),
            "pi": pi, "pooled_texts": (f"k={res.k}", f"{est:.2f} [{cl:.2f}, {ch:.2f}]", pi_text)}


def _live_forest(content: dict | None, caveat: tuple):
    """The widget's forest plot (``ax=None``), or with ``content`` None the message that no
    study is selected (9 x 2.5 in, no axes shown); updated in place inside a redraw."""
    from helpers.core.style import keep_handles, updatable_axes

    extra = 0.3 * len(caveat)  # fixed margins as in plot_forest, plus the caveat lines
    height = 2.5 if content is None else 1.2 + 0.4 * (len(content["rows"]) + 2) + extra
    fig, ax, handles = updatable_axes(
        "plot_pooled_response", (9.0, height), resize=True, left=2.1 / 9, right=5.1 / 9,
        bottom=(0.85 + extra) / height, top=1 - 0.35 / height)
    if handles is None:
        handles = _draw_forest(ax, len(_independent_uncontrolled()) + 1)
        keep_handles(fig, "plot_pooled_response", handles)
    if content is None:
        ax.set_axis_off()
    else:
        ax.set_axis_on()
    for artist in _forest_artists(handles):
        artist.set_visible(content is not None)
    handles["message"].set_visible(content is None)
    if content is not None:
        _set_forest(ax, handles, content)
    _set_caveat(fig, handles, caveat)
    return fig


def _draw_forest(ax, rows: int) -> dict:
    """Create plot_forest's artists for ``rows`` study rows, in its order; return them.

    The message for an empty selection comes first among the texts; it sits at the
    figure's centre, where the axes' centre is in the constrained layout that an empty
    selection's figure used to have.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon
    from matplotlib.transforms import blended_transform_factory

    from helpers.core.style import COLORS, LINESTYLES, MARKERS

    lines = []
    for _ in range(rows):  # Line2D added directly, as plot_forest does
        lines.append((ax.add_line(Line2D([0, 1], [0, 0], color="black", lw=1.2,
                                         linestyle="-")),
                      ax.add_line(Line2D([0], [0], marker=MARKERS[0], color=COLORS[0], ms=7,
                                         linestyle="none", markeredgecolor="black"))))
    message = ax.text(0.5, 0.5, _NO_STUDY, ha="center", va="center",
                      transform=ax.figure.transFigure)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    headers = [ax.text(x, 0, text, transform=trans, ha="left", va="center", fontweight="bold")
               for x, text in zip(_FOREST_COLS, ("n", "weight", ""))]
    texts = [[ax.text(x, 0, "", transform=trans, ha="left", va="center") for x in _FOREST_COLS]
             for _ in range(rows)]
    diamond = ax.add_patch(Polygon([[0, 0]] * 4, closed=True, facecolor=COLORS[1],
                                   edgecolor="black", hatch="//"))
    pi_line, = ax.plot([0, 1], [_PI_Y] * 2, color=COLORS[2], lw=3, solid_capstyle="butt",
                       linestyle=LINESTYLES[0])
    pooled = [ax.text(_FOREST_COLS[j], y, "", transform=trans, ha="left", va="center", **kw)
              for j, y, kw in ((0, _POOLED_Y, {}), (2, _POOLED_Y, {"fontweight": "bold"}),
                               (2, _PI_Y, {}))]
    ax.set_xlabel("proportion responding (each study's own definition)")
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return {"rows": [(*pair, *row) for pair, row in zip(lines, texts)], "headers": headers,
            "diamond": diamond, "pi": pi_line, "pooled": pooled, "message": message,
            "caveat": None}


def _forest_artists(handles: dict):
    """Every artist of the forest plot itself (not the message, not the caveat)."""
    for row in handles["rows"]:
        yield from row
    yield from handles["headers"]
    yield from (handles["diamond"], handles["pi"], *handles["pooled"])


def _set_forest(ax, handles: dict, content: dict) -> None:
    """Show ``content`` in the forest plot's artists; rows it does not use are hidden."""
    for i, artists in enumerate(handles["rows"]):
        if i >= len(content["rows"]):
            for artist in artists:
                artist.set_visible(False)
            continue
        (lo, hi), mid, y, size, texts = content["rows"][i]
        ci, marker, *cells = artists
        ci.set_data([lo, hi], [y, y])
        marker.set_data([mid], [y])
        marker.set_markersize(size)
        for cell, text in zip(cells, texts):
            cell.set_y(y)
            cell.set_text(text)
    for header in handles["headers"]:
        header.set_y(content["header_y"])
    handles["headers"][2].set_text(content["header"])
    handles["diamond"].set_xy(content["diamond"])
    handles["pi"].set_visible(content["pi"] is not None)
    if content["pi"] is not None:
        handles["pi"].set_xdata(content["pi"])
    for artist, text in zip(handles["pooled"], content["pooled_texts"]):
        artist.set_text(text)
    ax.set_yticks(content["ticks"])
    ax.set_yticklabels(content["tick_labels"])
    ax.set_ylim(-0.1, content["top"])
    if content["pi"] is None:  # plot_forest autoscales x only when it plots this line
        ax.set_xlim(0, 1)
        return
    ax.set_autoscalex_on(True)
    ax.relim(visible_only=True)  # x limits from the rows shown, as plot_forest's
    ax.autoscale_view()


def _set_caveat(fig, handles: dict, caveat: tuple) -> None:
    """Show the caveat lines under the figure (made when first needed), or hide them."""
    if caveat and handles["caveat"] is None:
        handles["caveat"] = fig.text(0.02, 0, "", ha="left", va="bottom")
    if handles["caveat"] is not None:
        handles["caveat"].set_visible(bool(caveat))
        handles["caveat"].set_position((0.02, 0.1 / fig.get_figheight()))
        handles["caveat"].set_text("\n".join(caveat))


#: Pooling methods offered by the widget of notebook 05.
WIDGET_METHODS = ("DL", "REML", "PM", "FE")


_POOLED_RESPONSE_DOC = """Forest plot of pooled response with chosen studies and method (widget).

    A Nanjing report other than the default carries a caveat printed under the figure
    (e.g. low disease activity counted instead of response, or a denominator of survivors).
    Without ``ax`` the figure's height follows the rows, and a widget's redraw updates the
    figure it drew before (rows moved, relabelled, shown or hidden) instead of drawing again.

    Parameters
    ----------
    method : {"DL", "PM", "FE"}
        DerSimonian-Laird, Paule-Mandel or fixed effect.
    nanjing_report : str
        Which single report of the overlapping Nanjing programme to keep, or "none".
    include_<id> : bool
        Include each independent uncontrolled study.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """


def _make_widget_function():
    import inspect

    params = [inspect.Parameter("method", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="DL"),
              inspect.Parameter("nanjing_report", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                default=_default_keep())]
    params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=True)
               for name in _flags()]
    params.append(inspect.Parameter("ax", inspect.Parameter.KEYWORD_ONLY, default=None))

    def plot_pooled_response(*args, **kwargs):
        bound = plot_pooled_response.__signature__.bind(*args, **kwargs)
        bound.apply_defaults()
        return _pooled_response_plot(**bound.arguments)

    plot_pooled_response.__signature__ = inspect.Signature(params)
    plot_pooled_response.__doc__ = _POOLED_RESPONSE_DOC
    from helpers.stats.pooling import METHOD_LABELS

    nanjing = _nanjing_choices()
    nanjing_labels = tuple("none (leave the Nanjing reports out)" if r == "none"
                           else studies.study_label(r) for r in nanjing)
    return ranged(method=Choice(WIDGET_METHODS, default="DL", label="pooling method",
                                option_labels=tuple(METHOD_LABELS[m] for m in WIDGET_METHODS)),
                  nanjing_report=Choice(nanjing, default=_default_keep(),
                                        label="Nanjing report to keep",
                                        option_labels=nanjing_labels),
                  **_flags())(plot_pooled_response)


plot_pooled_response = LazyRanged(_make_widget_function, "plot_pooled_response",
                                  _POOLED_RESPONSE_DOC, __name__)


def leave_one_out_response(method: str = "DL"):
    """Leave-one-out table for the default pooled response (proportions, not logits)."""
    sub, _, _ = single_arm_pool(method=method)
    table = sensitivity.leave_one_out(list(sub["logit"]), list(sub["var"]), list(sub["label"]),
                               method, transform=proportions.expit)
    table.attrs["column_labels"] = {"omitted": "Study left out",
                                    "estimate": "Pooled proportion"}
    return table


# --- overview timeline ------------------------------------------------------------------

_DESIGN_ORDER = ("RCT", "single-arm", "case-series", "follow-up", "retrospective")


def plot_timeline(*, ax=None):
    """Timeline of the studies: year vs study, marker area ~ patients, style by design.

    Unverified rows are drawn hollow, at a fixed marker size and without their patient
    count, and marked "(unverified)"; studies of the Nanjing overlap group are labelled
    with a dagger.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator

    from helpers.core.style import COLORS, MARKERS

    table = studies.overview_table()
    ax = validate.axes("ax", ax)
    if ax is None:  # fixed margins: long study labels on the left, legend on the right
        height = 0.36 * len(table) + 1.4
        fig, ax = plt.subplots(figsize=(9.0, height), layout="none")
        fig.subplots_adjust(left=3.3 / 9, right=7.2 / 9, bottom=0.8 / height,
                            top=1 - 0.2 / height)
    ys = list(range(len(table), 0, -1))
    labels = []
    for y, (_, row) in zip(ys, table.iterrows()):
        d = _DESIGN_ORDER.index(row["design"])
        verified = row["verified"] == "yes"
        n = row["n"] if isinstance(row["n"], int) and verified else 10
        ax.scatter([row["year"]], [y], s=20 + 4 * n, marker=MARKERS[d],
                   facecolors=COLORS[d] if verified else "none", edgecolors=COLORS[d],
                   linewidths=1.5, zorder=3)
        label = row["study"] + (" †" if row["overlap_group"] != "independent" else "")
        if not verified:
            label += " (unverified)"
        elif isinstance(row["n"], int):
            count = studies.count_label(row["id"], row["n"])  # names the arms of an RCT
            label += f" ({count})" if count == f"n={row['n']}" else f"\n({count})"
        else:
            label += " (n not read)"
        labels.append(label)
    for d, design in enumerate(_DESIGN_ORDER):
        ax.scatter([], [], marker=MARKERS[d], s=60, facecolors=COLORS[d], edgecolors=COLORS[d],
                   label=design)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels)
    ax.xaxis.set_major_locator(MultipleLocator(5))  # whole years, no crowded labels
    ax.set_xlabel("publication year (marker area grows with patients; fixed if unverified)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              title="design")
    return ax.figure


_UNVERIFIED_COLUMNS = ("n", "dose", "follow_up_months")


def overview_display():
    """The overview table with no number shown from an unverified row (DataFrame).

    As :func:`helpers.studies.overview_table`, but ``n``, ``dose`` and ``follow_up_months``
    of unverified rows read "unverified" (their numbers come from secondary sources or
    mirror copies and never feed an analysis).
    """
    table = studies.overview_table().copy()
    unverified = table["verified"] != "yes"
    for column in _UNVERIFIED_COLUMNS:
        table[column] = table[column].astype(object)
        table.loc[unverified, column] = "unverified"
    for i in table.index[~unverified]:  # an RCT's n: say which arms it counts
        n = table.at[i, "n"]
        if isinstance(n, int) and studies.count_label(table.at[i, "id"], n) != f"n={n}":
            table.at[i, "n"] = studies.count_label(table.at[i, "id"], n).removeprefix("n=")
    table.attrs["column_labels"] = {"n": "Patients enrolled (n)"}
    return table


_STUDY_ID = re.compile(r"\b([a-z]+\d{4}[a-z0-9_]*)\b")


def registry_table():
    """Registered trials with the publication each led to, if any (DataFrame of text).

    Columns: ``registry id``, ``phase``, ``planned n``, ``status in the copy read`` (as
    recorded in the data file; registry statuses change), ``publication`` (the study row
    the registration led to, or "none found in the sources searched") and ``verified``.
    """
    import pandas as pd

    known = {r["id"] for r in studies.studies()}
    rows = []
    for t in studies.registered_trials():
        text = f"{t.get('title', '')} {t.get('status') or ''}"
        linked = [m for m in _STUDY_ID.findall(text) if m in known]
        rows.append({
            "registry id": t.get("nct") or t.get("registry"), "phase": t.get("phase") or "—",
            "planned n": t.get("planned_n") or "—",
            "status in the copy read": t.get("status") or "—",
            "publication": studies.study_label(linked[0]) if linked
            else "none found in the sources searched",
            "verified": "yes" if t["verified"] else "NO (unverified)"})
    return pd.DataFrame(rows)


# --- RCT and continuous outcomes --------------------------------------------------------

def _ci(est: float, var: float, level: float = 0.95) -> tuple[float, float]:
    half = z_quantile(level) * math.sqrt(var)
    return est - half, est + half


def rct_results():
    """Effect estimates of the randomised trial(s), each with a 95% CI (DataFrame).

    Renal remission: risk difference (Newcombe's hybrid score interval, suited to a dozen
    patients per arm) and risk ratio (log-scale interval); SLEDAI and proteinuria:
    difference in mean change from baseline (MSC - placebo) with Welch's t interval.
    Column ``interval`` names the method.
    """
    import pandas as pd

    rows = []
    for sid in [r["id"] for r in studies.verified_studies(design="RCT")]:
        label = studies.study_label(sid)
        msc = studies.response_table("renal remission (RCT, MSC arm)").set_index("id").loc[sid]
        pla = studies.response_table("renal remission (RCT, placebo arm)").set_index("id").loc[sid]
        e1, n1, e2, n2 = int(msc["events"]), int(msc["n"]), int(pla["events"]), int(pla["n"])
        rd, lo, hi = effect_sizes.risk_difference_ci(e1, n1, e2, n2)
        rows.append({"study": label, "outcome": "renal remission", "measure": "risk difference",
                     "msc": f"{e1}/{n1}", "control": f"{e2}/{n2}", "estimate": rd,
                     "ci_low": lo, "ci_high": hi, "interval": "Newcombe score"})
        lrr, v = effect_sizes.log_risk_ratio(e1, n1, e2, n2)
        lo, hi = _ci(lrr, v)
        rows.append({"study": label, "outcome": "renal remission", "measure": "risk ratio",
                     "msc": f"{e1}/{n1}", "control": f"{e2}/{n2}", "estimate": math.exp(lrr),
                     "ci_low": math.exp(lo), "ci_high": math.exp(hi),
                     "interval": "normal, log scale"})
    for item in sledai_results()["two-arm"]:
        rows.append(item)
    for item in proteinuria_results()["two-arm"]:
        rows.append(item)
    table = pd.DataFrame(rows)
    table.attrs["column_labels"] = {"control": "Placebo arm"}
    return table


def sledai_results(r: float = 0.5) -> dict:
    """SLEDAI results by kind, in SLEDAI points.

    ``pre-post``: single-arm mean change with a t interval (n - 1 df) for the assumed
    pre-post correlation ``r``, and a standardised mean change in baseline-SD units (normal
    approximation; a within-group change, not comparable with a between-group SMD);
    ``two-arm``: RCT difference in mean change with Welch's t interval; ``medians``: shown,
    not pooled.
    """
    r = validate.real("r", r, low=-1, high=1)
    out: dict = {"pre-post": [], "two-arm": [], "medians": []}
    for item in studies.sledai_changes():
        if item["kind"] == "pre-post":
            md, v = effect_sizes.prepost_mean_difference(item["baseline_mean"], item["baseline_sd"],
                                                 item["followup_mean"], item["followup_sd"],
                                                 item["n"], r=r)
            g, vg = effect_sizes.prepost_smd(item["baseline_mean"], item["baseline_sd"],
                                     item["followup_mean"], item["followup_sd"], item["n"], r=r)
            low, high = effect_sizes.t_interval(md, math.sqrt(v), item["n"] - 1)
            out["pre-post"].append({
                "study": item["label"], "n": item["n"], "months": item["timepoint_months"],
                "baseline": item["baseline_mean"], "followup": item["followup_mean"],
                "mean_change": md, "ci_low": low, "ci_high": high,
                "smd": g, "smd_ci_low": _ci(g, vg)[0], "smd_ci_high": _ci(g, vg)[1], "r": r})
        elif item["kind"] == "two-arm change":
            w = effect_sizes.welch_mean_difference_ci(item["mean_msc"], item["sd_msc"], item["n_msc"],
                                              item["mean_control"], item["sd_control"],
                                              item["n_control"])
            out["two-arm"].append({
                "study": item["label"], "outcome": f"SLEDAI change at {item['timepoint_months']} mo",
                "measure": "difference in mean change (points)",
                "msc": f"{item['mean_msc']:g} (SD {item['sd_msc']:g}), n={item['n_msc']}",
                "control": f"{item['mean_control']:g} (SD {item['sd_control']:g}), "
                           f"n={item['n_control']}",
                "estimate": w["estimate"], "ci_low": w["ci_low"], "ci_high": w["ci_high"],
                "interval": f"Welch t ({w['df']:.1f} df)"})
        else:
            out["medians"].append({"study": item["label"], "n": item["n"],
                                   "months": item["timepoint_months"],
                                   "baseline_median": item["baseline_median"],
                                   "followup_median": item["followup_median"]})
    return out


_CHANGE = re.compile(r"mean change\s*(-?\d+(?:\.\d+)?)\s*\(SD\s*(\d+(?:\.\d+)?)\)")


def proteinuria_results(r: float = 0.5) -> dict:
    """Proteinuria results parsed from the verified text fields.

    ``pre-post``: single-arm paired means (mg/24 h) with the change for correlation ``r``
    (t interval, n - 1 df); ``two-arm``: RCT difference in mean change (g/24 h, Welch's t
    interval); ``not parsed``: each verified study whose proteinuria text holds no mean and
    SD that can be read (``study``, ``field``, ``text``, ``reason``), so no study is left
    out without a word.
    """
    r = validate.real("r", r, low=-1, high=1)
    out: dict = {"pre-post": [], "two-arm": [], "not parsed": []}

    def skip(row, field, text, reason):
        out["not parsed"].append({"study": studies.study_label(row["id"]), "field": field,
                                  "text": text, "reason": reason})

    for row in studies.verified_studies():
        pf = row["proteinuria_followup"]
        if isinstance(pf, dict) and "msc" in pf:
            m1 = _CHANGE.search(pf["msc"])
            m2 = _CHANGE.search(pf["placebo"])
            if not (m1 and m2):
                arm = "msc" if m1 is None else "placebo"
                skip(row, f"proteinuria_followup.{arm}", pf[arm],
                     "no 'mean change X (SD Y)' in the text")
                continue
            n1, n2 = row["msc_arm_n"], row["control_arm"]["n"]
            w = effect_sizes.welch_mean_difference_ci(float(m1.group(1)), float(m1.group(2)), n1,
                                                      float(m2.group(1)), float(m2.group(2)), n2)
            out["two-arm"].append({
                "study": studies.study_label(row["id"]),
                "outcome": f"proteinuria change at {pf['timepoint_months']} mo",
                "measure": "difference in mean change (g/24 h)",
                "msc": f"{m1.group(1)} (SD {m1.group(2)}), n={n1}",
                "control": f"{m2.group(1)} (SD {m2.group(2)}), n={n2}",
                "estimate": w["estimate"], "ci_low": w["ci_low"], "ci_high": w["ci_high"],
                "interval": f"Welch t ({w['df']:.1f} df)"})
        elif isinstance(pf, str):
            base = row["proteinuria_baseline"]
            field, text = "proteinuria_baseline", base
            try:
                if not isinstance(base, str):
                    raise ValueError("no baseline value in the data")
                b_mean, b_sd = studies.parse_mean_sd(base)
                field, text = "proteinuria_followup", pf
                f_mean, f_sd = studies.parse_mean_sd(pf)
            except ValueError as err:
                skip(row, field, text, str(err))
                continue
            n = row.get("sledai_n") or row["n_analyzed"]
            md, v = effect_sizes.prepost_mean_difference(b_mean, b_sd, f_mean, f_sd, n, r=r)
            low, high = effect_sizes.t_interval(md, math.sqrt(v), n - 1)
            out["pre-post"].append({
                "study": studies.study_label(row["id"]), "n": n,
                "months": row["sledai_followup_timepoint_months"], "baseline": b_mean,
                "followup": f_mean, "mean_change": md, "ci_low": low,
                "ci_high": high, "unit": "mg/24 h", "r": r})
    return out


def _fmt(est: float, lo: float, hi: float, pct: bool = False) -> str:
    if pct:
        return f"{100 * est:.0f}% [{100 * lo:.0f}%, {100 * hi:.0f}%]"
    return f"{est:.2f} [{lo:.2f}, {hi:.2f}]"


def comparison_table(method: str = "DL"):
    """Our estimates beside the published meta-analyses' figures (DataFrame of text).

    Columns: ``outcome``, ``source``, ``design``, ``studies``, ``estimate [95% CI]``,
    ``caveat`` (for published rows: rests on one trial, interval includes no difference, or
    the review's authors run the programme it pools). Zhou 2020's 12-month pools are shown
    beside its 6-month ones.
    Low-credibility reviews are left out; see :func:`helpers.studies.published_pooled`.
    Our pooled single-arm proportion is a descriptive summary of differently defined
    responses, not one endpoint.
    """
    import pandas as pd

    rows = []
    sub, res, back = single_arm_pool(method=method)
    rows.append({"outcome": "response as each study defined it (descriptive pool, not one "
                            "endpoint)", "source": "this notebook",
                 "design": "uncontrolled", "studies": res.k,
                 "estimate [95% CI]": _fmt(back["proportion"], back["ci_low"],
                                           back["ci_high"], pct=True)})
    rct = rct_results()
    for _, row in rct.iterrows():
        if row["measure"] == "risk ratio":
            continue
        rows.append({"outcome": f"{row['outcome']} ({row['measure']})",
                     "source": f"this notebook ({row['study']})", "design": "RCT",
                     "studies": 1,
                     "estimate [95% CI]": _fmt(row["estimate"], row["ci_low"], row["ci_high"])})
    pub = studies.published_pooled()
    wanted = pub[(pub["outcome"].isin(["SLEDAI", "proteinuria", "urine_protein"]))
                 & (pub["timepoint_months"].isna() | pub["timepoint_months"].isin([6, 12]))]
    for _, row in wanted.iterrows():
        when = "" if row["timepoint_months"] != row["timepoint_months"] else \
            f" at {int(row['timepoint_months'])} mo"
        rows.append({"outcome": f"{row['outcome']}{when} ({row['effect']})",
                     "source": row["review"], "design": "RCTs",
                     "studies": "not in the abstract read" if row["n_studies"] != row["n_studies"]
                     else int(row["n_studies"]),
                     "estimate [95% CI]": _fmt(row["estimate"], row["ci_low"], row["ci_high"]),
                     "caveat": _review_caveat(row)})
    table = pd.DataFrame(rows)
    table["caveat"] = table["caveat"].fillna("")
    return table


def _review_caveat(row) -> str:
    """Why a published pooled row needs care: one trial, a null interval, or own programme."""
    notes = []
    if row["n_studies"] == 1:
        notes.append("rests on one trial")
    if row["ci_low"] <= 0 <= row["ci_high"]:
        notes.append("interval includes no difference")
    if row.get("own_programme"):
        notes.append("review by the authors of the programme whose trials it pools")
    return "; ".join(notes)


def proteinuria_end_vs_change() -> dict:
    """Deng 2017 proteinuria: baseline balance, and end values versus change from baseline.

    The trial reports, per arm, the mean 24-h proteinuria at 6 months and the mean change
    from baseline; the baseline mean is their difference (exact for means of complete
    data). A review that pools end-of-treatment values compares arms that started at
    different levels; the difference in change from baseline removes that imbalance.

    Returns
    -------
    dict
        ``study``, ``unit`` (g/24 h), ``baseline_msc``, ``baseline_control`` (derived),
        ``end_msc``, ``end_control``, ``change_msc``, ``change_control``, ``n_msc``,
        ``n_control``, and two Welch results, ``end_difference`` and
        ``change_difference`` (each a dict with ``estimate``, ``ci_low``, ``ci_high``,
        ``df``).
    """
    row = studies.study("deng2017")
    pf = row["proteinuria_followup"]
    n1, n2 = row["msc_arm_n"], row["control_arm"]["n"]
    out = {"study": studies.study_label("deng2017"), "unit": "g/24 h", "n_msc": n1,
           "n_control": n2}
    for arm, text in (("msc", pf["msc"]), ("control", pf["placebo"])):
        end_mean, end_sd = studies.parse_mean_sd(text)
        change = _CHANGE.search(text)
        if change is None:
            raise ValueError(f"deng2017 proteinuria_followup[{arm!r}] must state a mean change")
        out[f"end_{arm}"], out[f"end_sd_{arm}"] = end_mean, end_sd
        out[f"change_{arm}"] = float(change.group(1))
        out[f"change_sd_{arm}"] = float(change.group(2))
        out[f"baseline_{arm}"] = round(end_mean - out[f"change_{arm}"], 6)
    out["end_difference"] = effect_sizes.welch_mean_difference_ci(
        out["end_msc"], out["end_sd_msc"], n1, out["end_control"], out["end_sd_control"], n2)
    out["change_difference"] = effect_sizes.welch_mean_difference_ci(
        out["change_msc"], out["change_sd_msc"], n1, out["change_control"],
        out["change_sd_control"], n2)
    return out


def response_by_design():
    """Response in each uncontrolled study and in each arm of the randomised trial, side by side.

    No pooling and no test across designs: the uncontrolled studies (mostly refractory
    disease, each with its own responder definition and window) and the trial (lupus
    nephritis on standard induction, renal remission at 6 months) differ in population and
    outcome, so only the individual studies are shown, each with its exact 95% CI.

    Returns
    -------
    pandas.DataFrame
        Columns ``study``, ``design``, ``outcome``, ``timing``, ``responders`` ("e/n"),
        ``proportion``, ``ci_low``, ``ci_high`` (fractions).
    """
    import pandas as pd

    sub, _, _ = single_arm_pool()
    out = []
    for _, r in sub.iterrows():
        p, lo, hi = proportions.proportion_ci(int(r["events"]), int(r["n"]))
        out.append({"study": _label(r), "design": r["design"], "outcome": r["definition"],
                    "timing": _timing(r["note"], r["timepoint_months"]),
                    "responders": f"{r['events']}/{r['n']}", "proportion": p, "ci_low": lo,
                    "ci_high": hi})
    for outcome, arm in (("renal remission (RCT, MSC arm)", "MSC arm"),
                         ("renal remission (RCT, placebo arm)", "placebo arm")):
        for _, r in studies.response_table(outcome).iterrows():
            p, lo, hi = proportions.proportion_ci(int(r["events"]), int(r["n"]))
            out.append({"study": f"{r['label']}: {arm}", "design": "RCT",
                        "outcome": r["definition"],
                        "timing": f"time point, {r['timepoint_months']:g} months",
                        "responders": f"{r['events']}/{r['n']}", "proportion": p,
                        "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(out)


def review_notes() -> dict:
    """Student-facing facts about the published reviews, read from the data.

    Returns
    -------
    dict
        ``single_trial_outcomes``: the Zhou 2020 RCT outcomes at 6 months that rest on one
        trial (list of str); ``low_credibility``: for each review flagged LOW, its claimed
        numbers of trials and patients (list of dict with ``n_studies``, ``n_patients``);
        ``rcts_listed``: the number of RCTs Zhou 2020's Table 1 lists, from the data note.
    """
    pub = studies.published_pooled()
    zhou = pub[(pub["review"] == "zhou2020_meta") & (pub["n_studies"] == 1)
               & (pub["timepoint_months"] == 6)]
    low = [{"n_studies": m["n_studies"], "n_patients": m["n_patients"]}
           for m in studies.meta_analyses() if m.get("credibility_flag") == "LOW"]
    note = [m for m in studies.meta_analyses() if m["id"] == "zhou2020_meta"][0]
    listed = re.search(r"lists RCTs ([^.]*?) and self-controlled", note["n_studies_note"])
    rcts = [x.strip() for x in re.split(r",", listed.group(1))] if listed else []
    return {"single_trial_outcomes": list(zhou["outcome"]), "low_credibility": low,
            "rcts_listed": rcts}


def pooling_methods_table():
    """The default single-arm pool under three methods: how much the interval depends on it.

    DerSimonian-Laird with the usual Wald interval (what the forest plot shows), REML with a
    Wald interval, and REML with the Hartung-Knapp-Sidik-Jonkman interval (t with k - 1 df),
    which Cochrane's methods guidance recommends when there are few studies.

    Returns
    -------
    pandas.DataFrame
        One row per method: ``method``, ``tau²`` (logit scale), ``pooled`` proportion and the
        95% interval ``ci_low``/``ci_high`` and its width ``ci_width`` (percentage points),
        all back-transformed from the logit scale.
    """
    import pandas as pd

    rows, _, _ = single_arm_pool()
    y, v = list(rows["logit"]), list(rows["var"])
    out = []
    for label, method, ci in (("DerSimonian–Laird, Wald interval", "DL", "wald"),
                              ("REML, Wald interval", "REML", "wald"),
                              ("REML, HKSJ interval (t, k − 1 df)", "REML", "hksj")):
        res = pooling.random_effects(y, v, method=method, ci=ci)
        low, high = proportions.expit(res.ci_low), proportions.expit(res.ci_high)
        out.append({"method": label, "studies": res.k, "tau² (logit)": res.tau2,
                    "pooled": f"{proportions.expit(res.estimate):.0%}",
                    "95% interval": f"{low:.0%} to {high:.0%}",
                    "interval width (points)": round(100 * (high - low))})
    return pd.DataFrame(out)
