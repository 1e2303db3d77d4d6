"""Load data files shipped inside the package, validated against a schema, with provenance.

Data live in ``helpers/data/`` and are read with :mod:`importlib.resources`, so notebooks
work from any working directory and never touch the network.  Each file has a ``meta``
block (title, source, ``literature_last_searched``, licence) and one or more record lists.
Domain modules declare the schema of the records they use (a ``dict`` of :class:`Field`)
next to the code that uses them and call :func:`load_records`.

Examples
--------
>>> tian = fact("epi_global_prevalence")
>>> tian["numbers"]["prevalence_per_100k"]
43.7
>>> fact_number("epi_global_prevalence", "prevalence_per_100k")
43.7
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from helpers.core import validate

__all__ = [
    "Field",
    "DataError",
    "read_yaml",
    "validate_records",
    "load_records",
    "load_fragments",
    "provenance",
    "data_files",
    "facts",
    "fact",
    "fact_number",
    "fact_citation",
    "FACT_SCHEMA",
    "SOURCE_SCHEMA",
]


class DataError(ValueError):
    """A packaged data file does not match its schema (names file, row and field)."""


@dataclass(frozen=True)
class Field:
    """Schema of one record field.

    Parameters
    ----------
    types : type or tuple of types
        Allowed Python types after YAML parsing (``None`` is allowed only if ``nullable``).
    required : bool, default True
        Whether the key must be present.
    nullable : bool, default False
        Whether ``None`` (YAML ``null``) is allowed.
    choices : tuple, optional
        Allowed values.
    low, high : float, optional
        Inclusive numeric bounds.
    pattern : str, optional
        Regular expression a string must match in full.
    schema : dict, optional
        Schema of a nested mapping (validated recursively).
    """

    types: Any
    required: bool = True
    nullable: bool = False
    choices: tuple | None = None
    low: float | None = None
    high: float | None = None
    pattern: str | None = None
    schema: dict | None = None

    def problem(self, value: Any) -> str | None:
        """Return a description of what is wrong with ``value``, or None if it is valid."""
        if value is None:
            return None if self.nullable else "must not be empty (null)"
        types = self.types if isinstance(self.types, tuple) else (self.types,)
        if isinstance(value, bool) and bool not in types:
            return f"must be {' or '.join(t.__name__ for t in types)}, not a bool"
        if not isinstance(value, types):
            names = " or ".join(t.__name__ for t in types)
            return f"must be {names}, not {type(value).__name__} ({value!r})"
        if self.choices is not None and value not in self.choices:
            return f"must be one of {list(self.choices)}; got {value!r}"
        if self.low is not None and value < self.low:
            return f"must be between {self.low} and {self.high}; got {value!r}"
        if self.high is not None and value > self.high:
            return f"must be between {self.low} and {self.high}; got {value!r}"
        if self.pattern is not None and not re.fullmatch(self.pattern, str(value)):
            return f"must match {self.pattern!r}; got {value!r}"
        return None


SOURCE_SCHEMA = {
    "authors": Field(str),
    "year": Field(int, low=1900, high=2100),
    "title": Field(str),
    "journal": Field(str),
    "doi": Field(str, nullable=True, pattern=r"10\.\d{4,9}/\S+"),
}

FACT_SCHEMA = {
    "id": Field(str, pattern=r"[a-z0-9_]+"),
    "topic": Field(str),
    "claim": Field(str),
    "numbers": Field(dict),
    "source": Field(dict, schema=SOURCE_SCHEMA),
    "locator": Field(str),
    "verified": Field(bool),
    "note": Field(str, required=False),
}

META_SCHEMA = {
    "title": Field(str),
    "source": Field(str),
    "literature_last_searched": Field(str, pattern=r"\d{4}-\d{2}(-\d{2})?"),
    "licence": Field(str),
}


def data_files() -> list[str]:
    """Return the names of the YAML data files shipped in ``helpers/data``."""
    root = resources.files("helpers") / "data"
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".yaml"))


def _resource(filename: str):
    if not isinstance(filename, str) or ".." in filename or filename.startswith("/"):
        raise ValueError(f"filename must be a file name inside helpers/data; got {filename!r}")
    path = resources.files("helpers") / "data"
    for part in filename.split("/"):
        path = path / part
    if not path.is_file():
        raise ValueError(f"filename must be one of the packaged data files {data_files()}; "
                         f"got {filename!r}")
    return path


@functools.lru_cache(maxsize=None)
def _read_yaml_cached(filename: str) -> Any:
    import yaml

    text = _resource(filename).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def read_yaml(filename: str) -> Any:
    """Parse a packaged YAML file (cached; the caller gets a fresh deep copy)."""
    import copy

    return copy.deepcopy(_read_yaml_cached(filename))


def _where(filename: str, row: int, record: Any, path: str) -> str:
    ident = f" (id {record['id']!r})" if isinstance(record, dict) and "id" in record else ""
    return f"{filename}: row {row}{ident}, field {path!r}"


def _validate_mapping(filename: str, row: int, record: dict, schema: dict, prefix: str,
                      top: dict) -> None:
    if not isinstance(record, dict):
        raise DataError(f"{_where(filename, row, top, prefix or 'row')} must be a mapping, "
                        f"not {type(record).__name__}")
    for key, spec in schema.items():
        path = f"{prefix}{key}"
        if key not in record:
            if spec.required:
                raise DataError(f"{_where(filename, row, top, path)} is missing")
            continue
        problem = spec.problem(record[key])
        if problem:
            raise DataError(f"{_where(filename, row, top, path)} {problem}")
        if spec.schema is not None and record[key] is not None:
            _validate_mapping(filename, row, record[key], spec.schema, f"{path}.", top)


def validate_records(records: Any, schema: dict, *, filename: str = "<records>",
                     unique: str | None = "id", strict: bool = False) -> list[dict]:
    """Check a list of records against a schema; return it unchanged if valid.

    Parameters
    ----------
    records : list of dict
        Parsed records.
    schema : dict of str to Field
        Expected fields.
    filename : str
        Used in error messages.
    unique : str or None, default "id"
        A field whose values must be unique across records.
    strict : bool, default False
        If True, keys not in the schema are errors (catches typos in field names).

    Raises
    ------
    DataError
        (a ``ValueError``) naming the file, the row (1-based, with its id) and the field.
    """
    if not isinstance(records, list) or not records:
        raise DataError(f"{filename}: expected a non-empty list of records; got "
                        f"{type(records).__name__}")
    seen: dict = {}
    for row, record in enumerate(records, start=1):
        _validate_mapping(filename, row, record, schema, "", record)
        if strict:
            extra = sorted(set(record) - set(schema))
            if extra:
                raise DataError(f"{_where(filename, row, record, extra[0])} is not in the "
                                f"schema (allowed: {sorted(schema)})")
        if unique and unique in record:
            key = record[unique]
            if key in seen:
                raise DataError(f"{_where(filename, row, record, unique)} repeats row {seen[key]}")
            seen[key] = row
    return records


def load_records(filename: str, key: str, schema: dict, **options: Any) -> list[dict]:
    """Load ``doc[key]`` from a packaged YAML file and validate it against ``schema``.

    Extra keyword arguments go to :func:`validate_records`.
    """
    doc = read_yaml(filename)
    if not isinstance(doc, dict) or key not in doc:
        raise DataError(f"{filename}: has no top-level key {key!r}")
    return validate_records(doc[key], schema, filename=f"{filename}[{key}]", **options)


def load_fragments(folder: str, key: str, schema: dict, unique: str) -> list[dict]:
    """Load and merge ``doc[key]`` from every YAML file in ``helpers/data/<folder>/``.

    Each file is validated on its own (errors name the fragment file) and the merged list
    is checked for values of ``unique`` repeated across files.
    """
    import yaml

    root = resources.files("helpers") / "data" / folder
    merged: list[dict] = []
    for path in sorted(root.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml"):
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            merged.extend(validate_records(doc.get(key), schema, unique=unique, strict=True,
                                           filename=f"{folder}/{path.name}"))
    return validate_records(merged, schema, unique=unique, filename=f"{folder}/*.yaml")


def provenance(filename: str) -> dict:
    """Return the ``meta`` block of a data file (title, source, last searched date, licence).

    Raises
    ------
    DataError
        If the block is missing or incomplete.
    """
    validate.text("filename", filename)
    doc = read_yaml(filename)
    meta = doc.get("meta") if isinstance(doc, dict) else None
    validate_records([meta], META_SCHEMA, filename=f"{filename}[meta]", unique=None)
    return meta


# --- background facts -------------------------------------------------------------------

FACTS_FILE = "background_facts.yaml"


def facts(topic: str | None = None, *, verified_only: bool = False) -> list[dict]:
    """Return the curated background facts, optionally filtered by topic / verification."""
    validate.flag("verified_only", verified_only)
    if topic is not None:
        validate.text("topic", topic)
    records = load_records(FACTS_FILE, "facts", FACT_SCHEMA, strict=True)
    topics = sorted({r["topic"] for r in records})
    if topic is not None and topic not in topics:
        raise ValueError(f"topic must be one of {topics}; got {topic!r}")
    return [r for r in records
            if (topic is None or r["topic"] == topic) and (r["verified"] or not verified_only)]


@functools.lru_cache(maxsize=None)
def _facts_by_id() -> dict:
    """Validated facts by id, read once per process; never handed out uncopied."""
    return {r["id"]: r for r in load_records(FACTS_FILE, "facts", FACT_SCHEMA, strict=True)}


def _fact_record(fact_id: str) -> dict:
    validate.text("fact_id", fact_id)
    by_id = _facts_by_id()
    if fact_id not in by_id:
        raise ValueError(f"fact_id must be one of {sorted(by_id)}; got {fact_id!r}")
    return by_id[fact_id]


def fact(fact_id: str) -> dict:
    """Return one background fact by id (raises ``ValueError`` listing the ids)."""
    import copy

    return copy.deepcopy(_fact_record(fact_id))


def fact_number(fact_id: str, key: str, *, allow_unverified: bool = False) -> Any:
    """Return a number from a fact, refusing unverified facts unless told otherwise.

    Raises
    ------
    ValueError
        If the fact or key is unknown, or the fact is not verified and
        ``allow_unverified`` is False.
    """
    import copy

    record = _fact_record(fact_id)  # no copy of the whole record: widgets call this per redraw
    validate.text("key", key)
    validate.flag("allow_unverified", allow_unverified)
    if not record["verified"] and not allow_unverified:
        raise ValueError(f"fact_id {fact_id!r} is not verified; pass allow_unverified=True "
                         "and label the number as unverified where it is shown")
    if key not in record["numbers"]:
        raise ValueError(f"key must be one of {sorted(record['numbers'])} for {fact_id!r}; "
                         f"got {key!r}")
    return copy.deepcopy(record["numbers"][key])


def fact_citation(fact_id: str) -> str:
    """Return a short Markdown citation (authors, year, journal, DOI link) for a fact."""
    src = fact(fact_id)["source"]
    authors = src["authors"].split(",")[0].strip()
    if "," in src["authors"] or "et al" in src["authors"]:
        authors = authors.replace(" et al.", "") + " et al."
    doi = f" [doi:{src['doi']}](https://doi.org/{src['doi']})" if src["doi"] else ""
    return f"{authors} ({src['year']}). *{src['journal']}*.{doi}"

