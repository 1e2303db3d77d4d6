"""A transparent toy cost model for an MSC course per patient, with every input an assumption.

No peer-reviewed manufacturing cost for an MSC dose was found for this course, so **every
input below is an illustrative assumption** with a declared range (``helpers.core.params.ranged``)
that a student moves with sliders. The one cited anchor is not a cost at all: the US list
price that a manufacturer set for one approved MSC product in another disease (fact
``cost_msc_manufacturing``), shown for scale only.

Model (per patient)::

    doses_per_batch = batch_yield / (cell_dose * body_weight)
    cost_per_dose   = batch_cost / (1 - failure_rate) / doses_per_batch * (1 + overhead)
    cost_per_patient = infusions * (cost_per_dose + delivery_cost)

Structural assumptions (beyond the inputs): every cell a batch yields becomes a usable dose
(no wastage, no unused doses expiring, no minimum order), a failed batch is simply repeated,
and the overhead factor mixes costs (QA, storage, shipping) with a profit margin, which is
part of a price, not a cost.

Examples
--------
>>> round(cost_per_patient()["total_kusd"], 1)
11.2

References
----------
Notebook 07_open_challenges. Anchor: Mesoblast Ryoncil list price (company announcement,
2025; see fact ``cost_msc_manufacturing``).
"""
from __future__ import annotations

from helpers.core.data import fact_number
from helpers.core.params import Range, defaults, param_ranges, ranged
from helpers.core.style import COLORS, keep_handles, plain_log_axis, updatable_axes
from helpers.core import validate

__all__ = ["COST_RANGES", "cost_per_patient", "cost_assumptions", "cost_sensitivity",
           "list_price_anchor", "plot_cost_breakdown", "plot_cost_sensitivity"]

#: Declared ranges of the toy model's inputs (all illustrative assumptions).
COST_RANGES = dict(
    batch_cost_kusd=Range(20, 500, default=150, step=10,
                          label="cost of one batch incl. testing (k US$, assumed)"),
    batch_yield_billion=Range(0.5, 30, default=6, step=0.5,
                              label="cells per batch (billions, assumed)"),
    failure_rate=Range(0.0, 0.5, default=0.1, step=0.05,
                       label="share of batches failing release (assumed)"),
    cell_dose_million_per_kg=Range(0.5, 10, default=1, step=0.5,
                                   label="dose (million cells/kg)"),
    body_weight_kg=Range(40, 120, default=65, step=5, label="body weight (kg, assumed)"),
    infusions=Range(1, 8, default=2, integer=True, label="infusions per patient"),
    overhead_fraction=Range(0.0, 3.0, default=1.0, step=0.1,
                            label="overheads: QA, storage, shipping, margin (x cost, assumed)"),
    delivery_kusd=Range(0.5, 20, default=2, step=0.5,
                        label="hospital delivery per infusion (k US$, assumed)"),
)

#: Where each default comes from (shown next to the widget).
_BASIS = {
    "batch_cost_kusd": "illustrative assumption (no cost-of-goods figure was read)",
    "batch_yield_billion": "illustrative assumption; every cell is assumed to become a usable "
                           "dose (no wastage or expiry)",
    "failure_rate": "illustrative assumption",
    "cell_dose_million_per_kg": "1 million cells/kg is the dose most often given in the lupus studies "
                                "(see the heterogeneity table)",
    "body_weight_kg": "illustrative assumption",
    "infusions": "most lupus studies gave one or two infusions (heterogeneity table)",
    "overhead_fraction": "illustrative assumption; the margin in it is part of a price, not a "
                         "cost",
    "delivery_kusd": "illustrative assumption",
}


@ranged(**COST_RANGES)
def cost_per_patient(batch_cost_kusd: float = 150, batch_yield_billion: float = 6,
                     failure_rate: float = 0.1, cell_dose_million_per_kg: float = 1,
                     body_weight_kg: float = 65, infusions: int = 2,
                     overhead_fraction: float = 1.0, delivery_kusd: float = 2) -> dict:
    """Cost of one patient's MSC course in the toy model (thousand US$).

    Parameters are described in :data:`COST_RANGES` (units in each label).

    Returns
    -------
    dict
        ``doses_per_batch`` (patient doses one batch yields), ``manufacturing_kusd``,
        ``overhead_kusd``, ``delivery_kusd`` (per patient, k US$) and ``total_kusd``.
    """
    cells_per_dose = cell_dose_million_per_kg * 1e6 * body_weight_kg
    doses_per_batch = batch_yield_billion * 1e9 / cells_per_dose
    manufacturing = infusions * batch_cost_kusd / (1 - failure_rate) / doses_per_batch
    overhead = manufacturing * overhead_fraction
    delivery = infusions * delivery_kusd
    return {"doses_per_batch": doses_per_batch, "manufacturing_kusd": manufacturing,
            "overhead_kusd": overhead, "delivery_kusd": delivery,
            "total_kusd": manufacturing + overhead + delivery}


def cost_assumptions():
    """Table of the model's inputs: label, default, allowed range and basis (DataFrame)."""
    import pandas as pd

    rows = [{"input": spec.label, "default": spec.default,
             "range": f"{spec.low:g} to {spec.high:g}", "basis": _BASIS[name]}
            for name, spec in param_ranges(cost_per_patient).items()]
    return pd.DataFrame(rows)


def list_price_anchor() -> dict:
    """The cited anchor: a manufacturer's US list price per infusion (k US$), not a cost.

    Returns
    -------
    dict
        ``per_infusion_kusd`` and ``labelled_course_infusions`` (initial course on the
        product's label, in another disease).
    """
    return {"per_infusion_kusd": fact_number("cost_msc_manufacturing",
                                             "wac_usd_per_infusion") / 1000,
            "labelled_course_infusions": fact_number("cost_msc_manufacturing",
                                                     "initial_course_infusions")}


def cost_sensitivity(**values) -> list[dict]:
    """One-at-a-time sensitivity: total cost with each input at its range's low and high end.

    Parameters
    ----------
    **values
        Base values (defaults for the rest); validated against :data:`COST_RANGES`.

    Returns
    -------
    list of dict
        ``input`` (label), ``low_kusd``, ``high_kusd`` (total when that input is at its
        low / high end), ``swing_kusd`` (absolute difference), sorted by swing, largest first.
    """
    base = defaults(cost_per_patient)
    unknown = set(values) - set(base)
    if unknown:
        raise ValueError(f"values has unknown input(s) {sorted(unknown)}; allowed: {sorted(base)}")
    base.update(values)
    cost_per_patient(**base)  # validates
    out = []
    for name, spec in param_ranges(cost_per_patient).items():
        low = cost_per_patient(**{**base, name: spec.low})["total_kusd"]
        high = cost_per_patient(**{**base, name: spec.high})["total_kusd"]
        out.append({"input": spec.label, "name": name, "low_kusd": low, "high_kusd": high,
                    "swing_kusd": abs(high - low)})
    return sorted(out, key=lambda r: -r["swing_kusd"])


@ranged(**COST_RANGES)
def plot_cost_breakdown(batch_cost_kusd: float = 150, batch_yield_billion: float = 6,
                        failure_rate: float = 0.1, cell_dose_million_per_kg: float = 1,
                        body_weight_kg: float = 65, infusions: int = 2,
                        overhead_fraction: float = 1.0, delivery_kusd: float = 2, *, ax=None):
    """Toy model cost per patient: stacked components (left) and total vs list price (right).

    Parameters as :func:`cost_per_patient`; ``ax`` optional (a pair of Axes). The right
    panel uses a log scale, because the cited list price is far above the toy cost.

    A widget's redraw moves the bars and labels of the figure it drew before.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cost = cost_per_patient(batch_cost_kusd, batch_yield_billion, failure_rate,
                            cell_dose_million_per_kg, body_weight_kg, infusions,
                            overhead_fraction, delivery_kusd)
    anchor = list_price_anchor()["per_infusion_kusd"] * infusions
    ax = validate.axes("ax", ax, count=2)
    handles, made = None, ax is None
    if made:
        _, ax, handles = updatable_axes("plot_cost_breakdown", (8.4, 3.9), left=0.12,
                                        right=0.96, bottom=0.14, top=0.98, ncols=2,
                                        wspace=0.4, width_ratios=[1, 1.3])
    heights = [cost[key] for _, key, _ in _PARTS]
    if handles is None:
        handles = _draw_cost_breakdown(*ax, heights)
        if made:
            keep_handles(ax[0].figure, "plot_cost_breakdown", handles)
    _set_cost_breakdown(*ax, handles, heights, anchor)
    return ax[0].figure


#: The stacked components of the cost breakdown: legend label, key of cost_per_patient, hatch.
_PARTS = (("manufacturing", "manufacturing_kusd", ""), ("overheads", "overhead_kusd", "//"),
          ("delivery", "delivery_kusd", ".."))


def _draw_cost_breakdown(left, right, heights) -> tuple:
    """Draw what does not change with the inputs; return the bars and value labels to set."""
    from matplotlib.ticker import MaxNLocator

    bottoms = [sum(heights[:i]) for i in range(len(heights))]
    parts = [left.bar(0, h, bottom=b, color=COLORS[i], hatch=hatch, edgecolor="black",
                      width=0.5, label=label)[0]
             for i, ((label, _, hatch), h, b) in enumerate(zip(_PARTS, heights, bottoms))]
    total = left.text(0, 0, "", ha="center", va="bottom")
    left.set_xticks([0], ["toy model\n(assumptions)"])
    left.set_xlim(-0.6, 1.6)
    left.yaxis.set_major_locator(MaxNLocator(5))  # few ticks: creating them dominates redraws
    left.set_ylabel("cost per patient (thousand US$)")
    left.legend(frameon=False, loc="upper right")
    pair = right.bar([0, 1], [1, 1], color=[COLORS[0], "white"],
                     edgecolor=[COLORS[0], COLORS[3]], hatch=["", "xx"], width=0.5)
    labels = [right.text(x, 1, "", ha="center", va="bottom") for x in (0, 1)]
    right.set_yscale("log")
    plain_log_axis(right.yaxis)
    right.set_xticks([0, 1], ["toy model\ntotal", "list price x infusions\n(cited, not a cost)"])
    right.set_ylabel("thousand US$ (log scale)")
    return parts, total, list(pair), labels


def _set_cost_breakdown(left, right, handles, heights, anchor: float) -> None:
    """Set the bars, value labels and y limits of the cost breakdown to these costs."""
    parts, total, pair, labels = handles
    bottom = 0.0
    for bar, height in zip(parts, heights):
        bar.set_y(bottom)
        bar.set_height(height)
        bottom += height
    total.set_position((0, bottom * 1.02))
    total.set_text(f"{bottom:,.1f}")
    left.set_ylim(0, bottom * 1.6)
    for x, (bar, label, v) in enumerate(zip(pair, labels, (bottom, anchor))):
        bar.set_height(v)
        label.set_position((x, v * 1.15))
        label.set_text(f"{v:,.0f}")
    right.set_ylim(min(bottom, anchor) / 3, max(bottom, anchor) * 6)


def plot_cost_sensitivity(rows=None, base_kusd=None, *, ax=None):
    """Tornado chart of :func:`cost_sensitivity` (largest swing on top).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    rows = cost_sensitivity() if rows is None else rows
    validate.records("rows", rows, ("name", "low_kusd", "high_kusd"))
    for i, r in enumerate(rows):
        validate.text(f"rows[{i}]['name']", r["name"])
        for key in ("low_kusd", "high_kusd"):
            validate.real(f"rows[{i}][{key!r}]", r[key], low=0, low_open=True)
    base_kusd = cost_per_patient()["total_kusd"] if base_kusd is None else base_kusd
    base_kusd = validate.real("base_kusd", base_kusd, low=0, low_open=True)
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.6, 4.2))
    for i, r in enumerate(rows[::-1]):
        ax.barh(i, r["low_kusd"] - base_kusd, left=base_kusd, color=COLORS[0],
                edgecolor="black", label="input at low end" if i == 0 else None)
        ax.barh(i, r["high_kusd"] - base_kusd, left=base_kusd, color=COLORS[1], hatch="//",
                edgecolor="black", label="input at high end" if i == 0 else None)
    ax.axvline(base_kusd, color="black", lw=1)
    ax.set_yticks(range(len(rows)), [r["name"].replace("_", " ") for r in rows[::-1]])
    ax.set_xscale("log")
    plain_log_axis(ax.xaxis, subs=(1.0, 2.0, 5.0))
    ax.set_xlabel("cost per patient (thousand US$, log scale; toy model)")
    ax.legend(frameon=False, loc="lower right")
    return ax.figure
