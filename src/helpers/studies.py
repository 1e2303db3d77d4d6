"""The curated MSC-in-SLE study data: load, validate, and select what may feed an analysis.

Data live in ``helpers/data/msc_sle_studies.yaml`` (study rows, registered trials, explicit
overlap groups, response-extraction rules, data dictionary) and
``helpers/data/msc_sle_meta_analyses.yaml`` (published pooled results). Field names are those
of the project's curated evidence files, so rows can be compared with them. Every load is
validated against the schemas below; a bad row raises :class:`helpers.core.data.DataError` (a
``ValueError``) naming the file, the row and the field.

Rules enforced here:

* only rows with ``verified: true`` feed an analysis (:func:`response_table` and
  :func:`sledai_changes` skip the rest unless ``verified_only=False``, and then mark them);
* reports that reuse the same patients belong to one *overlap group*
  (:func:`overlap_groups`); :func:`helpers.stats.pooling.apply_overlap_rule` refuses to pool two of
  them unless told which one to keep.

Examples
--------
>>> study("deng2017")["design"]
'RCT'
>>> overlap_group_of("wang2013")
'nanjing_drum_tower'
>>> overlap_group_of("kamen2022") is None
True

References
----------
Notebooks 05_trial_evidence and 06_reading_trials_critically. Sources: the DOI/PMID and
``source_locator`` of each row.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from helpers.core import validate
from helpers.core.data import DataError, Field, load_records, validate_records

__all__ = [
    "STUDIES_FILE", "META_ANALYSES_FILE", "STUDY_SCHEMA", "TRIAL_SCHEMA",
    "META_ANALYSIS_SCHEMA", "OVERLAP_SCHEMA", "OUTCOME_SCHEMA", "DESIGNS",
    "studies", "study", "verified_studies", "study_label", "count_label", "overlap_groups",
    "overlap_group_of", "registered_trials", "meta_analyses", "published_pooled",
    "data_dictionary", "response_table", "sledai_changes", "overview_table",
    "parse_fraction", "parse_mean_sd", "field_value",
]

STUDIES_FILE = "msc_sle_studies.yaml"
META_ANALYSES_FILE = "msc_sle_meta_analyses.yaml"
DESIGNS = ("RCT", "single-arm", "case-series", "follow-up", "retrospective")

_NUM = (int, float)
_TEXT_OR_NUM = (str, int, float)

STUDY_SCHEMA = {
    "id": Field(str, pattern=r"[a-z][a-z0-9_]*\d{4}[a-z0-9_]*"),
    "authors_short": Field(str, nullable=True),
    "year": Field(int, low=1990, high=2100),
    "title": Field(str, nullable=True),
    "journal": Field(str),
    "doi": Field(str, nullable=True, pattern=r"10\.\d{4,9}/\S+"),
    "pmid": Field(str, nullable=True, pattern=r"\d{6,9}"),
    "country": Field(str, nullable=True),
    "centers": Field(int, nullable=True, low=1, high=1000),
    "design": Field(str, choices=DESIGNS),
    "cohort_note": Field(str),
    "msc_source": Field(str, nullable=True),
    "allogeneic": Field(bool),
    "dose_cells_per_kg": Field(_TEXT_OR_NUM, nullable=True),
    "dose_total_cells": Field(_TEXT_OR_NUM, required=False, nullable=True),
    "n_infusions": Field((int, str), nullable=True),
    "route": Field(str, nullable=True),
    "concomitant_therapy": Field(str, nullable=True),
    "n_enrolled": Field(int, nullable=True, low=1, high=100_000),
    "n_analyzed": Field((int, str), nullable=True),
    "control_arm": Field(dict, nullable=True, schema={
        "description": Field(str), "n": Field(int, low=1, high=100_000)}),
    "msc_arm_n": Field(int, required=False, low=1, high=100_000),
    "follow_up_months": Field(_TEXT_OR_NUM, nullable=True),
    "sledai_baseline_mean": Field(_NUM, nullable=True, low=0, high=105),
    "sledai_baseline_sd": Field(_NUM, nullable=True, low=0, high=105),
    "sledai_followup_mean": Field(_NUM, nullable=True, low=0, high=105),
    "sledai_followup_sd": Field(_NUM, nullable=True, low=0, high=105),
    "sledai_followup_timepoint_months": Field(int, nullable=True, low=0, high=600),
    "sledai_n": Field(int, required=False, low=1, high=100_000),
    "sledai_baseline_median": Field(_TEXT_OR_NUM, required=False),
    "sledai_followup_median": Field(_NUM, required=False, low=0, high=105),
    "sledai_change_mean_msc": Field(_NUM, required=False, low=-105, high=105),
    "sledai_change_sd_msc": Field(_NUM, required=False, low=0, high=105),
    "sledai_change_mean_placebo": Field(_NUM, required=False, low=-105, high=105),
    "sledai_change_sd_placebo": Field(_NUM, required=False, low=0, high=105),
    "proteinuria_baseline": Field(str, nullable=True),
    "proteinuria_followup": Field((str, dict), nullable=True),
    "responders": Field(dict, nullable=True),
    "relapse": Field((dict, str), nullable=True),
    "deaths": Field(dict, nullable=True),
    "serious_adverse_events": Field(str, nullable=True),
    "infusion_reactions": Field(str, nullable=True),
    "safety_source": Field(str, required=False, choices=("full text", "abstract")),
    "superseded_by": Field(str, required=False, pattern=r"[a-z][a-z0-9_]*\d{4}[a-z0-9_]*"),
    "prednisone_dose_change": Field(str, nullable=True),
    "key_findings": Field(str, nullable=True),
    "source_locator": Field(str),
    "verified": Field(bool),
    "notes": Field(str),
}

TRIAL_SCHEMA = {
    "nct": Field(str, required=False, pattern=r"NCT\d{8}"),
    "registry": Field(str, required=False),
    "title": Field(str),
    "sponsor": Field(str, required=False, nullable=True),
    "phase": Field(str, required=False, nullable=True),
    "status": Field(str, nullable=True),
    "design": Field(str, required=False),
    "arms": Field(list, required=False, nullable=True),
    "planned_n": Field(int, nullable=True, low=1, high=100_000),
    "population": Field(str, required=False),
    "primary_endpoint": Field(str, required=False, nullable=True),
    "results_published": Field(str, required=False),
    "source_locator": Field(str),
    "verified": Field(bool),
    "notes": Field(str, required=False),
}

_POOLED_ROW = {
    "outcome": Field(str),
    "timepoint_months": Field(_NUM, required=False, nullable=True),
    "n_studies": Field(int, required=False, nullable=True, low=1, high=1000),
    "model": Field(str, required=False, choices=("fixed", "random")),
    "effect": Field(str),
    "estimate": Field(_NUM),
    "ci95": Field(list),
    "p": Field(_TEXT_OR_NUM, nullable=True),
    "heterogeneity_p": Field(_TEXT_OR_NUM, required=False, nullable=True),
    "i2": Field(_NUM, nullable=True),
}

META_ANALYSIS_SCHEMA = {
    "id": Field(str, pattern=r"[a-z0-9_]+"),
    "citation": Field(str),
    "doi": Field(str, nullable=True, pattern=r"10\.\d{4,9}/\S+"),
    "pmid": Field(str, nullable=True, pattern=r"\d{6,9}"),
    "search_window": Field(str),
    "software": Field(str, required=False),
    "n_studies": Field(int, nullable=True, low=1, high=1000),
    "n_studies_note": Field(str, required=False),
    "n_patients": Field(int, nullable=True, low=1, high=1_000_000),
    "included_ids_in_this_dataset": Field(list, required=False),
    "pooled_outcomes_rct": Field(list, required=False),
    "pooled_outcomes_case_series": Field(str, required=False),
    "pooled_outcomes_sle": Field(list, required=False),
    "pooled_outcomes": Field(list, required=False, nullable=True),
    "own_programme": Field(bool, required=False),
    "verified": Field(bool),
    "credibility_flag": Field(str, required=False, choices=("LOW", "MODERATE", "HIGH")),
    "source_locator": Field(str),
    "notes": Field(str),
}

OVERLAP_SCHEMA = {
    "id": Field(str, pattern=r"[a-z0-9_]+"),
    "label": Field(str),
    "short_label": Field(str, required=False),  # display name in tables
    "members": Field(list),
    "default_keep": Field(str),
    "reason": Field(str),
}

OUTCOME_SCHEMA = {
    "study": Field(str),
    "outcome": Field(str),
    "events": Field(list, required=False),
    "n": Field(str, required=False),
    "fraction": Field(str, required=False),
    "timepoint_months": Field(_NUM, low=0, high=600),
    "note": Field(str, required=False),
}

DICTIONARY_SCHEMA = {"field": Field(str), "type": Field(str), "meaning": Field(str)}


# --- loading ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _load() -> dict:
    rows = load_records(STUDIES_FILE, "studies", STUDY_SCHEMA, strict=True)
    ids = [r["id"] for r in rows]
    trials = load_records(STUDIES_FILE, "registered_trials", TRIAL_SCHEMA, strict=True,
                          unique=None)
    for i, trial in enumerate(trials, start=1):
        if not (trial.get("nct") or trial.get("registry")):
            raise DataError(f"{STUDIES_FILE}[registered_trials]: row {i}, field 'nct' is "
                            "missing (a trial needs an nct or a registry id)")
    groups = load_records(STUDIES_FILE, "overlap_groups", OVERLAP_SCHEMA, strict=True)
    seen: dict = {}
    for i, group in enumerate(groups, start=1):
        where = f"{STUDIES_FILE}[overlap_groups]: row {i} (id {group['id']!r})"
        for member in group["members"]:
            if member not in ids:
                raise DataError(f"{where}, field 'members' names unknown study {member!r}")
            if member in seen:
                raise DataError(f"{where}, field 'members': {member!r} is already in group "
                                f"{seen[member]!r}")
            seen[member] = group["id"]
        if group["default_keep"] not in group["members"]:
            raise DataError(f"{where}, field 'default_keep' must be one of the members")
    outcomes = load_records(STUDIES_FILE, "response_outcomes", OUTCOME_SCHEMA, strict=True,
                            unique=None)
    by_id = {r["id"]: r for r in rows}
    for i, rule in enumerate(outcomes, start=1):
        where = f"{STUDIES_FILE}[response_outcomes]: row {i}"
        if rule["study"] not in by_id:
            raise DataError(f"{where}, field 'study' names unknown study {rule['study']!r}")
        if ("fraction" in rule) == ("events" in rule):
            raise DataError(f"{where}, field 'events': give either events (+ n) or fraction")
        try:
            _resolve_counts(by_id[rule["study"]], rule)
        except ValueError as err:
            raise DataError(f"{where}, field 'events': {err}") from None
    dictionary = load_records(STUDIES_FILE, "data_dictionary", DICTIONARY_SCHEMA,
                              strict=True, unique="field")
    documented = set()
    for entry in dictionary:
        for name in entry["field"].split(" / "):
            documented.add(name)
    documented |= {"sledai_change_mean_msc", "sledai_change_sd_msc"}
    missing = sorted(set(STUDY_SCHEMA) - documented - {"sledai_change_mean_placebo",
                                                        "sledai_change_sd_placebo"})
    if missing:
        raise DataError(f"{STUDIES_FILE}[data_dictionary]: field {missing[0]!r} is not "
                        "documented")
    metas = load_records(META_ANALYSES_FILE, "meta_analyses", META_ANALYSIS_SCHEMA,
                         strict=True)
    for i, meta in enumerate(metas, start=1):
        for key in ("pooled_outcomes_rct", "pooled_outcomes_sle", "pooled_outcomes"):
            if meta.get(key):
                validate_records(meta[key], _POOLED_ROW, unique=None, strict=True,
                                 filename=f"{META_ANALYSES_FILE}[meta_analyses] row {i} "
                                          f"(id {meta['id']!r}) {key}")
    return {"studies": tuple(rows), "trials": tuple(trials), "groups": tuple(groups),
            "outcomes": tuple(outcomes), "dictionary": tuple(dictionary),
            "metas": tuple(metas)}


def _copy(rows) -> list[dict]:
    import copy

    return [copy.deepcopy(r) for r in rows]


def studies(*, verified_only: bool = False, design: str | None = None,
            by_year: bool = False) -> list[dict]:
    """Return the study rows (copies), optionally only verified ones or one design.

    Parameters
    ----------
    verified_only : bool, default False
        Keep only rows with ``verified: true`` (the only rows that may feed an analysis).
    design : str, optional
        One of :data:`DESIGNS`.
    by_year : bool, default False
        Sort by publication year (then id) instead of file order.

    Raises
    ------
    ValueError
        If ``design`` is not one of :data:`DESIGNS`, or a flag is not a bool.
    """
    for name, flag in (("verified_only", verified_only), ("by_year", by_year)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False; got {flag!r}")
    if design is not None and (not isinstance(design, str) or design not in DESIGNS):
        raise ValueError(f"design must be one of {list(DESIGNS)}; got {design!r}")
    rows = [r for r in _load()["studies"]
            if (r["verified"] or not verified_only) and (design is None or r["design"] == design)]
    if by_year:
        rows = sorted(rows, key=lambda r: (r["year"], r["id"]))
    return _copy(rows)


def verified_studies(design: str | None = None) -> list[dict]:
    """Return only the verified study rows (shorthand for ``studies(verified_only=True)``)."""
    return studies(verified_only=True, design=design)


def _row(study_id: str) -> dict:
    """The stored row of one study, not a copy: for reading only (widget redraws)."""
    validate.text("study_id", study_id)
    by_id = {r["id"]: r for r in _load()["studies"]}
    if study_id not in by_id:
        raise ValueError(f"study_id must be one of {sorted(by_id)}; got {study_id!r}")
    return by_id[study_id]


def study(study_id: str) -> dict:
    """Return one study row by id (``ValueError`` lists the valid ids)."""
    return _copy([_row(study_id)])[0]


def study_label(study_id: str) -> str:
    """Return a short label such as ``'Wang 2014'`` (first author surname + year)."""
    row = _row(study_id)
    authors = row["authors_short"]
    if authors and not authors.startswith("null"):
        return f"{authors.split(',')[0].split()[0].capitalize()} {row['year']}"
    # no author shown in the source read: name the report by its venue
    venue = "EULAR abstract" if "eular" in study_id else "Unattributed report"
    return f"{venue} {row['year']}"


def count_label(study_id: str, n: int) -> str:
    """Say which patients a per-study ``n`` counts, from the study row.

    In a controlled study one number can be the arms together or one arm, so the label
    names it: ``count_label("deng2017", 12)`` -> ``'n=12 MSC arm of 18 randomised'``,
    ``count_label("deng2017", 18)`` -> ``'n=18 randomised: 12 MSC, 6 placebo'``. A
    single-arm study's ``n`` is its patients: ``'n=40'``.

    Raises
    ------
    ValueError
        If the id is unknown or ``n`` is not a whole number >= 0.
    """
    row = _row(study_id)
    n = validate.count("n", n)
    control = (row.get("control_arm") or {}).get("n")
    total, msc = row["n_enrolled"], row.get("msc_arm_n")
    if control is None or not isinstance(total, int):
        return f"n={n}"
    msc = total - control if msc is None else msc
    word = "randomised" if row["design"] == "RCT" else "enrolled"
    arm = (row["control_arm"].get("description") or "control").split()[0]
    if n == total:
        return f"n={n} {word}: {msc} MSC, {control} {arm}"
    if n == msc:
        return f"n={n} MSC arm of {total} {word}"
    if n == control:
        return f"n={n} {arm} arm of {total} {word}"
    return f"n={n} of {total} {word}"


def overlap_groups() -> dict[str, dict]:
    """Return ``{group_id: group}`` of reports that reuse the same patients."""
    return {g["id"]: dict(g) for g in _copy(_load()["groups"])}


def overlap_group_of(study_id: str) -> str | None:
    """Return the overlap group of a study, or None if it is independent."""
    _row(study_id)  # validates the id (read only: no copy)
    for group in _load()["groups"]:
        if study_id in group["members"]:
            return group["id"]
    return None


def registered_trials(*, verified_only: bool = False) -> list[dict]:
    """Return the registered (ongoing or recent) MSC-in-SLE trials."""
    validate.flag("verified_only", verified_only)
    return _copy([t for t in _load()["trials"] if t["verified"] or not verified_only])


def meta_analyses(*, verified_only: bool = False) -> list[dict]:
    """Return the published meta-analysis rows (copies)."""
    validate.flag("verified_only", verified_only)
    return _copy([m for m in _load()["metas"] if m["verified"] or not verified_only])


def data_dictionary() -> list[dict]:
    """Return the data dictionary of the study rows (field, type, meaning)."""
    return _copy(_load()["dictionary"])


def published_pooled(*, verified_only: bool = True, include_low_credibility: bool = False):
    """Return the published pooled results as one long table (pandas DataFrame).

    Columns: ``review``, ``outcome``, ``timepoint_months``, ``n_studies``, ``model``,
    ``effect``, ``estimate``, ``ci_low``, ``ci_high``, ``p``, ``credibility``,
    ``own_programme`` (True when the review's authors run the programme whose trials it pools).

    Parameters
    ----------
    verified_only : bool, default True
        Skip reviews whose results were not read in the source.
    include_low_credibility : bool, default False
        Include reviews flagged ``credibility_flag: LOW`` (shown only as a teaching example).
    """
    validate.flag("verified_only", verified_only)
    validate.flag("include_low_credibility", include_low_credibility)
    import pandas as pd

    rows = []
    for meta in meta_analyses(verified_only=verified_only):
        flag = meta.get("credibility_flag", "")
        if flag == "LOW" and not include_low_credibility:
            continue
        for key in ("pooled_outcomes_rct", "pooled_outcomes_sle", "pooled_outcomes"):
            for r in meta.get(key) or []:
                rows.append({
                    "review": meta["id"], "outcome": r["outcome"],
                    "timepoint_months": r.get("timepoint_months"),
                    "n_studies": r.get("n_studies"), "model": r.get("model"),
                    "effect": r["effect"], "estimate": r["estimate"],
                    "ci_low": r["ci95"][0], "ci_high": r["ci95"][1], "p": r["p"],
                    "credibility": flag or "not flagged",
                    "own_programme": bool(meta.get("own_programme", False))})
    return pd.DataFrame(rows)


# --- parsing helpers --------------------------------------------------------------------

_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\b")
_MEAN_SD = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*\(SD\s*(\d+(?:\.\d+)?)\)")


def parse_fraction(text: str) -> tuple[int, int]:
    """Parse ``"23/83 (28%)"`` into ``(23, 83)``.

    Raises
    ------
    ValueError
        If ``text`` does not start with ``a/b`` with ``0 <= a <= b`` and ``b > 0``.
    """
    match = _FRACTION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"text must start with 'events/n' (e.g. '23/83 (28%)'); got {text!r}")
    events, n = int(match.group(1)), int(match.group(2))
    if n == 0 or events > n:
        raise ValueError(f"text must have 0 <= events <= n and n > 0; got {text!r}")
    return events, n


def parse_mean_sd(text: str) -> tuple[float, float]:
    """Parse ``"1.0 (SD 1.0) g/24 h ..."`` into ``(1.0, 1.0)``.

    Raises
    ------
    ValueError
        If ``text`` does not start with ``mean (SD sd)``.
    """
    match = _MEAN_SD.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"text must start with 'mean (SD sd)'; got {text!r}")
    return float(match.group(1)), float(match.group(2))


def field_value(row: dict, path: str) -> Any:
    """Return ``row['a']['b']`` for ``path='a.b'`` (``ValueError`` if absent)."""
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ValueError(f"path {path!r} is not present in study {row.get('id')!r}")
        value = value[part]
    return value


def _resolve_counts(row: dict, rule: dict) -> tuple[int, int]:
    if "fraction" in rule:
        return parse_fraction(field_value(row, rule["fraction"]))
    events = 0
    for path in rule["events"]:
        value = field_value(row, path)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{path} of {row['id']!r} must be a whole number; got {value!r}")
        events += value
    n = field_value(row, rule["n"])
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0 or events > n:
        raise ValueError(f"{rule['n']} of {row['id']!r} must be a whole number >= events; "
                         f"got {n!r}")
    return events, n


# --- analysis tables --------------------------------------------------------------------

def response_table(outcome: str = "any clinical response", *, verified_only: bool = True):
    """Return responder counts per study for one outcome (pandas DataFrame).

    Counts are read from the verified fields named in the data file's
    ``response_outcomes`` rules (nothing is typed twice). Columns: ``id``, ``label``,
    ``design``, ``events``, ``n``, ``proportion``, ``timepoint_months``, ``group``
    (overlap group id, "" if independent), ``definition``, ``note``, ``verified``.

    Parameters
    ----------
    outcome : str, default "any clinical response"
        One of the outcomes named in ``response_outcomes``.
    verified_only : bool, default True
        Drop rows from unverified studies (they never feed an analysis).

    Raises
    ------
    ValueError
        If ``outcome`` is unknown (the message lists the valid ones).
    """
    validate.text("outcome", outcome)
    validate.flag("verified_only", verified_only)
    import pandas as pd

    data = _load()
    rules = data["outcomes"]
    names = sorted({r["outcome"] for r in rules})
    if outcome not in names:
        raise ValueError(f"outcome must be one of {names}; got {outcome!r}")
    key = (outcome, verified_only)
    kept = _RESPONSE_TABLES.get(key)
    if kept is not None and kept[0] is data:  # the same loaded data: the table is the same
        return kept[1].copy()
    rows = []
    for rule in rules:
        if rule["outcome"] != outcome:
            continue
        row = _row(rule["study"])  # read only: no copy
        if verified_only and not row["verified"]:
            continue
        events, n = _resolve_counts(row, rule)
        responders = row.get("responders") or {}
        rows.append({
            "id": row["id"], "label": study_label(row["id"]), "design": row["design"],
            "events": events, "n": n, "proportion": events / n,
            "timepoint_months": rule["timepoint_months"],
            "group": overlap_group_of(row["id"]) or "",
            "definition": responders.get("definition", ""),
            "note": rule.get("note", ""), "verified": row["verified"]})
    table = pd.DataFrame(rows)
    _RESPONSE_TABLES[key] = (data, table)
    return table.copy()


#: Response tables already built: ``{(outcome, verified_only): (loaded data, table)}``. A
#: widget redraw asks for the same table many times; a reloaded data file builds anew.
_RESPONSE_TABLES: dict = {}


def sledai_changes(*, verified_only: bool = True) -> list[dict]:
    """Return the SLEDAI summaries that can be analysed, by kind of report.

    Each item is a dict with ``id``, ``label``, ``kind`` and numbers:

    * ``kind="pre-post"``: ``n``, ``baseline_mean``, ``baseline_sd``, ``followup_mean``,
      ``followup_sd``, ``timepoint_months`` (single-arm, paired);
    * ``kind="two-arm change"``: ``n_msc``, ``mean_msc``, ``sd_msc``, ``n_control``,
      ``mean_control``, ``sd_control``, ``timepoint_months`` (RCT change from baseline);
    * ``kind="medians"``: ``n``, ``baseline_median``, ``followup_median`` (cannot be pooled).

    Units: SLEDAI points.
    """
    validate.flag("verified_only", verified_only)
    out = []
    for row in studies(verified_only=verified_only):
        base = {"id": row["id"], "label": study_label(row["id"]), "verified": row["verified"],
                "timepoint_months": row["sledai_followup_timepoint_months"]}
        if row["sledai_baseline_mean"] is not None and row["sledai_followup_mean"] is not None:
            out.append({**base, "kind": "pre-post",
                        "n": row.get("sledai_n") or row["n_analyzed"],
                        "baseline_mean": row["sledai_baseline_mean"],
                        "baseline_sd": row["sledai_baseline_sd"],
                        "followup_mean": row["sledai_followup_mean"],
                        "followup_sd": row["sledai_followup_sd"]})
        elif "sledai_change_mean_msc" in row:
            out.append({**base, "kind": "two-arm change",
                        "n_msc": row["msc_arm_n"], "mean_msc": row["sledai_change_mean_msc"],
                        "sd_msc": row["sledai_change_sd_msc"],
                        "n_control": row["control_arm"]["n"],
                        "mean_control": row["sledai_change_mean_placebo"],
                        "sd_control": row["sledai_change_sd_placebo"]})
        elif "sledai_followup_median" in row:
            out.append({**base, "kind": "medians", "n": row["n_analyzed"],
                        "baseline_median": row["sledai_baseline_median"],
                        "followup_median": row["sledai_followup_median"]})
    return out


def _dose_text(row: dict, missing: str = "not reported") -> str:
    """The dose of a study row as a clinician writes it (``'1 × 10⁶ cells/kg'``)."""
    from helpers.core.tables import dose_text

    if row["dose_cells_per_kg"] is not None:
        return dose_text(row["dose_cells_per_kg"])
    if row.get("dose_total_cells") is not None:
        return dose_text(row["dose_total_cells"], unit="cells in total")
    return missing


def overview_table(*, verified_only: bool = False):
    """Return one line per study for the overview table (pandas DataFrame).

    Columns: ``study``, ``year``, ``design``, ``n``, ``cells`` (source, allo/auto),
    ``dose``, ``follow_up_months``, ``overlap_group``, ``verified``, ``doi_or_pmid``.
    Unverified rows are kept (marked) unless ``verified_only``.
    """
    validate.flag("verified_only", verified_only)
    import pandas as pd

    rows = []
    for row in studies(verified_only=verified_only):
        source = (row["msc_source"] or "null").split(" (")[0]
        source = "not specified" if source == "null" else source
        kind = "allogeneic" if row["allogeneic"] else "autologous"
        if re.search(r"allogeneic flag as unverified", row["notes"] or ""):
            kind += " (unverified)"
        n = row["n_enrolled"]
        rows.append({
            "study": study_label(row["id"]), "id": row["id"], "year": row["year"],
            "design": row["design"], "n": "not read" if n is None else n,
            "cells": f"{source}, {kind}", "dose": _dose_text(row),
            "follow_up_months": "not read" if row["follow_up_months"] is None
            else row["follow_up_months"],
            "overlap_group": overlap_group_of(row["id"]) or "independent",
            "verified": "yes" if row["verified"] else "NO (unverified)",
            "doi_or_pmid": row["doi"] or (f"PMID {row['pmid']}" if row["pmid"] else "none seen"),
        })
    return pd.DataFrame(rows).sort_values(["year", "study"], kind="stable").reset_index(drop=True)
