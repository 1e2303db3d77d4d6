"""The website builder's source assembly (the build itself is tested in test_browser.py)."""
from __future__ import annotations

import nbformat

from conftest import NOTEBOOKS
from course_tools import site


def test_links_out_of_the_notebooks_folder_point_at_site_pages():
    text = ("[Contents](../README.md#contents) | [Glossary](../GLOSSARY.md#nnt) | "
            "[next](01_lupus_pathology.ipynb)")
    assert site.site_links(text) == ("[Contents](index.md) | [Glossary](glossary.md#nnt) | "
                                     "[next](01_lupus_pathology.ipynb)")
    # GLOSSARY.md links from the repository root
    assert site.site_links("[00](notebooks/00_start_here.ipynb)") == "[00](00_start_here.ipynb)"


def test_badge_images_become_text_links_so_no_page_fetches_an_outside_image():
    badge = "[![Open in Colab](https://colab.example/badge.svg)](https://colab.example/nb)"
    assert site.site_links(badge) == "[Open in Colab](https://colab.example/nb)"


def test_notebook_links_inside_html_outputs_point_at_pages():
    html = '<a href="05_trial_evidence.ipynb">05</a> <a href="https://x.org/a.ipynb">x</a>'
    assert site.site_html_links(html) == ('<a href="05_trial_evidence.html">05</a> '
                                          '<a href="https://x.org/a.ipynb">x</a>')


def test_assembled_sources_have_every_notebook_in_course_order_and_the_note(tmp_path):
    copied = site.assemble(tmp_path / "src")
    assert [p.name for p in copied] == [p.name for p in NOTEBOOKS]
    index = (tmp_path / "src" / "index.md").read_text(encoding="utf-8")
    assert "not medical advice" in index
    positions = [index.index(f"{p.stem}.ipynb") for p in NOTEBOOKS]
    assert positions == sorted(positions)
    for name in ("glossary.md", "references.md", "conf.py"):
        assert (tmp_path / "src" / name).exists()
    nb = nbformat.read(copied[0], as_version=4)
    first = nb.cells[0].source
    assert "../GLOSSARY.md" not in first and "badge" not in first


def test_every_reference_is_on_the_references_page():
    from helpers.core.references import references

    page = site.references_page()
    for ref in references().values():
        assert ref["title"] in page
