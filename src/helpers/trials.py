"""Biologic trials in SLE: response in each arm, absolute difference, 95% CI and NNT.

Response percentages come from ``background_facts.yaml`` (one fact per trial) and arm sizes
from ``treatment_burden.yaml``; both are validated on load.  Rows marked ``verified: false``
are returned by :func:`excluded_trials` with their reason and never enter the analysis.
The same file holds the check of the seed article's claims about treatment harms.

References
----------
Notebook ``02_treatment_burden``, sections 2-4; sources are listed per row in the data.
"""
from __future__ import annotations

import functools
import re

from helpers.core.data import DataError, Field, fact, load_records, provenance
from helpers.stats.effect_sizes import nnt_from_difference, risk_difference
from helpers.stats.proportions import counts_from_percent
from helpers.core.style import COLORS, MARKERS
from helpers.core import validate

__all__ = ["TRIALS_FILE", "COMPARISON_SCHEMA", "CLAIM_SCHEMA", "LANDSCAPE_SCHEMA",
           "trial_comparisons", "trial_effects", "excluded_trials", "effect_summary",
           "plot_trial_effects", "treatment_landscape",
           "seed_claims", "gc_damage_hazard_ratios", "plot_gc_hazard_ratios"]

TRIALS_FILE = "treatment_burden.yaml"

ARM_SCHEMA = {"fact_key": Field(str), "n": Field(int, nullable=True, low=1, high=100_000),
              "events": Field(int, required=False, low=0, high=100_000)}
COMPARISON_SCHEMA = {
    "id": Field(str, pattern=r"[a-z0-9_]+"),
    "trial": Field(str),
    "fact_id": Field(str),
    "active_arm": Field(str),
    "endpoint": Field(str),
    "week": Field(int, low=1, high=520),
    "active": Field(dict, schema=ARM_SCHEMA),
    "control": Field(dict, schema=ARM_SCHEMA),
    "n_locator": Field(str),
    "n_url": Field(str, pattern=r"https://\S+"),
    "references": Field(list),
    "verified": Field(bool),
    "caveat": Field(str),
}
CLAIM_SCHEMA = {
    "id": Field(str, pattern=r"seed_[a-z0-9_]+"),
    "seed_text": Field(str),
    "verdict": Field(str, choices=("supported", "partly supported", "overstated",
                                   "not supported")),
    "summary": Field(str),
    "numbers": Field(dict),
    "source": Field(dict),
    "locator": Field(str),
    "verified": Field(bool),
    "note": Field(str, required=False),
}
LANDSCAPE_SCHEMA = {
    "drug": Field(str),
    "target": Field(str),
    "indication": Field(str),
    "evidence": Field(str),
    "status": Field(str),
    "fact_ids": Field(list),
    "source": Field(str),
    "url": Field(str, pattern=r"https?://\S+"),
    "verified": Field(bool),
}
_COUNT = re.compile(r"^(\d+)/(\d+)")


@functools.lru_cache(maxsize=None)
def _comparisons() -> tuple:
    provenance(TRIALS_FILE)  # the meta block must be complete
    return tuple(load_records(TRIALS_FILE, "comparisons", COMPARISON_SCHEMA, strict=True))


def trial_comparisons() -> list[dict]:
    """Return every comparison row (verified or not) as stored in the data file."""
    return [dict(r) for r in _comparisons()]


def _arm(record: dict, arm: str) -> tuple[int | None, int | None, float]:
    """Return (responders, n, percent) for one arm.

    Counts come, in order of preference, from the fact itself ("171/360 (47.5%)"), from
    exact counts stored with the arm (``events``; they must round to the fact's percentage)
    or are reconstructed as percentage x arm size.
    """
    spec = record[arm]
    value = fact(record["fact_id"])["numbers"][spec["fact_key"]]
    match = _COUNT.match(value) if isinstance(value, str) else None
    if match:
        events, n = int(match.group(1)), int(match.group(2))
        return events, n, 100 * events / n
    n = spec["n"]
    if spec.get("events") is not None:
        events = spec["events"]
        if n is None or events > n or round(100 * events / n) != round(float(value)):
            raise DataError(f"{TRIALS_FILE}: {record['id']} {arm} counts {events}/{n} do not "
                            f"match the reported {value}%")
        return events, n, 100 * events / n
    return (counts_from_percent(value, n) if n else None), n, float(value)


def trial_effects() -> list[dict]:
    """Return the verified trial comparisons with responders, ARD, 95% CI and NNT.

    Returns
    -------
    list of dict
        One dict per verified comparison: ``id``, ``trial``, ``endpoint``, ``references``
        (reference keys), ``week``, ``active_arm``,
        ``events_active``, ``n_active``, ``pct_active``, the same for control, ``ard_pct``,
        ``ard_low_pct``, ``ard_high_pct`` (percentage points, Newcombe 95% CI), ``nnt``
        (an :class:`helpers.stats.effect_sizes.NNT`) and ``caveat``.
    """
    rows = []
    for record in _comparisons():
        if not record["verified"] or not fact(record["fact_id"])["verified"]:
            continue
        ea, na, pa = _arm(record, "active")
        ec, nc, pc = _arm(record, "control")
        rd = risk_difference(ea, na, ec, nc)
        rows.append({"id": record["id"], "trial": record["trial"],
                     "endpoint": record["endpoint"], "references": list(record["references"]),
                     "week": record["week"], "active_arm": record["active_arm"],
                     "events_active": ea, "n_active": na, "pct_active": pa,
                     "events_control": ec, "n_control": nc, "pct_control": pc,
                     "ard_pct": 100 * rd.difference, "ard_low_pct": 100 * rd.low,
                     "ard_high_pct": 100 * rd.high, "nnt": nnt_from_difference(rd),
                     "caveat": record["caveat"]})
    return rows


def excluded_trials() -> list[dict]:
    """Return the comparisons left out of the analysis with the reason (their caveat)."""
    return [{"trial": r["trial"], "endpoint": r["endpoint"], "reason": r["caveat"],
             "references": list(r["references"])}
            for r in _comparisons()
            if not r["verified"] or not fact(r["fact_id"])["verified"]]


def effect_summary() -> dict:
    """Summarise the verified comparisons whose 95% CI for the difference excludes zero.

    Returns
    -------
    dict
        ``excluding_zero`` (rows whose interval excludes no effect), ``crossing_zero``
        (trial labels of the others), ``nnt_min`` / ``nnt_max`` (NNT point
        estimates over the rows excluding zero, patients), ``placebo_min_pct`` /
        ``placebo_max_pct`` (placebo response over the same rows, per cent), and what the
        rows mix: ``endpoints`` (sorted endpoint names), ``weeks`` (sorted time points) and
        ``post_hoc`` (trial labels of post hoc pooled rows).  The NNT range is therefore a
        rough bar across different endpoints and time points, not a ranking of drugs.

    References
    ----------
    Notebook ``02_treatment_burden``, section 2.
    """
    rows = trial_effects()
    keep = [r for r in rows if not r["nnt"].crosses_zero]
    if not keep:
        raise DataError(f"{TRIALS_FILE}: no verified comparison excludes zero")
    return {"excluding_zero": keep,
            "crossing_zero": [r["trial"] for r in rows if r["nnt"].crosses_zero],
            "nnt_min": min(r["nnt"].value for r in keep),
            "nnt_max": max(r["nnt"].value for r in keep),
            "placebo_min_pct": min(r["pct_control"] for r in keep),
            "placebo_max_pct": max(r["pct_control"] for r in keep),
            "endpoints": sorted({r["endpoint"] for r in keep}),
            "weeks": sorted({r["week"] for r in keep}),
            "post_hoc": sorted({r["trial"] for r in keep if "post hoc" in r["trial"]})}


def plot_trial_effects(*, ax=None):
    """Forest-style plot of the absolute response difference (95% CI) for each trial.

    Returns
    -------
    matplotlib.figure.Figure
        One row per verified comparison (top to bottom in data order), the point estimate
        and Newcombe 95% CI in percentage points, a dashed line at 0, and the NNT text
        to the right of each interval.
    """
    import textwrap

    import matplotlib.pyplot as plt

    rows = trial_effects()
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.4, 0.85 * len(rows) + 1.6))
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        est, lo, hi = row["ard_pct"], row["ard_low_pct"], row["ard_high_pct"]
        ax.errorbar(est, y, xerr=[[max(0.0, est - lo)], [max(0.0, hi - est)]], fmt=MARKERS[i % len(MARKERS)],
                    color=COLORS[i % len(COLORS)], capsize=4, markersize=8, lw=2)
        label = row["nnt"].text.split(" (")[0]
        if row["nnt"].crosses_zero:
            label += " (CI includes no effect)"
        ax.annotate(label, (hi, y), xytext=(8, 0),
                    textcoords="offset points", va="center")
    ax.axvline(0, color="black", ls="--", lw=1)
    ax.set_yticks(range(len(rows))[::-1],
                  [f"{r['trial']}\n" + textwrap.fill(f"{r['endpoint']}, wk {r['week']}", 24)
                   for r in rows])
    ax.set_xlim(-5, 45)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("response difference, active minus placebo\n(percentage points, 95% CI)")
    return ax.figure


def treatment_landscape() -> list[dict]:
    """Return what is approved where for the newer SLE / lupus nephritis drugs and the pipeline.

    Returns
    -------
    list of dict
        One row per drug (``drug``, ``target``, ``indication``, ``evidence``, ``status``,
        ``source``, ``url``), as read on the date in the data file's
        ``literature_last_searched``; only verified rows.  Every fact named in ``fact_ids``
        must exist in the background facts.

    References
    ----------
    Notebook ``02_treatment_burden``, section 1.
    """
    rows = load_records(TRIALS_FILE, "landscape", LANDSCAPE_SCHEMA, strict=True)
    for row in rows:
        for fact_id in row["fact_ids"]:
            fact(fact_id)  # raises for an unknown id
    return [dict(r) for r in rows if r["verified"]]


def seed_claims() -> list[dict]:
    """Return the seed article's claims about treatment harms with verdicts and sources."""
    rows = load_records(TRIALS_FILE, "seed_claims", CLAIM_SCHEMA, strict=True)
    return [dict(r) for r in rows if r["verified"]]


def gc_damage_hazard_ratios() -> dict[str, float]:
    """Return the Hopkins Lupus Cohort hazard ratios for damage by prednisone dose.

    Returns
    -------
    dict
        ``{outcome label: hazard ratio}``; "any damage" compares an average of 20 mg/day or
        more with under 7.5 mg/day, the others 7.5 mg/day or more with less (Al Sawah et
        al. 2015).  Confidence intervals were not read, so none are returned.
    """
    key = "soc_gc_damage"
    from helpers.core.data import fact_number

    return {
        "any organ damage (>= 20 vs < 7.5 mg/day)":
            fact_number(key, "hr_any_damage_ge20_vs_lt7_5_mg"),
        "cataract (>= 7.5 mg/day)": fact_number(key, "hr_cataract_ge7_5_vs_lt7_5"),
        "osteoporotic fracture (>= 7.5 mg/day)": fact_number(key, "hr_osteoporotic_fracture_ge7_5"),
        "cardiovascular damage (>= 7.5 mg/day)": fact_number(key, "hr_cardiovascular_ge7_5"),
        "renal damage (>= 7.5 mg/day; not significant)": fact_number(key, "hr_renal_ge7_5_ns"),
    }


def plot_gc_hazard_ratios(*, ax=None):
    """Horizontal bars of the glucocorticoid-dose hazard ratios, with a line at HR = 1.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per outcome of :func:`gc_damage_hazard_ratios`, labelled with its value;
        the non-significant outcome is hatched.  Point estimates only.
    """
    import matplotlib.pyplot as plt

    hrs = gc_damage_hazard_ratios()
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.6, 4.4))
    labels = list(hrs)[::-1]
    values = [hrs[k] for k in labels]
    hatches = ["//" if "not significant" in k else "" for k in labels]
    bars = ax.barh(range(len(labels)), values, color=COLORS[3], hatch=hatches, edgecolor="black")
    ax.set_yticks(range(len(labels)), [k.replace(" (", "\n(", 1) for k in labels])  # dose below
    ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3)
    ax.axvline(1, color="black", ls="--", lw=1)
    ax.set_xlim(0, max(values) * 1.2)
    ax.set_xlabel("hazard ratio for new damage (1 = no difference)")
    return ax.figure
