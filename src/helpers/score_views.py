"""Figures and checkbox widgets for the SLEDAI-2K and EULAR/ACR 2019 calculators.

Computation lives in :mod:`helpers.scores`; this module only draws.  Each widget follows
the course pattern: a demo function shows the static figure for its default ticks (visible
on GitHub) and returns a :class:`helpers.core.widgets.Demo` whose ``.controls()`` builds
core-ipywidgets checkboxes, grouped by organ system or domain, with a live score and a
live figure (call it in a cell tagged ``nbval-ignore-output``). The checkboxes are the
declared flags of :func:`plot_sledai_checklist` and :func:`plot_eular_checklist`, so the
layout tests and the widget benchmark see these widgets like every other.

References
----------
Notebook ``01_lupus_pathology`` (sections 3 and 4); sources as in :mod:`helpers.scores`.
"""
from __future__ import annotations

import functools
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Iterable

from helpers.scores import (_as_id_set, classify_eular_acr_2019, criteria_performance,
                            eular_acr_criteria, sledai_2k, sledai_activity_category,
                            sledai_by_organ, sledai_descriptors)
from helpers.core import validate
from helpers.core.params import Flag, LazyRanged, ranged
from helpers.core.style import COLORS, keep_handles, updatable_axes
from helpers.core.tables import display_text

__all__ = ["plot_sledai", "plot_eular_acr", "plot_criteria_performance", "sledai_demo",
           "eular_demo", "SledaiChecklist", "EularChecklist", "sledai_summary",
           "eular_summary", "plot_sledai_checklist", "plot_eular_checklist"]

_PRESENT = dict(facecolor=COLORS[0], edgecolor="black", hatch="")
_ABSENT = dict(facecolor="white", edgecolor="0.55", hatch="")


def sledai_summary(present: Iterable[str]) -> str:
    """Return ``'SLEDAI-2K = N points (band)'`` for the ticked descriptors."""
    score = sledai_2k(present)
    return f"SLEDAI-2K = {score} points ({sledai_activity_category(score)} activity)"


def eular_summary(criteria: Iterable[str], ana_positive: bool) -> str:
    """Return the total and the reason sentence of a EULAR/ACR 2019 classification."""
    result = classify_eular_acr_2019(criteria, ana_positive)
    return f"EULAR/ACR 2019 total = {result.total} points. {result.reason}"


#: Font size (points) of the row labels of the two checklist figures (tick-label size).
_ROW_LABEL_PT = 11


@functools.cache
def _widest_label_in(labels: tuple) -> float:
    """Width in inches of the widest line of ``labels`` at :data:`_ROW_LABEL_PT`."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer, font = RendererAgg(10, 10, 72), FontProperties(size=_ROW_LABEL_PT)
    return max(renderer.get_text_width_height_descent(line, font, ismath=False)[0]
               for label in labels for line in label.split("\n")) / 72


def _checklist_margins(height: float, labels: tuple, *, top_in: float) -> dict:
    """Margins of a checklist figure 8 inches wide, room on the left for the widest label.

    The margins are computed from the labels once (not by a layout engine on every
    draw), which keeps a live checklist redraw within its time budget; every label of
    the checklist, ticked or not, fits.
    """
    return dict(left=(_widest_label_in(labels) + 0.3) / _CHECKLIST_WIDTH, right=0.97,
                bottom=0.95 / height, top=1 - top_in / height)


_CHECKLIST_WIDTH = 8.0


def _row_labels(ax, y: list, labels: list) -> None:
    """Write the row labels left of the axes as plain texts (cheaper to draw than ticks)."""
    from matplotlib.transforms import blended_transform_factory

    ax.set_yticks([])
    ax.set_ylim(-0.6, max(len(y), 1) - 0.4)
    trans = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, label in zip(y, labels):
        ax.text(-0.015, yi, label, transform=trans, ha="right", va="center",
                fontsize=_ROW_LABEL_PT)


def _sledai_row_label(row: dict) -> str:
    return f"{row['label']} ({row['organ_system']})"


def plot_sledai(present: Iterable[str] = (), *, ax=None):
    """Horizontal bar chart of the 24 SLEDAI-2K weights, ticked descriptors filled.

    Parameters
    ----------
    present : iterable of str
        Descriptor ids that are present (validated by :func:`helpers.scores.sledai_2k`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if omitted.

    Returns
    -------
    matplotlib.figure.Figure
        Bars in form order (top to bottom), labelled ``label (organ system)``; the x label
        gives the total score and its activity band.
    """
    from matplotlib.patches import Patch

    summary = sledai_summary(present)
    rows = sledai_descriptors()
    ticked = _as_id_set(present, "present", [r["id"] for r in rows])
    ax = validate.axes("ax", ax)
    labels = [_sledai_row_label(r) for r in rows]
    styles = [_PRESENT if row["id"] in ticked else _ABSENT for row in rows]
    bars, made = None, ax is None
    if made:
        # a live checklist redraw only recolours the bars and rewrites the score
        size = (_CHECKLIST_WIDTH, 8.6)
        _, ax, bars = updatable_axes("plot_sledai", size,
                                     **_checklist_margins(size[1], tuple(labels), top_in=0.15))
    if bars is not None:
        for bar, style in zip(bars, styles):
            bar.set_facecolor(style["facecolor"])
            bar.set_edgecolor(style["edgecolor"])
        ax.set_xlabel(f"weight (points)\n{summary}")
        return ax.figure
    y = list(range(len(rows)))[::-1]
    bars = ax.barh(y, [row["weight"] for row in rows], height=0.7, linewidth=1,
                   color=[st["facecolor"] for st in styles],
                   edgecolor=[st["edgecolor"] for st in styles])  # one call: a cheaper redraw
    if made:
        keep_handles(ax.figure, "plot_sledai", list(bars))
    _row_labels(ax, y, labels)
    ax.set_xticks([0, 1, 2, 4, 8])
    ax.set_xlim(0, 8.5)
    ax.set_xlabel(f"weight (points)\n{summary}")
    ax.legend(handles=[Patch(label="present (counted)", **_PRESENT),
                       Patch(label="absent", **_ABSENT)], loc="lower right")
    return ax.figure


def _eular_row_label(row: dict) -> str:
    return textwrap.fill(f"{row['label']} ({display_text(row['domain'])})", 46)


@functools.cache
def _eular_labels() -> dict:
    """Row label of every EULAR/ACR criterion by id, in data order (wrapped once)."""
    return {row["id"]: _eular_row_label(row) for row in eular_acr_criteria()}


_BAR_HEIGHT = 0.7  # of a EULAR/ACR row (rows are 1 apart)
_COUNTED = dict(facecolor=COLORS[0], edgecolor="black", hatch=None)
_IGNORED = dict(facecolor="white", edgecolor=COLORS[1], hatch="//")


def plot_eular_acr(criteria: Iterable[str] = (), ana_positive: bool = True, *, ax=None):
    """Bar chart of the EULAR/ACR 2019 criteria ticked, by domain, and what counted.

    Parameters
    ----------
    criteria : iterable of str
        Criterion ids (validated by :func:`helpers.scores.classify_eular_acr_2019`).
    ana_positive : bool, default True
        Entry criterion (ANA at least 1:80).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.figure.Figure
        One row per ticked criterion (grouped by domain): filled if it counted, hatched if
        a higher-weighted criterion in the same domain (or a negative ANA) overrode it.
        The x label gives the total and the verdict. The left margin fits the longest
        label of all 22 criteria, so the bars do not jump as boxes are ticked.
    """
    result = classify_eular_acr_2019(criteria, ana_positive)
    every = eular_acr_criteria()
    ticked = _as_id_set(criteria, "criteria", [r["id"] for r in every])
    rows = [r for r in every if r["id"] in ticked]
    ax = validate.axes("ax", ax)
    kept, made = None, ax is None
    if made:  # a live redraw resizes the figure and moves, restyles, shows or hides rows
        height = 0.5 * max(len(rows), 2) + 2.0
        margins = _checklist_margins(height, tuple(_eular_labels().values()), top_in=0.45)
        _, ax, kept = updatable_axes("plot_eular_acr", (_CHECKLIST_WIDTH, height),
                                     resize=True, **margins)
    if kept is None:
        kept = _eular_frame(ax)
    _eular_rows(ax, kept["rows"], rows, set(result.counted.values()))
    _eular_empty(ax, kept, len(rows))
    verdict = "classified" if result.classified else "not classified"
    xlabel = f"weight (points)\ntotal {result.total} points, {verdict}"
    if ax.get_xlabel() != xlabel:
        ax.set_xlabel(xlabel)
    if made:
        keep_handles(ax.figure, "plot_eular_acr", kept)
    return ax.figure


def _eular_frame(ax) -> dict:
    """Draw what every EULAR/ACR figure has (ticks, x limits, legend); return what to keep."""
    from matplotlib.patches import Patch

    ax.set_yticks([])
    ax.set_xlim(0, 10.5)
    ax.set_xticks(range(0, 11, 2))
    ax.legend(handles=[Patch(label="counted", **_COUNTED), Patch(label="not counted", **_IGNORED)],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    return {"rows": [], "empty": None}  # row slots [bar, label, state]; the "none" text


def _eular_row(ax, state: tuple) -> list:
    """Draw one row ``state = (y, weight, counted, label)``; return its slot to update."""
    from matplotlib.transforms import blended_transform_factory

    yi, weight, counted, label = state
    bar, = ax.barh(yi, weight, height=_BAR_HEIGHT, linewidth=1,
                   **(_COUNTED if counted else _IGNORED))
    text = ax.text(-0.015, yi, label, ha="right", va="center", fontsize=_ROW_LABEL_PT,
                   transform=blended_transform_factory(ax.transAxes, ax.transData))
    return [bar, text, state]


def _update_eular_row(slot: list, state: tuple) -> None:
    """Show a kept row slot at ``state``, changing only what differs from its last one."""
    import numpy as np

    bar, text, old = slot
    if state != old:
        yi, weight, counted, label = state
        style = dict(_COUNTED if counted else _IGNORED)
        # the hatch as Axes.bar stores it (a numpy string): the SVG hatch id hashes its repr
        style["hatch"] = np.atleast_1d(style["hatch"])[0]
        bar.update(dict(y=yi - _BAR_HEIGHT / 2, width=weight, **style))  # as barh centres it
        text.update(dict(y=yi, text=label))
        slot[2] = state
    bar.set_visible(True)
    text.set_visible(True)


def _eular_rows(ax, slots: list, rows: list, counted_ids: set) -> None:
    """Show ``rows`` top to bottom in the row slots, adding slots as needed; hide the rest.

    A slot added later is drawn after the earlier ones, so the drawing order stays top to
    bottom as on a fresh figure; hidden slots are left out of the SVG and the PNG.
    """
    labels = _eular_labels()
    for i, row in enumerate(rows):
        state = (len(rows) - 1 - i, row["weight"], row["id"] in counted_ids, labels[row["id"]])
        if i < len(slots):
            _update_eular_row(slots[i], state)
        else:
            slots.append(_eular_row(ax, state))
    for bar, text, _ in slots[len(rows):]:
        bar.set_visible(False)
        text.set_visible(False)


def _eular_empty(ax, kept: dict, count: int) -> None:
    """Fit the y limits to ``count`` rows; say "no criterion ticked" when there is none."""
    ylim = (-0.6, count - 0.4) if count else (-0.5, 1.5)
    if ax.get_ylim() != ylim:
        ax.set_ylim(ylim)
    if kept["empty"] is None and not count:
        kept["empty"] = ax.text(5, 0.5, "no criterion ticked", ha="center", va="center")
    elif kept["empty"] is not None:
        kept["empty"].set_visible(not count)


def plot_criteria_performance(*, ax=None):
    """Grouped bars of sensitivity and specificity (%) of three SLE criteria sets.

    Returns
    -------
    matplotlib.figure.Figure
        Two bars per criteria set (sensitivity solid, specificity hatched), labelled with
        their values, from the 2019 validation cohort (Aringer et al. 2019).
    """
    import matplotlib.pyplot as plt

    perf = criteria_performance()
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8))
    names = list(perf)
    x = range(len(names))
    width = 0.38
    for k, (metric, hatch) in enumerate((("sensitivity", ""), ("specificity", "//"))):
        values = [perf[n][f"{metric}_pct"] for n in names]
        bars = ax.bar([i + (k - 0.5) * width for i in x], values, width=width, hatch=hatch,
                      color=COLORS[k], edgecolor="black", label=metric)
        ax.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=2, fontsize=11)
    ax.set_xticks(list(x), names)
    ax.set_ylim(0, 110)
    ax.set_ylabel("per cent of validation cohort")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return ax.figure


# --- widgets --------------------------------------------------------------------------

def _flag_function(name: str, specs: dict, draw: Callable, doc: str) -> Callable:
    """A plotting function ``name(**flags, ax=None)`` with one declared Flag per keyword."""
    params = [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=spec.default)
              for k, spec in specs.items()]
    params.append(inspect.Parameter("ax", inspect.Parameter.KEYWORD_ONLY, default=None))

    def plot(**kwargs):
        bound = plot.__signature__.bind(**kwargs)
        bound.apply_defaults()
        args = dict(bound.arguments)
        return draw(args, args.pop("ax"))

    plot.__signature__ = inspect.Signature(params)
    plot.__name__ = plot.__qualname__ = name
    plot.__doc__ = doc
    return ranged(**specs)(plot)


def _checkbox_label(row: dict) -> str:
    """A checklist box's label: the row's ``short_label`` (else ``label``) and its weight.

    Checkbox labels stay on one line (ipywidgets cuts a long one off with an ellipsis), so
    rows whose full label is too long for a checklist column carry a ``short_label`` in
    the data; the full label is the box's tooltip.
    """
    return f"{row.get('short_label') or row['label']} ({row['weight']})"


def _sledai_flags() -> dict:
    return {row["id"]: Flag(False, label=_checkbox_label(row)) for row in sledai_descriptors()}


def _eular_flags() -> dict:
    flags = {"ana_positive": Flag(True, label="ANA at least 1:80 (entry criterion)")}
    flags.update({row["id"]: Flag(False, label=_checkbox_label(row))
                  for row in eular_acr_criteria()})
    return flags


_SLEDAI_CHECKLIST_DOC = """:func:`plot_sledai` with one True/False keyword per SLEDAI-2K descriptor (widget).

    Parameters
    ----------
    <descriptor id> : bool, default False
        One keyword per descriptor of :func:`helpers.scores.sledai_descriptors`
        (``seizure``, ``psychosis``, ...): True if present.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """

_EULAR_CHECKLIST_DOC = """:func:`plot_eular_acr` with one True/False keyword per EULAR/ACR 2019 criterion (widget).

    Parameters
    ----------
    ana_positive : bool, default True
        Entry criterion (ANA at least 1:80).
    <criterion id> : bool, default False
        One keyword per criterion of :func:`helpers.scores.eular_acr_criteria`
        (``fever``, ``acle``, ...): True if present.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """

# built on first use: the declarations come from the SLEDAI-2K and EULAR/ACR data
plot_sledai_checklist = LazyRanged(lambda: _flag_function(
    "plot_sledai_checklist", _sledai_flags(),
    lambda flags, ax: plot_sledai([k for k, on in flags.items() if on], ax=ax),
    _SLEDAI_CHECKLIST_DOC), "plot_sledai_checklist", _SLEDAI_CHECKLIST_DOC, __name__)

plot_eular_checklist = LazyRanged(lambda: _flag_function(
    "plot_eular_checklist", _eular_flags(),
    lambda flags, ax: plot_eular_acr([k for k, on in flags.items() if on and k != "ana_positive"],
                                     flags["ana_positive"], ax=ax),
    _EULAR_CHECKLIST_DOC), "plot_eular_checklist", _EULAR_CHECKLIST_DOC, __name__)


def _ticked(controls: dict) -> list:
    return [k for k, box in controls.items() if k != "ana_positive" and box.value]


def _live_text(controls: dict, text: Callable):
    """An HTML line showing ``text(controls)``, updated whenever a control changes."""
    import ipywidgets as w

    line = w.HTML()

    def update(_=None):
        line.value = f"<b>{text(controls)}</b>"

    for box in controls.values():
        box.observe(update, names="value")
    update()
    return line


def _checklist_columns() -> str:
    """CSS grid columns of a checklist: as many as fit, none narrower than its labels.

    Each column is at least :data:`helpers.core.widgets.CHECKBOX_COLUMN_PX` wide (or the
    whole output, if that is narrower), so a checkbox label is never cut off: a narrow
    notebook gets fewer columns instead of narrower ones.
    """
    from helpers.core.widgets import CHECKBOX_COLUMN_PX

    return f"repeat(auto-fill, minmax(min({CHECKBOX_COLUMN_PX}px, 100%), 1fr))"


def _grid(groups: list):
    import ipywidgets as w

    return w.GridBox([w.VBox(items, layout=w.Layout(margin="0 12px 8px 0")) for items in groups],
                     layout=w.Layout(grid_template_columns=_checklist_columns(), width="100%"))


def _checkbox_style(box, row: dict | None = None) -> None:
    import ipywidgets as w

    box.indent = False
    box.layout = w.Layout(width="auto")
    if row is not None:
        box.tooltip = f"{row['label']} ({row['weight']} points)"


def arrange_sledai(controls: dict):
    """SLEDAI-2K checkboxes under organ-system headings, below a live score line."""
    import ipywidgets as w

    groups = []
    for organ, rows in sledai_by_organ().items():
        items = [w.HTML(f"<b>{organ}</b>")]
        for row in rows:
            _checkbox_style(controls[row["id"]], row)
            items.append(controls[row["id"]])
        groups.append(items)
    score = _live_text(controls, lambda c: sledai_summary(_ticked(c)))
    return w.VBox([score, _grid(groups)])


def arrange_eular(controls: dict):
    """EULAR/ACR 2019 checkboxes under domain headings, the ANA box and a live verdict."""
    import ipywidgets as w

    groups: dict[str, list] = {}
    for row in eular_acr_criteria():
        _checkbox_style(controls[row["id"]], row)
        groups.setdefault(row["domain"], [w.HTML(f"<b>{display_text(row['domain'])}"
                                                 f"</b> ({row['kind']})")])
        groups[row["domain"]].append(controls[row["id"]])
    controls["ana_positive"].indent = False
    verdict = _live_text(controls, lambda c: eular_summary(_ticked(c), c["ana_positive"].value))
    return w.VBox([verdict, controls["ana_positive"], _grid(list(groups.values()))])


_SLEDAI_TEXT = ("SLEDAI-2K checklist: 24 checkboxes grouped by organ system with a live score. "
                "Run the notebook in JupyterLab to use it; the figure above shows its default "
                "state.")
_EULAR_TEXT = ("EULAR/ACR 2019 checklist: an ANA checkbox and 22 criteria grouped by domain "
               "with a live total and verdict. Run the notebook in JupyterLab to use it; the "
               "figure above shows its default state.")


@dataclass
class SledaiChecklist:
    """SLEDAI-2K checkboxes grouped by organ system, with a live score and figure."""

    present: tuple = field(default_factory=tuple)
    name: str = "01_sledai_checklist"
    alt: str = "SLEDAI-2K weights with the ticked descriptors filled."

    def demo(self):
        """The checklist as a :class:`helpers.core.widgets.Demo` (boxes ticked for ``present``)."""
        from helpers.core.widgets import Demo

        sledai_2k(self.present)  # validates the ids
        return Demo(plot_sledai_checklist, name=self.name, alt=self.alt,
                    initial={k: True for k in self.present}, arrange=arrange_sledai,
                    description=_SLEDAI_TEXT)

    def build(self):
        """Return ``(widget, checkboxes, score_html)``; the score updates on every tick."""
        return _build(self.demo())

    def controls(self) -> None:
        """Display the checkboxes, the live score and the live figure (nbval-ignore-output)."""
        self.demo().controls()


@dataclass
class EularChecklist:
    """EULAR/ACR 2019 checkboxes grouped by domain, an ANA checkbox, live verdict and figure."""

    criteria: tuple = field(default_factory=tuple)
    ana_positive: bool = True
    name: str = "01_eular_acr_checklist"
    alt: str = "EULAR/ACR 2019 criteria ticked, by domain, filled if they counted."

    def demo(self):
        """The checklist as a :class:`helpers.core.widgets.Demo` (boxes ticked as given)."""
        from helpers.core.widgets import Demo

        classify_eular_acr_2019(self.criteria, self.ana_positive)  # validates the input
        initial = {k: True for k in self.criteria}
        initial["ana_positive"] = self.ana_positive
        return Demo(plot_eular_checklist, name=self.name, alt=self.alt, initial=initial,
                    arrange=arrange_eular, description=_EULAR_TEXT)

    def build(self):
        """Return ``(widget, checkboxes with "ana", verdict_html)``; updates on every tick."""
        widget, boxes, verdict = _build(self.demo())
        boxes = {"ana": boxes["ana_positive"],
                 **{k: box for k, box in boxes.items() if k != "ana_positive"}}
        return widget, boxes, verdict

    def controls(self) -> None:
        """Display the checkboxes, the live verdict and the live figure (nbval-ignore-output)."""
        self.demo().controls()


def _build(demo):
    """The checklist panel of ``demo`` without its live figure: ``(widget, boxes, line)``."""
    from helpers.core.widgets import make_control

    boxes = {k: make_control(k, spec) for k, spec in demo.specs.items()}
    for k, value in demo.initial.items():
        boxes[k].value = value
    panel = demo.arrange(boxes)
    return panel, boxes, panel.children[0]


def sledai_demo(present: Iterable[str] = (), *, name: str, alt: str, caption: str):
    """Show the static SLEDAI-2K figure for ``present``; return the checklist's Demo.

    Returns
    -------
    helpers.core.widgets.Demo
        Call ``.controls()`` on it in the next cell (tagged ``nbval-ignore-output``).
    """
    from helpers.core.style import show

    valid = [r["id"] for r in sledai_descriptors()]
    present = tuple(i for i in valid if i in _as_id_set(present, "present", valid))
    demo = SledaiChecklist(present, name=name, alt=alt).demo()
    show(plot_sledai(present), name=name, alt=alt, caption=caption)
    return demo


def eular_demo(criteria: Iterable[str] = (), ana_positive: bool = True, *, name: str, alt: str,
               caption: str):
    """Show the static EULAR/ACR 2019 figure; return the checklist's Demo.

    Returns
    -------
    helpers.core.widgets.Demo
        Call ``.controls()`` on it in the next cell (tagged ``nbval-ignore-output``).
    """
    from helpers.core.style import show

    valid = [r["id"] for r in eular_acr_criteria()]
    criteria = tuple(i for i in valid if i in _as_id_set(criteria, "criteria", valid))
    demo = EularChecklist(criteria, ana_positive, name=name, alt=alt).demo()
    show(plot_eular_acr(criteria, ana_positive), name=name, alt=alt, caption=caption)
    return demo


# Read by course_tools.notebook_tools.widget_demos: the Demo each function returns, built
# from the notebook call's literal arguments without showing anything.
sledai_demo.widget_demo = lambda present=(), *, name, alt: SledaiChecklist(
    tuple(present), name=name, alt=alt).demo()
eular_demo.widget_demo = lambda criteria=(), ana_positive=True, *, name, alt: EularChecklist(
    tuple(criteria), ana_positive, name=name, alt=alt).demo()
