"""MSC identity: the ISCT minimal criteria as a checker, and a figure of one marker panel.

The thresholds and marker lists are not typed here: they are read from the verified
background fact ``msc_isct_criteria`` (Dominici et al. 2006) shipped in
``helpers/data/background_facts.yaml``.

Examples
--------
>>> panel = {"CD105": 99, "CD73": 98, "CD90": 99, "CD45": 0.5, "CD34": 1,
...          "CD14": 0.4, "CD19": 0.2, "HLA-DR": 0.8}
>>> result = check_isct_criteria(True, panel, {"osteoblast": True, "adipocyte": True,
...                                            "chondroblast": True})
>>> result.passed
True

References
----------
Notebook ``03_msc_biology``.
Dominici M, Le Blanc K, Mueller I, et al. (2006). Minimal criteria for defining multipotent
mesenchymal stromal cells. The International Society for Cellular Therapy position
statement. Cytotherapy 8(4):315-317. doi:10.1080/14653240600855905
"""
from __future__ import annotations

import copy
import functools
import textwrap
from dataclasses import dataclass

from helpers.core.data import fact_number
from helpers.core.params import Flag, Range, ranged
from helpers.core.style import COLORS, keep_handles, updatable_axes
from helpers.core import validate

__all__ = ["isct_criteria", "valid_markers", "CriterionResult", "IsctResult",
           "check_isct_criteria", "example_panels", "panels_markdown", "plot_isct_panel",
           "source_group", "cell_sources"]

FACT_ID = "msc_isct_criteria"


@functools.lru_cache(maxsize=1)
def _criteria_cached() -> dict:
    keys = ("positive_markers", "positive_threshold_pct_ge", "negative_markers",
            "negative_threshold_pct_le", "lineages")
    return {k: fact_number(FACT_ID, k) for k in keys}


def isct_criteria() -> dict:
    """Return the ISCT minimal criteria as read from the packaged, verified fact.

    Returns
    -------
    dict
        ``positive_markers`` (list of str), ``positive_threshold_pct_ge`` (percent of cells
        that must be positive, >=), ``negative_markers`` (list of str; an entry such as
        ``"CD14 or CD11b"`` means either marker may be measured),
        ``negative_threshold_pct_le`` (percent that may be positive, <=) and ``lineages``.
    """
    return copy.deepcopy(_criteria_cached())


def _negative_groups(criteria: dict) -> list[tuple[str, ...]]:
    return [tuple(p.strip() for p in entry.split(" or ")) for entry in criteria["negative_markers"]]


def valid_markers() -> list[str]:
    """Return every marker name :func:`check_isct_criteria` accepts (positive, then negative)."""
    criteria = isct_criteria()
    names = list(criteria["positive_markers"])
    for group in _negative_groups(criteria):
        names.extend(group)
    return names


@dataclass(frozen=True)
class CriterionResult:
    """The verdict on one ISCT criterion, with the reason in words."""

    criterion: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class IsctResult:
    """Verdicts on all four ISCT criteria; ``passed`` only if every criterion passed."""

    criteria: tuple

    @property
    def passed(self) -> bool:
        """True if every criterion passed."""
        return all(c.passed for c in self.criteria)

    @property
    def failed(self) -> list[str]:
        """Names of the criteria that failed (empty if the cells qualify)."""
        return [c.criterion for c in self.criteria if not c.passed]

    def report(self) -> str:
        """Plain-text report: one line per criterion, then the overall verdict."""
        lines = [f"{'PASS' if c.passed else 'FAIL'}  {c.criterion}: {c.reason}"
                 for c in self.criteria]
        verdict = ("meets the ISCT minimal criteria" if self.passed else
                   "does NOT meet the ISCT minimal criteria")
        return "\n".join(lines + [f"Overall: {verdict}."])


def _check_percentages(markers) -> dict[str, float]:
    if not isinstance(markers, dict):
        raise ValueError(f"markers must be a dict of marker name -> percent positive; "
                         f"got {type(markers).__name__}")
    allowed = valid_markers()
    lookup = {name.upper(): name for name in allowed}
    clean = {}
    for name, value in markers.items():
        key = lookup.get(str(name).strip().upper())
        if key is None:
            raise ValueError(f"markers has unknown marker {name!r}; allowed: {allowed}")
        Range(0, 100, default=0).validate(f"markers[{name!r}] (percent positive)", value)
        clean[key] = float(value)
    return clean


def _check_differentiation(differentiation, lineages: list[str]) -> dict[str, bool]:
    if not isinstance(differentiation, dict):
        raise ValueError("differentiation must be a dict of lineage -> True/False, with "
                         f"lineages {lineages}; got {type(differentiation).__name__}")
    for name, value in differentiation.items():
        if name not in lineages:
            raise ValueError(f"differentiation has unknown lineage {name!r}; allowed: {lineages}")
        if not isinstance(value, bool):
            raise ValueError(f"differentiation[{name!r}] must be True or False; got {value!r}")
    return dict(differentiation)


def check_isct_criteria(plastic_adherent: bool, markers: dict, differentiation: dict) -> IsctResult:
    """Check a cell preparation against the ISCT minimal criteria for human MSCs.

    Parameters
    ----------
    plastic_adherent : bool
        Whether the cells adhere to plastic in standard culture.
    markers : dict of str to float
        Percent of cells positive (0 to 100) for each measured surface marker, e.g.
        ``{"CD105": 98.5, "HLA-DR": 0.7}``. Names are matched case-insensitively against
        :func:`valid_markers`. For the pairs "CD14 or CD11b" and "CD79a or CD19" one
        member must be measured; every measured member must meet the threshold.
    differentiation : dict of str to bool
        In-vitro differentiation result per lineage (``osteoblast``, ``adipocyte``,
        ``chondroblast``).

    Returns
    -------
    IsctResult
        One :class:`CriterionResult` per criterion (plastic adherence, positive markers,
        negative markers, trilineage differentiation); a missing measurement fails its
        criterion with the reason "not measured".

    Raises
    ------
    ValueError
        If ``plastic_adherent`` is not a bool, a marker name is unknown, a percentage is
        not a number between 0 and 100, or a lineage is unknown or not True/False.

    References
    ----------
    Notebook ``03_msc_biology``; Dominici et al. (2006), doi:10.1080/14653240600855905.
    """
    Flag().validate("plastic_adherent", plastic_adherent)
    criteria = isct_criteria()
    panel = _check_percentages(markers)
    lineages = list(criteria["lineages"])
    diff = _check_differentiation(differentiation, lineages)
    pos_min = criteria["positive_threshold_pct_ge"]
    neg_max = criteria["negative_threshold_pct_le"]
    results = [CriterionResult(
        "plastic adherence", plastic_adherent,
        "adheres to plastic in standard culture" if plastic_adherent
        else "does not adhere to plastic")]

    problems = []
    for name in criteria["positive_markers"]:
        if name not in panel:
            problems.append(f"{name} not measured")
        elif panel[name] < pos_min:
            problems.append(f"{name} {panel[name]:g}% < {pos_min:g}%")
    results.append(CriterionResult(
        f"positive markers (>= {pos_min:g}% positive)", not problems,
        "; ".join(problems) if problems else
        ", ".join(f"{n} {panel[n]:g}%" for n in criteria["positive_markers"])))

    problems, ok_text = [], []
    for group in _negative_groups(criteria):
        measured = [n for n in group if n in panel]
        if not measured:
            problems.append(f"{' or '.join(group)} not measured")
            continue
        for name in measured:
            if panel[name] > neg_max:
                problems.append(f"{name} {panel[name]:g}% > {neg_max:g}%")
            else:
                ok_text.append(f"{name} {panel[name]:g}%")
    results.append(CriterionResult(
        f"negative markers (<= {neg_max:g}% positive)", not problems,
        "; ".join(problems) if problems else ", ".join(ok_text)))

    missing = [n for n in lineages if n not in diff]
    failed = [n for n in lineages if diff.get(n) is False]
    reason = ("; ".join([f"{n} not tested" for n in missing] +
                        [f"no {n} differentiation" for n in failed])
              or "differentiates to " + ", ".join(lineages))
    results.append(CriterionResult("trilineage differentiation", not (missing or failed), reason))
    return IsctResult(tuple(results))


def example_panels() -> dict[str, dict]:
    """Three ILLUSTRATIVE flow-cytometry panels for the exercise in notebook 03.

    The percentages are invented for teaching (not measurements from any study); each
    panel also states plastic adherence and the trilineage result.

    Returns
    -------
    dict
        ``{"A": {...}, "B": {...}, "C": {...}}`` with keys ``plastic_adherent``,
        ``markers`` and ``differentiation`` (ready for :func:`check_isct_criteria`).
    """
    all_three = {"osteoblast": True, "adipocyte": True, "chondroblast": True}
    return {
        "A": {"plastic_adherent": True, "differentiation": dict(all_three),
              "markers": {"CD105": 98.7, "CD73": 99.4, "CD90": 99.1, "CD45": 0.6, "CD34": 1.1,
                          "CD11b": 0.9, "CD19": 0.3, "HLA-DR": 1.4}},
        "B": {"plastic_adherent": True, "differentiation": dict(all_three),
              "markers": {"CD105": 91.2, "CD73": 99.0, "CD90": 98.6, "CD45": 0.8, "CD34": 0.9,
                          "CD14": 1.2, "CD79a": 0.4, "HLA-DR": 0.9}},
        "C": {"plastic_adherent": True, "differentiation": dict(all_three),
              "markers": {"CD105": 97.9, "CD73": 98.8, "CD90": 99.3, "CD45": 1.0, "CD34": 1.6,
                          "CD14": 0.7, "CD19": 0.5, "HLA-DR": 23.5}},
    }


def panels_markdown(panels: dict | None = None) -> str:
    """Return the illustrative panels as a Markdown table (markers as rows, panels as columns).

    Parameters
    ----------
    panels : dict, optional
        Panels in the form returned by :func:`example_panels` (the default).
    """
    panels = example_panels() if panels is None else panels
    if not isinstance(panels, dict) or not panels:
        raise ValueError("panels must be a non-empty dict like example_panels() returns")
    keys = {"plastic_adherent", "markers", "differentiation"}
    for n, panel in panels.items():
        if not isinstance(panel, dict) or set(panel) != keys:
            raise ValueError(f"panels[{n!r}] must be a dict with the keys {sorted(keys)} (as "
                             f"example_panels returns); got {panel!r}")
        try:
            check_isct_criteria(**panel)
        except ValueError as err:
            raise ValueError(f"panels[{n!r}]: {err}") from None
    names = list(panels)
    values = [v for n in names for v in panels[n]["markers"].values() if v is not None]
    digits = max((len(f"{v:g}".partition(".")[2]) for v in values), default=0)  # one for all
    rows = []
    for marker in valid_markers():
        cells = [panels[n]["markers"].get(marker) for n in names]
        if any(c is not None for c in cells):
            rows.append(f"| {marker} (% positive) | " +
                        " | ".join("—" if c is None else f"{c:.{digits}f}" for c in cells)
                        + " |")
    yes = {True: "yes", False: "no"}
    rows.append("| plastic adherent | " +
                " | ".join(yes[panels[n]["plastic_adherent"]] for n in names) + " |")
    rows.append("| bone / fat / cartilage | " + " | ".join(
        " / ".join(yes[v] for v in panels[n]["differentiation"].values()) for n in names) + " |")
    header = "| | " + " | ".join(f"Panel {n}" for n in names) + " |"
    return "\n".join([header, "|---|" + "---|" * len(names), *rows])


_PCT = dict(low=0.0, high=100.0, step=0.5)


@ranged(
    cd105=Range(default=98.0, label="CD105 (% positive)", **_PCT),
    cd73=Range(default=99.0, label="CD73 (% positive)", **_PCT),
    cd90=Range(default=99.0, label="CD90 (% positive)", **_PCT),
    cd45=Range(default=1.0, label="CD45 (% positive)", **_PCT),
    cd34=Range(default=1.0, label="CD34 (% positive)", **_PCT),
    cd14=Range(default=0.5, label="CD14 (% positive)", **_PCT),
    cd19=Range(default=0.5, label="CD19 (% positive)", **_PCT),
    hla_dr=Range(default=1.0, label="HLA-DR (% positive)", **_PCT),
    plastic_adherent=Flag(True, label="plastic adherent"),
    trilineage=Flag(True, label="bone, fat and cartilage differentiation"),
)
def plot_isct_panel(cd105=98.0, cd73=99.0, cd90=99.0, cd45=1.0, cd34=1.0, cd14=0.5, cd19=0.5,
                    hla_dr=1.0, plastic_adherent=True, trilineage=True, *, ax=None):
    """Bar chart of a marker panel against the ISCT thresholds, with the verdict.

    Bars for markers that must be positive are solid, those that must be negative are
    hatched; a marker that misses its threshold is drawn in vermillion with an "x" marker
    above it. Each marker's name is followed by its value. Dashed lines mark the two
    thresholds; the x-axis label gives the overall verdict and the failed criteria.

    Parameters
    ----------
    cd105, cd73, cd90, cd45, cd34, cd14, cd19, hla_dr : float
        Percent of cells positive for each marker (0 to 100).
    plastic_adherent, trilineage : bool
        Culture and differentiation results (trilineage = all three lineages shown).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """

    criteria = isct_criteria()
    panel = {"CD105": cd105, "CD73": cd73, "CD90": cd90, "CD45": cd45, "CD34": cd34,
             "CD14": cd14, "CD19": cd19, "HLA-DR": hla_dr}
    lineages = {name: trilineage for name in criteria["lineages"]}
    result = check_isct_criteria(plastic_adherent, panel, lineages)
    ax = validate.axes("ax", ax)
    handles, made = None, ax is None
    if made:  # a live redraw only moves the bars, the markers and the labels
        _, ax, handles = updatable_axes("plot_isct_panel", (7.2, 4.4), left=0.1, right=0.98,
                                        bottom=0.25, top=0.97)
    positive = set(criteria["positive_markers"])
    pos_min, neg_max = criteria["positive_threshold_pct_ge"], criteria["negative_threshold_pct_le"]
    names = list(panel)
    ok = [panel[n] >= pos_min if n in positive else panel[n] <= neg_max for n in names]
    colors = [(COLORS[0] if n in positive else COLORS[1]) if good else COLORS[3]
              for n, good in zip(names, ok)]
    missed = [i for i, good in enumerate(ok) if not good]
    marks = ([float(i) for i in missed], [min(panel[names[i]] + 6, 104) for i in missed])
    # each bar's value under its name: every slider step changes the figure visibly
    ticks = [f"{n}\n{panel[n]:g}%" for n in names]
    failed = [name.split(" (")[0] for name in result.failed]
    verdict = "meets the ISCT criteria" if result.passed else "fails: " + ", ".join(failed)
    verdict = textwrap.fill(verdict, 60)  # all four criteria failed: two lines
    if handles is not None:
        bars, marker = handles
        for bar, value, color in zip(bars, panel.values(), colors):
            bar.set_height(value)
            bar.set_facecolor(color)
        marker.set_data(*marks)
        ax.set_xticklabels(ticks)
        ax.set_xlabel(verdict)
        return ax.figure
    # one bar call and one marker line: fewer artists make the widget's redraw cheaper
    bars = ax.bar(range(len(names)), list(panel.values()), color=colors, edgecolor="black",
                  hatch=["" if n in positive else "//" for n in names], width=0.7)
    marker, = ax.plot(*marks, marker="X", color=COLORS[3], markersize=10, linestyle="none")
    ax.axhline(pos_min, color="black", linestyle="--", linewidth=1)
    ax.axhline(neg_max, color="black", linestyle=":", linewidth=1)
    ax.text(len(names) - 0.5, pos_min - 2, f"positive: >= {pos_min:g}%", ha="right", va="top")
    ax.text(len(names) - 0.5, neg_max + 3, f"negative: <= {neg_max:g}%", ha="right", va="bottom")
    ax.set_xticks(range(len(names)), ticks)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_ylabel("cells positive (%)")
    ax.set_xlabel(verdict)
    if made:
        keep_handles(ax.figure, "plot_isct_panel", (list(bars), marker))
    return ax.figure


# --- notebook 03: which cells the lupus studies used ------------------------------------

#: Tissue-source groups, matched in order against a study's ``msc_source`` text.
_SOURCE_GROUPS = (("bone marrow or", "bone marrow and/or umbilical cord"),
                  ("bone marrow and/or", "bone marrow and/or umbilical cord"),
                  ("umbilical cord", "umbilical cord"), ("bone marrow", "bone marrow"),
                  ("adipose", "adipose tissue"))
NOT_STATED = "not stated in the source read"


def source_group(msc_source) -> str:
    """Group a study's ``msc_source`` text, e.g. ``'bone marrow or umbilical cord'``.

    Returns one of the groups in :data:`_SOURCE_GROUPS` or :data:`NOT_STATED` (for a
    missing source or a ``null (...)`` note).
    """
    if msc_source is None:
        return NOT_STATED
    if not isinstance(msc_source, str):
        raise ValueError(f"msc_source must be text or None; got {msc_source!r}")
    text = msc_source.strip().lower()
    for prefix, group in _SOURCE_GROUPS:
        if text.startswith(prefix):
            return group
    return NOT_STATED


def cell_sources() -> list[dict]:
    """Verified lupus MSC study reports grouped by tissue source, with donor-cell counts.

    Follow-up reports of an already listed cohort are left out, so each group counts
    patient cohorts reported once (from ``msc_sle_studies.yaml``, verified rows only).

    Returns
    -------
    list of dict
        One row per group (largest first): ``tissue source``, ``reports``,
        ``donor (allogeneic)`` and ``studies`` (first author and year).
    """
    from helpers.studies import studies

    groups: dict[str, list[dict]] = {}
    for row in studies(verified_only=True, by_year=True):
        if row["design"] != "follow-up":
            groups.setdefault(source_group(row["msc_source"]), []).append(row)
    table = [{"tissue source": group, "reports": len(rows),
              "donor (allogeneic)": sum(bool(r["allogeneic"]) for r in rows),
              "studies": ", ".join(f"{r['authors_short'].split(' ')[0]} {r['year']}"
                                   for r in rows)}
             for group, rows in groups.items()]
    return sorted(table, key=lambda r: (-r["reports"], r["tissue source"] == NOT_STATED,
                                        r["tissue source"]))
