"""Real-browser test of the course website: built by ``make site`` code, loaded in chromium.

In its own file so that pytest-xdist (``--dist loadfile``) can run it beside the longer
JupyterLab test of ``test_browser.py``, whose helpers it uses.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import NOTEBOOKS
from test_browser import _node, browser_ready, static_server  # noqa: F401  (fixture)


def _assert_figures_keep_alt_text(site: Path) -> None:
    """Every committed figure's alt text (output metadata) is the alt of an <img> on its page."""
    import html

    import nbformat

    for path in NOTEBOOKS:
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        alts = {html.unescape(a) for a in re.findall(r'<img[^>]*\balt="([^"]*)"', page)}
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                alt = out.get("metadata", {}).get("image/png", {}).get("alt")
                if alt:
                    assert alt in alts, f"{path.stem}: figure alt text missing: {alt[:60]}"


def test_the_course_website_loads_cleanly_in_a_browser(browser_ready, tmp_path):
    try:
        import sphinx  # noqa: F401  (installed by make site / make test)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("sphinx is missing under CI: make test installs requirements-site.txt")
        pytest.skip("sphinx is missing: make site installs requirements-site.txt")
    from course_tools.site import build

    site = build(tmp_path / "site")
    assert (site / "index.html").exists()
    _assert_figures_keep_alt_text(site)
    with static_server(site) as url:
        result = _node("site_test.mjs", url, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:] or result.stdout[-4000:]
    for page in ["index.html", "glossary.html", "references.html",
                 *(f"{p.stem}.html" for p in NOTEBOOKS)]:
        assert f"ok   {page}:" in result.stdout, page
