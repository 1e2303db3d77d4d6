"""Regulation of MSC products and the documented growth of direct-to-consumer clinics.

Numbers come from the verified ``reg_*`` facts in ``background_facts.yaml``; each survey
says whether its counts were read in the paper itself or in secondary reports of it. The rows
of the regulation table are listed in ``msc_open_challenges.yaml`` (``regulation``): each
names a verified fact or carries its own cited text (the EU row, which adds the date the ATMP
regulation applies from and its hospital exemption).

Examples
--------
>>> [row["year"] for row in clinic_growth()]
[2016, 2021]
>>> clinic_growth()[0]["read_in"]
'secondary reports of the paper'

References
----------
Notebook 07_open_challenges. Turner & Knoepfler 2016 (doi:10.1016/j.stem.2016.06.007);
Turner 2021 (Cell Stem Cell); 21 CFR 1271.10; Regulation (EC) No 1394/2007 (EUR-Lex);
Mebarki et al. 2021 (doi:10.1186/s13287-021-02222-y).
"""
from __future__ import annotations

import functools

from helpers.core.data import Field, fact, fact_number, load_records
from helpers.core.style import COLORS
from helpers.core import validate

__all__ = ["SURVEYS", "clinic_growth", "growth_factor", "regulatory_routes",
           "plot_clinic_growth"]

#: The two US surveys of businesses selling unapproved stem cell interventions.
SURVEYS = ("reg_turner_knoepfler_2016", "reg_turner_2021")

_ROUTE_SCHEMA = {
    "region": Field(str), "kind": Field(str),
    "fact": Field(str, required=False, pattern=r"reg_[a-z0-9_]+"),
    "text": Field(str, required=False), "numbers": Field(dict, required=False),
    "references": Field(list, required=False), "locator": Field(str, required=False),
}


@functools.lru_cache(maxsize=None)
def _routes() -> tuple:
    from helpers.core.data import DataError
    from helpers.safety import CHALLENGES_FILE

    rows = load_records(CHALLENGES_FILE, "regulation", _ROUTE_SCHEMA, unique=None,
                        strict=True)
    for i, row in enumerate(rows, start=1):
        own = {"text", "references", "locator"} <= set(row)
        if ("fact" in row) == own:
            raise DataError(f"{CHALLENGES_FILE}[regulation]: row {i}, field 'fact': give "
                            "either a fact id or text + references + locator")
    return tuple(rows)


def clinic_growth() -> list[dict]:
    """Return the survey counts: ``year``, ``when``, ``businesses``, ``clinics``, ``read_in``, ``fact``.

    ``read_in`` is ``"secondary reports of the paper"`` when the fact's locator says the
    counts were not read in the paper itself, else ``"the paper"``.
    """
    out = []
    for fid in SURVEYS:
        record = fact(fid)
        secondary = "secondary" in record["locator"].lower()
        out.append({"fact": fid, "year": record["source"]["year"],
                    "businesses": fact_number(fid, "businesses"),
                    "clinics": fact_number(fid, "clinics"),
                    "when": _when(record),
                    "read_in": "secondary reports of the paper" if secondary else "the paper"})
    return out


def _when(record: dict) -> str:
    month = record["numbers"].get("survey_month")
    if not month:
        return str(record["source"]["year"])
    import calendar

    year, mm = month.split("-")
    return f"{calendar.month_name[int(mm)]} {year}"


def growth_factor(what: str = "businesses") -> float:
    """Ratio of the 2021 to the 2016 count of ``what`` ("businesses" or "clinics")."""
    validate.choice("what", what, ("businesses", "clinics"))
    first, last = clinic_growth()
    return last[what] / first[what]


def regulatory_routes():
    """Table of regulatory rules and approved products (DataFrame).

    Columns ``region``, ``kind``, ``what it says`` and ``source`` (the fact's citation, or
    inline citations for a row with its own text), in the order of the data file.
    """
    import pandas as pd

    from helpers.core.data import fact_citation
    from helpers.core.references import cite

    out = []
    for row in _routes():
        if "fact" in row:
            text, source = fact(row["fact"])["claim"], fact_citation(row["fact"])
        else:
            text, source = row["text"], "; ".join(cite(k) for k in row["references"])
        out.append({"region": row["region"], "kind": row["kind"], "what it says": text,
                    "source": source})
    return pd.DataFrame(out)


def plot_clinic_growth(rows=None, *, ax=None):
    """Grouped bars of US businesses and clinics selling unapproved stem cell interventions.

    Parameters
    ----------
    rows : list of dict, optional
        Output of :func:`clinic_growth` (read from the package if omitted).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    rows = clinic_growth() if rows is None else rows
    validate.records("rows", rows, ("year", "businesses", "clinics", "read_in"))
    for i, r in enumerate(rows):
        for key in ("businesses", "clinics"):
            validate.count(f"rows[{i}][{key!r}]", r[key])
    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.6))
    width = 0.38
    for j, (what, hatch) in enumerate((("businesses", ""), ("clinics", "//"))):
        xs = [i + (j - 0.5) * width for i in range(len(rows))]
        values = [r[what] for r in rows]
        ax.bar(xs, values, width=width, color=COLORS[j], hatch=hatch, edgecolor="black",
               label=what)
        for x, v in zip(xs, values):
            ax.text(x, v * 1.02, f"{v:,}", ha="center", va="bottom")
    ax.set_xticks(range(len(rows)),
                  [f"{r['year']}" + ("*" if r["read_in"] != "the paper" else "") for r in rows])
    ax.set_ylabel("number in the USA")
    ax.set_ylim(0, max(r["clinics"] for r in rows) * 1.18)
    ax.legend(frameon=False, loc="upper left")
    return ax.figure
