"""helpers.core.tables: Markdown tables from DataFrames or dicts."""
import pandas as pd
import pytest

from helpers.core.tables import markdown_table_text as markdown_table


def test_dataframe_and_missing_values():
    df = pd.DataFrame({"a": [1.5, float("nan")], "b": [None, "x\ny"]})
    text = markdown_table(df, headers=["A", "B"])
    assert text.splitlines() == ["| A | B |", "|---|---|", "| 1.5 |  |", "|  | x y |"]


def test_validation():
    with pytest.raises(ValueError, match="columns"):
        markdown_table([{"a": 1}], ["b"])
    with pytest.raises(ValueError, match="headers"):
        markdown_table([{"a": 1}], headers=["x", "y"])
    with pytest.raises(ValueError, match="rows"):
        markdown_table([])


def test_markdown_table_object_rounds_marks_missing_and_escapes_pipes():
    import pandas as pd

    from helpers.core.tables import markdown_table

    md = markdown_table(pd.DataFrame({"a": [1.23456, None], "b": ["x|y", "z"]})).data
    assert md.splitlines() == ["| a | b |", "|---|---|", "| 1.23 | x\\|y |", "| — | z |"]


def test_dollar_signs_are_escaped_so_they_do_not_start_maths():
    text = markdown_table([{"a": "k US$, assumed", "b": "US$ 2", "c": ["1 $", "2 $"]}],
                          headers=["cost (US$)", "b", "c"])
    assert "US\\$" in text.splitlines()[0]
    assert "k US\\$, assumed" in text and "US\\$ 2" in text and "1 \\$, 2 \\$" in text
    assert "\\\\$" not in markdown_table([{"a": "already \\$"}])  # no double escape


# --- the display layer: tables for people ----------------------------------------------

import re  # noqa: E402

from helpers.core import tables  # noqa: E402


@pytest.mark.parametrize("value, text", [
    (1e6, "1 × 10⁶ cells/kg"), (2e6, "2 × 10⁶ cells/kg"), (0.5e6, "5 × 10⁵ cells/kg"),
    (1.5e5, "1.5 × 10⁵ cells/kg"), (9.999e5, "1 × 10⁶ cells/kg"),
    ((1e6, 2e6), "1–2 × 10⁶ cells/kg"), ((0.5e6, 2e6), "0.5–2 × 10⁶ cells/kg"),
    ((1.5e5, 1.5e5), "1.5–1.5 × 10⁵ cells/kg")])
def test_format_dose_writes_a_power_of_ten(value, text):
    assert tables.format_dose(value) == text


def test_format_dose_options_and_errors():
    assert tables.format_dose(0.5e6, exponent=6) == "0.5 × 10⁶ cells/kg"
    assert tables.format_dose(2e8, unit="cells in total") == "2 × 10⁸ cells in total"
    for bad in (0, -1e6, float("nan"), float("inf"), (2e6, 1e6), (1e6,), (1e6, 2e6, 3e6)):
        with pytest.raises(ValueError, match="value"):
            tables.format_dose(bad)
    with pytest.raises(TypeError, match="value"):
        tables.format_dose("1e6")
    with pytest.raises(ValueError, match="exponent"):
        tables.format_dose(1e6, exponent=99)


def test_dose_text_rewrites_scientific_notation_in_a_dose_as_reported():
    assert tables.dose_text(1.0e6) == "1 × 10⁶ cells/kg"
    assert tables.dose_text("1e6 per the registered protocol") == \
        "1 × 10⁶ cells/kg per the registered protocol"
    assert tables.dose_text("2e6 (n=5) or 4e6 (n=3); median 2 (IQR 2-4) x10^6/kg") == \
        "2 × 10⁶ (n=5) or 4 × 10⁶ (n=3); median 2 (IQR 2-4) × 10⁶ cells/kg"
    assert tables.dose_text("not reported") == "not reported"


def test_keys_become_names_but_not_inside_links():
    assert tables.display_text("wang2014") == "Wang 2014"
    assert tables.display_text("reported - see farge2025") == "reported - see Farge 2025"
    assert tables.display_text("zhou2020_meta") == "Zhou 2020 (meta-analysis)"
    assert tables.display_text("nanjing_drum_tower") == "Nanjing Drum Tower programme"
    assert tables.display_text("urine_protein (mean difference)") == \
        "urine protein (mean difference)"
    link = "[Wang et al., 2014](https://example.org/wang2014/a_b)"
    assert tables.display_text(link) == link


def test_column_labels_come_from_the_registry_or_read_as_words():
    assert tables.column_label("follow_up_months") == "Follow-up (months)"
    assert tables.column_label("overlap_group").startswith("Shared patients")
    assert tables.column_label("cell_source") == "Cell source"
    assert tables.column_label("n_per_arm", {"n_per_arm": "Per arm"}) == "Per arm"
    assert tables.column_label("k") == "Studies (k)" and tables.column_label("x") == "x"
    with pytest.raises(TypeError, match="name"):
        tables.column_label(None)


def test_decimals_are_the_same_down_a_column():
    text = markdown_table([{"a": 99.0, "b": 1, "c": 1e6}, {"a": 98.75, "b": 2, "c": 2e6}])
    assert text.splitlines()[2:] == ["| 99.00 | 1 | 1 × 10⁶ |", "| 98.75 | 2 | 2 × 10⁶ |"]
    assert markdown_table([{"a": 99.0}, {"a": 98.0}]).splitlines()[2] == "| 99 |"


_SNAKE_HEADER = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
_LINK = re.compile(r"\]\([^)]*\)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _notebook_tables():
    """Every DataFrame / row list a notebook renders with markdown_table(_text), as it calls it."""
    from helpers import (audit, costs, critical_reading, msc, outlook, regulation, safety,
                         standardisation, trial_evidence)

    overview = trial_evidence.overview_display()
    placebo = critical_reading.placebo_responses()
    return {
        "05 overview": (overview[["study", "design", "n", "cells", "dose", "follow_up_months",
                                  "overlap_group", "verified"]], None),
        "05 registry": (trial_evidence.registry_table(), None),
        "05 pooling methods": (trial_evidence.pooling_methods_table(), None),
        "05 definitions": (trial_evidence.response_definitions(), None),
        "05 leave one out": (trial_evidence.leave_one_out_response(), None),
        "05 RCT": (trial_evidence.rct_results(), None),
        "05 by design": (trial_evidence.response_by_design(), None),
        "05 comparison": (trial_evidence.comparison_table(), None),
        "06 placebo": (placebo[["trial", "endpoint", "placebo_pct", "active_pct",
                                "difference_pct", "note"]], None),
        "06 scenarios": (critical_reading.msc_trial_scenarios()[0], None),
        "06 risk of bias": (critical_reading.risk_of_bias(wide=True), None),
        "03 sources": (msc.cell_sources(), None),
        "07 harms": (safety.safety_table(), None),
        "07 products": (standardisation.heterogeneity_table(), None),
        "07 routes": (regulation.regulatory_routes(), ["region", "kind", "what it says",
                                                       "source"]),
        "07 costs": (costs.cost_assumptions(), None),
        "08 markers": (outlook.biomarker_studies(), None),
        "08 long term": (outlook.long_term_table(), None),
        "08 CAR-T": (outlook.cart_vs_msc(), None),
        "08 audit": (audit.audit_table(links=True), None),
    }


@pytest.fixture(scope="module")
def rendered():
    from helpers.msc import panels_markdown

    out = {name: markdown_table(rows, columns) for name, (rows, columns)
           in _notebook_tables().items()}
    out["03 panels"] = panels_markdown()  # built by its topic module, shown as it is
    return out


def _cells(text):
    lines = text.splitlines()
    header = [h.strip() for h in lines[0].strip("|").split(" | ")]
    body = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])] for line in lines[2:]]
    return header, body


def test_no_table_a_notebook_shows_has_a_snake_case_header(rendered):
    for name, text in rendered.items():
        header, _ = _cells(text)
        bad = [h for h in header if _SNAKE_HEADER.search(h)]
        assert not bad, f"{name}: headers {bad} are field names, not words"


def test_no_table_a_notebook_shows_has_a_raw_key(rendered):
    keys = tables.key_names()
    for name, text in rendered.items():
        words = set(re.findall(r"[a-z][a-z0-9_]*[a-z0-9]", _LINK.sub("]", text)))
        raw = sorted(words & set(keys))
        assert not raw, f"{name}: shows keys {raw}; expected names such as {keys[raw[0]]!r}"


def test_decimals_are_consistent_in_every_column_a_notebook_shows(rendered):
    for name, text in rendered.items():
        header, body = _cells(text)
        for j, column in enumerate(header):
            numbers = [row[j] for row in body if _NUMBER.fullmatch(row[j])]
            places = {len(x.split(".")[1]) if "." in x else 0 for x in numbers}
            assert len(places) <= 1, f"{name}, column {column!r}: decimals {sorted(places)}"
