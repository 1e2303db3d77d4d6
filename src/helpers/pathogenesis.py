"""A simplified, cited schematic of SLE immunopathogenesis, drawn with matplotlib.

The steps and arrows are data (:data:`STEPS`, :data:`LINKS`); every step names the
background fact (``background_facts.yaml``) that supports it, and a test checks that those
facts exist and are verified.  The figure is a teaching simplification, not a complete
model: many more cell types and feedback loops are involved.

References
----------
Notebook ``01_lupus_pathology``, section 2.
Gupta S, Kaplan MJ (2021). J Clin Invest 131(3):e144918. doi:10.1172/JCI144918
Northcott M et al. (2022). Lupus Sci Med 9(1):e000625. doi:10.1136/lupus-2021-000625
Huang J et al. (2024). Front Immunol 15:1425847. doi:10.3389/fimmu.2024.1425847
Kaul A et al. (2016). Nat Rev Dis Primers 2:16039. doi:10.1038/nrdp.2016.39
"""
from __future__ import annotations

from helpers.core.data import fact
from helpers.core.style import COLORS
from helpers.core import validate

__all__ = ["STEPS", "LINKS", "LINK_STYLES", "pathogenesis_steps", "plot_pathogenesis"]

#: (key, box text, supporting fact id, (x, y) centre in axes units 0-10)
STEPS = [
    ("triggers", "Genetic risk +\ntriggers (UV, EBV,\nhormones)", "patho_overview", (1.4, 8.4)),
    ("debris", "Apoptotic debris\nand NETs cleared\npoorly", "patho_cell_death_nets", (4.9, 8.4)),
    ("autoantigen", "Nuclear autoantigens\nexposed (loss of\ntolerance)", "patho_cell_death_nets",
     (8.5, 8.4)),
    ("ifn", "Type I interferon\n(pDCs; IFN\nsignature)", "patho_ifn_signature", (8.5, 5.0)),
    ("bcell", "B-cell activation\n→ autoantibodies\n(anti-dsDNA)", "patho_immune_complex_ln",
     (4.9, 5.0)),
    ("th17", "Th17 ↑ / Treg ↓\nimbalance", "patho_th17_treg", (1.4, 5.0)),
    ("ic", "Immune complexes\ndeposit in tissue", "patho_immune_complex_ln", (4.9, 1.6)),
    ("damage", "Complement activation,\ninflammation → organ\ndamage (kidney, skin…)",
     "patho_immune_complex_ln", (8.5, 1.6)),
]

#: Arrow kinds: line style in the figure and the legend text.
LINK_STYLES = {"drives": ("-", "drives"), "amplifies": ("--", "amplifies (feedback)"),
               "associated": (":", "associated with (meta-analysis;\ncausality not shown)")}

#: (from, to, kind) where kind is a key of :data:`LINK_STYLES`.  The Th17/Treg links are
#: "associated": their source (Huang et al. 2024) is a meta-analysis of associations.
LINKS = [
    ("triggers", "debris", "drives"),
    ("debris", "autoantigen", "drives"),
    ("autoantigen", "ifn", "drives"),
    ("ifn", "bcell", "drives"),
    ("th17", "bcell", "associated"),
    ("bcell", "ic", "drives"),
    ("ic", "damage", "drives"),
    ("ic", "ifn", "amplifies"),
    ("th17", "damage", "associated"),
]


def pathogenesis_steps() -> list[dict]:
    """Return the schematic's steps with the claim and citation of their supporting fact."""
    out = []
    for key, text, fact_id, xy in STEPS:
        record = fact(fact_id)
        out.append({"key": key, "text": text.replace("\n", " "), "fact_id": fact_id,
                    "verified": record["verified"], "doi": record["source"]["doi"], "xy": xy})
    return out


def plot_pathogenesis(*, ax=None):
    """Draw the simplified pathogenesis schematic (boxes and arrows; no data plotted).

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if omitted.

    Returns
    -------
    matplotlib.figure.Figure
        One text box per step in :data:`STEPS`; solid arrows for "drives", a dashed arrow for
        the "amplifies" feedback loop and dotted lines without a head for "associated" links in
        :data:`LINKS`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(9.0, 5.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.axis("off")
    boxes = {}
    for key, text, _, (x, y) in STEPS:
        colour = COLORS[1] if key == "th17" else COLORS[5] if key == "damage" else "#DCEBF7"
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=3,
                             bbox=dict(boxstyle="round,pad=0.45", facecolor=colour,
                                       edgecolor="black"))
    for start, end, kind in LINKS:
        a, b = boxes[start], boxes[end]
        style = dict(arrowstyle="-" if kind == "associated" else "-|>", lw=1.8,
                     color="black", shrinkA=3, shrinkB=3,
                     patchA=a.get_bbox_patch(), patchB=b.get_bbox_patch(),
                     linestyle=LINK_STYLES[kind][0],
                     connectionstyle="arc3,rad=0.3" if kind == "amplifies" else "arc3")
        ax.annotate("", xy=(0.5, 0.5), xycoords=b, xytext=(0.5, 0.5), textcoords=a,
                    arrowprops=style, zorder=2)
    ax.legend(handles=[Line2D([], [], color="black", lw=1.8, ls=ls, label=label)
                       for ls, label in LINK_STYLES.values()],
              loc="lower left", frameon=False)
    return ax.figure
