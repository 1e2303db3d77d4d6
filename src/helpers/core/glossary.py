"""The course glossary, merged from ``data/glossary/*.yaml`` and rendered to GLOSSARY.md.

Each notebook adds its own fragment (``data/glossary/NN_topic.yaml``); ``GLOSSARY.md`` at the
repository root is generated from them (``lupus-contents`` rewrites it, a test checks it).
"""
from __future__ import annotations

import functools

from helpers.core.data import DataError, Field, load_fragments

__all__ = ["GLOSSARY_SCHEMA", "glossary", "define", "glossary_markdown"]

GLOSSARY_SCHEMA = {
    "term": Field(str),
    "definition": Field(str),
    "notebook": Field(str, pattern=r"\d\d_[a-z0-9_]+"),
    "see_also": Field(list, required=False),
}


@functools.lru_cache(maxsize=None)
def _load() -> tuple:
    merged = load_fragments("glossary", "terms", GLOSSARY_SCHEMA, unique="term")
    terms = {r["term"].lower() for r in merged}
    for row in merged:
        for other in row.get("see_also", []):
            if other.lower() not in terms:
                raise DataError(f"glossary: term {row['term']!r} has see_also {other!r}, "
                                "which is not a glossary term")
    return tuple(sorted(merged, key=lambda r: r["term"].lower()))


def glossary() -> list[dict]:
    """Return every glossary entry, sorted alphabetically by term."""
    return [dict(r) for r in _load()]


def define(term: str) -> str:
    """Return the definition of ``term`` (case-insensitive); unknown terms raise ValueError."""
    by_term = {r["term"].lower(): r for r in _load()}
    if not isinstance(term, str) or term.lower() not in by_term:
        raise ValueError(f"term must be one of the glossary terms {sorted(by_term)}; got {term!r}")
    return by_term[term.lower()]["definition"]


def _anchor(term: str) -> str:
    keep = "".join(c for c in term.lower() if c.isalnum() or c in " -")
    return keep.strip().replace(" ", "-")


def glossary_markdown() -> str:
    """Render the glossary as the Markdown of ``GLOSSARY.md``."""
    lines = [
        "# Glossary",
        "",
        "<!-- Generated from src/helpers/data/glossary/*.yaml by `lupus-contents`; "
        "do not edit by hand. -->",
        "",
        "Terms used across the notebooks. Each entry names the notebook that introduces it.",
        "",
    ]
    for row in _load():
        nb = row["notebook"]
        lines.append(f"### {row['term']}")
        lines.append("")
        label = f"notebook {nb[:2]}"
        lines.append(f"{row['definition']} *Introduced in* [{label}](notebooks/{nb}.ipynb).")
        if row.get("see_also"):
            links = ", ".join(f"[{t}](#{_anchor(t)})" for t in row["see_also"])
            lines.append(f"See also: {links}.")
        lines.append("")
    return "\n".join(lines)
