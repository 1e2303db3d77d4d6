"""Safety of MSC therapy: pooled trial evidence, what the lupus studies report, risk grades.

Numbers come from packaged data only: the SafeCell-family meta-analyses in
``background_facts.yaml`` (facts ``msc_safety_*``), the study rows of
``msc_sle_studies.yaml`` (``deaths``, ``serious_adverse_events``, ``infusion_reactions``) and
the curated judgements of ``msc_open_challenges.yaml`` (risk grades, death attribution).

Examples
--------
>>> rows = safety_table()
>>> int(rows.loc[rows["id"] == "wang2013", "deaths"].iloc[0])
5
>>> pooled_risks()[0]["outcome"]
'fever'

References
----------
Notebook 07_open_challenges. Lalu et al. 2012 (doi:10.1371/journal.pone.0047559); Thompson
et al. 2020 (doi:10.1016/j.eclinm.2019.100249); Wang et al. 2021
(doi:10.1186/s13287-021-02609-x); the lupus study reports named in each data row.
"""
from __future__ import annotations

import functools

from helpers.core.data import Field, fact, fact_number, load_records
from helpers.core.style import COLORS, MARKERS
from helpers.core import validate

__all__ = ["CHALLENGES_FILE", "REPORT_STATUS", "SAFETY_SOURCES", "STRENGTHS", "risk_grades",
           "death_attribution", "red_flags", "report_status", "msc_arm_size",
           "safety_table", "pooled_risks", "plot_adverse_events", "plot_pooled_risks"]

CHALLENGES_FILE = "msc_open_challenges.yaml"
#: How a study reported a category of harm. "not in the abstract read" is used instead of
#: "not reported" when only an abstract was read (the full text may report it).
REPORT_STATUS = ("events reported", "none reported", "not in the abstract read", "not reported")
#: Which text of a report the harm fields rest on (``safety_source`` of a study row).
SAFETY_SOURCES = ("full text", "abstract")
#: Strength of evidence, strongest first (shared with helpers.audit).
STRENGTHS = ("strong", "moderate", "weak", "very weak")

_RISK_SCHEMA = {
    "id": Field(str, pattern=r"[a-z_]+"), "risk": Field(str), "named_by_seed": Field(bool),
    "grade": Field(str), "strength": Field(str, choices=STRENGTHS), "evidence": Field(str),
    "references": Field(list),
}
_DEATH_SCHEMA = {"study": Field(str), "attribution": Field(str)}
_FLAG_SCHEMA = {"flag": Field(str), "why": Field(str), "references": Field(list)}

# phrases that mean "looked for and found nothing" in the free-text harm fields
_NONE_PHRASES = ("none", "no ", "minimal")


@functools.lru_cache(maxsize=None)
def _load(key: str) -> tuple:
    schema = {"risks": _RISK_SCHEMA, "death_attribution": _DEATH_SCHEMA,
              "red_flags": _FLAG_SCHEMA}[key]
    unique = {"risks": "id", "death_attribution": "study", "red_flags": "flag"}[key]
    return tuple(load_records(CHALLENGES_FILE, key, schema, unique=unique, strict=True))


def risk_grades():
    """Return the graded safety risks as a DataFrame (risk, named by seed, grade, strength...).

    Columns: ``id``, ``risk``, ``named_by_seed``, ``grade``, ``strength``, ``evidence``,
    ``references`` (list of reference keys).
    """
    import pandas as pd

    return pd.DataFrame([dict(r) for r in _load("risks")])


def death_attribution() -> dict[str, str]:
    """Return ``{study_id: how the report attributed its deaths}``."""
    return {r["study"]: r["attribution"] for r in _load("death_attribution")}


def red_flags():
    """Return the patient red flags as a DataFrame (``flag``, ``why``, ``references``)."""
    import pandas as pd

    return pd.DataFrame([dict(r) for r in _load("red_flags")])


def report_status(text, source: str = "full text") -> str:
    """Classify a free-text harm field as one of :data:`REPORT_STATUS`.

    ``None`` means the field was not reported, or, when ``source`` is ``"abstract"``, not in
    the abstract read (the full text may report it); text saying none/no events means
    "none reported"; any other text describes events.

    Parameters
    ----------
    text : str or None
        The harm field of a study row.
    source : {"full text", "abstract"}, default "full text"
        Which text of the report was read (``safety_source`` of the row).

    Examples
    --------
    >>> report_status(None), report_status(None, "abstract")
    ('not reported', 'not in the abstract read')
    >>> report_status("no major adverse events")
    'none reported'
    >>> report_status("3 infusion-related AEs (2 grade 1, 1 grade 2) in 2 patients")
    'events reported'
    """
    validate.choice("source", source, SAFETY_SOURCES)
    if text is None:
        return "not in the abstract read" if source == "abstract" else "not reported"
    if not isinstance(text, str):
        raise ValueError(f"text must be a string or None; got {type(text).__name__}")
    low = text.strip().lower()
    if low.startswith(_NONE_PHRASES) or "described as minimal" in low:
        return "none reported"
    return "events reported"


def msc_arm_size(row: dict) -> int | None:
    """Number of patients who were given MSCs in one study row.

    For a controlled study (a row with a ``control_arm``) this is the MSC arm only:
    ``msc_arm_n`` when the row gives it, else ``n_enrolled`` minus the control arm. For a
    single-arm study it is ``n_enrolled``. Returns None when the row gives no size.

    Parameters
    ----------
    row : dict
        A study row of ``msc_sle_studies.yaml`` (as returned by ``helpers.studies.study``).

    Raises
    ------
    ValueError
        If ``row`` is not a dict with ``n_enrolled``, or the arm sizes do not fit together
        (an MSC arm larger than the study, or none left after the control arm).

    Examples
    --------
    >>> msc_arm_size({"id": "x2020", "n_enrolled": 18, "control_arm": {"n": 6},
    ...               "msc_arm_n": 12})
    12
    >>> msc_arm_size({"id": "y2020", "n_enrolled": 18, "control_arm": {"n": 6}})
    12
    >>> msc_arm_size({"id": "z2020", "n_enrolled": 40, "control_arm": None})
    40
    """
    if not isinstance(row, dict) or "n_enrolled" not in row:
        raise ValueError("row must be a study row (a dict with n_enrolled), as returned by "
                         "helpers.studies.study")
    enrolled = row["n_enrolled"]
    control = (row.get("control_arm") or {}).get("n")
    arm = row.get("msc_arm_n")
    if control is None:
        return arm if arm is not None else enrolled
    if arm is None:
        if enrolled is None:
            return None
        arm = enrolled - control
    if arm < 1 or (enrolled is not None and arm + control > enrolled):
        raise ValueError(f"row {row.get('id')!r} must have 1 <= msc_arm_n and msc_arm_n + "
                         f"control_arm.n <= n_enrolled; got {arm} + {control} of {enrolled}")
    return arm


def safety_table(*, verified_only: bool = True):
    """One row per lupus study: patients given MSCs, deaths and how harms were reported.

    Rows superseded by a later full report of the same cohort (``superseded_by``) are left
    out. Deaths are serious adverse events: a report with deaths never counts as "none
    reported" for serious adverse events, whatever its wording about related events.

    Parameters
    ----------
    verified_only : bool, default True
        Keep only rows whose numbers were read in the source.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``label``, ``design``, ``safety_source`` ("full text" or "abstract":
        the text the harm fields rest on; rows without the field were read in an abstract),
        ``n_treated`` (patients given MSCs: the MSC
        arm of a controlled trial, see :func:`msc_arm_size`), ``n_control`` (control arm, NA
        for single-arm reports), ``n_enrolled`` (all patients in the report), ``deaths`` (int
        or NA when not reported; all arms of a trial), ``deaths_per_100`` (deaths per 100
        patients in the report), ``death_attribution``, ``sae_status``, ``infusion_status``
        (one of :data:`REPORT_STATUS`), ``sae_text``, ``infusion_text``, ``overlap_group``.
        Sorted by year.
    """
    import pandas as pd

    from helpers.studies import overlap_group_of, studies, study_label

    attribution = death_attribution()
    rows = []
    for row in studies(verified_only=verified_only, by_year=True):
        if row.get("superseded_by"):
            continue
        n = row["n_enrolled"]
        deaths = (row.get("deaths") or {}).get("n")
        source = row.get("safety_source", "abstract")
        sae = report_status(row["serious_adverse_events"], source)
        if deaths:
            sae = "events reported"
        rows.append({
            "id": row["id"], "label": study_label(row["id"]), "design": row["design"],
            "safety_source": source,
            "n_treated": msc_arm_size(row),
            "n_control": (row.get("control_arm") or {}).get("n"), "n_enrolled": n,
            "deaths": deaths,
            "deaths_per_100": (100 * deaths / n) if (deaths is not None and n) else None,
            "death_attribution": attribution.get(row["id"], "deaths not reported"
                                                 if deaths is None else "not stated"),
            "sae_status": sae,
            "infusion_status": report_status(row["infusion_reactions"], source),
            "sae_text": row["serious_adverse_events"] or "",
            "infusion_text": row["infusion_reactions"] or "",
            "overlap_group": overlap_group_of(row["id"]) or "independent"})
    table = pd.DataFrame(rows)
    for column in ("n_treated", "n_control", "n_enrolled", "deaths"):
        table[column] = table[column].astype("Int64")
    table["deaths_per_100"] = table["deaths_per_100"].astype("Float64")
    return table


def _ci(text: str) -> tuple[float, float]:
    low, high = (float(x) for x in text.split("-"))
    return low, high


def pooled_risks() -> list[dict]:
    """Pooled relative risks from the Thompson 2020 meta-analysis of MSC RCTs.

    Returns
    -------
    list of dict
        One per outcome: ``outcome``, ``rr`` (relative risk, MSC vs control), ``ci_low``,
        ``ci_high`` (None when the interval was not read in the source).
    """
    fid = "msc_safety_thompson2020"
    numbers = fact(fid)["numbers"]
    out = []
    for outcome, key in (("fever", "fever"), ("infusional toxicity", "infusional_toxicity"),
                         ("infection", "infection"), ("thrombo-embolism", "thrombotic_embolic"),
                         ("malignancy", "malignancy"), ("death", "death")):
        rr = fact_number(fid, f"{key}_rr")
        ci = numbers.get(f"{key}_ci")
        low, high = _ci(ci) if ci else (None, None)
        out.append({"outcome": outcome, "rr": rr, "ci_low": low, "ci_high": high})
    return out


def _require_columns(name: str, table, columns) -> None:
    missing = [c for c in columns if c not in getattr(table, "columns", [])]
    if missing or len(table) == 0:
        raise ValueError(f"{name} must be a non-empty DataFrame with columns {list(columns)}; "
                         f"missing {missing}")


def plot_adverse_events(table=None, *, ax=None):
    """Two-panel chart: deaths per study, and how each study reported harms.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`safety_table` (computed if omitted).
    ax : sequence of two matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Left: deaths as bars (hatched "n/r" where deaths were not reported); right: a grid of
        report status for serious adverse events and infusion reactions.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    table = safety_table() if table is None else table
    _require_columns("table", table, ("id", "label", "n_treated", "deaths", "sae_status",
                                      "infusion_status"))
    ax = validate.axes("ax", ax, count=2)
    if ax is None:
        fig, ax = plt.subplots(1, 2, figsize=(9.0, 0.42 * len(table) + 1.6),
                               gridspec_kw={"width_ratios": [1.5, 1]}, sharey=True)
    left, right = ax
    y = np.arange(len(table))[::-1]
    from helpers.studies import count_label

    # a controlled study's n says which arm it counts, on a second line (it is long)
    labels = [f"{lab} ({count})" if count == f"n={n}" else f"{lab}\n({count})"
              for lab, count, n in ((lab, count_label(sid, n), n) for lab, sid, n
                                    in zip(table["label"], table["id"], table["n_treated"]))]
    deaths = [int(d) for d in table["deaths"].fillna(0)]
    reported = table["deaths"].notna().tolist()
    for yi, d, rep in zip(y, deaths, reported):
        if rep:
            left.barh(yi, d, color=COLORS[3], edgecolor="black")
            left.text(d + 0.2, yi, str(d), va="center")
        else:
            left.text(0.2, yi, "not reported", va="center", style="italic")
    left.set_xlim(0, max(deaths + [1]) * 1.12)  # room for the count labels
    left.xaxis.set_major_locator(MaxNLocator(integer=True))  # deaths are whole patients
    left.set_yticks(y, labels)
    left.set_xlabel("deaths reported (patients)")
    markers = {"events reported": MARKERS[3], "none reported": MARKERS[0],
               "not in the abstract read": MARKERS[1], "not reported": "x"}
    colors = {"events reported": COLORS[3], "none reported": COLORS[2],
              "not in the abstract read": COLORS[4], "not reported": COLORS[6]}
    for x, column in enumerate(("sae_status", "infusion_status")):
        for yi, status in zip(y, table[column]):
            right.scatter(x, yi, marker=markers[status], s=70, color=colors[status],
                          label=status)
    handles, names = right.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    right.legend([unique[k] for k in REPORT_STATUS if k in unique],
                 [k for k in REPORT_STATUS if k in unique], frameon=False,
                 loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1)
    right.set_xticks([0, 1], ["serious\nadverse\nevents", "infusion\nreactions"])
    right.set_xlim(-0.6, 1.6)
    return left.figure


def plot_pooled_risks(risks=None, *, ax=None):
    """Dot chart of pooled relative risks (log scale) with 95% CIs where they were read.

    Parameters
    ----------
    risks : list of dict, optional
        Output of :func:`pooled_risks` (computed if omitted).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    risks = pooled_risks() if risks is None else risks
    validate.records("risks", risks, ("outcome", "rr", "ci_low", "ci_high"))
    if not risks or not all(isinstance(r, dict) and {"outcome", "rr", "ci_low", "ci_high"}
                            <= set(r) for r in risks):
        raise ValueError("risks must be a non-empty list of dicts with outcome, rr, ci_low "
                         "and ci_high (as returned by pooled_risks)")
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.4))
    y = list(range(len(risks)))[::-1]
    for yi, r in zip(y, risks):
        has_ci = r["ci_low"] is not None
        if has_ci:
            ax.plot([r["ci_low"], r["ci_high"]], [yi, yi], color=COLORS[0], lw=2, ls="-")
        ax.plot(r["rr"], yi, marker=MARKERS[0] if has_ci else MARKERS[1], ls="none",
                color=COLORS[0] if has_ci else COLORS[1], ms=8,
                label="95% CI read" if has_ci else "CI not read (point only)")
    ax.axvline(1, color="black", ls="--", lw=1)
    ax.set_xscale("log")
    from matplotlib.ticker import NullFormatter

    ax.set_xlim(0.4, 6)
    ax.set_xticks([0.5, 1, 2, 5], ["0.5", "1", "2", "5"])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [r["outcome"] for r in risks])
    ax.set_xlabel("relative risk, MSC vs control (log scale)")
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    ax.legend(unique.values(), unique.keys(), frameon=False, loc="lower right")
    return ax.figure
