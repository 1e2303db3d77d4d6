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
