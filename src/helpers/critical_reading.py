"""Analyses and figures behind notebook 06 (how sure can we be?).

* placebo-arm responses in randomised biologic trials of SLE (verified background facts);
* how many patients an MSC randomised trial would need (:mod:`helpers.design`);
* small-study effects: a funnel plot of the MSC single-arm studies and a **toy simulation**
  of how rarely Egger's test detects funnel asymmetry when there are few studies;
* a risk-of-bias walk-through (``data/risk_of_bias.yaml``).

References
----------
Notebook 06_reading_trials_critically. Sources: background facts ``bio_*`` (each with DOI),
the MSC study rows, Egger M et al. (1997) BMJ 315:629-634.
"""
from __future__ import annotations

import math

from . import design, meta, studies
from .data import Field, fact, fact_citation, fact_number, load_records, provenance
from .params import Range, ranged

__all__ = ["PLACEBO_TRIALS", "placebo_responses", "plot_placebo_responses",
           "msc_trial_scenarios", "egger_detection_rate", "plot_egger_power",
           "plot_msc_funnel", "risk_of_bias", "RISK_OF_BIAS_FILE"]

RISK_OF_BIAS_FILE = "risk_of_bias.yaml"

#: (fact id, trial label, endpoint, active-arm key, placebo-arm key); numbers are read from
#: the verified background facts, never typed here.
PLACEBO_TRIALS = (
    ("bio_bliss52", "BLISS-52 (belimumab)", "SRI-4, week 52", "sri4_belimumab_10mgkg_pct",
     "sri4_placebo_pct"),
    ("bio_bliss76", "BLISS-76 (belimumab)", "SRI, week 52", "sri_wk52_belimumab_10mgkg_pct",
     "sri_wk52_placebo_pct"),
    ("bio_tulip_pooled", "TULIP-1+2 (anifrolumab)", "BICLA, week 52", "bicla_anifrolumab",
     "bicla_placebo"),
    ("bio_bliss_ln", "BLISS-LN (belimumab)", "renal response (PERR), week 104",
     "perr_belimumab_pct", "perr_placebo_pct"),
    ("bio_aurora1", "AURORA 1 (voclosporin)", "complete renal response, week 52",
     "crr_voclosporin_pct", "crr_control_pct"),
)


def _percent(value) -> float:
    """Percent from a number or from text like ``'112/366 (30.8%)'``.

    For text, the percentage printed by the source (in parentheses) is used, so the figure
    matches the publication; without one, events / n is computed.
    """
    import re

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    printed = re.search(r"\((\d+(?:\.\d+)?)%\)", value)
    if printed:
        return float(printed.group(1))
    events, n = studies.parse_fraction(value)
    return 100 * events / n


def placebo_responses():
    """Placebo- and active-arm response rates in biologic RCTs, plus the MSC RCT (DataFrame).

    Columns: ``trial``, ``endpoint``, ``placebo_pct``, ``active_pct``, ``difference_pct``,
    ``source`` (Markdown citation), ``note`` (e.g. where a number was read in a secondary
    report). Only verified facts are used.
    """
    import pandas as pd

    rows = []
    for fid, label, endpoint, active, placebo in PLACEBO_TRIALS:
        record = fact(fid)
        if not record["verified"]:
            continue
        p = _percent(fact_number(fid, placebo))
        a = _percent(fact_number(fid, active))
        note = ""
        if "post hoc" in record["locator"] or "congress" in record["locator"]:
            note = "numbers read in a secondary report (see locator)"
        rows.append({"trial": label, "endpoint": endpoint, "placebo_pct": p, "active_pct": a,
                     "difference_pct": a - p, "source": fact_citation(fid), "note": note})
    for sid in [r["id"] for r in studies.verified_studies(design="RCT")]:
        table = studies.response_table("renal remission (RCT, placebo arm)").set_index("id")
        msc = studies.response_table("renal remission (RCT, MSC arm)").set_index("id")
        p = 100 * table.loc[sid, "proportion"]
        a = 100 * msc.loc[sid, "proportion"]
        row = studies.study(sid)
        rows.append({"trial": f"{studies.study_label(sid)} (MSC)",
                     "endpoint": f"renal remission, {row['follow_up_months']} months",
                     "placebo_pct": p, "active_pct": a, "difference_pct": a - p,
                     "source": f"doi:{row['doi']}",
                     "note": f"placebo arm n = {row['control_arm']['n']}"})
    return pd.DataFrame(rows)


def plot_placebo_responses(*, ax=None):
    """Paired horizontal bars: response with placebo vs with the active drug, per trial.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from .style import COLORS

    table = placebo_responses()
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.6 * len(table) + 1.4))
    y = np.arange(len(table))[::-1]
    ax.barh(y + 0.2, table["placebo_pct"], height=0.38, color=COLORS[5], hatch="//",
            edgecolor="black", label="placebo + standard therapy")
    ax.barh(y - 0.2, table["active_pct"], height=0.38, color=COLORS[0], edgecolor="black",
            label="active drug (or MSC) + standard therapy")
    for yi, p, a in zip(y, table["placebo_pct"], table["active_pct"]):
        ax.text(p + 1, yi + 0.2, f"{round(p, 1):g}%", va="center")
        ax.text(a + 1, yi - 0.2, f"{round(a, 1):g}%", va="center")
    ax.set_yticks(y)
    ax.set_yticklabels([f"{t}\n{e}" for t, e in zip(table["trial"], table["endpoint"])])
    ax.set_xlim(0, 105)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("patients responding (%)")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0))
    return ax.figure


def msc_trial_scenarios(*, power: float = 0.8, alpha: float = 0.05):
    """Patients per arm needed for an MSC add-on RCT under scenarios taken from real trials.

    Scenarios (control rate -> rate with MSC), all read from verified data:

    * lupus nephritis, renal response: BLISS-LN placebo rate -> BLISS-LN belimumab rate
      (an MSC add-on as good as an approved add-on biologic);
    * the same control rate with half that gain;
    * non-renal SLE, SRI-4: BLISS-52 placebo rate -> belimumab rate.

    Also the power of a trial the size of Deng 2017 (per-arm sizes from its row) to detect
    the first scenario.

    Returns
    -------
    (DataFrame, float)
        Scenario table (``scenario``, ``control``, ``msc``, ``n_per_arm``, ``total``) and
        the power of the Deng-sized trial.
    """
    import pandas as pd

    ln0 = fact_number("bio_bliss_ln", "perr_placebo_pct") / 100
    ln1 = fact_number("bio_bliss_ln", "perr_belimumab_pct") / 100
    s0 = fact_number("bio_bliss52", "sri4_placebo_pct") / 100
    s1 = fact_number("bio_bliss52", "sri4_belimumab_10mgkg_pct") / 100
    scenarios = [
        ("LN renal response, gain as with belimumab (BLISS-LN)", ln0, ln1),
        ("LN renal response, half that gain", ln0, ln0 + (ln1 - ln0) / 2),
        ("non-renal SLE, SRI-4 gain as with belimumab (BLISS-52)", s0, s1),
    ]
    rows = []
    for name, p0, p1 in scenarios:
        n = math.ceil(design.sample_size_two_proportions(p0, p1, power=power, alpha=alpha))
        rows.append({"scenario": name, "control": p0, "msc": p1, "n_per_arm": n,
                     "total": 2 * n})
    deng = studies.study("deng2017")
    n_control = deng["control_arm"]["n"]
    ratio = deng["msc_arm_n"] / n_control
    deng_power = design.power_two_proportions(ln0, ln1, n_control, ratio=ratio, alpha=alpha)
    return pd.DataFrame(rows), deng_power


# --- small-study effects ----------------------------------------------------------------

def egger_detection_rate(k: int, *, bias: float = 1.0, tau: float = 0.2, n_sims: int = 300,
                         level: float = 0.10, rng=0) -> float:
    """Share of simulated meta-analyses in which Egger's test flags asymmetry (toy model).

    Each simulated meta-analysis has ``k`` studies with standard errors drawn uniformly
    between 0.15 and 0.8 (log-odds scale); their true effects are 0 plus between-study
    noise (SD ``tau``) plus ``bias * se`` — a small-study effect, i.e. smaller studies show
    larger effects. The rate at which Egger's test (P < ``level``) detects it is returned.

    Parameters
    ----------
    k : int
        Studies per meta-analysis (3 to 100).
    bias : float
        Strength of the small-study effect (effect units per unit SE, 0 to 5).
    tau : float
        Between-study SD (0 to 2).
    n_sims : int
        Simulated meta-analyses (10 to 5000).
    level : float
        Significance level of the test.
    rng : int or numpy.random.Generator

    Returns
    -------
    float
        Detection rate (a fraction).
    """
    import numpy as np

    Range(3, 100, default=5, integer=True).validate("k", k)
    Range(0, 5, default=1).validate("bias", bias)
    Range(0, 2, default=0.2).validate("tau", tau)
    Range(10, 5000, default=300, integer=True).validate("n_sims", n_sims)
    Range(0.001, 0.5, default=0.1).validate("level", level)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    hits = 0
    for _ in range(int(n_sims)):
        se = gen.uniform(0.15, 0.8, int(k))
        y = gen.normal(bias * se, np.sqrt(tau ** 2 + se ** 2))
        if meta.egger_test(y, se ** 2)["p"] < level:
            hits += 1
    return hits / int(n_sims)


@ranged(bias=Range(0.0, 3.0, default=1.5, step=0.25, label="small-study effect strength"))
def plot_egger_power(bias: float = 1.5, *, ks=(5, 10, 20, 40), n_sims: int = 200, rng=0,
                     ax=None):
    """Bar chart: how often Egger's test detects a small-study effect, by number of studies.

    Toy simulation (see :func:`egger_detection_rate`). Returns the Figure.
    """
    import matplotlib.pyplot as plt

    from .style import COLORS

    rates = [egger_detection_rate(k, bias=bias, n_sims=n_sims, rng=rng) for k in ks]
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8))
    bars = ax.bar([str(k) for k in ks], [100 * r for r in rates], color=COLORS[2],
                  edgecolor="black", hatch="..")
    ax.bar_label(bars, labels=[f"{100 * r:.0f}%" for r in rates], padding=3)
    ax.set_ylim(0, 105)
    ax.set_xlabel("studies in the meta-analysis (toy simulation)")
    ax.set_ylabel("asymmetry detected (%)")
    return ax.figure


def plot_msc_funnel(*, ax=None):
    """Funnel plot of the pooled single-arm MSC studies (logit response), with Egger's P.

    Returns
    -------
    (matplotlib.figure.Figure, dict)
        The figure and Egger's test result on the same studies.
    """
    from .trial_evidence import single_arm_pool

    rows, res, _ = single_arm_pool()
    fig = meta.plot_funnel(list(rows["logit"]), list(rows["var"]), res,
                           labels=list(rows["label"]),
                           xlabel="log odds of response (0 = 50%)", ax=ax)
    return fig, meta.egger_test(list(rows["logit"]), list(rows["var"]))


# --- risk of bias -----------------------------------------------------------------------

_ROB = Field(dict, schema={"judgement": Field(str, choices=("low", "some concerns", "high")),
                           "basis": Field(str), "reason": Field(str)})


def risk_of_bias():
    """The risk-of-bias walk-through as a DataFrame (domain, study, judgement, basis, reason).

    The ``basis`` fields must name fields that exist in the study rows (checked).
    """
    import pandas as pd

    provenance(RISK_OF_BIAS_FILE)
    schema = {"id": Field(str), "domain": Field(str), "wang2014": _ROB, "deng2017": _ROB}
    rows = load_records(RISK_OF_BIAS_FILE, "domains", schema, strict=True)
    out = []
    for row in rows:
        for sid in ("wang2014", "deng2017"):
            item = row[sid]
            record = studies.study(sid)
            for name in item["basis"].split(", "):
                studies.field_value(record, name)  # raises if the basis field is absent
            out.append({"domain": row["domain"], "study": studies.study_label(sid),
                        "judgement": item["judgement"], "basis": item["basis"],
                        "reason": item["reason"]})
    return pd.DataFrame(out)
