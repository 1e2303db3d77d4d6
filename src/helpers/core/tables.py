"""Render small tables as Markdown, so they read well on GitHub and in JupyterLab alike.

Examples
--------
>>> print(markdown_table_text([{"a": 1, "b": "x|y"}]))
| a | b |
|---|---|
| 1 | x/y |
"""
from __future__ import annotations

import re

from helpers.core import validate

__all__ = ["markdown_table_text", "markdown_table"]


def _cell(value, digits: int | None, missing: str, escape_pipes: bool) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return missing
    if isinstance(value, float):
        return f"{value:g}" if digits is None else f"{value:.{digits}f}"
    if isinstance(value, (list, tuple)) and not escape_pipes:
        return _escape_dollars(", ".join(str(v) for v in value))
    text = str(value)
    if text in ("<NA>", "nan", "NaT"):
        return missing
    text = text.replace("|", "\\|") if escape_pipes else text.replace("|", "/")
    return _escape_dollars(text.replace("\n", " "))


def _escape_dollars(text: str) -> str:
    """``$`` -> ``\\$``: JupyterLab and GitHub read a pair of ``$`` as inline maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def markdown_table_text(rows, columns=None, *, headers=None, digits: int | None = None,
                        missing: str = "", escape_pipes: bool = False) -> str:
    """Return a Markdown table for a DataFrame or a list of dicts.

    Parameters
    ----------
    rows : pandas.DataFrame or list of dict
        The data.
    columns : list of str, optional
        Columns to show, in order (default: all).
    headers : list of str, optional
        Header texts (default: the column names).
    digits : int, optional
        Decimals for floats (default: shortest form, ``{:g}``).
    missing : str, default ""
        Text for None / NaN / NA cells.
    escape_pipes : bool, default False
        Escape ``|`` inside cells as ``\\|`` (default: replace it with ``/``).
        ``$`` in headers and cells is always escaped (``US$`` is not the start of maths).

    Raises
    ------
    ValueError
        If a requested column is missing or ``headers`` has the wrong length.
    """
    if digits is not None:
        digits = validate.count("digits", digits, high=15)
    validate.text("missing", missing, allow_empty=True)
    validate.flag("escape_pipes", escape_pipes)
    records = _records(rows)
    if not records:
        raise ValueError("rows must hold at least one row")
    available = list(records[0])
    columns = available if columns is None else _names("columns", columns)
    absent = [c for c in columns if c not in available]
    if absent:
        raise ValueError(f"columns must be among {available}; got {absent}")
    headers = columns if headers is None else _names("headers", headers)
    if len(headers) != len(columns):
        raise ValueError(f"headers must have {len(columns)} entries; got {len(headers)}")
    for i, r in enumerate(records):
        lacking = [c for c in columns if c not in r]
        if lacking:
            raise ValueError(f"rows[{i}] must have every column shown; it lacks {lacking}")
    lines = ["| " + " | ".join(_escape_dollars(str(h)) for h in headers) + " |",
             "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(r[c], digits, missing, escape_pipes) for c in columns)
              + " |" for r in records]
    return "\n".join(lines)


def _records(rows) -> list[dict]:
    """Rows as a list of dicts with the same keys (from a DataFrame or a list of dicts)."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    if isinstance(rows, (str, bytes, dict)) or not isinstance(rows, (list, tuple)):
        raise validate.ParameterTypeError(f"rows must be a DataFrame or a list of dicts; "
                                          f"got {type(rows).__name__}")
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise validate.ParameterTypeError(f"rows[{i}] must be a dict; got {r!r}")
    return list(rows)


def _names(name: str, values) -> list:
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, (list, tuple)):
        raise validate.ParameterTypeError(f"{name} must be a list of column names; "
                                          f"got {values!r}")
    for i, v in enumerate(values):
        if not isinstance(v, (str, int)) or isinstance(v, bool):
            raise validate.ParameterTypeError(f"{name}[{i}] must be a name; got {v!r}")
    return list(values)


def markdown_table(table, *, digits: int = 2):
    """Render a DataFrame as an IPython ``Markdown`` table, index dropped.

    Floats are rounded to ``digits``; None/NaN show as an em dash; ``|`` in cells is
    escaped. Used so that tables read well on GitHub and print identically on every run.
    """
    from IPython.display import Markdown

    if not (hasattr(table, "columns") and hasattr(table, "to_dict")):
        raise validate.ParameterTypeError(f"table must be a pandas DataFrame; got "
                                          f"{type(table).__name__}")
    digits = validate.count("digits", digits, high=15)
    headers = [str(c) for c in table.columns]
    return Markdown(markdown_table_text(table, headers=headers, digits=digits, missing="—",
                                        escape_pipes=True))
