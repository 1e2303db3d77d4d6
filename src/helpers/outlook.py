"""Where MSC therapy for SLE is going: long-term data, new approaches, CAR-T context, trials.

Numbers are read from the packaged study data (``msc_sle_studies.yaml``), the verified
``future_cart_*`` facts and the curated ``msc_future.yaml`` (new approaches with their stage;
registered trial dates copied from the registry status text).

Denominators matter: the Nanjing 4-year report gives remission among the patients *seen at
each yearly visit*; the 5-year full paper (Wang 2018) gives it out of *all patients treated*,
whereas its congress abstract had used the survivors.

Examples
--------
>>> table = long_term_table()
>>> table.loc[0, ["events", "denominator"]].tolist()
[23, 83]
>>> round(relapse_free_curve()[-1]["relapse_free"], 3)
0.501

References
----------
Notebook 08_future_directions. Wang et al. 2013 (Cell Transplant); Wang et al. 2018
(doi:10.1016/j.stemcr.2018.01.029); Wang et al. 2017 (doi:10.1007/s10238-016-0427-0);
Mackensen et al. 2022 (doi:10.1038/s41591-022-02017-5); Mueller et al. 2024
(doi:10.1056/NEJMoa2308917); Feng et al. 2025 (doi:10.1038/s41591-025-03937-8).
"""
from __future__ import annotations

import functools
import re

from helpers.core.data import Field, fact_number, load_records
from helpers.core.style import COLORS, MARKERS
from helpers.core import validate

__all__ = ["FUTURE_FILE", "long_term_table", "relapse_free_curve", "msc_patients_treated",
           "cart_vs_msc", "cart_cohorts", "biomarker_studies", "approaches", "trial_timeline", "plot_long_term",
           "plot_trial_timeline"]

FUTURE_FILE = "msc_future.yaml"
_APPROACH_SCHEMA = {"id": Field(str), "approach": Field(str), "what_exists": Field(str),
                    "stage": Field(str), "references": Field(list)}
_COHORT_SCHEMA = {
    "id": Field(str, pattern=r"[a-z]+\d{4}"), "therapy": Field(str), "design": Field(str),
    "country": Field(str), "patients": Field(int, low=1, high=100_000),
    "median_followup_days": Field(int, low=1, high=10_000), "followup_range_days": Field(str),
    "lldas_and_doris_week12": Field(str), "crs_grade1_percent": Field((int, float), low=0,
                                                                        high=100),
    "neutropenia_grade3plus_percent": Field((int, float), low=0, high=100),
    "references": Field(list), "locator": Field(str), "verified": Field(bool)}
_BIOMARKER_SCHEMA = {
    "id": Field(str, pattern=r"[a-z]+\d{4}"), "marker": Field(str), "timing": Field(str),
    "patients": Field(int, low=1, high=100_000), "finding": Field(str),
    "validated_elsewhere": Field(bool), "references": Field(list), "locator": Field(str),
    "verified": Field(bool)}
_DATE = r"\d{4}-\d{2}-\d{2}"
_DATES_SCHEMA = {"nct": Field(str, pattern=r"NCT\d{8}"), "start": Field(str, pattern=_DATE),
                 "end": Field(str, pattern=_DATE), "end_kind": Field(str)}
_RELAPSE = re.compile(r"(\d+)/(\d+) \(\d+%\) at (\d+) y")


@functools.lru_cache(maxsize=None)
def _load(key: str) -> tuple:
    schema, unique = {"approaches": (_APPROACH_SCHEMA, "id"),
                      "cart_cohorts": (_COHORT_SCHEMA, "id"),
                      "biomarker_studies": (_BIOMARKER_SCHEMA, "id"),
                      "trial_dates": (_DATES_SCHEMA, "nct")}[key]
    return tuple(load_records(FUTURE_FILE, key, schema, unique=unique, strict=True))


def long_term_table():
    """Remission over the years in the Nanjing long-term reports, with explicit denominators.

    Returns
    -------
    pandas.DataFrame
        Columns ``report``, ``year`` (years after infusion), ``measure``, ``events``,
        ``denominator``, ``proportion``, ``denominator_is``, ``treated`` (patients treated in
        that report).
    """
    import pandas as pd

    from helpers.studies import parse_fraction, study, study_label

    rows = []
    w13 = study("wang2013")
    for year in (1, 2, 3, 4):
        events, n = parse_fraction(w13["responders"][f"CR_{year}y"])
        rows.append({"report": study_label("wang2013"), "year": year,
                     "measure": "complete remission", "events": events, "denominator": n,
                     "denominator_is": f"patients seen at the {year}-year visit",
                     "treated": w13["n_enrolled"]})
    w18 = study("wang2018")
    events, n = parse_fraction(w18["responders"]["CR_5y"])
    rows.append({"report": study_label("wang2018"), "year": 5,
                 "measure": "complete remission", "events": events, "denominator": n,
                 "denominator_is": "all patients treated", "treated": w18["n_enrolled"]})
    table = pd.DataFrame(rows)
    table["proportion"] = table["events"] / table["denominator"]
    return table


def relapse_free_curve() -> list[dict]:
    """Crude life-table relapse-free proportion from the yearly relapse counts of Wang 2013.

    Each year's relapses are divided by the patients seen that year and the complements are
    multiplied (an actuarial approximation that assumes patients lost to follow-up resemble
    those still seen). Returns one dict per year: ``year``, ``relapses``, ``seen``,
    ``relapse_free``; year 0 has ``relapse_free`` 1.
    """
    from helpers.studies import study

    detail = study("wang2013")["relapse"]["detail"]
    points = [{"year": 0, "relapses": 0, "seen": None, "relapse_free": 1.0}]
    surviving = 1.0
    found = sorted((int(c), int(a), int(b)) for a, b, c in _RELAPSE.findall(detail))
    for year, relapses, seen in found:
        surviving *= 1 - relapses / seen
        points.append({"year": year, "relapses": relapses, "seen": seen,
                       "relapse_free": surviving})
    return points


def msc_patients_treated() -> dict:
    """Patients given MSCs in the verified lupus reports, counting overlaps once.

    Only patients who received MSCs count: for a controlled trial, the MSC arm
    (:func:`helpers.safety.msc_arm_size`), never the placebo arm. Independent reports are
    summed; each overlap group (one programme reporting the same patients several times)
    contributes only its largest verified report.

    Returns
    -------
    dict
        ``total``, ``independent_reports``, ``groups`` ({group: largest n}).
    """
    from helpers.safety import msc_arm_size
    from helpers.studies import overlap_group_of, verified_studies

    total, independent, groups = 0, 0, {}
    for row in verified_studies():
        n = msc_arm_size(row) or 0
        group = overlap_group_of(row["id"])
        if group is None:
            total += n
            independent += 1
        else:
            groups[group] = max(groups.get(group, 0), n)
    return {"total": total + sum(groups.values()), "independent_reports": independent,
            "groups": groups}


def biomarker_studies():
    """Verified searches for predictors of response to MSCs in SLE (DataFrame).

    Columns ``id``, ``marker``, ``timing`` (measured before treatment, or looked for
    afterwards), ``patients``, ``finding``, ``validated_elsewhere``, ``references``.
    """
    import pandas as pd

    rows = [dict(r) for r in _load("biomarker_studies") if r["verified"]]
    return pd.DataFrame(rows).drop(columns=["locator", "verified"])


def cart_cohorts() -> list[dict]:
    """Verified larger CAR-T cohorts in SLE (list of dict), as read in their abstracts."""
    return [dict(r) for r in _load("cart_cohorts") if r["verified"]]


def cart_vs_msc():
    """Side-by-side table of CD19 CAR-T and MSC therapy in SLE (DataFrame).

    Columns ``aspect``, ``CD19 CAR-T``, ``MSC``; every number is read from packaged data.
    MSC patients are those given MSCs (placebo arms excluded) in the reports this course
    could verify, a filter of the course, not the size of the MSC literature; the CAR-T
    harms list every event type of the follow-up series' safety counts (read in a secondary
    summary) and the larger 2025 cohort (:func:`cart_cohorts`).
    """
    import pandas as pd

    from helpers.safety import msc_arm_size
    from helpers.studies import parse_fraction, study

    mk, mu = "future_cart_mackensen2022", "future_cart_muller2024"
    treated = msc_patients_treated()
    deng = study("deng2017")
    w18 = study("wang2018")
    w17 = study("wang2017")
    feng = {c["id"]: c for c in cart_cohorts()}["feng2025"]
    first = fact_number(mk, "patients")
    crs = fact_number(mu, "crs_grade1") + fact_number(mu, "crs_grade2")
    remitted, treated_5y = parse_fraction(w18["responders"]["remission_5y"])
    complete, _ = parse_fraction(w18["responders"]["CR_5y"])
    rows = [
        ("What is given", "the patient's own T cells, engineered to attack CD19+ B cells, "
         "after lymphodepleting chemotherapy (fludarabine and cyclophosphamide)",
         "donor stromal cells from cord, marrow or fat, on top of standard therapy"),
        ("How it is thought to act", "removes B cells; remission lasted after B cells "
         "returned", "signals to host immune cells; infused cells are short-lived (mice)"),
        ("Best evidence so far", "case series and a phase 1 trial, no randomised trial",
         f"one double-blind RCT ({deng['n_enrolled']} randomised, {msc_arm_size(deng)} given "
         "MSCs; abandoned early, no added benefit) and single-arm series"),
        ("Patients with SLE in the reports read",
         f"{first} in the first report; {fact_number(mu, 'sle')} (including the {first} "
         f"above) in the follow-up series; {feng['patients']} in a 2025 phase 1 trial of "
         "CD19 + BCMA CAR-T",
         f"{treated['total']} given MSCs in the reports this course could verify (a filter "
         "of this course, not the size of the MSC literature; placebo arms excluded, each "
         "programme counted once)"),
        ("Longest follow-up", f"median {fact_number(mu, 'median_followup_months')} months "
         f"(range {fact_number(mu, 'followup_range_months')}) in the follow-up series; median "
         f"{feng['median_followup_days']} days (range {feng['followup_range_days']}) in the "
         "2025 trial",
         f"{w18['follow_up_months']} months for efficacy ({w18['n_enrolled']} patients, one "
         f"programme); {w17['follow_up_months']} months for safety only "
         f"({w17['n_enrolled']} patients)"),
        ("Remission reported", f"{fact_number(mk, 'doris_remission_at_3_months')} in DORIS "
         "remission at 3 months; all SLE patients off immunosuppressants in the follow-up; "
         f"{feng['lldas_and_doris_week12']} meeting both LLDAS and DORIS remission at week 12 "
         "in the 2025 trial",
         f"varies by definition; {remitted}/{treated_5y} patients treated in complete or "
         f"partial remission at 5 years ({complete} complete) in one programme"),
        ("Main safety issues", f"cytokine release syndrome in {crs} of the "
         f"{fact_number(mu, 'patients_total')} patients, all three diseases "
         f"(grade 1 in {fact_number(mu, 'crs_grade1')}, "
         f"grade 2 in {fact_number(mu, 'crs_grade2')}); grade 1 neurotoxicity (ICANS) in "
         f"{fact_number(mu, 'icans_grade1')}; pneumonia needing hospital care in "
         f"{fact_number(mu, 'pneumonia_hospitalisation')} (counts read in a secondary "
         f"summary); in the 2025 trial grade 1 cytokine release syndrome in "
         f"{feng['crs_grade1_percent']:g}% and grade 3 or worse neutropenia in "
         f"{feng['neutropenia_grade3plus_percent']:g}%; plus the risks of the "
         "lymphodepleting chemotherapy",
         "transient fever after infusion (pooled trials); serious infections only in the MSC "
         "arm of the one lupus RCT; deaths in refractory cohorts, causes often not stated"),
    ]

    return pd.DataFrame(rows, columns=["aspect", "CD19 CAR-T", "MSC"])


def approaches():
    """New MSC-based approaches with their stage of development (DataFrame)."""
    import pandas as pd

    return pd.DataFrame([dict(r) for r in _load("approaches")])


def trial_timeline():
    """Registered MSC-in-SLE trials with start/end dates where the registry copies gave them.

    Returns
    -------
    pandas.DataFrame
        Columns ``trial`` (NCT or registry id), ``title``, ``phase``, ``planned_n``,
        ``status``, ``start``, ``end`` (``datetime64`` or NaT), ``end_kind``, ``verified``.
    """
    import pandas as pd

    from helpers.studies import registered_trials

    dates = {r["nct"]: r for r in _load("trial_dates")}
    rows = []
    for trial in registered_trials():
        key = trial.get("nct") or trial.get("registry")
        d = dates.get(key, {})
        rows.append({"trial": key, "title": trial["title"], "phase": trial.get("phase"),
                     "planned_n": trial.get("planned_n"), "status": trial.get("status"),
                     "start": pd.Timestamp(d["start"]) if d else pd.NaT,
                     "end": pd.Timestamp(d["end"]) if d else pd.NaT,
                     "end_kind": d.get("end_kind", ""), "verified": trial["verified"]})
    table = pd.DataFrame(rows)
    table["planned_n"] = table["planned_n"].astype("Int64")
    return table


def plot_long_term(table=None, curve=None, *, ax=None):
    """Two panels: remission by year with shrinking denominators, and a crude relapse curve.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    table = long_term_table() if table is None else table
    curve = relapse_free_curve() if curve is None else curve
    needed = ["report", "year", "proportion", "events", "denominator"]
    if not all(c in getattr(table, "columns", []) for c in needed):
        raise ValueError(f"table must be a DataFrame with columns {needed} "
                         "(as returned by long_term_table)")
    validate.records("curve", curve, ("year", "relapse_free"))
    if not curve or not all({"year", "relapse_free"} <= set(p) for p in curve):
        raise ValueError("curve must be a non-empty list of dicts with year and relapse_free "
                         "(as returned by relapse_free_curve)")
    ax = validate.axes("ax", ax, count=2)
    if ax is None:
        _, ax = plt.subplots(1, 2, figsize=(9.0, 3.9))
    left, right = ax
    for i, (report, part) in enumerate(table.groupby("report", sort=False)):
        left.bar(part["year"], part["proportion"], color=COLORS[i], hatch=["", "//"][i % 2],
                 edgecolor="black", width=0.6, label=report)
        for _, r in part.iterrows():
            left.text(r["year"], r["proportion"] + 0.02,
                      f"{r['events']}/{r['denominator']}", ha="center", fontsize=11)
    left.set_xlabel("years after infusion")
    left.set_ylabel("complete remission\n(share of patients seen)")
    left.set_ylim(0, 0.75)
    left.legend(frameon=False, loc="upper left")
    years = [p["year"] for p in curve]
    left_values = [p["relapse_free"] for p in curve]
    right.step(years, left_values, where="post", color=COLORS[0], lw=2)
    right.plot(years, left_values, ls="none", marker=MARKERS[0], color=COLORS[0])
    for p in curve[1:]:
        right.text(p["year"] + 0.08, p["relapse_free"] + 0.04,
                   f"{p['relapses']}/{p['seen']} relapsed", ha="left", fontsize=11)
    right.set_ylim(0, 1.08)
    right.set_xlim(-0.2, max(years) + 1.6)  # room for the last 11-pt label
    right.set_xlabel("years after infusion")
    right.set_ylabel("relapse-free (crude life table)")
    return left.figure


def plot_trial_timeline(table=None, *, today: str = "2026-12-01", ax=None):
    """Horizontal timeline of registered trials; trials without dates are listed at the bottom.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`trial_timeline`.
    today : str, default "2026-12-01"
        Date marked as "literature last searched" (``YYYY-MM-DD``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    table = trial_timeline() if table is None else table
    validate.table("table", table, ("trial", "phase", "planned_n", "start", "end"))
    validate.text("today", today)
    try:
        marker = pd.Timestamp(today)
    except (ValueError, TypeError) as err:
        raise ValueError(f"today must be a date 'YYYY-MM-DD'; got {today!r}") from err
    dated = table.dropna(subset=["start"]).sort_values("start")
    undated = table[table["start"].isna()]
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.4 * len(table) + 1.4))
    labels = []
    for i, (_, r) in enumerate(dated.iterrows()):
        ax.barh(i, (r["end"] - r["start"]).days, left=r["start"], color=COLORS[i % 6],
                edgecolor="black", height=0.5)
        phase = str(r["phase"]).split(" (")[0]
        labels.append(f"{r['trial']} (phase {phase}, n={r['planned_n']})")
    offset = len(dated)
    for _, r in undated.iterrows():
        labels.append(f"{r['trial']}: dates not read")
    if len(undated):
        ax.axhspan(offset - 0.5, offset + len(undated) - 0.5, color="0.92", zorder=0)
    ax.axvline(marker, color="black", ls="--", lw=1)
    ax.text(marker, -0.9, "last searched ", ha="right", va="center")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -1.4)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("calendar year (registered start to planned end)")
    return ax.figure
