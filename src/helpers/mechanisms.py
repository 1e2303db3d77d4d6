"""How MSCs could calm the immune system: the mechanism table (data) and a diagram.

The table is packaged data (``helpers/data/msc_mechanisms.yaml``): one paraphrased row
per mechanism or target cell, each with the references it rests on and the kind of
evidence (human cells in a dish, mouse models, a few patients). The diagram is a
schematic, not a quantitative model.

References
----------
Notebook ``04_msc_immunomodulation``; the sources are listed per row of the data file.
"""
from __future__ import annotations

from .data import Field, load_records
from .style import COLORS

__all__ = ["MECHANISM_SCHEMA", "mechanisms", "mechanism_table_markdown",
           "plot_mechanism_diagram"]

FILE = "msc_mechanisms.yaml"
MECHANISM_SCHEMA = {
    "id": Field(str, pattern=r"[a-z0-9_]+"),
    "group": Field(str, choices=("switch", "mediator", "target", "fate")),
    "name": Field(str),
    "summary": Field(str),
    "evidence": Field(str),
    "refs": Field(list),
    "fact": Field(str, nullable=True),
    "verified": Field(bool),
}


def mechanisms(group: str | None = None) -> list[dict]:
    """Return the mechanism rows, optionally only one ``group``.

    Raises
    ------
    ValueError
        If ``group`` is not one of switch, mediator, target, fate; or (DataError) if the
        file does not match the schema or a reference key is unknown.
    """
    from .references import reference

    rows = load_records(FILE, "mechanisms", MECHANISM_SCHEMA, strict=True)
    for row in rows:
        for key in row["refs"]:
            reference(key)
    groups = MECHANISM_SCHEMA["group"].choices
    if group is not None and group not in groups:
        raise ValueError(f"group must be one of {list(groups)}; got {group!r}")
    return [r for r in rows if group is None or r["group"] == group]


def mechanism_table_markdown(group: str | None = None) -> str:
    """Markdown table: mechanism | what was found | kind of evidence | sources (links)."""
    from .references import cite

    lines = ["| Mechanism | What was found | Evidence | Sources |", "|---|---|---|---|"]
    for row in mechanisms(group):
        flag = "" if row["verified"] else " *(unverified)*"
        refs = "; ".join(cite(k) for k in row["refs"])
        lines.append(f"| **{row['name']}** | {row['summary']}{flag} | {row['evidence']} | {refs} |")
    return "\n".join(lines)


def _box(ax, x, y, text, color, style="-", width=2.6):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.45), width, 0.9,
                                boxstyle="round,pad=0.05", facecolor=color, alpha=0.25,
                                edgecolor="black", linestyle=style, linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, style="-"):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="black", linestyle=style, lw=1.3))


def plot_mechanism_diagram(*, ax=None):
    """Schematic of MSC licensing, mediators, target cells and the apoptosis route.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from .data import fact_number

    hours = fact_number("msc_mech_eggenhofer2012", "viable_in_lung_up_to_hours")
    if ax is None:
        _, ax = plt.subplots(figsize=(11.2, 6.6))
    _box(ax, 1.5, 5.2, "Inflamed tissue:\nIFN-γ, TNF from\nactivated immune cells", COLORS[3], "--")
    _box(ax, 1.5, 3.0, "Infused MSC\n(licensed)", COLORS[0])
    _arrow(ax, (1.5, 4.7), (1.5, 3.5), "--")
    ax.text(1.65, 4.1, "licensing", fontsize=11, style="italic")
    ax.text(4.3, 3.75, "secreted / surface\nmediators", ha="center", fontsize=11, style="italic")
    ax.text(4.3, 2.3, "IDO\nPGE2\nTGF-β, HGF\nHLA-G5\nPD-L1\nTSG-6", ha="center", va="center",
            fontsize=11, bbox=dict(boxstyle="round", facecolor="white", edgecolor="black"))
    targets = [(5.3, "T cells: ↓ proliferation,\nTh17 → Treg (contested)"),
               (4.1, "B cells: ↓ division,\n↓ antibodies"),
               (2.9, "Dendritic cells:\n↓ maturation, ↓ IL-12"),
               (1.7, "Macrophages:\n→ IL-10 producing")]
    for y, text in targets:
        _box(ax, 8.2, y, text, COLORS[2], width=3.2)
        _arrow(ax, (5.2, 2.6), (6.55, y))
    _arrow(ax, (2.85, 3.0), (3.4, 2.8))
    chain = [(1.5, "Trapped in lung\ncapillaries"), (4.3, f"MSC apoptosis\n(viable ~{hours:g} h in mice)"),
             (7.3, "Engulfed by phagocytes\n(efferocytosis): IDO+")]
    for x, text in chain:
        _box(ax, x, 0.45, text, COLORS[1], ":", width=2.5)
    _arrow(ax, (1.5, 2.5), (1.5, 0.95), ":")
    _arrow(ax, (2.8, 0.45), (3.0, 0.45), ":")
    _arrow(ax, (5.6, 0.45), (6.0, 0.45), ":")
    _arrow(ax, (8.6, 0.9), (8.6, 1.2), ":")
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.2, 6.0)
    ax.set_axis_off()
    return ax.figure
