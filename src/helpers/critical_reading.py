"""Analyses and figures behind notebook 06 (how sure can we be?).

* placebo-arm responses in randomised trials of approved lupus drugs (biologics and the
  calcineurin inhibitor voclosporin; verified background facts);
* how many patients an MSC randomised trial would need (:mod:`helpers.stats.power`), and what
  the one small MSC trial can and cannot rule out (its confidence interval);
* small-study effects: a funnel plot of the MSC single-arm studies and a **toy simulation**
  of how often Egger's test flags funnel asymmetry, with and without a real small-study
  effect, when there are few studies;
* a risk-of-bias walk-through (``data/risk_of_bias.yaml``), with imprecision kept apart.

References
----------
Notebook 06_reading_trials_critically. Sources: background facts ``bio_*`` (each with DOI),
the MSC study rows, Egger M et al. (1997) BMJ 315:629-634; Sterne JAC et al. (2011) BMJ
343:d4002; Sterne JAC et al. (2019) BMJ 366:l4898 (RoB 2).
"""
from __future__ import annotations

import math

import helpers.stats.effect_sizes as effect_sizes
import helpers.stats.plots as plots
import helpers.stats.sensitivity as sensitivity
import helpers.studies as studies
from helpers.core.data import Field, fact, fact_citation, fact_number, load_records, provenance
from helpers.core.params import Range, ranged
from helpers.core.references import cite
from helpers.stats.power import (power_fisher_exact, power_two_proportions,
                                 sample_size_two_proportions)
from helpers.core import validate

__all__ = ["PLACEBO_TRIALS", "placebo_responses", "plot_placebo_responses",
           "msc_trial_scenarios", "rct_remission_difference", "egger_detection_rate",
           "plot_egger_power", "EGGER_SE_RANGE", "EGGER_TAU", "EGGER_LEVEL",
           "plot_msc_funnel", "msc_funnel_egger", "risk_of_bias", "JUDGEMENTS", "RISK_OF_BIAS_FILE"]

RISK_OF_BIAS_FILE = "risk_of_bias.yaml"

#: (fact id, trial label, endpoint, active-arm key, placebo-arm key, note); numbers are read
#: from the verified background facts, never typed here. The note says where a number was
#: read when that was not the primary trial paper (its reference key in braces).
PLACEBO_TRIALS = (
    ("bio_bliss52", "BLISS-52 (belimumab)", "SRI-4, week 52", "sri4_belimumab_10mgkg_pct",
     "sri4_placebo_pct", "rates read in a post hoc analysis ({oon2019}), not the primary paper"),
    ("bio_bliss76", "BLISS-76 (belimumab)", "SRI, week 52", "sri_wk52_belimumab_10mgkg_pct",
     "sri_wk52_placebo_pct", ""),
    ("bio_tulip_pooled", "TULIP-1+2 (anifrolumab)", "BICLA, week 52", "bicla_anifrolumab",
     "bicla_placebo", "post hoc pooled analysis of two trials ({vital2022})"),
    ("bio_bliss_ln_counts", "BLISS-LN (belimumab)", "renal response (PERR), week 104",
     "perr_belimumab", "perr_placebo",
     "exact counts: sums of the subgroups of a post hoc report ({anders2023})"),
    ("bio_aurora1", "AURORA 1 (voclosporin)", "complete renal response, week 52",
     "crr_voclosporin_pct", "crr_control_pct",
     "rates read in a congress abstract ({teng2020}), not the Lancet paper"),
)

#: Toy model of :func:`egger_detection_rate`: range of study standard errors (log-odds
#: scale), between-study SD and the significance level of the test.
EGGER_SE_RANGE = (0.15, 0.8)
EGGER_TAU = 0.2
EGGER_LEVEL = 0.10


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


def _note(template: str) -> str:
    """Fill ``{key}`` placeholders of a note with Markdown citations."""
    import re

    return re.sub(r"\{([a-z0-9_]+)\}", lambda m: cite(m.group(1)), template)


def placebo_responses():
    """Placebo- and active-arm response rates in approved-drug RCTs, plus the MSC RCT.

    The approved drugs are the biologics belimumab and anifrolumab and the calcineurin
    inhibitor voclosporin. Columns: ``trial``, ``endpoint``, ``placebo_pct``,
    ``active_pct``, ``difference_pct``, ``source`` (Markdown citation), ``note`` (where a
    number was read when not in the primary paper, with its citation; post hoc analyses are
    flagged). Only verified facts are used; counts such as ``"72/223"`` become percentages.

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    rows = []
    for fid, label, endpoint, active, placebo, note in PLACEBO_TRIALS:
        record = fact(fid)
        if not record["verified"]:
            continue
        p = _percent(fact_number(fid, placebo))
        a = _percent(fact_number(fid, active))
        note = _note(note)
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

    from helpers.core.style import COLORS

    table = placebo_responses()
    ax = validate.axes("ax", ax)
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

    * lupus nephritis, renal response: BLISS-LN placebo rate -> BLISS-LN belimumab rate,
      from the exact counts (an MSC add-on as good as an approved add-on biologic);
    * the same control rate with half that gain;
    * non-renal SLE, SRI-4: BLISS-52 placebo rate -> belimumab rate.

    Also the power of a trial the size of Deng 2017 (per-arm sizes from its row) to detect
    the first scenario, by the normal approximation and exactly (Fisher's exact test, the
    analysis such a small trial would need), and Deng's own placebo remission rate, to
    compare with the scenario's control rate (a control rate near 100% leaves little room
    for any add-on: a ceiling effect).

    Returns
    -------
    (DataFrame, dict)
        Scenario table (``scenario``, ``control``, ``msc``, ``n_per_arm``, ``total``) and,
        for the Deng-sized trial, ``power`` (normal approximation), ``power_exact``
        (Fisher), ``n_msc``, ``n_placebo``, ``scenario_control`` and
        ``observed_placebo_rate`` (fractions).
    """
    import pandas as pd

    power = validate.probability("power", power, open_ends=True)
    alpha = validate.probability("alpha", alpha, open_ends=True)
    ln0 = _percent(fact_number("bio_bliss_ln_counts", "perr_placebo")) / 100
    ln1 = _percent(fact_number("bio_bliss_ln_counts", "perr_belimumab")) / 100
    s0 = fact_number("bio_bliss52", "sri4_placebo_pct") / 100
    s1 = fact_number("bio_bliss52", "sri4_belimumab_10mgkg_pct") / 100
    scenarios = [
        ("LN renal response, gain as with belimumab (BLISS-LN)", ln0, ln1),
        ("LN renal response, half that gain", ln0, ln0 + (ln1 - ln0) / 2),
        ("non-renal SLE, SRI-4 gain as with belimumab (BLISS-52)", s0, s1),
    ]
    rows = []
    for name, p0, p1 in scenarios:
        n = math.ceil(sample_size_two_proportions(p0, p1, power=power, alpha=alpha))
        rows.append({"scenario": name, "control": p0, "msc": p1, "n_per_arm": n,
                     "total": 2 * n})
    deng = studies.study("deng2017")
    n_control, n_msc = deng["control_arm"]["n"], deng["msc_arm_n"]
    placebo = studies.response_table("renal remission (RCT, placebo arm)").set_index("id")
    table = pd.DataFrame(rows)
    table.attrs["column_labels"] = {"control": "Control response (assumed)",
                                    "msc": "MSC response (assumed)"}
    return table, {
        "power": power_two_proportions(ln0, ln1, n_control, ratio=n_msc / n_control,
                                       alpha=alpha),
        "power_exact": power_fisher_exact(ln0, ln1, n_control, n_msc, alpha=alpha),
        "n_msc": n_msc, "n_placebo": n_control, "scenario_control": ln0,
        "observed_placebo_rate": float(placebo.loc["deng2017", "proportion"]),
    }


def rct_remission_difference(study_id: str = "deng2017", *, level: float = 0.95):
    """Remission difference (MSC minus placebo) of a randomised MSC trial, with its CI.

    Uses the verified arm counts of the study row and Newcombe's hybrid score interval
    (:func:`helpers.stats.effect_sizes.risk_difference`), which behaves well with tiny arms
    and rates near 100%. Only effects outside the interval are ruled out by the trial.

    Parameters
    ----------
    study_id : str
        A verified RCT in the study data.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    helpers.stats.effect_sizes.RiskDifference
        ``difference``, ``low``, ``high`` (fractions) and both arm proportions.
    """
    rcts = [r["id"] for r in studies.verified_studies(design="RCT")]
    if study_id not in rcts:
        raise ValueError(f"study_id must be one of {rcts}; got {study_id!r}")
    msc = studies.response_table("renal remission (RCT, MSC arm)").set_index("id")
    placebo = studies.response_table("renal remission (RCT, placebo arm)").set_index("id")
    return effect_sizes.risk_difference(int(msc.loc[study_id, "events"]),
                                        int(msc.loc[study_id, "n"]),
                                        int(placebo.loc[study_id, "events"]),
                                        int(placebo.loc[study_id, "n"]), level=level)


# --- small-study effects ----------------------------------------------------------------

def egger_detection_rate(k: int, *, bias: float = 1.5, tau: float = EGGER_TAU,
                         n_sims: int = 300, level: float = EGGER_LEVEL, rng=0) -> float:
    """Share of simulated meta-analyses in which Egger's test flags asymmetry (toy model).

    Each simulated meta-analysis has ``k`` studies with standard errors drawn uniformly
    from :data:`EGGER_SE_RANGE` (log-odds scale); their true effects are 0 plus
    between-study noise (SD ``tau``) plus ``bias * se`` — a small-study effect, i.e. smaller
    studies show larger effects. The rate at which Egger's test (P < ``level``) flags
    asymmetry is returned: with ``bias=0`` there is nothing to find, so the rate is the
    false-positive rate; with ``bias > 0`` it is the power. Standard errors are drawn
    independently of the effects, so the mathematical link between a log odds and its
    standard error (which makes the test misbehave on real proportions) is absent here.

    Parameters
    ----------
    k : int
        Studies per meta-analysis (3 to 100).
    bias : float, default 1.5 (as :func:`plot_egger_power`)
        Strength of the small-study effect (log-odds units added per unit SE, 0 to 5).
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
    gen = validate.rng("rng", rng)
    hits = 0
    for _ in range(int(n_sims)):
        se = gen.uniform(*EGGER_SE_RANGE, int(k))
        y = gen.normal(bias * se, np.sqrt(tau ** 2 + se ** 2))
        if sensitivity.egger_test(y, se ** 2)["p"] < level:
            hits += 1
    return hits / int(n_sims)


@ranged(bias=Range(0.0, 3.0, default=1.5, step=0.25, label="small-study effect strength"))
def plot_egger_power(bias: float = 1.5, *, ks=(5, 10, 20, 40), n_sims: int = 200, rng=0,
                     ax=None):
    """Paired bars: how often Egger's test flags asymmetry, without and with a real effect.

    Toy simulation (see :func:`egger_detection_rate`): for each number of studies, the
    false-positive rate when there is no small-study effect (``bias=0``, hatched) next to
    the detection rate with a small-study effect of strength ``bias`` (log-odds units per
    unit SE). The same seed is used for both, so only the built-in effect differs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    from helpers.core.style import COLORS, fixed_margin_axes

    if isinstance(ks, (str, bytes, dict)) or not isinstance(ks, (list, tuple)) or not ks:
        raise validate.ParameterTypeError(f"ks must be a non-empty list of study counts; "
                                          f"got {ks!r}")
    ks = [validate.count(f"ks[{i}]", k, low=3, high=100) for i, k in enumerate(ks)]
    null = [egger_detection_rate(k, bias=0.0, n_sims=n_sims, rng=rng) for k in ks]
    rates = [egger_detection_rate(k, bias=bias, n_sims=n_sims, rng=rng) for k in ks]
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = fixed_margin_axes((7.6, 4.2), left=0.1, right=0.97, bottom=0.15, top=0.8)
    x = np.arange(len(ks))
    for offset, values, colour, hatch, label in (
            (-0.2, null, COLORS[5], "//", "no small-study effect (false alarms)"),
            (0.2, rates, COLORS[2], "..", f"small-study effect {bias:g} × SE (detections)")):
        bars = ax.bar(x + offset, [100 * v for v in values], width=0.38, color=colour,
                      edgecolor="black", hatch=hatch, label=label)
        ax.bar_label(bars, labels=[f"{100 * v:.0f}%" for v in values], padding=2)
    ax.set_xticks(x)
    ax.set_xticklabels([str(k) for k in ks])
    ax.set_ylim(0, 105)
    ax.set_xlabel("studies in the meta-analysis (toy simulation)")
    ax.set_ylabel(f"P < {EGGER_LEVEL:.2f} (%)")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=1)
    return ax.figure


def plot_msc_funnel(*, ax=None):
    """Funnel plot of the pooled single-arm MSC studies (logit response), with Egger's P.

    The P value is not interpretable here: the standard error of a log odds depends on the
    proportion itself, so effect and precision are linked even without any bias (Hunter et
    al. 2014); studies with 0% or 100% response enter only through a continuity correction;
    and there are far fewer than the ten or so studies a test needs (Sterne et al. 2011).

    Returns
    -------
    matplotlib.figure.Figure
        Egger's test on the same studies is :func:`msc_funnel_egger`.
    """
    from helpers.trial_evidence import single_arm_pool

    ax = validate.axes("ax", ax)
    rows, res, _ = single_arm_pool()
    return plots.plot_funnel(list(rows["logit"]), list(rows["var"]), res,
                             labels=list(rows["label"]),
                             xlabel="log odds of response (0 = 50%)", ax=ax)


def msc_funnel_egger() -> dict:
    """Egger's test on the studies of :func:`plot_msc_funnel` (not interpretable; see there).

    Returns
    -------
    dict
        ``intercept``, ``se``, ``p``, ``k`` plus ``corrected``: ``(label, events, n)`` of the
        studies with 0 or all responders, whose log odds needed a continuity correction.
    """
    from helpers.trial_evidence import single_arm_pool

    rows, _, _ = single_arm_pool()
    egger = sensitivity.egger_test(list(rows["logit"]), list(rows["var"]))
    edge = rows[(rows["events"] == 0) | (rows["events"] == rows["n"])]
    egger["corrected"] = [(r["label"], int(r["events"]), int(r["n"]))
                          for _, r in edge.iterrows()]
    return egger


# --- risk of bias -----------------------------------------------------------------------

#: Allowed judgements by row kind: RoB 2 terms for bias, GRADE terms for imprecision.
JUDGEMENTS = {"risk of bias": ("low", "some concerns", "high"),
              "imprecision": ("not serious", "serious", "very serious", "not applicable")}
_ROB = Field(dict, schema={"judgement": Field(str), "basis": Field(str), "reason": Field(str)})
_ROB_STUDIES = ("wang2014", "deng2017")


def risk_of_bias(*, wide: bool = False):
    """The risk-of-bias walk-through, in the order of ``data/risk_of_bias.yaml``.

    Rows of kind ``"risk of bias"`` use RoB 2 judgements (low / some concerns / high); the
    row of kind ``"imprecision"`` is *not* a risk-of-bias domain but the GRADE question of
    random error (not serious / serious / very serious / not applicable). The ``basis``
    fields must name fields that exist in the study rows (checked).

    Parameters
    ----------
    wide : bool, default False
        False: one row per question and study (``kind``, ``domain``, ``study``,
        ``judgement``, ``basis``, ``reason``). True: one row per question (``question``
        and one judgement column per study), questions in file order (not sorted).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    helpers.core.data.DataError, ValueError
        If the file is malformed, a judgement does not fit its row kind or a basis field
        is absent from the study data.
    """
    validate.flag("wide", wide)
    import pandas as pd

    provenance(RISK_OF_BIAS_FILE)
    schema = {"id": Field(str), "kind": Field(str, choices=tuple(JUDGEMENTS)),
              "domain": Field(str), "wang2014": _ROB, "deng2017": _ROB}
    rows = load_records(RISK_OF_BIAS_FILE, "domains", schema, strict=True)
    out = []
    for row in rows:
        for sid in _ROB_STUDIES:
            item = row[sid]
            if item["judgement"] not in JUDGEMENTS[row["kind"]]:
                raise ValueError(f"{RISK_OF_BIAS_FILE}: judgement for {sid} in {row['id']!r} "
                                 f"must be one of {JUDGEMENTS[row['kind']]}; "
                                 f"got {item['judgement']!r}")
            record = studies.study(sid)
            for name in item["basis"].split(", "):
                studies.field_value(record, name)  # raises if the basis field is absent
            out.append({"kind": row["kind"], "domain": row["domain"],
                        "study": studies.study_label(sid), "judgement": item["judgement"],
                        "basis": item["basis"], "reason": item["reason"]})
    long = pd.DataFrame(out)
    if not wide:
        return long
    table = long.pivot(index="domain", columns="study", values="judgement")
    labels = [studies.study_label(sid) for sid in _ROB_STUDIES]
    table = table.loc[list(dict.fromkeys(long["domain"])), labels]  # file order, not sorted
    return table.reset_index().rename(columns={"domain": "question"}).rename_axis(
        columns=None)
