"""Disease-activity and classification calculators for SLE: SLEDAI-2K and EULAR/ACR 2019.

Weights, thresholds and rules are read from packaged data (``sledai2k.yaml`` and
``eular_acr_2019.yaml``), validated against the schemas below on load; nothing is typed in
here.  The calculators are teaching tools: real scoring needs the full definitions, the
look-back window and clinical judgement that another cause does not explain a finding better.

Examples
--------
>>> sledai_2k(["arthritis", "rash", "low_complement"])
8
>>> sledai_activity_category(8)
'moderate'
>>> result = classify_eular_acr_2019(["joint_involvement", "anti_dsdna", "low_c3_or_c4"],
...                                  ana_positive=True)
>>> result.total, result.classified
(15, True)

References
----------
Notebook ``01_lupus_pathology`` (sections 3 and 4).
Gladman DD, Ibanez D, Urowitz MB (2002). Systemic lupus erythematosus disease activity
index 2000. J Rheumatol 29(2):288-291.
Aringer M, Costenbader K, Daikh D, et al. (2019). 2019 EULAR/ACR classification criteria
for systemic lupus erythematosus. Arthritis Rheumatol 71(9):1400-1412.
doi:10.1002/art.40930
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable

from helpers.core import validate
from helpers.core.data import DataError, Field, provenance, read_yaml, validate_records

__all__ = [
    "SLEDAI_FILE", "EULAR_FILE", "DESCRIPTOR_SCHEMA", "CRITERION_SCHEMA", "BAND_SCHEMA",
    "sledai_descriptors", "sledai_weights", "sledai_2k", "sledai_activity_bands",
    "sledai_activity_category", "sledai_by_organ", "sledai_change_convention",
    "sledai_weight_summary", "sledai_band_source", "SEROLOGY_DESCRIPTORS", "treat_to_target_status",
    "eular_acr_criteria", "eular_acr_threshold", "eular_acr_entry_criterion",
    "Classification", "classify_eular_acr_2019", "criteria_performance", "validation_cohort",
]

SLEDAI_FILE = "sledai2k.yaml"
EULAR_FILE = "eular_acr_2019.yaml"

ORGAN_SYSTEMS = ("neuropsychiatric", "vascular", "musculoskeletal", "renal", "mucocutaneous",
                 "serosal", "immunologic", "constitutional", "hematologic")

#: Schema of one SLEDAI-2K descriptor row (``descriptors`` in sledai2k.yaml).
DESCRIPTOR_SCHEMA = {
    "order": Field(int, low=1, high=24),
    "id": Field(str, pattern=r"[a-z][a-z0-9_]*"),
    "label": Field(str),
    "short_label": Field(str, required=False),
    "weight": Field(int, choices=(1, 2, 4, 8)),
    "organ_system": Field(str, choices=ORGAN_SYSTEMS),
    "definition": Field(str),
    "numbers": Field(dict, required=False),
    "definition_sources": Field(list, required=False),
    "definition_note": Field(str, required=False),
}

#: Schema of one activity band of a banding scheme.
BAND_SCHEMA = {
    "label": Field(str, pattern=r"[a-z_]+"),
    "min": Field(int, low=0, high=105),
    "max": Field(int, low=0, high=105),
}

#: Schema of one EULAR/ACR 2019 criterion row (inside ``domains`` in eular_acr_2019.yaml).
CRITERION_SCHEMA = {
    "id": Field(str, pattern=r"[a-z][a-z0-9_]*"),
    "label": Field(str),
    "short_label": Field(str, required=False),
    "weight": Field(int, low=2, high=10),
    "definition": Field(str),
    "numbers": Field(dict, required=False),
    "verified_definition": Field(bool, required=False),
    "definition_note": Field(str, required=False),
    "threshold_source": Field(str, required=False),
}

_DOMAIN_SCHEMA = {"domain": Field(str, pattern=r"[a-z_]+"), "criteria": Field(list)}


# --- SLEDAI-2K ------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _sledai_doc() -> dict:
    provenance(SLEDAI_FILE)  # the meta block must be complete
    doc = read_yaml(SLEDAI_FILE)
    rows = validate_records(doc.get("descriptors"), DESCRIPTOR_SCHEMA, strict=True,
                            filename=f"{SLEDAI_FILE}[descriptors]")
    n_expected = doc["instrument"]["n_descriptors"]
    if len(rows) != n_expected:
        raise DataError(f"{SLEDAI_FILE}: {len(rows)} descriptors, expected {n_expected}")
    total = sum(r["weight"] for r in rows)
    if total != doc["instrument"]["max_score"]:
        raise DataError(f"{SLEDAI_FILE}: weights sum to {total}, not max_score "
                        f"{doc['instrument']['max_score']}")
    if not doc["weights_summary"]["verified"]:
        raise DataError(f"{SLEDAI_FILE}: weights are not marked verified")
    for scheme in doc["activity_categories"]["schemes"]:
        bands = validate_records(scheme["bands"], BAND_SCHEMA, unique="label",
                                 filename=f"{SLEDAI_FILE}[{scheme['scheme']}]")
        edges = [(b["min"], b["max"]) for b in bands]
        if edges[0][0] != 0 or edges[-1][1] != total or any(
                lo > hi for lo, hi in edges) or any(
                a[1] + 1 != b[0] for a, b in zip(edges, edges[1:])):
            raise DataError(f"{SLEDAI_FILE}: bands of {scheme['scheme']!r} must cover 0..{total} "
                            "without gaps or overlaps")
    return doc


def sledai_descriptors() -> list[dict]:
    """Return the 24 SLEDAI-2K descriptors in form order (id, label, weight, organ_system, ...)."""
    return [dict(r) for r in sorted(_sledai_doc()["descriptors"], key=lambda r: r["order"])]


def sledai_weights() -> dict[str, int]:
    """Return ``{descriptor id: weight}`` for the 24 SLEDAI-2K descriptors (form order)."""
    return {r["id"]: r["weight"] for r in sledai_descriptors()}


def sledai_by_organ() -> dict[str, list[dict]]:
    """Return the descriptors grouped by organ system, in form order."""
    groups: dict[str, list[dict]] = {}
    for row in sledai_descriptors():
        groups.setdefault(row["organ_system"], []).append(row)
    return groups


def sledai_weight_summary() -> dict:
    """Return the weight contrasts the notebook states about SLEDAI-2K, computed from the data.

    Returns
    -------
    dict
        ``heaviest`` and ``lightest`` (weights in points), ``heaviest_organs`` (organ systems
        with a descriptor of the heaviest weight, form order), ``lightest_labels`` (labels of
        the lightest descriptors, form order), ``neuro_single`` (weight of one
        neuropsychiatric descriptor, points), ``muco_total`` (sum of the mucocutaneous
        weights, points) and ``muco_labels`` (their labels).

    References
    ----------
    Notebook ``01_lupus_pathology``, section 3. Gladman et al. (2002), J Rheumatol 29:288.
    """
    rows = sledai_descriptors()
    heaviest = max(r["weight"] for r in rows)
    lightest = min(r["weight"] for r in rows)
    organs = list(dict.fromkeys(r["organ_system"] for r in rows if r["weight"] == heaviest))
    muco = sledai_by_organ()["mucocutaneous"]
    neuro = {r["weight"] for r in sledai_by_organ()["neuropsychiatric"]}
    if len(neuro) != 1:
        raise DataError(f"{SLEDAI_FILE}: neuropsychiatric descriptors differ in weight")
    return {"heaviest": heaviest, "lightest": lightest, "heaviest_organs": organs,
            "lightest_labels": [r["label"] for r in rows if r["weight"] == lightest],
            "neuro_single": neuro.pop(), "muco_total": sum(r["weight"] for r in muco),
            "muco_labels": [r["label"] for r in muco]}


def sledai_band_source(scheme: str = "ard_review_table") -> dict:
    """Return where a verified banding scheme comes from: ``title``, ``url``, ``note``, ``illustrative``.

    Raises
    ------
    ValueError
        If ``scheme`` is unknown or not verified (the message lists the verified schemes).
    """
    sledai_activity_bands(scheme)  # validates the name
    doc = _sledai_doc()
    record = {s["scheme"]: s for s in doc["activity_categories"]["schemes"]}[scheme]
    source = dict(doc["sources"][record["source"]])
    return {"title": source.get("title", ""), "url": source.get("url"),
            "note": record.get("note", source.get("note", "")),
            "illustrative": bool(record.get("illustrative", False))}


def _as_id_set(values, name: str, valid: Iterable[str]) -> set[str]:
    """The ids in ``values``: an iterable of ids, or a dict of checkbox states (id -> bool).

    In a dict only the ticked (True) entries count; a value that is not True or False is
    an error, so ``{"seizure": False}`` scores nothing rather than 8 points.
    """
    valid = list(valid)
    if isinstance(values, dict):
        values = [k for k, v in values.items() if validate.flag(f"{name}[{k!r}]", v)]
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a list (or other iterable) of ids, e.g. "
                         f"[{valid[0]!r}, {valid[1]!r}]; got {values!r}")
    values = list(values)
    bad = sorted({repr(v) for v in values if not isinstance(v, str) or v not in valid})
    if bad:
        raise ValueError(f"{name} has unknown id(s) {', '.join(bad)}; valid ids are: "
                         f"{', '.join(valid)}")
    return set(values)


def sledai_2k(present: Iterable[str]) -> int:
    """Return the SLEDAI-2K score: the sum of the weights of the descriptors present.

    Parameters
    ----------
    present : iterable of str
        Descriptor ids exactly as in ``sledai2k.yaml`` (``"seizure"``, ``"psychosis"``, ...,
        ``"leukopenia"``) that are present at the visit or in the look-back window and are
        attributed to SLE.  A repeated id counts once (descriptors are present or absent).

    Returns
    -------
    int
        Score in points, 0 to 105.

    Raises
    ------
    ValueError
        If ``present`` is a single string or not iterable, or holds an unknown id (the
        message lists the valid ids).

    References
    ----------
    Notebook ``01_lupus_pathology``, section 3. Gladman et al. (2002), J Rheumatol 29:288.
    """
    weights = sledai_weights()
    ids = _as_id_set(present, "present", weights)
    return sum(weights[i] for i in ids)


def sledai_activity_bands(scheme: str = "ard_review_table") -> list[dict]:
    """Return the activity bands of a *verified* banding scheme (label, min, max in points).

    Parameters
    ----------
    scheme : str, default "ard_review_table"
        Name of a scheme in ``sledai2k.yaml``; only schemes marked ``verified`` are offered.

    Raises
    ------
    ValueError
        If ``scheme`` is unknown or not verified (the message lists the verified schemes).
    """
    validate.text("scheme", scheme)
    schemes = {s["scheme"]: s for s in _sledai_doc()["activity_categories"]["schemes"]}
    verified = sorted(k for k, s in schemes.items() if s.get("verified"))
    if scheme not in verified:
        raise ValueError(f"scheme must be one of the verified banding schemes {verified}; "
                         f"got {scheme!r}")
    return [dict(b) for b in schemes[scheme]["bands"]]


def sledai_activity_category(score: int, scheme: str = "ard_review_table") -> str:
    """Return the activity band label for a SLEDAI-2K score.

    Parameters
    ----------
    score : int
        SLEDAI-2K score in points (a whole number from 0 to 105).
    scheme : str, default "ard_review_table"
        Verified banding scheme (see :func:`sledai_activity_bands`).  The default is an
        *illustrative* banding read on an Annals of the Rheumatic Diseases table page whose
        parent article (and date) could not be identified (remission 0, low 1-4, moderate
        5-10, high 11 or more); other published bandings differ.

    Raises
    ------
    ValueError
        If ``score`` is not a whole number between 0 and 105, or ``scheme`` is unknown.
    """
    validate.text("scheme", scheme)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 105:
        raise ValueError(f"score must be a whole number between 0 and 105; got {score!r}")
    for band in sledai_activity_bands(scheme):
        if band["min"] <= score <= band["max"]:
            return band["label"]
    raise AssertionError("bands were validated to cover 0..105")  # pragma: no cover


def sledai_change_convention(name: str) -> dict:
    """Return one change convention (e.g. ``"SRI-4 SLEDAI component"``) from sledai2k.yaml.

    Raises
    ------
    ValueError
        If ``name`` is unknown or the convention is not verified.
    """
    validate.text("name", name)
    rows = {r["name"]: r for r in _sledai_doc()["change_conventions"]}
    ok = sorted(k for k, r in rows.items() if r.get("verified"))
    if name not in ok:
        raise ValueError(f"name must be one of the verified conventions {ok}; got {name!r}")
    return dict(rows[name])


#: The two serology descriptors of SLEDAI-2K; "clinical SLEDAI" is the score without them.
SEROLOGY_DESCRIPTORS = ("low_complement", "increased_dna_binding")


def treat_to_target_status(descriptors: Iterable[str], *, pga: float,
                           prednisolone_mg_day: float, major_organ_activity: bool = False,
                           new_activity: bool = False) -> dict:
    """Say whether a visit meets LLDAS, DORIS 2021 remission and Gladman's "SLEDAI = 0".

    Parameters
    ----------
    descriptors : iterable of str
        SLEDAI-2K descriptor ids present at the visit (see :func:`sledai_descriptors`).
    pga : float
        Physician's global assessment, 0 (none) to 3 (severe).
    prednisolone_mg_day : float
        Current prednisolone (or equivalent) dose, mg/day, 0 to 1000.
    major_organ_activity : bool, default False
        Activity in a major organ system (kidney, brain, heart-lungs, vasculitis, fever),
        which LLDAS excludes whatever the total score.
    new_activity : bool, default False
        A new feature of activity since the previous visit (also excluded by LLDAS).

    Returns
    -------
    dict
        ``total_sledai``, ``clinical_sledai`` (without :data:`SEROLOGY_DESCRIPTORS`),
        ``lldas``, ``doris`` and ``sledai_zero`` (bools), and ``reasons``: for each target
        not met, the first condition that fails.  Thresholds are read from the background
        facts ``soc_lldas_definition`` (Golder 2016) and ``soc_doris2021`` (van Vollenhoven
        2021); antimalarials and stable maintenance therapy are assumed, as both allow them.

    Raises
    ------
    ValueError
        For an unknown descriptor or a ``pga`` / dose outside its range.

    References
    ----------
    Notebook ``01_lupus_pathology``, section 3.
    """
    from helpers.core.data import fact_number
    from helpers.core.validate import flag, real

    pga = real("pga", pga, low=0, high=3)
    dose = real("prednisolone_mg_day", prednisolone_mg_day, low=0, high=1000)
    major = flag("major_organ_activity", major_organ_activity)
    new = flag("new_activity", new_activity)
    present = list(descriptors) if not isinstance(descriptors, str) else [descriptors]
    total = sledai_2k(present)
    clinical = sledai_2k([d for d in present if d not in SEROLOGY_DESCRIPTORS])
    lldas_checks = [
        (total <= fact_number("soc_lldas_definition", "sledai2k_max"),
         f"SLEDAI-2K {total} is above {fact_number('soc_lldas_definition', 'sledai2k_max')}"),
        (not major, "activity in a major organ system"),
        (not new, "new disease activity"),
        (pga <= fact_number("soc_lldas_definition", "pga_max"),
         f"PGA {pga:g} is above {fact_number('soc_lldas_definition', 'pga_max')}"),
        (dose <= fact_number("soc_lldas_definition", "pred_max_mg_day"),
         f"prednisolone {dose:g} mg/day is above "
         f"{fact_number('soc_lldas_definition', 'pred_max_mg_day')}"),
    ]
    doris_checks = [
        (clinical == fact_number("soc_doris2021", "clinical_sledai"),
         f"clinical SLEDAI is {clinical}, not 0"),
        (pga < fact_number("soc_doris2021", "pga_below"),
         f"PGA {pga:g} is not below {fact_number('soc_doris2021', 'pga_below')}"),
        (dose <= fact_number("soc_doris2021", "pred_max_mg_day"),
         f"prednisolone {dose:g} mg/day is above {fact_number('soc_doris2021', 'pred_max_mg_day')}"),
    ]
    reasons = {}
    for name, checks in (("lldas", lldas_checks), ("doris", doris_checks),
                         ("sledai_zero", [(total == 0, f"SLEDAI-2K is {total}, not 0")])):
        failed = [why for ok, why in checks if not ok]
        if failed:
            reasons[name] = failed[0]
    return {"total_sledai": total, "clinical_sledai": clinical,
            "lldas": "lldas" not in reasons, "doris": "doris" not in reasons,
            "sledai_zero": "sledai_zero" not in reasons, "reasons": reasons}


# --- EULAR/ACR 2019 -------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _eular_doc() -> dict:
    provenance(EULAR_FILE)
    doc = read_yaml(EULAR_FILE)
    rows = []
    for kind in ("clinical", "immunology"):
        domains = validate_records(doc["domains"].get(kind), _DOMAIN_SCHEMA, unique="domain",
                                   filename=f"{EULAR_FILE}[domains.{kind}]")
        for dom in domains:
            crit = validate_records(dom["criteria"], CRITERION_SCHEMA, strict=True,
                                    filename=f"{EULAR_FILE}[{dom['domain']}]")
            rows += [dict(c, domain=dom["domain"], kind=kind) for c in crit]
    validate_records(rows, {"id": Field(str)}, filename=f"{EULAR_FILE}[all criteria]")
    if not (doc["weights_verification"]["verified"] and doc["rules_verified"]
            and doc["entry_criterion"]["verified"]):
        raise DataError(f"{EULAR_FILE}: weights, rules and entry criterion must be verified")
    best = {}
    for r in rows:
        best[r["domain"]] = max(best.get(r["domain"], 0), r["weight"])
    if sum(best.values()) != doc["weights_verification"]["max_possible_total_points"]:
        raise DataError(f"{EULAR_FILE}: highest weights per domain do not sum to "
                        "max_possible_total_points")
    doc["_criteria"] = rows
    return doc


def eular_acr_criteria() -> list[dict]:
    """Return the 22 weighted criteria with ``domain`` and ``kind`` (clinical/immunology)."""
    return [dict(r) for r in _eular_doc()["_criteria"]]


def eular_acr_threshold() -> int:
    """Return the classification threshold in points (from the rules in the data file)."""
    rule = {r["id"]: r for r in _eular_doc()["rules"]}["threshold"]
    return int(rule["numbers"]["classification_threshold_points"])


def eular_acr_entry_criterion() -> dict:
    """Return the entry criterion (text, numbers, source) of the 2019 criteria."""
    return dict(_eular_doc()["entry_criterion"])


@dataclass(frozen=True)
class Classification:
    """Result of applying the 2019 EULAR/ACR criteria.

    Attributes
    ----------
    total : int
        Points counted (highest weight per domain); 0 if the entry criterion is not met.
    classified : bool
        True if the entry criterion is met, at least one clinical criterion counted and
        ``total`` reaches the threshold.
    counted : dict
        ``{domain: criterion id}`` for the criterion that counted in each domain.
    reason : str
        One sentence saying why the result is what it is.
    """

    total: int
    classified: bool
    counted: dict = field(default_factory=dict)
    reason: str = ""


def classify_eular_acr_2019(criteria: Iterable[str], ana_positive: bool) -> Classification:
    """Apply the 2019 EULAR/ACR classification criteria for SLE.

    Parameters
    ----------
    criteria : iterable of str
        Criterion ids exactly as in ``eular_acr_2019.yaml`` (e.g. ``"joint_involvement"``,
        ``"anti_dsdna"``) that have ever been present and are not better explained by
        another cause.  A repeated id counts once.
    ana_positive : bool
        Whether the entry criterion is met: ANA at a titre of at least 1:80 on HEp-2 cells
        (or an equivalent positive test) at least once.

    Returns
    -------
    Classification
        ``total`` (points), ``classified`` (bool), ``counted`` (domain -> criterion id that
        counted) and ``reason`` (a sentence).

    Raises
    ------
    ValueError
        If ``criteria`` is a single string or holds an unknown id (the message lists the
        valid ids), or ``ana_positive`` is not a bool.

    Notes
    -----
    Rules (from the data file): without the entry criterion the criteria are not applied;
    only the highest-weighted criterion in each domain counts; at least one clinical
    criterion is required; a total at or above the threshold classifies.  Ties within a
    domain (e.g. anti-dsDNA and anti-Sm, both 6) are broken by the order in the data file.

    References
    ----------
    Notebook ``01_lupus_pathology``, section 4. Aringer et al. (2019), doi:10.1002/art.40930.
    """
    rows = eular_acr_criteria()
    by_id = {r["id"]: r for r in rows}
    ids = _as_id_set(criteria, "criteria", by_id)
    if not isinstance(ana_positive, bool):
        raise ValueError(f"ana_positive must be True or False; got {ana_positive!r}")
    threshold = eular_acr_threshold()
    if not ana_positive:
        return Classification(0, False, {}, "Entry criterion not met: without a positive ANA "
                              "(titre at least 1:80) the criteria are not applied.")
    counted: dict[str, str] = {}
    for row in rows:  # data-file order, so ties keep the first-listed criterion
        if row["id"] in ids:
            current = counted.get(row["domain"])
            if current is None or row["weight"] > by_id[current]["weight"]:
                counted[row["domain"]] = row["id"]
    total = sum(by_id[c]["weight"] for c in counted.values())
    clinical = [c for c in counted.values() if by_id[c]["kind"] == "clinical"]
    if not clinical:
        reason = (f"Not classified: no clinical criterion counted ({total} points from "
                  "immunology criteria alone are not enough).")
        return Classification(total, False, counted, reason)
    if total < threshold:
        return Classification(total, False, counted,
                              f"Not classified: {total} points is below the threshold of "
                              f"{threshold}.")
    return Classification(total, True, counted,
                          f"Classified as SLE: {total} points (threshold {threshold}) with at "
                          "least one clinical criterion and a positive ANA.")


def criteria_performance() -> dict[str, dict]:
    """Return validation-cohort sensitivity and specificity (%) of three criteria sets.

    Returns
    -------
    dict
        ``{"EULAR/ACR 2019": {"sensitivity_pct": ..., "specificity_pct": ...}, "SLICC 2012":
        ..., "ACR 1997": ...}`` from the 2019 validation cohort (Aringer et al. 2019).
    """
    perf = _eular_doc()["performance"]
    if not perf["verified"]:
        raise DataError(f"{EULAR_FILE}: performance figures are not verified")
    names = {"eular_acr_2019": "EULAR/ACR 2019", "slicc_2012": "SLICC 2012",
             "acr_1997": "ACR 1997"}
    return {label: dict(perf[key]) for key, label in names.items()}


def validation_cohort() -> dict[str, int]:
    """Return the sizes of the 2019 validation cohort: ``total``, ``sle`` and ``controls``."""
    perf = _eular_doc()["performance"]
    return {"total": perf["validation_cohort_n"], "sle": perf["validation_cohort_sle_n"],
            "controls": perf["validation_cohort_controls_n"]}
