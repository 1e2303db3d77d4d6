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

from helpers.core.data import Field, load_records
from helpers.core.style import COLORS
from helpers.core import validate

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
    from helpers.core.references import reference

    rows = load_records(FILE, "mechanisms", MECHANISM_SCHEMA, strict=True)
    for row in rows:
        for key in row["refs"]:
            reference(key)
    groups = MECHANISM_SCHEMA["group"].choices
    if group is not None:
        validate.text("group", group)
    if group is not None and group not in groups:
        raise ValueError(f"group must be one of {list(groups)}; got {group!r}")
    return [r for r in rows if group is None or r["group"] == group]


def mechanism_table_markdown(group: str | None = None) -> str:
    """Markdown table: mechanism | what was found | kind of evidence | sources (links)."""
    from helpers.core.references import cite

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
    """Schematic of MSC licensing, mediators, target cells and the fate of infused cells.

    The lower row keeps separate findings apart: lung entrapment and short survival in
    mice (Eggenhofer et al. 2012), and, in a mouse graft-versus-host model, killing of
    the MSCs by the recipient's cytotoxic cells, engulfment by phagocytes that become
    IDO-positive and the resulting immunosuppression (Galleu et al. 2017). The IL-10
    macrophage box above is a different study (Nemeth et al. 2009, septic mice) and is
    reached only from the mediators.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from helpers.core.data import fact_number

    hours = fact_number("msc_mech_eggenhofer2012", "viable_in_lung_up_to_hours")
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 6.4))
    _box(ax, 1.5, 5.2, "Inflamed tissue:\nIFN-γ, TNF from\nactivated immune cells", COLORS[3], "--")
    _box(ax, 1.5, 3.0, "Infused MSC\n(licensed)", COLORS[0])
    _arrow(ax, (1.5, 4.7), (1.5, 3.5), "--")
    ax.text(1.65, 4.1, "licensing", fontsize=11, style="italic")
    ax.text(4.3, 3.75, "secreted / surface\nmediators", ha="center", fontsize=11, style="italic")
    ax.text(4.3, 2.3, "IDO\nPGE2\nTGF-β, HGF\nHLA-G\nPD-L1\nTSG-6", ha="center", va="center",
            fontsize=11, bbox=dict(boxstyle="round", facecolor="white", edgecolor="black"))
    targets = [(5.3, "T cells: ↓ proliferation,\nTh17 → Treg (contested)"),
               (4.1, "B cells: ↓ division,\n↓ antibodies"),
               (2.9, "Dendritic cells:\n↓ maturation, ↓ IL-12"),
               (1.7, "Macrophages:\n→ IL-10 producing")]
    for y, text in targets:
        _box(ax, 8.2, y, text, COLORS[2], width=3.2)
        _arrow(ax, (5.2, 2.6), (6.55, y))
    _arrow(ax, (2.85, 3.0), (3.4, 2.8))
    # lower row: what happens to the infused cells, from two separate mouse studies, so
    # the MSC box feeds each of them; neither leads into the IL-10 macrophage box above
    _box(ax, 1.2, -0.2, f"Trapped in lung\ncapillaries; viable\n~{hours:g} h (mice)",
         COLORS[1], ":", width=2.2)
    ax.text(6.25, 0.55, "in a mouse graft-versus-host model:", ha="center", fontsize=11,
            style="italic")
    fate = [(3.6, "Killed by the\nrecipient's\ncytotoxic cells", 2.1),
            (6.2, "Engulfed by\nphagocytes\n(efferocytosis): IDO+", 2.3),
            (8.8, "Immune response\ndampened", 1.9)]
    for x, text, width in fate:
        _box(ax, x, -0.2, text, COLORS[1], ":", width=width)
    _arrow(ax, (1.2, 2.5), (1.2, 0.3), ":")
    _arrow(ax, (1.9, 2.5), (3.2, 0.3), ":")
    for left, right in ((4.7, 5.0), (7.4, 7.8)):
        _arrow(ax, (left, -0.2), (right, -0.2), ":")
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.95, 5.95)
    ax.set_axis_off()
    return ax.figure
