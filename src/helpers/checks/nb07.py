"""Checks for the exercises of notebook 07 (open challenges)."""
from __future__ import annotations

from helpers.core.data import fact_number
from . import close, exercise


@exercise("7.1")
def fever_risk_with_msc(answer) -> str:
    """Expected share of MSC-treated patients with fever, from a 5% control risk and the RR."""
    rr = fact_number("msc_safety_thompson2020", "fever_rr")
    target = 0.05 * rr
    if close(answer, target, rel=0.01):
        return (f"correct — 0.05 × {rr} ≈ {target:.3f}: a relative risk multiplies the "
                "control risk; it is not a risk itself.")
    if close(answer, 100 * target, rel=0.01):
        return "not quite — that is a percentage; give the answer as a proportion (0 to 1)."
    if close(answer, 0.05 + rr, rel=0.01) or close(answer, rr, rel=0.01):
        return ("not quite — the relative risk is a ratio: multiply the control risk by it, "
                "do not add it or use it on its own.")
    if close(answer, 0.05 / rr, rel=0.01):
        return "not quite — you divided; the risk with MSCs is higher, so multiply."
    return "not quite — multiply the control risk (0.05) by the pooled relative risk for fever."


@exercise("7.2")
def dominant_cost_input(answer) -> str:
    """Name of the toy-model input whose range moves the cost per patient most."""
    from helpers.costs import cost_sensitivity

    rows = cost_sensitivity()
    top, second = rows[0], rows[1]
    if not isinstance(answer, str):
        return "not quite — answer with the input's name as text, e.g. 'infusions'."
    given = answer.strip().lower().replace(" ", "_")
    if given in (top["name"], top["input"].lower().replace(" ", "_")):
        return (f"correct — {top['name']} has the widest swing; the model divides the batch "
                "cost by the number of doses a batch yields, so yield matters as much as price.")
    if given == second["name"]:
        return (f"not quite — {second['name']} comes second; look at the first row of the "
                "sorted sensitivity table.")
    names = [r["name"] for r in rows]
    if given not in names:
        return f"not quite — answer with one of the input names: {', '.join(sorted(names))}."
    return "not quite — the table is sorted by swing, largest first: take the first name."
