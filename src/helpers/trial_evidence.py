"""Analyses and figures behind notebook 05 (what the MSC trials in lupus show).

Everything here reads the verified rows of the packaged study data (:mod:`helpers.studies`)
and pools them with :mod:`helpers.meta`; no result is typed in.

Examples
--------
>>> table, res, back = single_arm_pool()
>>> res.k
5

References
----------
Notebook 05_trial_evidence. Sources: the rows of ``helpers/data/msc_sle_studies.yaml`` and
``msc_sle_meta_analyses.yaml`` (each with DOI/PMID and locator).
"""
from __future__ import annotations

import math
import re
from typing import Sequence

from . import meta, studies
from .params import Choice, Flag, Range, ranged

__all__ = ["NANJING_CHOICES", "INDEPENDENT_UNCONTROLLED", "DEFAULT_KEEP",
           "uncontrolled_ids", "single_arm_pool", "plot_single_arm_forest",
           "plot_pooled_response", "plot_timeline", "rct_results", "sledai_results",
           "proteinuria_results", "comparison_table", "leave_one_out_response",
           "response_by_design"]

OUTCOME = "any clinical response"


def _response_rows():
    table = studies.response_table(OUTCOME)
    return table[table["design"] != "RCT"].reset_index(drop=True)


def uncontrolled_ids() -> list[str]:
    """Ids of the verified uncontrolled studies with a responder count, in data order."""
    return list(_response_rows()["id"])


#: Independent (non-overlapping) uncontrolled studies with responder counts.
INDEPENDENT_UNCONTROLLED = tuple(r for r in uncontrolled_ids()
                                 if studies.overlap_group_of(r) is None)
#: The report kept from the Nanjing overlap group unless told otherwise.
DEFAULT_KEEP = studies.overlap_groups()["nanjing_drum_tower"]["default_keep"]
#: Which Nanjing report the widget may keep ("none" = leave the group out).
NANJING_CHOICES = tuple([DEFAULT_KEEP] + [r for r in uncontrolled_ids()
                                          if studies.overlap_group_of(r) and r != DEFAULT_KEEP]
                        + ["none"])


def single_arm_pool(include: Sequence[str] | None = None, keep: str | None = DEFAULT_KEEP,
                    method: str = "DL"):
    """Pool the response proportions of uncontrolled studies, applying the overlap rule.

    Parameters
    ----------
    include : sequence of str, optional
        Study ids to consider (default: every verified uncontrolled study with a responder
        count, including all the overlapping Nanjing reports).
    keep : str or None, default the overlap group's ``default_keep`` (wang2014)
        Which Nanjing report to keep if several are included; ``None`` means the overlap
        rule must find at most one (else ``ValueError``).
    method : {"DL", "PM", "FE"}
        Pooling method.

    Returns
    -------
    (DataFrame, MetaResult, dict)
        The rows actually pooled (with ``logit`` and ``var`` columns), the logit-scale
        result and the back-transformed proportion, CI and prediction interval.

    Raises
    ------
    ValueError
        Unknown ids, overlapping reports without a valid ``keep``, or no study left.
    """
    table = _response_rows()
    valid = list(table["id"])
    ids = valid if include is None else list(include)
    unknown = [i for i in ids if i not in valid]
    if unknown:
        raise ValueError(f"include must list ids among {valid}; got {unknown}")
    if not ids:
        raise ValueError("include must name at least one study")
    sub = table[table["id"].isin(ids)].reset_index(drop=True)
    keep_list = [keep] if keep is not None and keep in list(sub["id"]) else []
    mask = meta.apply_overlap_rule(list(sub["id"]), list(sub["group"]), keep_list)
    sub = sub[mask].reset_index(drop=True)
    pairs = [meta.logit_proportion(e, n) for e, n in zip(sub["events"], sub["n"])]
    sub["logit"] = [p[0] for p in pairs]
    sub["var"] = [p[1] for p in pairs]
    res, back = meta.pool_proportions(list(sub["events"]), list(sub["n"]), method)
    return sub, res, back


def plot_single_arm_forest(include: Sequence[str] | None = None,
                           keep: str | None = DEFAULT_KEEP, method: str = "DL", *, ax=None):
    """Forest plot of response proportions in uncontrolled studies (exact study CIs).

    Returns
    -------
    matplotlib.figure.Figure
    """
    sub, res, _ = single_arm_pool(include, keep, method)
    display = [meta.proportion_ci(e, n) for e, n in zip(sub["events"], sub["n"])]
    return meta.plot_forest(list(sub["label"]), list(sub["logit"]), list(sub["var"]), res,
                            n=list(sub["n"]), transform=meta.expit, display=display,
                            xlabel="proportion of patients responding", ax=ax)


_FLAGS = {f"include_{sid}": Flag(default=True, label=f"include {studies.study_label(sid)}")
          for sid in INDEPENDENT_UNCONTROLLED}


def _pooled_response_plot(method="DL", nanjing_report=DEFAULT_KEEP, ax=None, **flags):
    import matplotlib.pyplot as plt

    ids = [sid for sid in INDEPENDENT_UNCONTROLLED if flags.get(f"include_{sid}", True)]
    if nanjing_report != "none":
        ids.append(nanjing_report)
    if not ids:
        if ax is None:
            _, ax = plt.subplots(figsize=(9.0, 2.5))
        ax.text(0.5, 0.5, "No study selected: tick at least one study to pool.",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax.figure
    ids = [sid for sid in uncontrolled_ids() if sid in ids]  # data order
    return plot_single_arm_forest(ids, keep=None if nanjing_report == "none" else nanjing_report,
                                  method=method, ax=ax)


def _make_widget_function():
    import inspect

    params = [inspect.Parameter("method", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="DL"),
              inspect.Parameter("nanjing_report", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                default=DEFAULT_KEEP)]
    params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=True)
               for name in _FLAGS]
    params.append(inspect.Parameter("ax", inspect.Parameter.KEYWORD_ONLY, default=None))

    def plot_pooled_response(*args, **kwargs):
        bound = plot_pooled_response.__signature__.bind(*args, **kwargs)
        bound.apply_defaults()
        return _pooled_response_plot(**bound.arguments)

    plot_pooled_response.__signature__ = inspect.Signature(params)
    plot_pooled_response.__doc__ = """Forest plot of pooled response with chosen studies and method (widget).

    Parameters
    ----------
    method : {"DL", "PM", "FE"}
        DerSimonian-Laird, Paule-Mandel or fixed effect.
    nanjing_report : str
        Which single report of the overlapping Nanjing programme to keep, or "none".
    include_<id> : bool
        Include each independent uncontrolled study.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    return ranged(method=Choice(meta.METHODS, default="DL", label="pooling method"),
                  nanjing_report=Choice(NANJING_CHOICES, default=DEFAULT_KEEP,
                                        label="Nanjing report to keep"),
                  **_FLAGS)(plot_pooled_response)


plot_pooled_response = _make_widget_function()


def leave_one_out_response(method: str = "DL"):
    """Leave-one-out table for the default pooled response (proportions, not logits)."""
    sub, _, _ = single_arm_pool(method=method)
    table = meta.leave_one_out(list(sub["logit"]), list(sub["var"]), list(sub["label"]),
                               method, transform=meta.expit)
    return table


# --- overview timeline ------------------------------------------------------------------

_DESIGN_ORDER = ("RCT", "single-arm", "case-series", "follow-up", "retrospective")


def plot_timeline(*, ax=None):
    """Timeline of the studies: year vs study, marker area ~ patients, style by design.

    Unverified rows are drawn hollow and marked "(unverified)"; studies of the Nanjing
    overlap group are labelled with a dagger.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MultipleLocator

    from .style import COLORS, MARKERS

    table = studies.overview_table()
    if ax is None:  # fixed margins: long study labels on the left, legend on the right
        height = 0.36 * len(table) + 1.4
        fig, ax = plt.subplots(figsize=(8.5, height), layout="none")
        fig.subplots_adjust(left=0.36, right=0.78, bottom=0.8 / height, top=1 - 0.2 / height)
    ys = list(range(len(table), 0, -1))
    labels = []
    for y, (_, row) in zip(ys, table.iterrows()):
        d = _DESIGN_ORDER.index(row["design"])
        n = row["n"] if isinstance(row["n"], int) else 10
        verified = row["verified"] == "yes"
        ax.scatter([row["year"]], [y], s=20 + 4 * n, marker=MARKERS[d],
                   facecolors=COLORS[d] if verified else "none", edgecolors=COLORS[d],
                   linewidths=1.5, zorder=3)
        label = row["study"] + (" †" if row["overlap_group"] != "independent" else "")
        label += f" (n={row['n']})" if isinstance(row["n"], int) else " (n not read)"
        labels.append(label + ("" if verified else " (unverified)"))
    for d, design in enumerate(_DESIGN_ORDER):
        ax.scatter([], [], marker=MARKERS[d], s=60, facecolors=COLORS[d], edgecolors=COLORS[d],
                   label=design)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels)
    ax.xaxis.set_major_locator(MultipleLocator(5))  # whole years, no crowded labels
    ax.set_xlabel("publication year (marker area grows with patients)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              title="design")
    return ax.figure


# --- RCT and continuous outcomes --------------------------------------------------------

def _ci(est: float, var: float, z: float = 1.959963984540054) -> tuple[float, float]:
    half = z * math.sqrt(var)
    return est - half, est + half


def rct_results():
    """Effect estimates of the randomised trial(s), each with a 95% CI (DataFrame).

    Renal remission: risk difference and risk ratio (MSC vs placebo); SLEDAI and
    proteinuria: difference in mean change from baseline (MSC - placebo).
    """
    import pandas as pd

    rows = []
    for sid in [r["id"] for r in studies.verified_studies(design="RCT")]:
        label = studies.study_label(sid)
        msc = studies.response_table("renal remission (RCT, MSC arm)").set_index("id").loc[sid]
        pla = studies.response_table("renal remission (RCT, placebo arm)").set_index("id").loc[sid]
        e1, n1, e2, n2 = int(msc["events"]), int(msc["n"]), int(pla["events"]), int(pla["n"])
        rd, v = meta.risk_difference_variance(e1, n1, e2, n2)
        rows.append({"study": label, "outcome": "renal remission", "measure": "risk difference",
                     "msc": f"{e1}/{n1}", "control": f"{e2}/{n2}", "estimate": rd,
                     "ci_low": _ci(rd, v)[0], "ci_high": _ci(rd, v)[1]})
        lrr, v = meta.log_risk_ratio(e1, n1, e2, n2)
        lo, hi = _ci(lrr, v)
        rows.append({"study": label, "outcome": "renal remission", "measure": "risk ratio",
                     "msc": f"{e1}/{n1}", "control": f"{e2}/{n2}", "estimate": math.exp(lrr),
                     "ci_low": math.exp(lo), "ci_high": math.exp(hi)})
    for item in sledai_results()["two-arm"]:
        rows.append(item)
    for item in proteinuria_results()["two-arm"]:
        rows.append(item)
    return pd.DataFrame(rows)


def sledai_results(r: float = 0.5) -> dict:
    """SLEDAI results by kind: ``pre-post`` (single-arm, MD and SMD for correlation ``r``),
    ``two-arm`` (RCT difference in mean change) and ``medians`` (shown, not pooled)."""
    out: dict = {"pre-post": [], "two-arm": [], "medians": []}
    for item in studies.sledai_changes():
        if item["kind"] == "pre-post":
            md, v = meta.prepost_mean_difference(item["baseline_mean"], item["baseline_sd"],
                                                 item["followup_mean"], item["followup_sd"],
                                                 item["n"], r=r)
            g, vg = meta.prepost_smd(item["baseline_mean"], item["baseline_sd"],
                                     item["followup_mean"], item["followup_sd"], item["n"], r=r)
            out["pre-post"].append({
                "study": item["label"], "n": item["n"], "months": item["timepoint_months"],
                "baseline": item["baseline_mean"], "followup": item["followup_mean"],
                "mean_change": md, "ci_low": _ci(md, v)[0], "ci_high": _ci(md, v)[1],
                "smd": g, "smd_ci_low": _ci(g, vg)[0], "smd_ci_high": _ci(g, vg)[1], "r": r})
        elif item["kind"] == "two-arm change":
            md, v = meta.mean_difference(item["mean_msc"], item["sd_msc"], item["n_msc"],
                                         item["mean_control"], item["sd_control"],
                                         item["n_control"])
            out["two-arm"].append({
                "study": item["label"], "outcome": f"SLEDAI change at {item['timepoint_months']} mo",
                "measure": "difference in mean change (points)",
                "msc": f"{item['mean_msc']:g} (SD {item['sd_msc']:g}), n={item['n_msc']}",
                "control": f"{item['mean_control']:g} (SD {item['sd_control']:g}), "
                           f"n={item['n_control']}",
                "estimate": md, "ci_low": _ci(md, v)[0], "ci_high": _ci(md, v)[1]})
        else:
            out["medians"].append({"study": item["label"], "n": item["n"],
                                   "months": item["timepoint_months"],
                                   "baseline_median": item["baseline_median"],
                                   "followup_median": item["followup_median"]})
    return out


_CHANGE = re.compile(r"mean change\s*(-?\d+(?:\.\d+)?)\s*\(SD\s*(\d+(?:\.\d+)?)\)")


def proteinuria_results(r: float = 0.5) -> dict:
    """Proteinuria results parsed from the verified text fields.

    ``pre-post``: single-arm paired means (mg/24 h) with the change for correlation ``r``;
    ``two-arm``: RCT difference in mean change (g/24 h).
    """
    out: dict = {"pre-post": [], "two-arm": []}
    for row in studies.verified_studies():
        pf = row["proteinuria_followup"]
        if isinstance(pf, dict) and "msc" in pf:
            m1 = _CHANGE.search(pf["msc"])
            m2 = _CHANGE.search(pf["placebo"])
            if m1 and m2:
                n1, n2 = row["msc_arm_n"], row["control_arm"]["n"]
                md, v = meta.mean_difference(float(m1.group(1)), float(m1.group(2)), n1,
                                             float(m2.group(1)), float(m2.group(2)), n2)
                out["two-arm"].append({
                    "study": studies.study_label(row["id"]),
                    "outcome": f"proteinuria change at {pf['timepoint_months']} mo",
                    "measure": "difference in mean change (g/24 h)",
                    "msc": f"{m1.group(1)} (SD {m1.group(2)}), n={n1}",
                    "control": f"{m2.group(1)} (SD {m2.group(2)}), n={n2}",
                    "estimate": md, "ci_low": _ci(md, v)[0], "ci_high": _ci(md, v)[1]})
        elif isinstance(pf, str) and isinstance(row["proteinuria_baseline"], str):
            try:
                b_mean, b_sd = studies.parse_mean_sd(row["proteinuria_baseline"])
                f_mean, f_sd = studies.parse_mean_sd(pf)
            except ValueError:
                continue
            n = row.get("sledai_n") or row["n_analyzed"]
            md, v = meta.prepost_mean_difference(b_mean, b_sd, f_mean, f_sd, n, r=r)
            out["pre-post"].append({
                "study": studies.study_label(row["id"]), "n": n,
                "months": row["sledai_followup_timepoint_months"], "baseline": b_mean,
                "followup": f_mean, "mean_change": md, "ci_low": _ci(md, v)[0],
                "ci_high": _ci(md, v)[1], "unit": "mg/24 h", "r": r})
    return out


def _fmt(est: float, lo: float, hi: float, pct: bool = False) -> str:
    if pct:
        return f"{100 * est:.0f}% [{100 * lo:.0f}%, {100 * hi:.0f}%]"
    return f"{est:.2f} [{lo:.2f}, {hi:.2f}]"


def comparison_table(method: str = "DL"):
    """Our estimates beside the published meta-analyses' figures (DataFrame of text).

    Columns: ``outcome``, ``source``, ``design``, ``studies``, ``estimate [95% CI]``.
    Low-credibility reviews are left out; see :func:`helpers.studies.published_pooled`.
    """
    import pandas as pd

    rows = []
    sub, res, back = single_arm_pool(method=method)
    rows.append({"outcome": "any clinical response (proportion)", "source": "this notebook",
                 "design": "uncontrolled", "studies": res.k,
                 "estimate [95% CI]": _fmt(back["proportion"], back["ci_low"],
                                           back["ci_high"], pct=True)})
    rct = rct_results()
    for _, row in rct.iterrows():
        if row["measure"] == "risk ratio":
            continue
        rows.append({"outcome": f"{row['outcome']} ({row['measure']})",
                     "source": f"this notebook ({row['study']})", "design": "RCT",
                     "studies": 1,
                     "estimate [95% CI]": _fmt(row["estimate"], row["ci_low"], row["ci_high"])})
    pub = studies.published_pooled()
    wanted = pub[(pub["outcome"].isin(["SLEDAI", "proteinuria", "urine_protein"]))
                 & (pub["timepoint_months"].isna() | (pub["timepoint_months"] == 6))]
    for _, row in wanted.iterrows():
        when = "" if row["timepoint_months"] != row["timepoint_months"] else \
            f" at {int(row['timepoint_months'])} mo"
        rows.append({"outcome": f"{row['outcome']}{when} ({row['effect']})",
                     "source": row["review"], "design": "RCTs",
                     "studies": "not stated" if row["n_studies"] != row["n_studies"]
                     else int(row["n_studies"]),
                     "estimate [95% CI]": _fmt(row["estimate"], row["ci_low"], row["ci_high"])})
    return pd.DataFrame(rows)


def response_by_design(method: str = "DL"):
    """Pooled response proportion by design: single-arm, case series, and the RCT arms.

    Uses the default overlap choice; the RCT's MSC and placebo arms are shown as their
    own rows (one study each). Returns ``(DataFrame, q_between, p_between)`` where the
    between-subgroup test compares the uncontrolled designs with the RCT's MSC arm.

    Columns: ``subgroup``, ``k``, ``patients``, ``proportion``, ``ci_low``, ``ci_high``.
    """
    import pandas as pd

    rows, _, _ = single_arm_pool(method=method)
    arms = []
    for outcome, name in (("renal remission (RCT, MSC arm)", "RCT: MSC arm"),
                          ("renal remission (RCT, placebo arm)", "RCT: placebo arm")):
        arm = studies.response_table(outcome)
        for _, r in arm.iterrows():
            y, v = meta.logit_proportion(int(r["events"]), int(r["n"]))
            arms.append({"subgroup": name, "events": int(r["events"]), "n": int(r["n"]),
                         "logit": y, "var": v})
    effects = list(rows["logit"]) + [a["logit"] for a in arms if a["subgroup"] == "RCT: MSC arm"]
    variances = list(rows["var"]) + [a["var"] for a in arms if a["subgroup"] == "RCT: MSC arm"]
    labels = list(rows["design"]) + ["RCT: MSC arm"] * sum(
        a["subgroup"] == "RCT: MSC arm" for a in arms)
    results, q_between, p_between = meta.subgroup_analysis(effects, variances, labels, method)
    out = []
    counts = {d: int(rows.loc[rows["design"] == d, "n"].sum()) for d in set(rows["design"])}
    for name, res in results.items():
        patients = counts.get(name, sum(a["n"] for a in arms if a["subgroup"] == name))
        if name == "RCT: MSC arm" and res.k == 1:  # one arm: its exact interval
            arm = [a for a in arms if a["subgroup"] == name][0]
            p, lo, hi = meta.proportion_ci(arm["events"], arm["n"])
        else:
            p, lo, hi = (meta.expit(res.estimate), meta.expit(res.ci_low),
                         meta.expit(res.ci_high))
        out.append({"subgroup": name, "k": res.k, "patients": patients, "proportion": p,
                    "ci_low": lo, "ci_high": hi})
    for a in arms:
        if a["subgroup"] == "RCT: placebo arm":
            p, lo, hi = meta.proportion_ci(a["events"], a["n"])
            out.append({"subgroup": a["subgroup"], "k": 1, "patients": a["n"],
                        "proportion": p, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(out), q_between, p_between
