"""Build the course website from the committed notebooks (``make site`` / ``lupus-site``).

The notebooks are not executed: their committed outputs are rendered as they are. The
steps: assemble a Sphinx source folder in ``build/site-src`` (``site/conf.py``, the
notebooks, an index in course order, the glossary and a page with every reference), adapt
the links that point outside ``notebooks/`` (``../GLOSSARY.md`` becomes the glossary page,
``../README.md#contents`` the index; Colab/Binder badge images, which a browser would fetch
from the internet, become text links), then run ``sphinx-build`` into ``build/site``.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from course_tools.launch import repository_url
from course_tools.notebook_tools import notebook_paths, repo_root

__all__ = ["assemble", "build", "main", "site_links", "site_html_links", "references_page",
           "index_page"]

_BADGE = re.compile(r"\[!\[([^\]]+)\]\([^)]+\)\]\(([^)]+)\)")


def site_links(markdown: str) -> str:
    """Rewrite a notebook's Markdown for the website (links out of ``notebooks/``, badges).

    >>> site_links("[Glossary](../GLOSSARY.md#nnt) | [Contents](../README.md#contents)")
    '[Glossary](glossary.md#nnt) | [Contents](index.md)'
    >>> site_links("[![Open in Colab](https://x/badge.svg)](https://colab/nb)")
    '[Open in Colab](https://colab/nb)'
    """
    text = markdown.replace("../GLOSSARY.md", "glossary.md")
    text = re.sub(r"\.\./README\.md(#[a-z0-9-]*)?", "index.md", text)
    text = text.replace("(notebooks/", "(")  # GLOSSARY.md links from the repository root
    return _BADGE.sub(r"[\1](\2)", text)


_HTML_NOTEBOOK_LINK = re.compile(r'href="(\d\d_[a-z0-9_]+)\.ipynb(#[^"]*)?"')


def site_html_links(html: str) -> str:
    """Point links to notebooks inside HTML outputs (which Sphinx does not rewrite) at pages.

    >>> site_html_links('<a href="05_trial_evidence.ipynb#top">05</a>')
    '<a href="05_trial_evidence.html#top">05</a>'
    """
    html = html.replace('href="../GLOSSARY.md', 'href="glossary.html')
    return _HTML_NOTEBOOK_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', html)


def _title(nb) -> str:
    first = nb.cells[0].source if nb.cells else ""
    match = re.search(r"^# (.+)$", first, re.M)
    return match.group(1).strip() if match else "Untitled"


def index_page(titles: list[tuple[str, str]], repository: str) -> str:
    """The front page: what the course is, the medical-advice note and the contents."""
    rows = "\n".join(f"- [{title}]({stem}.ipynb)" for stem, title in titles)
    toc = "\n".join(f"{stem}" for stem, _ in titles)
    return f"""# Lupus & MSC teaching notebooks

> **Educational material, not medical advice.** These pages teach how to read the evidence
> about lupus and MSC therapy. They do not recommend any treatment; decisions about care
> belong to patients and their clinicians.

A course in {len(titles)} notebooks that follows one question from the clinic to the evidence:
can mesenchymal stromal cells (MSCs) help people with systemic lupus erythematosus (SLE)?
This website shows the notebooks as they were last executed. To run them and move the
widgets, open one on Binder or Colab (the rocket button at the top of each page) or clone
the [repository]({repository}).

## Contents

{rows}

Also: the [glossary](glossary.md) and every [reference](references.md) the course cites.

```{{toctree}}
:hidden:
:caption: Course

{toc}
```

```{{toctree}}
:hidden:
:caption: Reference

glossary
references
```
"""


def references_page() -> str:
    """Every reference of the course, sorted by first author and year, with DOI/PMID links."""
    from helpers.core.references import reference_markdown, references

    table = references()
    keys = sorted(table, key=lambda k: (table[k]["authors"].lower(), table[k]["year"], k))
    return ("# References\n\n"
            "Every source the notebooks cite (each notebook also lists its own at its end).\n\n"
            + reference_markdown(keys) + "\n")


def assemble(source: Path, root: Path | None = None) -> list[Path]:
    """Write the Sphinx source folder ``source``; return the notebooks copied into it."""
    import nbformat

    root = repo_root() if root is None else Path(root)
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(root / "site", source)
    titles, copied = [], []
    for path in notebook_paths(root):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = site_links(cell.source)
            for out in cell.get("outputs", []):
                if "text/html" in out.get("data", {}):
                    html = out.data["text/html"]
                    html = "".join(html) if isinstance(html, list) else html
                    out.data["text/html"] = site_html_links(html)
        titles.append((path.stem, _title(nb)))
        target = source / path.name
        nbformat.write(nb, target)
        copied.append(target)
    url = repository_url(root)
    conf = source / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace("@REPOSITORY@", url),
                    encoding="utf-8")
    (source / "index.md").write_text(index_page(titles, url), encoding="utf-8")
    glossary = (root / "GLOSSARY.md").read_text(encoding="utf-8")
    glossary = re.sub(r"^### ", "## ", glossary, flags=re.M)  # terms under the page title
    (source / "glossary.md").write_text(site_links(glossary), encoding="utf-8")
    (source / "references.md").write_text(references_page(), encoding="utf-8")
    return copied


def build(out: Path | None = None, *, root: Path | None = None) -> Path:
    """Assemble the sources and run Sphinx; return ``out`` (which then holds index.html).

    Raises
    ------
    RuntimeError
        If Sphinx fails or reports a warning (a broken link, a missing image).
    """
    root = repo_root() if root is None else Path(root)
    out = root / "build" / "site" if out is None else Path(out)
    source = out.parent / "site-src"
    assemble(source, root)
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
           "-d", str(out.parent / "site-doctrees"), str(source), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"sphinx-build failed:\n{result.stdout}\n{result.stderr}")
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI: build the static course website into build/site (no notebook is executed)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default build/site)")
    args = parser.parse_args(argv)
    try:
        out = build(args.out)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"site built: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
