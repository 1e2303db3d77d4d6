"""Author tools: execute notebooks for commit, and keep generated parts up to date.

Generated parts (each between marker comments, rewritten idempotently):

* the navigation bar in every notebook's first cell (``<!-- nav -->``),
* the bootstrap code cell that makes ``helpers`` importable on Colab (``# bootstrap``),
* the contents table in ``README.md`` and in ``00_start_here`` (``<!-- contents -->``),
* ``GLOSSARY.md`` from ``helpers/data/glossary``.

Command-line entry points (see ``pyproject.toml``): ``lupus-execute`` and ``lupus-contents``.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

__all__ = ["REPOSITORY", "notebook_paths", "notebook_title", "contents_markdown",
           "nav_markdown", "bootstrap_source", "update_generated", "execute_notebook",
           "strip_volatile", "widget_demos", "execute_main", "contents_main"]

#: Public home of the course (used by the Colab bootstrap cell and launch badges).
REPOSITORY = "https://github.com/lupus-msc-notebooks/lupus-msc-notebooks"
NAV_START, NAV_END = "<!-- nav -->", "<!-- /nav -->"
TOC_START, TOC_END = "<!-- contents -->", "<!-- /contents -->"
BOOTSTRAP_MARK = "# bootstrap: makes `helpers` importable"
_TITLE = re.compile(r"^#\s+(\d\d)\s*·\s*(.+?)\s*$", re.M)
_TIME = re.compile(r"estimated time[^\n]*\n+[^\n]*?(\d+)\s*min", re.I)


def repo_root() -> Path:
    """Return the repository root (the folder holding ``notebooks/``) of this checkout."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "notebooks").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    raise ValueError("repo_root: helpers is not running from a clone of the repository")


def notebook_paths(root: Path | None = None) -> list[Path]:
    """Return the course notebooks ``notebooks/NN_*.ipynb`` in order."""
    root = repo_root() if root is None else Path(root)
    return sorted(p for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def _alt_literal(node) -> str:
    """Alt text of a demo call: a literal, or an f-string with its fields shown as '…'."""
    import ast

    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "…"
                       for part in node.values)
    return ast.literal_eval(node)


def _demo_from_factory(path: Path, factory, node):
    """The Demo of a ``*_demo(...)`` call whose function has a ``widget_demo`` builder.

    Literal arguments are passed on; others (names of notebook variables) are left out,
    so the demo starts from its declared defaults.
    """
    import ast
    import contextlib

    kwargs = {}
    for k in node.keywords:
        if k.arg == "alt":
            kwargs["alt"] = _alt_literal(k.value)
        elif k.arg != "caption":
            with contextlib.suppress(ValueError):
                kwargs[k.arg] = ast.literal_eval(k.value)
    args = []
    for arg in node.args:
        try:
            args.append(ast.literal_eval(arg))
        except ValueError:
            break
    if "name" not in kwargs or "alt" not in kwargs:
        raise ValueError(f"{path.name}: {node.func.id}(...) needs name= and alt=")
    return factory.widget_demo(*args, **kwargs)


def widget_demos(root: Path | None = None) -> dict:
    """Every widget demo of the notebooks, rebuilt as :class:`~helpers.core.widgets.Demo`.

    Reads the code cells (nothing is executed). For ``interactive_demo(...)`` the
    plotting function is looked up by name in ``helpers``; ``name``, ``alt`` and any fixed
    arguments must be literals. Other ``helpers`` functions that return a Demo (the
    SLEDAI-2K and EULAR/ACR checklists' ``sledai_demo``, ``eular_demo``) carry a
    ``widget_demo`` builder that is called with the literal arguments of the call.
    Used by the widget benchmark and the layout tests, so a new widget is covered as
    soon as a notebook shows it.

    Returns
    -------
    dict
        ``{figure name: Demo}`` in notebook order.

    Raises
    ------
    ValueError
        If a cell calling ``interactive_demo`` cannot be parsed, or its function is not
        exported by ``helpers`` or its arguments are not literals.
    """
    import ast

    import helpers
    from helpers.core.widgets import Demo

    demos = {}
    for path in notebook_paths(root):
        for cell in _read(path).cells:
            if cell.cell_type != "code" or "_demo(" not in cell.source:
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError as err:
                raise ValueError(f"{path.name}: cannot parse a widget cell: {err}") from None
            for node in ast.walk(tree):
                called = getattr(node.func, "id", "") if isinstance(node, ast.Call) else ""
                if called != "interactive_demo" and called.endswith("_demo"):
                    factory = getattr(helpers, called, None)
                    if hasattr(factory, "widget_demo"):
                        demo = _demo_from_factory(path, factory, node)
                        demos[demo.name] = demo
                    continue
                if called != "interactive_demo" or not node.args:
                    continue
                function = getattr(node.args[0], "id", None)
                if not hasattr(helpers, str(function)):
                    raise ValueError(f"{path.name}: interactive_demo's plotting function "
                                     f"must be exported by helpers; got {function!r}")
                try:
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                except ValueError:
                    raise ValueError(f"{path.name}: interactive_demo({function}, ...) "
                                     "needs literal arguments") from None
                if "name" not in kwargs or "alt" not in kwargs:
                    raise ValueError(f"{path.name}: interactive_demo({function}, ...) "
                                     "needs name= and alt=")
                name, alt = kwargs.pop("name"), kwargs.pop("alt")
                kwargs.pop("caption", None)
                demos[name] = Demo(getattr(helpers, function), name=name, alt=alt,
                                   fixed=kwargs)
    return demos


def notebook_title(nb) -> tuple[str, str]:
    """Return ``(number, title)`` from the ``# NN · Title`` heading of a notebook."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _TITLE.search(cell.source)
            if match:
                return match.group(1), match.group(2)
    raise ValueError("nb must start with a '# NN · Title' heading")


def _minutes(nb) -> str:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    match = _TIME.search(text)
    return f"{match.group(1)} min" if match else "—"


def contents_markdown(paths: list[Path], link_prefix: str) -> str:
    """Return the Markdown contents table (number, linked title, estimated time)."""
    lines = ["| # | Notebook | Time |", "|---|---|---|"]
    for path in paths:
        nb = _read(path)
        number, title = notebook_title(nb)
        lines.append(f"| {number} | [{title}]({link_prefix}{path.name}) | {_minutes(nb)} |")
    return "\n".join(lines)


def nav_markdown(paths: list[Path], index: int) -> str:
    """Return the navigation bar for ``paths[index]`` (previous | contents | glossary | next)."""
    parts = []
    if index > 0:
        parts.append(f"[← {paths[index - 1].stem}]({paths[index - 1].name})")
    parts.append("[Contents](../README.md#contents)")
    parts.append("[Glossary](../GLOSSARY.md)")
    if index + 1 < len(paths):
        parts.append(f"[{paths[index + 1].stem} →]({paths[index + 1].name})")
    return " | ".join(parts)


def bootstrap_source() -> str:
    """Return the code of the first code cell of every notebook (Colab / plain-clone set-up)."""
    return f"""{BOOTSTRAP_MARK} on Colab or in a clone without `pip install -e .`
import importlib.util, pathlib, subprocess, sys
if importlib.util.find_spec("helpers") is None:
    local_src = pathlib.Path.cwd().parent / "src"
    if (local_src / "helpers").is_dir():
        sys.path.insert(0, str(local_src))
    else:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                        "git+{REPOSITORY}"], check=True)"""


def _replace_between(text: str, start: str, end: str, body: str) -> str:
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    block = f"{start}\n{body}\n{end}"
    if not pattern.search(text):
        raise ValueError(f"text has no {start} … {end} markers")
    return pattern.sub(lambda _: block, text)


def update_generated(root: Path | None = None, *, check: bool = False) -> list[str]:
    """Rewrite every generated part; return the files that changed (or would change).

    Parameters
    ----------
    root : Path, optional
        Repository root (default: this checkout).
    check : bool, default False
        If True, write nothing and only report what is out of date.
    """
    import nbformat

    from helpers.core.glossary import glossary_markdown

    root = repo_root() if root is None else Path(root)
    paths = notebook_paths(root)
    changed: list[str] = []

    def put(path: Path, new: str, old: str) -> None:
        if new != old:
            changed.append(str(path.relative_to(root)))
            if not check:
                path.write_text(new, encoding="utf-8")

    readme = root / "README.md"
    old = readme.read_text(encoding="utf-8")
    put(readme, _replace_between(old, TOC_START, TOC_END,
                                 contents_markdown(paths, "notebooks/")), old)
    glossary = root / "GLOSSARY.md"
    put(glossary, glossary_markdown(), glossary.read_text(encoding="utf-8")
        if glossary.exists() else "")
    for index, path in enumerate(paths):
        nb = _read(path)
        before = nbformat.writes(nb)
        first = nb.cells[0]
        first.source = _replace_between(first.source, NAV_START, NAV_END,
                                        nav_markdown(paths, index))
        boot = next((c for c in nb.cells if c.cell_type == "code"), None)
        if boot is None or not boot.source.startswith(BOOTSTRAP_MARK):
            raise ValueError(f"{path.name}: the first code cell must be the bootstrap cell "
                             f"starting with {BOOTSTRAP_MARK!r}")
        boot.source = bootstrap_source()
        for cell in nb.cells:
            if cell.cell_type == "markdown" and TOC_START in cell.source:
                cell.source = _replace_between(cell.source, TOC_START, TOC_END,
                                               contents_markdown(paths, ""))
        put(path, nbformat.writes(nb) + "\n", before + "\n")
    return changed


def strip_volatile(nb) -> None:
    """Remove widget state and execution timestamps from a notebook (in place)."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)


def execute_notebook(path: Path, *, figures_dir: Path | None = None, timeout: int = 300) -> None:
    """Execute a notebook top to bottom in place, strip volatile metadata, export figures.

    Runs with the notebook's folder as working directory and ``HELPERS_FIGURES_DIR`` set,
    so every :func:`helpers.core.style.show` figure is also written as PNG and SVG.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    if figures_dir is not None:
        os.environ["HELPERS_FIGURES_DIR"] = str(Path(figures_dir).resolve())
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    finally:
        os.environ.pop("HELPERS_FIGURES_DIR", None)
    strip_volatile(nb)
    nbformat.write(nb, path)


def execute_main(argv: list[str] | None = None) -> int:
    """CLI: regenerate generated parts, execute notebooks in place, export their figures."""
    parser = argparse.ArgumentParser(description=execute_main.__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: all)")
    args = parser.parse_args(argv)
    root = repo_root()
    update_generated(root)
    targets = args.notebooks or notebook_paths(root)
    for path in targets:
        print(f"executing {path} …", flush=True)
        execute_notebook(path, figures_dir=root / "figures")
    stale = update_generated(root, check=True)
    if stale:
        print("still out of date:", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


def contents_main(argv: list[str] | None = None) -> int:
    """CLI: rewrite navigation, contents tables, bootstrap cells and GLOSSARY.md."""
    parser = argparse.ArgumentParser(description=contents_main.__doc__)
    parser.add_argument("--check", action="store_true",
                        help="only report what is out of date (exit 1 if anything is)")
    args = parser.parse_args(argv)
    changed = update_generated(check=args.check)
    for name in changed:
        print(("out of date: " if args.check else "updated: ") + name)
    return 1 if (args.check and changed) else 0
