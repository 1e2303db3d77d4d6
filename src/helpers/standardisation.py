"""How the MSC-in-SLE studies differ: cell source, dose, infusions, outcomes, and what is missing.

Everything is read from ``msc_sle_studies.yaml``; where a field is ``null`` the table says
"not reported" rather than guessing. Passage number and potency testing are not recorded
for any study in the dataset (the abstracts and tables read did not give them), shown as
"not in dataset".

Examples
--------
>>> table = heterogeneity_table()
>>> sorted(set(table["cell_source"]))[:2]
['adipose tissue', 'bone marrow']
>>> reporting_completeness()["dose per kg"] <= len(table)
True

References
----------
Notebook 07_open_challenges. Wiese et al. 2022 (doi:10.3389/fcell.2022.867426) on reporting
gaps in MSC trials; Robb et al. 2019 (doi:10.1016/j.jcyt.2018.10.014) on potency assays.
"""
from __future__ import annotations

from helpers.core.style import COLORS
from helpers.core import validate

__all__ = ["ITEMS", "heterogeneity_table", "reporting_completeness", "dose_per_kg",
           "plot_reporting_completeness"]

#: Items a reader needs to compare or reproduce an MSC product, in display order.
ITEMS = ("cell source", "donor or own cells", "dose per kg", "number of infusions", "route",
         "response definition", "culture passage", "potency assay")

_NOT = "not reported"
_ABSENT = "not in dataset"


def dose_per_kg(value) -> float | None:
    """Return a dose in cells/kg from a data field (number or text such as ``'2e6 (n=5) ...'``).

    Text doses give their first number; returns None when no per-kg dose is given.

    Examples
    --------
    >>> dose_per_kg(1.0e6), dose_per_kg("2e6 (n=5) or 4e6 (n=3)"), dose_per_kg(None)
    (1000000.0, 2000000.0, None)
    """
    import re

    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"value must be a number, text or None; got {value!r}")
    if isinstance(value, (int, float)):
        return validate.real("value", value, low=0)
    if not isinstance(value, str):
        raise ValueError(f"value must be a number, text or None; got {type(value).__name__}")
    if "secondary" in value or "unverified" in value:
        return None
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*[eE]\s*(\d+)", value)
    return float(f"{match.group(1)}e{match.group(2)}") if match else None


def _source(text) -> str:
    if text is None or str(text).startswith("null") or "secondary" in str(text):
        return _NOT
    return str(text).split(" (")[0]


def heterogeneity_table(*, verified_only: bool = True):
    """One row per study with the product and outcome choices that differ between studies.

    Parameters
    ----------
    verified_only : bool, default True
        Keep only rows whose numbers were read in the source. Rows superseded by a later
        full report of the same cohort (``superseded_by``) are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``design``, ``cell_source``, ``donor``, ``dose_per_kg`` (cells/kg,
        NaN if not given per kg), ``dose_as_reported``, ``infusions``, ``route``,
        ``response_definition``, ``passage``, ``potency_assay``.
    """
    import pandas as pd

    from helpers.studies import _dose_text, studies, study_label

    rows = []
    for row in studies(verified_only=verified_only, by_year=True):
        if row.get("superseded_by"):  # a later full report of the same cohort replaces it
            continue
        dose = dose_per_kg(row["dose_cells_per_kg"])
        dose_text = _dose_text(row, _NOT)  # one dose formatter for every table
        responders = row.get("responders") or {}
        rows.append({
            "label": study_label(row["id"]), "design": row["design"],
            "cell_source": _source(row["msc_source"]),
            "donor": "donor (allogeneic)" if row["allogeneic"] else "own (autologous)",
            "dose_per_kg": float("nan") if dose is None else dose,
            "dose_as_reported": dose_text,
            "infusions": _NOT if row["n_infusions"] is None else str(row["n_infusions"]),
            "route": _NOT if row["route"] is None else row["route"].split(" (")[0],
            "response_definition": responders.get("definition") or _NOT,
            "passage": _ABSENT, "potency_assay": _ABSENT})
    return pd.DataFrame(rows)


def reporting_completeness(table=None) -> dict[str, int]:
    """Count, for each item in :data:`ITEMS`, the studies that report it.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`heterogeneity_table` (computed if omitted).

    Returns
    -------
    dict
        ``{item: number of studies reporting it}`` in the order of :data:`ITEMS`.
    """
    import math

    table = heterogeneity_table() if table is None else table
    columns = {"cell source": "cell_source", "donor or own cells": "donor",
               "dose per kg": "dose_per_kg", "number of infusions": "infusions",
               "route": "route", "response definition": "response_definition",
               "culture passage": "passage", "potency assay": "potency_assay"}
    validate.table("table", table, columns.values())
    counts = {}
    for item in ITEMS:
        values = table[columns[item]]
        if item == "dose per kg":
            counts[item] = int(sum(isinstance(v, (int, float)) and not math.isnan(v)
                                   for v in values))
        else:
            counts[item] = int(sum(v not in (_NOT, _ABSENT) for v in values))
    return counts


def plot_reporting_completeness(counts=None, n_studies=None, *, ax=None):
    """Horizontal bars: how many studies report each item needed to compare MSC products.

    Parameters
    ----------
    counts : dict, optional
        Output of :func:`reporting_completeness` (computed if omitted).
    n_studies : int, optional
        Number of studies (the full bar); taken from the data if omitted.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if counts is None:
        table = heterogeneity_table()
        counts, n_studies = reporting_completeness(table), len(table)
    if not isinstance(counts, dict) or not counts:
        raise validate.ParameterTypeError("counts must be a non-empty dict {item: count} (as "
                                          f"returned by reporting_completeness); got {counts!r}")
    for item, c in counts.items():
        validate.text("counts (keys)", item)
        validate.count(f"counts[{item!r}]", c)
    if n_studies is None:
        raise ValueError("n_studies must be given with counts")
    n_studies = validate.count("n_studies", n_studies, low=max(max(counts.values()), 1),
                               high=10_000)
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0))
    items = list(counts)[::-1]
    values = [counts[i] for i in items]
    ax.barh(items, [n_studies] * len(items), color="white", edgecolor=COLORS[6], hatch="//",
            label="not reported or not in dataset")
    ax.barh(items, values, color=COLORS[0], edgecolor="black", label="reported")
    for i, v in enumerate(values):
        ax.text(n_studies + 0.3, i, f"{v}/{n_studies}", va="center")
    ax.set_xlabel("studies (verified reports)")
    ax.set_xlim(0, n_studies + 2.5)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2),
              ncol=2)
    return ax.figure
