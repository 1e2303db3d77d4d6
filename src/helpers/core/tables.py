"""Render small tables as Markdown, so they read well on GitHub and in JupyterLab alike.

This module is the display layer of every table a notebook shows: the data keep their field
names and keys, and the table a reader sees has headers in words with units (one registry,
``helpers/data/display_labels.yaml``), study names instead of keys, doses written as a
clinician writes them (``1 × 10⁶ cells/kg``) and the same number of decimals down a column.

Examples
--------
>>> print(markdown_table_text([{"a": 1, "b": "x|y"}]))
| a | b |
|---|---|
| 1 | x/y |
>>> format_dose(2e6)
'2 × 10⁶ cells/kg'
"""
from __future__ import annotations

import functools
import math
import re

from helpers.core import validate

__all__ = ["markdown_table_text", "markdown_table", "column_label", "display_text",
           "format_dose", "dose_text", "key_names"]

LABELS_FILE = "display_labels.yaml"
_SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


# --- the label registry -----------------------------------------------------------------

@functools.cache
def _registry() -> dict:
    from helpers.core.data import read_yaml

    data = read_yaml(LABELS_FILE)
    return {"columns": dict(data["columns"]), "values": dict(data["values"])}


def column_label(name, overrides: dict | None = None) -> str:
    """Header text for a field name: ``"follow_up_months"`` -> ``"Follow-up (months)"``.

    Looks the name up in ``overrides`` (one table's own labels), then in the registry
    ``helpers/data/display_labels.yaml``; any other name has its underscores read as spaces.
    The first letter is capitalised (sentence case) unless the first word is a single letter
    or a symbol (``n``, ``k``).

    Raises
    ------
    TypeError
        If ``name`` is not a string or an integer.
    """
    if not isinstance(name, (str, int)) or isinstance(name, bool):
        raise validate.ParameterTypeError(f"name must be a column name; got {name!r}")
    text = str(name)
    if overrides and text in overrides:
        return str(overrides[text])
    registry = _registry()["columns"]
    if text in registry:
        return registry[text]
    text = text.replace("_", " ") if _SNAKE.fullmatch(text) else text
    return _sentence_case(text)


def _sentence_case(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isalpha() and first.islower():
        return text[0].upper() + text[1:]
    return text


def _meta_label(meta: dict) -> str:
    """'Zhou 2020 (meta-analysis)' from a review's citation text."""
    citation = meta.get("citation") or ""
    author = re.match(r"([A-Z][A-Za-z'-]+) [A-Z]{1,3}[,.]", citation)
    year = re.search(r"\b(19|20)\d{2}\b", citation)
    if author and year:
        return f"{author.group(1)} {year.group(0)} (meta-analysis)"
    return citation.split(",")[0].strip() or meta["id"]


@functools.cache
def _key_names() -> dict:
    from helpers import studies  # topic data named by their own module (lazy: no cycle)

    names = {r["id"]: studies.study_label(r["id"]) for r in studies.studies()}
    names.update({m["id"]: _meta_label(m) for m in studies.meta_analyses()})
    for group_id, group in studies.overlap_groups().items():
        names[group_id] = group.get("short_label") or group["label"].split(" (")[0]
    return names


def key_names() -> dict[str, str]:
    """Return ``{key: display name}`` for every study, review and overlap-group key.

    Names come from the data files (``'wang2014'`` -> ``'Wang 2014'``, ``'zhou2020_meta'``
    -> ``'Zhou 2020 (meta-analysis)'``, ``'nanjing_drum_tower'`` -> the group's label).
    """
    return dict(_key_names())


_KEY_TOKEN = re.compile(r"(?<![\w/.#=:-])([a-z][a-z0-9_]*[a-z0-9])(?![\w/-])")
_SCIENTIFIC = re.compile(r"(?<![\w./])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])")
_TIMES_TEN = re.compile(r"\s*x\s*10\^([+-]?\d+)(\s*/\s*kg)?")


def display_text(text: str) -> str:
    """A cell's text as a reader should see it.

    Study, review and overlap-group keys become their names (also inside a sentence, never
    inside a link address); other snake_case codes read as words; numbers in scientific
    notation (``1.0e6``, ``x10^6/kg``) are written with a power of ten (``1 × 10⁶``).

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    """
    validate.text("text", text, allow_empty=True)
    values = _registry()["values"]
    if text in values:
        return values[text]
    names = _key_names()
    text = _KEY_TOKEN.sub(lambda m: _word(m.group(1), names), text)
    return _powers_of_ten(text)


def _word(token: str, names: dict) -> str:
    if token in names:
        return names[token]
    return token.replace("_", " ") if _SNAKE.fullmatch(token) else token


def _powers_of_ten(text: str) -> str:
    text = _SCIENTIFIC.sub(lambda m: _scientific(float(m.group(0))), text)
    return _TIMES_TEN.sub(lambda m: " × 10" + m.group(1).translate(_SUPERSCRIPT)
                          + (" cells/kg" if m.group(2) else ""), text)


# --- doses ------------------------------------------------------------------------------

def _mantissa(value: float, exponent: int) -> str:
    return f"{value / 10 ** exponent:.3g}"


def _scientific(value: float, exponent: int | None = None) -> str:
    if value == 0:
        return "0"
    if exponent is None:
        exponent = math.floor(math.log10(abs(value)))
        if _mantissa(value, exponent) == "10":  # 9.999e5 rounds up to the next power
            exponent += 1
    mantissa = _mantissa(value, exponent)
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def format_dose(value, *, unit: str = "cells/kg", exponent: int | None = None) -> str:
    """Write a cell dose as a clinician does: ``1e6`` -> ``'1 × 10⁶ cells/kg'``.

    Parameters
    ----------
    value : float or (float, float)
        A dose, or a range ``(low, high)`` (written ``'1–2 × 10⁶ cells/kg'``, both ends on
        the power of ten of the higher end).
    unit : str, default "cells/kg"
        Unit written after the number (``"cells"`` for a total dose).
    exponent : int, optional
        Power of ten to write the dose in (``exponent=6``: ``0.5e6`` -> ``'0.5 × 10⁶'``);
        default: the dose's own (``0.5e6`` -> ``'5 × 10⁵'``).

    Raises
    ------
    ValueError
        If a dose is not positive and finite, or a range is reversed.
    """
    validate.text("unit", unit, allow_empty=True)
    if exponent is not None:
        exponent = validate.count("exponent", exponent, low=-30, high=30)
    tail = f" {unit}" if unit else ""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"value must be a dose or a (low, high) range; got {value!r}")
        low = validate.real("value[0]", value[0], low=0, low_open=True)
        high = validate.real("value[1]", value[1], low=low)
        power = math.floor(math.log10(high)) if exponent is None else exponent
        if exponent is None and _mantissa(high, power) == "10":
            power += 1
        return f"{_mantissa(low, power)}–{_scientific(high, power)}{tail}"
    value = validate.real("value", value, low=0, low_open=True)
    return _scientific(value, exponent) + tail


def dose_text(value, *, unit: str = "cells/kg") -> str:
    """A dose field as a table shows it: a number through :func:`format_dose`, a text as read.

    A text dose (``"1e6 per the registered protocol ..."``) has its numbers written with a
    power of ten, and the unit after its first number when the text names none.
    """
    validate.text("unit", unit)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_dose(value, unit=unit)
    validate.text("value", value)
    if "/kg" in value or "cells" in value or unit in value:
        return _powers_of_ten(value)
    first = _SCIENTIFIC.search(value)
    if first is None:
        return _powers_of_ten(value)
    head = _scientific(float(first.group(0))) + f" {unit}"
    return head + _powers_of_ten(value[first.end():])


# --- rendering --------------------------------------------------------------------------

def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (
        isinstance(value, str) and value in ("<NA>", "nan", "NaT"))


def _is_real(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and not math.isfinite(value))


def _decimals(value: float) -> int:
    text = f"{value:.6g}"
    if "e" in text:
        return 0
    return len(text.split(".")[1]) if "." in text else 0


def _column_decimals(values, digits: int | None) -> int | None:
    """Decimals for a column's numbers: ``digits``, or enough for its most precise float.

    None when the column holds no fractional float (integers print as they are).
    """
    floats = [v for v in values if _is_real(v) and isinstance(v, float)]
    if not floats or (digits is None and all(v.is_integer() for v in floats)):
        return None
    if digits is not None:
        return digits
    return min(max(_decimals(v) for v in floats), 6)


def _cell(value, decimals: int | None, missing: str, escape_pipes: bool) -> str:
    if _is_missing(value):
        return missing
    if _is_real(value):
        if decimals is None:
            text = f"{value:g}" if isinstance(value, float) else str(value)
            return _scientific(float(value)) if "e" in text else text
        return f"{value:.{decimals}f}"
    if isinstance(value, (list, tuple)) and not escape_pipes:
        return _escape_dollars(", ".join(display_text(str(v)) for v in value))
    text = display_text(str(value))
    text = text.replace("|", "\\|") if escape_pipes else text.replace("|", "/")
    return _escape_dollars(text.replace("\n", " "))


def _escape_dollars(text: str) -> str:
    """``$`` -> ``\\$``: JupyterLab and GitHub read a pair of ``$`` as inline maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def markdown_table_text(rows, columns=None, *, headers=None, digits: int | None = None,
                        missing: str = "", escape_pipes: bool = False) -> str:
    """Return a Markdown table for a DataFrame or a list of dicts, for a reader.

    Headers default to each column's label (:func:`column_label`; a DataFrame may carry its
    own in ``attrs["column_labels"]``); given headers are shown in sentence case. Keys in
    cells become names and scientific notation a power of ten (:func:`display_text`).
    Every float of a column has the same decimals.

    Parameters
    ----------
    rows : pandas.DataFrame or list of dict
        The data.
    columns : list of str, optional
        Columns to show, in order (default: all).
    headers : list of str, optional
        Header texts (default: the columns' labels).
    digits : int, optional
        Decimals for floats (default: per column, as many as its most precise float needs,
        at most 6).
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
    overrides = dict(getattr(rows, "attrs", {}).get("column_labels", {})) \
        if hasattr(rows, "columns") else {}
    records = _records(rows)
    if not records:
        raise ValueError("rows must hold at least one row")
    available = list(records[0])
    columns = available if columns is None else _names("columns", columns)
    absent = [c for c in columns if c not in available]
    if absent:
        raise ValueError(f"columns must be among {available}; got {absent}")
    if headers is None:
        headers = [column_label(c, overrides) for c in columns]
    else:
        headers = [_sentence_case(str(h)) for h in _names("headers", headers)]
    if len(headers) != len(columns):
        raise ValueError(f"headers must have {len(columns)} entries; got {len(headers)}")
    for i, r in enumerate(records):
        lacking = [c for c in columns if c not in r]
        if lacking:
            raise ValueError(f"rows[{i}] must have every column shown; it lacks {lacking}")
    decimals = {c: _column_decimals([r[c] for r in records], digits) for c in columns}
    lines = ["| " + " | ".join(_escape_dollars(str(h)) for h in headers) + " |",
             "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(r[c], decimals[c], missing, escape_pipes)
                                for c in columns) + " |" for r in records]
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
    """Render a DataFrame as an IPython ``Markdown`` table for a reader, index dropped.

    Floats are rounded to ``digits``; None/NaN show as an em dash; ``|`` in cells is
    escaped; headers, keys and doses go through the display layer of
    :func:`markdown_table_text`. Used so that tables read well on GitHub and print
    identically on every run.
    """
    from IPython.display import Markdown

    if not (hasattr(table, "columns") and hasattr(table, "to_dict")):
        raise validate.ParameterTypeError(f"table must be a pandas DataFrame; got "
                                          f"{type(table).__name__}")
    digits = validate.count("digits", digits, high=15)
    return Markdown(markdown_table_text(table, digits=digits, missing="—", escape_pipes=True))
