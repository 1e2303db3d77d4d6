"""Checks for the exercises of notebook 02 (treatment burden)."""
from __future__ import annotations

from helpers.core.data import fact_number
from helpers.stats.effect_sizes import nnt_from_difference, number_needed_to_treat, risk_difference
from helpers.stats.proportions import counts_from_percent
from . import close, exercise

#: BLISS-76 arm sizes (ClinicalTrials.gov NCT00410384) and the fact keys of the responses
_N = {"active": 273, "low_dose": 271, "control": 275}


def bliss76_counts() -> dict[str, tuple[int, int]]:
    """Return (responders, n) for BLISS-76 10 mg/kg, 1 mg/kg and placebo at week 52."""
    pct = {"active": fact_number("bio_bliss76", "sri_wk52_belimumab_10mgkg_pct"),
           "low_dose": fact_number("bio_bliss76", "sri_wk52_belimumab_1mgkg_pct"),
           "control": fact_number("bio_bliss76", "sri_wk52_placebo_pct")}
    return {k: (counts_from_percent(pct[k], _N[k]), _N[k]) for k in _N}


@exercise("2.1")
def nnt_bliss76(answer) -> str:
    """NNT with its 95% CI for belimumab 10 mg/kg vs placebo in BLISS-76."""
    if not isinstance(answer, dict) or set(answer) != {"nnt", "low", "high"}:
        return "not quite — keep the dict with the keys 'nnt', 'low' and 'high'."
    counts = bliss76_counts()
    (e1, n1), (e0, n0) = counts["active"], counts["control"]
    rd = risk_difference(e1, n1, e0, n0)
    ref = number_needed_to_treat(e1, n1, e0, n0)
    wald = nnt_from_difference(risk_difference(e1, n1, e0, n0, method="wald"))
    nnt, low, high = answer["nnt"], answer["low"], answer["high"]
    if close(nnt, ref.value / 100, rel=0.02):
        return ("not quite — the difference must be a fraction (about 0.1), not percentage "
                "points (about 10), before you take 1 / difference.")
    if not close(nnt, ref.value, rel=0.02):
        return ("not quite — NNT = 1 / (responders_active / n_active − responders_control / "
                "n_control).")
    for method, limits in (("Newcombe", ref), ("Wald", wald)):
        if close(low, limits.low, rel=0.02) and close(high, limits.high, rel=0.02):
            return (f"correct — NNTB {ref.value:.1f} ({method} 95% CI {low:.1f} to "
                    f"{high:.1f}): about ten patients for one extra SRI response, and the "
                    "data allow anything from about six to about sixty.")
        if close(low, limits.high, rel=0.02) and close(high, limits.low, rel=0.02):
            return ("not quite — inverting swaps the order: the NNT's lower limit is 1 / the "
                    "upper limit of the difference.")
    if any(close(low, x, rel=0.05) for x in (rd.low, 100 * rd.low, rd.high, 100 * rd.high)):
        return "not quite — those are the difference's limits; the NNT limits are 1 / them."
    return ("not quite — compute the risk difference's 95% interval (risk_difference) and "
            "take 1 / each limit.")


def interpretation_options() -> dict[str, str]:
    """Return the four statements of exercise 2.2, with numbers computed from the data."""
    counts = bliss76_counts()
    (e1, n1), (e0, n0) = counts["low_dose"], counts["control"]
    rd = risk_difference(e1, n1, e0, n0)
    nnt = number_needed_to_treat(e1, n1, e0, n0)
    return {
        "A": f"Belimumab 1 mg/kg made {100 * rd.difference:.0f} more patients in every 100 "
             "respond; it works.",
        "B": f"About {nnt.value:.0f} patients would need this dose for one extra responder, but "
             "the data are also compatible with no benefit or even slight harm.",
        "C": "The trial proves the 1 mg/kg dose does not work.",
        "D": f"About {100 * rd.p_active:.0f}% of patients responded because of belimumab "
             "1 mg/kg.",
    }


@exercise("2.2")
def interpret_low_dose(answer) -> str:
    """Plain-words reading of the BLISS-76 1 mg/kg result (letter A-D)."""
    options = interpretation_options()
    if not isinstance(answer, str) or answer.strip().upper() not in options:
        return f"not quite — answer with one letter from {sorted(options)}."
    letter = answer.strip().upper()
    if letter == "B":
        return ("correct — the point estimate favours the drug, but the interval for the "
                "difference includes zero, so the NNT interval runs from harm (NNTH) through "
                "infinity to benefit (NNTB).")
    hints = {
        "A": "not quite — that reads the point estimate as certain; look at where the "
             "interval for the difference lies relative to zero.",
        "C": "not quite — an interval that includes zero means 'not shown', not 'shown to "
             "have no effect'; it also includes a worthwhile benefit.",
        "D": "not quite — a third of the placebo arm responded too; only the difference "
             "between arms can be credited to the drug.",
    }
    return hints[letter]
