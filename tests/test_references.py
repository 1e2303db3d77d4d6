"""Citations and glossary are data: every key resolves, every cited key is listed."""
import re

import pytest

from conftest import NOTEBOOKS, ROOT
from course_tools import prose
from helpers.core import glossary
from helpers.core import references


def test_references_load_with_a_link_each():
    table = references.references()
    assert "tian2023" in table
    for ref in table.values():
        assert ref.get("doi") or ref.get("pmid") or ref.get("url")


#: Links a reference must never use: search pages, development/staging servers, bare IPs.
BAD_LINK = re.compile(r"[?&](term|q|query)=|/search\b|searchworks|tweb-dev|[./]dev[.-]|staging\.|"
                      r"localhost|https?://\d+\.\d+\.\d+\.\d+", re.IGNORECASE)


def test_no_reference_links_to_a_search_page_or_development_server():
    """Issue 12: every link in a reference list points at the work itself."""
    for key, ref in references.references().items():
        for link in (ref.get("url"), references._link(ref)):
            assert not (link and BAD_LINK.search(link)), f"{key}: {link}"
    data = ROOT / "src" / "helpers" / "data"
    for path in sorted(data.rglob("*.yaml")):
        for url in re.findall(r"\burl:\s*\"?(https?://[^\s\",}]+)", path.read_text()):
            assert not BAD_LINK.search(url), f"{path.name}: {url}"


def test_bad_link_pattern_catches_the_old_links():
    for link in ("https://pubmed.ncbi.nlm.nih.gov/?term=Gladman+2002",
                 "https://acnpsearch.tweb-dev.unibo.it/singlejournalindex/69084535",
                 "http://47.251.13.51:8081/41107121"):
        assert BAD_LINK.search(link)
    assert not BAD_LINK.search("https://pubmed.ncbi.nlm.nih.gov/10685800/")
    assert not BAD_LINK.search("https://doi.org/10.1136/lupus-2021-000538")


def test_cite_and_reference_list_format():
    assert references.cite("tian2023") == "[Tian et al., 2023](https://doi.org/10.1136/ard-2022-223035)"
    text = references.reference_markdown(["tian2023", "okabe2008"])
    assert text.startswith("1. Tian J") and "\n2. Okabe M, Ito K (2008)" in text


@pytest.mark.parametrize("keys, phrase", [([], "at least one"), (["tian2023", "tian2023"], "repeat"),
                                          (["tian2022"], "did you mean")])
def test_reference_list_rejects_bad_keys(keys, phrase):
    with pytest.raises(ValueError, match=phrase):
        references.reference_markdown(keys)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cited_key_resolves_and_is_listed(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    text += "\n".join(lock["value"] for c in nb.cells for lock in prose.locks(c))
    cited = set(re.findall(r"cite\(['\"]([a-z0-9_]+)['\"]\)", text))
    listed_calls = re.findall(r"show_references\(([^)]*)\)", text)
    assert len(listed_calls) == 1, f"{path.name} must print exactly one reference list"
    listed = set(re.findall(r"['\"]([a-z0-9_]+)['\"]", listed_calls[0]))
    for key in cited | listed:
        references.reference(key)
    assert cited <= listed, f"cited but not in the reference list: {sorted(cited - listed)}"


def test_glossary_terms_and_lookup():
    terms = [g["term"] for g in glossary.glossary()]
    assert terms == sorted(terms, key=str.lower)
    assert "per 100,000" in glossary.define("prevalence")
    with pytest.raises(ValueError, match="term must be one of"):
        glossary.define("no such term")


def test_glossary_markdown_links_each_term_to_an_existing_notebook():
    text = glossary.glossary_markdown()
    for target in re.findall(r"\]\((notebooks/[^)]+)\)", text):
        assert (ROOT / target).exists(), target


def test_cite_keeps_multi_word_surnames():
    from helpers.core.references import _first_author

    assert _first_author("Al Sawah S, Zhang X") == "Al Sawah et al."
    assert _first_author("van Vollenhoven R") == "van Vollenhoven"
    assert _first_author("Tian J, Zhang D") == "Tian et al."
    assert _first_author("Okabe M, Ito K") == "Okabe et al."
    assert _first_author("LiverTox (NIDDK)") == "LiverTox"


def test_short_label_replaces_an_unreadable_author_list():
    assert references.cite("suneular2017").startswith("[EULAR congress abstract, 2017](https://")
