"""Render small tables as Markdown, so they read well on GitHub and in JupyterLab alike.

Examples
--------
>>> print(markdown_table_text([{"a": 1, "b": "x|y"}]))
| a | b |
|---|---|
| 1 | x/y |
"""
from __future__ import annotations

__all__ = ["markdown_table_text"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return "" if text in ("<NA>", "nan", "NaT") else text.replace("|", "/").replace("\n", " ")


def markdown_table_text(rows, columns=None, *, headers=None) -> str:
    """Return a Markdown table for a DataFrame or a list of dicts.

    Parameters
    ----------
    rows : pandas.DataFrame or list of dict
        The data.
    columns : list of str, optional
        Columns to show, in order (default: all).
    headers : list of str, optional
        Header texts (default: the column names).

    Raises
    ------
    ValueError
        If a requested column is missing or ``headers`` has the wrong length.
    """
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    if not records:
        raise ValueError("rows must hold at least one row")
    available = list(records[0])
    columns = available if columns is None else list(columns)
    missing = [c for c in columns if c not in available]
    if missing:
        raise ValueError(f"columns must be among {available}; got {missing}")
    headers = columns if headers is None else list(headers)
    if len(headers) != len(columns):
        raise ValueError(f"headers must have {len(columns)} entries; got {len(headers)}")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(r[c]) for c in columns) + " |" for r in records]
    return "\n".join(lines)
