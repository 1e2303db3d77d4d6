"""Citations as data: one references table, merged from ``data/references/*.yaml``.

Each notebook prints its reference list from the keys it uses, so a test can check that
every key resolves and that every key a notebook cites appears in its list.

Examples
--------
>>> cite("tian2023")
'[Tian et al., 2023](https://doi.org/10.1136/ard-2022-223035)'
"""
from __future__ import annotations

import functools
import re

from helpers.core import validate
from helpers.core.data import DataError, Field, load_fragments

__all__ = ["REFERENCE_SCHEMA", "references", "reference", "cite", "reference_markdown",
           "show_references"]

REFERENCE_SCHEMA = {
    "key": Field(str, pattern=r"[a-z][a-z0-9_]*\d{4}[a-z]?"),
    "authors": Field(str),
    "year": Field(int, low=1900, high=2100),
    "title": Field(str),
    "journal": Field(str),
    "doi": Field(str, required=False, nullable=True, pattern=r"10\.\d{4,9}/\S+"),
    "pmid": Field(str, required=False, nullable=True, pattern=r"\d{6,9}"),
    "url": Field(str, required=False, nullable=True, pattern=r"https://\S+"),
    "note": Field(str, required=False),
    "short": Field(str, required=False),
}


@functools.lru_cache(maxsize=None)
def _load() -> tuple:
    rows = load_fragments("references", "references", REFERENCE_SCHEMA, unique="key")
    for row in rows:
        if not (row.get("doi") or row.get("pmid") or row.get("url")):
            raise DataError(f"references: key {row['key']!r} needs a doi, pmid or url")
    return tuple(rows)


def references() -> dict[str, dict]:
    """Return every reference as ``{key: record}``."""
    return {r["key"]: dict(r) for r in _load()}


def reference(key: str) -> dict:
    """Return one reference; an unknown key raises ``ValueError`` listing close keys."""
    validate.text("key", key)
    table = references()
    if key not in table:
        import difflib

        close = difflib.get_close_matches(str(key), table, n=5)
        raise ValueError(f"key must be a reference key in helpers/data/references; got {key!r}"
                         + (f" (did you mean {close}?)" if close else ""))
    return table[key]


def _first_author(authors: str) -> str:
    first = authors.split(",")[0].split(";")[0].strip()
    tokens = first.split()
    surname = tokens[0] if tokens else first
    # multi-word surnames ("Al Sawah S", "van Vollenhoven R"): keep every word before the
    # initials, so the inline citation names the author correctly
    if len(tokens) >= 2 and re.fullmatch(r"[A-Z]{1,3}", tokens[-1]):
        surname = " ".join(tokens[:-1])
    many = "," in authors or "et al" in authors or ";" in authors
    return f"{surname} et al." if many else surname


def _link(ref: dict) -> str | None:
    if ref.get("doi"):
        return f"https://doi.org/{ref['doi']}"
    if ref.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/"
    return ref.get("url")


def cite(key: str) -> str:
    """Return an inline Markdown citation, e.g. ``[Tian et al., 2023](https://doi.org/…)``.

    A reference with no readable author list can give its inline label in ``short``.
    """
    ref = reference(key)
    label = ref.get("short") or _first_author(ref["authors"])
    return f"[{label}, {ref['year']}]({_link(ref)})"


def reference_markdown(keys) -> str:
    """Return a numbered Markdown reference list for ``keys`` (in the order given).

    Raises
    ------
    ValueError
        If ``keys`` is empty, repeats a key, or holds an unknown key.
    """
    if isinstance(keys, str):
        keys = [keys]
    keys = list(keys)
    for i, key in enumerate(keys):
        validate.text(f"keys[{i}]", key)
    if not keys:
        raise ValueError("keys must name at least one reference")
    if len(set(keys)) != len(keys):
        raise ValueError(f"keys must not repeat; got {keys}")
    lines = []
    for i, key in enumerate(keys, start=1):
        try:
            ref = reference(key)
        except ValueError as err:
            raise ValueError(f"keys[{i - 1}]: {err}") from None
        ids = []
        if ref.get("doi"):
            ids.append(f"doi:[{ref['doi']}](https://doi.org/{ref['doi']})")
        if ref.get("pmid"):
            ids.append(f"PMID:[{ref['pmid']}](https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/)")
        if not ids and ref.get("url"):
            ids.append(f"<{ref['url']}>")
        lines.append(f"{i}. {ref['authors']} ({ref['year']}). {ref['title']}. "
                     f"*{ref['journal']}*. {' · '.join(ids)}")
    return "\n".join(lines)


def show_references(*keys: str) -> None:
    """Display the numbered reference list for ``keys`` as Markdown in a notebook."""
    from helpers.core.style import display_markdown

    display_markdown(reference_markdown(keys))
