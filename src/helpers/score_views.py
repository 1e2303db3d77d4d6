"""Figures and checkbox widgets for the SLEDAI-2K and EULAR/ACR 2019 calculators.

Computation lives in :mod:`helpers.scores`; this module only draws.  Each widget follows
the course pattern: a demo function shows the static figure for its default ticks (visible
on GitHub) and returns an object whose ``.controls()`` builds core-ipywidgets checkboxes
with a live score (call it in a cell tagged ``nbval-ignore-output``).

References
----------
Notebook ``01_lupus_pathology`` (sections 3 and 4); sources as in :mod:`helpers.scores`.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Iterable

from helpers.scores import (_as_id_set, classify_eular_acr_2019, criteria_performance,
                     eular_acr_criteria,
                     eular_acr_threshold, sledai_2k, sledai_activity_category,
                     sledai_by_organ, sledai_descriptors)
from helpers.core.style import COLORS
from helpers.core import validate

__all__ = ["plot_sledai", "plot_eular_acr", "plot_criteria_performance", "sledai_demo",
           "eular_demo", "SledaiChecklist", "EularChecklist", "sledai_summary",
           "eular_summary"]

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
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    summary = sledai_summary(present)
    rows = sledai_descriptors()
    ticked = _as_id_set(present, "present", [r["id"] for r in rows])
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 8.6))
    y = list(range(len(rows)))[::-1]
    for yi, row in zip(y, rows):
        style = _PRESENT if row["id"] in ticked else _ABSENT
        ax.barh(yi, row["weight"], height=0.7, linewidth=1, **style)
    ax.set_yticks(y, [f"{r['label']} ({r['organ_system']})" for r in rows])
    ax.set_xticks([0, 1, 2, 4, 8])
    ax.set_xlim(0, 8.5)
    ax.set_xlabel(f"weight (points)\n{summary}")
    ax.legend(handles=[Patch(label="present (counted)", **_PRESENT),
                       Patch(label="absent", **_ABSENT)], loc="lower right")
    return ax.figure


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
        The x label gives the total and the verdict.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    result = classify_eular_acr_2019(criteria, ana_positive)
    ticked = _as_id_set(criteria, "criteria", [r["id"] for r in eular_acr_criteria()])
    rows = [r for r in eular_acr_criteria() if r["id"] in ticked]
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.5 * max(len(rows), 2) + 2.0))
    counted_ids = set(result.counted.values())
    ignored = dict(facecolor="white", edgecolor=COLORS[1], hatch="//")
    y = list(range(len(rows)))[::-1]
    for yi, row in zip(y, rows):
        counted = dict(facecolor=COLORS[0], edgecolor="black")
        style = counted if row["id"] in counted_ids else ignored
        ax.barh(yi, row["weight"], height=0.7, linewidth=1, **style)
    ax.set_yticks(y, [textwrap.fill(f"{r['label']} ({r['domain'].replace('_', ' ')})", 46)
                      for r in rows])
    ax.set_xlim(0, 10.5)
    ax.set_xticks(range(0, 11, 2))
    verdict = "classified" if result.classified else "not classified"
    ax.set_xlabel(f"weight (points)\ntotal {result.total} points, {verdict}")
    ax.legend(handles=[Patch(label="counted", facecolor=COLORS[0], edgecolor="black"),
                       Patch(label="not counted", **ignored)],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False)
    if not rows:
        ax.text(5, 0.5, "no criterion ticked", ha="center", va="center")
        ax.set_ylim(-0.5, 1.5)
    return ax.figure


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

def _display_widget(box, text: str) -> None:
    from IPython.display import display

    bundle = box._repr_mimebundle_()
    bundle["text/plain"] = text
    display(bundle, raw=True)


@dataclass
class SledaiChecklist:
    """SLEDAI-2K checkboxes grouped by organ system, with a live score and band."""

    present: tuple = field(default_factory=tuple)

    def build(self):
        """Return ``(widget, checkboxes, score_html)``; the score updates on every tick."""
        import ipywidgets as w

        boxes = {}
        groups = []
        for organ, rows in sledai_by_organ().items():
            items = [w.HTML(f"<b>{organ}</b>")]
            for row in rows:
                boxes[row["id"]] = w.Checkbox(value=row["id"] in self.present, indent=False,
                                              description=f"{row['label']} ({row['weight']})",
                                              layout=w.Layout(width="auto"))
                items.append(boxes[row["id"]])
            groups.append(w.VBox(items, layout=w.Layout(margin="0 12px 8px 0")))
        score = w.HTML()

        def update(_=None):
            ticked = [k for k, b in boxes.items() if b.value]
            score.value = f"<b>{sledai_summary(ticked)}</b>"

        for b in boxes.values():
            b.observe(update, names="value")
        update()
        grid = w.GridBox(groups, layout=w.Layout(grid_template_columns="repeat(3, auto)"))
        return w.VBox([score, grid]), boxes, score

    def controls(self) -> None:
        """Display the checkboxes and the live score (tag the cell nbval-ignore-output)."""
        box, _, _ = self.build()
        _display_widget(box,
                        "SLEDAI-2K checklist: 24 checkboxes grouped by organ system with a "
                        "live score. Run the notebook in JupyterLab to use it; the figure "
                        "above shows its default state.")


@dataclass
class EularChecklist:
    """EULAR/ACR 2019 checkboxes grouped by domain, an ANA checkbox and a live verdict."""

    criteria: tuple = field(default_factory=tuple)
    ana_positive: bool = True

    def build(self):
        """Return ``(widget, checkboxes incl. "ana", verdict_html)``; updates on every tick."""
        import ipywidgets as w

        ana = w.Checkbox(value=self.ana_positive, indent=False,
                         description="ANA at least 1:80 (entry criterion)")
        boxes = {}
        groups: dict[str, list] = {}
        for row in eular_acr_criteria():
            boxes[row["id"]] = w.Checkbox(value=row["id"] in self.criteria, indent=False,
                                          description=f"{row['label']} ({row['weight']})",
                                          layout=w.Layout(width="auto"))
            groups.setdefault(row["domain"], [w.HTML(f"<b>{row['domain'].replace('_', ' ')}"
                                                     f"</b> ({row['kind']})")])
            groups[row["domain"]].append(boxes[row["id"]])
        verdict = w.HTML()

        def update(_=None):
            ticked = [k for k, b in boxes.items() if b.value]
            verdict.value = f"<b>{eular_summary(ticked, ana.value)}</b>"

        for b in [ana, *boxes.values()]:
            b.observe(update, names="value")
        update()
        grid = w.GridBox([w.VBox(v, layout=w.Layout(margin="0 12px 8px 0"))
                          for v in groups.values()],
                         layout=w.Layout(grid_template_columns="repeat(3, auto)"))
        return w.VBox([verdict, ana, grid]), {"ana": ana, **boxes}, verdict

    def controls(self) -> None:
        """Display the checkboxes and the live verdict (tag the cell nbval-ignore-output)."""
        box, _, _ = self.build()
        _display_widget(box,
                        "EULAR/ACR 2019 checklist: an ANA checkbox and 22 criteria grouped "
                        "by domain with a live total and verdict. Run the notebook in "
                        "JupyterLab to use it; the figure above shows its default state.")


def sledai_demo(present: Iterable[str] = (), *, name: str, alt: str,
                caption: str) -> SledaiChecklist:
    """Show the static SLEDAI-2K figure for ``present``; return the checklist widget."""
    from helpers.core.style import show

    valid = [r["id"] for r in sledai_descriptors()]
    present = tuple(i for i in valid if i in _as_id_set(present, "present", valid))
    show(plot_sledai(present), name=name, alt=alt, caption=caption)
    return SledaiChecklist(present)


def eular_demo(criteria: Iterable[str] = (), ana_positive: bool = True, *, name: str, alt: str,
               caption: str) -> EularChecklist:
    """Show the static EULAR/ACR 2019 figure; return the checklist widget."""
    from helpers.core.style import show

    valid = [r["id"] for r in eular_acr_criteria()]
    criteria = tuple(i for i in valid if i in _as_id_set(criteria, "criteria", valid))
    show(plot_eular_acr(criteria, ana_positive), name=name, alt=alt, caption=caption)
    return EularChecklist(criteria, ana_positive)
