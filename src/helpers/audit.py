"""The series' audit of the seed article's claims, kept as data.

``claim_audit.yaml`` lists each substantive claim of the promotional seed article in one
paraphrased line, with the verdict this series supports, the strength of evidence, the
notebook that shows it and reference keys. Tests check that every claim has a verdict from
:data:`VERDICTS`, references that resolve, and a notebook in :data:`PLANNED_NOTEBOOKS` (and,
when that notebook already exists in ``notebooks/``, that the file is there).

Examples
--------
>>> table = audit_table()
>>> set(table["verdict"]) <= set(VERDICTS)
True
>>> verdict_counts()["supported"] >= 1
True

References
----------
Notebook 08_future_directions (closing synthesis); every notebook of the series.
"""
from __future__ import annotations

import functools

from helpers.core.data import Field, load_records
from helpers.safety import STRENGTHS
from helpers.core import validate

__all__ = ["AUDIT_FILE", "VERDICTS", "STRENGTHS", "PLANNED_NOTEBOOKS", "claims", "audit_table",
           "verdict_counts", "notebook_link", "plot_verdicts"]

AUDIT_FILE = "claim_audit.yaml"
#: Allowed verdicts, from most to least favourable to the claim.
VERDICTS = ("supported", "partly supported", "not supported", "not yet known")
#: The notebooks of the complete series (some are written in parallel on other branches).
PLANNED_NOTEBOOKS = ("00_start_here", "01_lupus_pathology", "02_treatment_burden",
                     "03_msc_biology", "04_msc_immunomodulation", "05_trial_evidence",
                     "06_reading_trials_critically", "07_open_challenges",
                     "08_future_directions")

_SCHEMA = {
    "id": Field(str, pattern=r"c\d\d_[a-z0-9_]+"),
    "section": Field(str),
    "claim": Field(str),
    "verdict": Field(str, choices=VERDICTS),
    "strength": Field(str, choices=STRENGTHS),
    "notebook": Field(str, choices=PLANNED_NOTEBOOKS),
    "references": Field(list),
    "reason": Field(str),
}


@functools.lru_cache(maxsize=None)
def _load() -> tuple:
    return tuple(load_records(AUDIT_FILE, "claims", _SCHEMA, strict=True))


def claims() -> list[dict]:
    """Return the audited claims (copies of the validated records)."""
    return [dict(r, references=list(r["references"])) for r in _load()]


def notebook_link(notebook: str) -> str:
    """Markdown link to a notebook of the series, e.g. ``[05](05_trial_evidence.ipynb)``.

    Raises
    ------
    ValueError
        If ``notebook`` is not in :data:`PLANNED_NOTEBOOKS`.
    """
    if notebook not in PLANNED_NOTEBOOKS:
        raise ValueError(f"notebook must be one of {list(PLANNED_NOTEBOOKS)}; got {notebook!r}")
    return f"[{notebook[:2]}]({notebook}.ipynb)"


def audit_table(*, links: bool = False):
    """The audit as a DataFrame: claim, verdict, strength, notebook, references.

    Parameters
    ----------
    links : bool, default False
        If True, ``notebook`` holds a Markdown link and ``references`` inline citations
        (for display with ``Markdown``); otherwise plain names and keys.
    """
    import pandas as pd

    from helpers.core.references import cite

    if not isinstance(links, bool):
        raise ValueError(f"links must be True or False; got {links!r}")
    rows = []
    for c in claims():
        rows.append({"claim": c["claim"], "verdict": c["verdict"], "strength": c["strength"],
                     "notebook": notebook_link(c["notebook"]) if links else c["notebook"],
                     "references": ("; ".join(cite(k) for k in c["references"]) if links
                                    else ", ".join(c["references"])),
                     "why": c["reason"]})
    return pd.DataFrame(rows)


def verdict_counts() -> dict[str, int]:
    """Number of claims per verdict, in the order of :data:`VERDICTS`."""
    found = [c["verdict"] for c in claims()]
    return {v: found.count(v) for v in VERDICTS}


def plot_verdicts(*, ax=None):
    """Stacked horizontal bars: claims per verdict, split by strength of evidence.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from helpers.core.style import COLORS

    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.8, 3.4))
    data = claims()
    hatches = ("", "//", "..", "xx")
    y = list(range(len(VERDICTS)))[::-1]
    left = [0] * len(VERDICTS)
    for k, strength in enumerate(STRENGTHS):
        counts = [sum(1 for c in data if c["verdict"] == v and c["strength"] == strength)
                  for v in VERDICTS]
        ax.barh(y, counts, left=left, color=COLORS[k], hatch=hatches[k], edgecolor="black",
                label=f"{strength} evidence")
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(y, list(VERDICTS))
    ax.set_xlabel("claims of the seed article")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax.figure
