"""Author tools: execute notebooks for commit, and keep generated parts up to date.

Generated parts (each between marker comments, rewritten idempotently):

* the navigation bar in every notebook's first cell (``<!-- nav -->``),
* the bootstrap code cell that makes ``helpers`` importable on Colab (``# bootstrap``),
* the contents table in ``README.md`` and in ``00_start_here`` (``<!-- contents -->``),
* ``GLOSSARY.md`` from ``helpers/data/glossary``,
* everything built from the repository's address (``[project.urls] Repository`` in
  ``pyproject.toml``, see :mod:`course_tools.launch`): Colab/Binder badges
  (``<!-- launch -->``), ``git clone`` instructions (``<!-- clone -->``), the bootstrap
  cells and ``repository-code`` in ``CITATION.cff``.

Command-line entry points (see ``pyproject.toml``): ``lupus-execute`` and ``lupus-contents``.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from course_tools.launch import (BOOTSTRAP_MARK, badges_markdown, bootstrap_source,
                                 citation_text, clone_commands, repository_url)

__all__ = ["notebook_paths", "find_repository", "notebook_title", "contents_markdown",
           "nav_markdown", "bootstrap_source", "update_generated", "execute_notebook",
           "strip_volatile", "sliced_get_msg", "widget_demos", "execute_main",
           "contents_main"]

NAV_START, NAV_END = "<!-- nav -->", "<!-- /nav -->"
TOC_START, TOC_END = "<!-- contents -->", "<!-- /contents -->"
LAUNCH_START, LAUNCH_END = "<!-- launch -->", "<!-- /launch -->"
CLONE_START, CLONE_END = "<!-- clone -->", "<!-- /clone -->"
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
    def label(path: Path) -> str:
        number, title = notebook_title(_read(path))
        return f"{number} · {title}"

    parts = []
    if index > 0:
        parts.append(f"[← {label(paths[index - 1])}]({paths[index - 1].name})")
    parts.append("[Contents](../README.md#contents)")
    parts.append("[Glossary](../GLOSSARY.md)")
    if index + 1 < len(paths):
        parts.append(f"[{label(paths[index + 1])} →]({paths[index + 1].name})")
    return " | ".join(parts)


def local_setup_markdown(url: str) -> str:
    """The fenced ``bash`` block of the local set-up instructions (clone, ``make lab``, ``make test``)."""
    return ("```bash\n" + clone_commands(url) + "\n"
            "make lab        # creates .venv, installs the pinned versions, opens JupyterLab\n"
            "make test       # same .venv; runs every test (ruff, unit, notebooks, launch checks)\n"
            "```")


def _launch_parts(text: str, url: str, notebook: str) -> str:
    """Rewrite the launch badges and clone block of one Markdown text, where marked."""
    if LAUNCH_START in text:
        text = _replace_between(text, LAUNCH_START, LAUNCH_END, badges_markdown(url, notebook))
    if CLONE_START in text:
        text = _replace_between(text, CLONE_START, CLONE_END, local_setup_markdown(url))
    return text


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

    url = repository_url(root)
    readme = root / "README.md"
    old = readme.read_text(encoding="utf-8")
    new = _replace_between(old, TOC_START, TOC_END, contents_markdown(paths, "notebooks/"))
    put(readme, _launch_parts(new, url, "notebooks/00_start_here.ipynb"), old)
    citation = root / "CITATION.cff"
    if citation.exists():
        old = citation.read_text(encoding="utf-8")
        put(citation, citation_text(old, url), old)
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
        boot.source = bootstrap_source(url)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            if TOC_START in cell.source:
                cell.source = _replace_between(cell.source, TOC_START, TOC_END,
                                               contents_markdown(paths, ""))
            cell.source = _launch_parts(cell.source, url, f"notebooks/{path.name}")
        put(path, nbformat.writes(nb) + "\n", before + "\n")
    return changed


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def find_repository(path: Path) -> Path:
    """Return the course repository holding ``path``: the nearest folder above it with
    ``pyproject.toml`` and ``notebooks/``.

    Raises
    ------
    ValueError
        If no folder above ``path`` is a course repository.
    """
    path = Path(path).resolve()
    for parent in path.parents:
        if (parent / "notebooks").is_dir() and (parent / "pyproject.toml").is_file():
            return parent
    raise ValueError(f"path {path} is not inside a course repository (a folder holding "
                     "pyproject.toml and notebooks/)")


def strip_volatile(nb, *, name: str = "") -> None:
    """Make a freshly executed notebook identical across re-executions (in place).

    Removes the widget state (``metadata.widgets``) and execution timestamps, and gives
    every widget view output a model id derived from ``name`` and the output's position
    instead of the random one the kernel made. The view output stays a valid
    ``widget-view+json`` bundle with its plain-text fallback; as before, the model itself
    is not stored, so a reader without a kernel sees the fallback text.
    """
    import hashlib

    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for number, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and "model_id" in view:
                seed = f"{name}:{index}:{number}".encode()
                view["model_id"] = hashlib.sha256(seed).hexdigest()[:32]


#: Longest single wait on a kernel channel (s); see :func:`sliced_get_msg`.
POLL_SLICE = 0.5


def sliced_get_msg(get_msg, slice_s: float = POLL_SLICE):
    """Wrap an async ``channel.get_msg(timeout=None)`` so that it waits in short slices.

    Why: executing a widget cell sends a burst of ``comm_open`` messages; now and then the
    asyncio poll of the kernel channels then misses the wake-up for the message that
    follows (the cell's reply) and only sees it when its own time-out runs out. nbclient
    uses the cell time-out for that wait, so the run stalls for exactly the cell time-out
    after a widget cell (seen here: 60 s and 120 s with ``timeout`` 60 and 120, with both
    the pinned stack and an older Colab-like one) and, with nbconvert's default of no
    time-out, forever. Polling again every ``slice_s`` seconds finds a missed message
    at the next slice; the caller's own time-out still holds.
    """
    from queue import Empty
    from time import monotonic

    async def get_msg_in_slices(timeout=None):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            left = slice_s if deadline is None else max(0.0, min(slice_s, deadline - monotonic()))
            try:
                return await get_msg(timeout=left)
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise

    return get_msg_in_slices


def _client_class():
    """nbclient's NotebookClient whose kernel channels wait in slices (see above)."""
    from nbclient import NotebookClient

    class SlicedPollClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            kc = await super().async_start_new_kernel_client()
            for channel in (kc.shell_channel, kc.iopub_channel):
                channel.get_msg = sliced_get_msg(channel.get_msg)
            return kc

    return SlicedPollClient


def execute_notebook(path: Path, *, figures_dir: Path | None = None, timeout: int = 120) -> None:
    """Execute a notebook top to bottom in place, strip volatile metadata, export figures.

    Runs with the notebook's folder as working directory. With ``figures_dir`` (which must
    lie inside the notebook's repository), every :func:`helpers.core.style.show` figure is
    written as PNG and SVG to a temporary folder in the repository and moved into
    ``figures_dir`` only when the whole notebook ran; a failing run leaves the notebook
    and the figures as they were. The kernel keeps no command history file. ``timeout``
    bounds each cell (s); kernel messages are polled in slices, so a widget cell cannot
    stall the run (:func:`sliced_get_msg`).

    Raises
    ------
    ValueError
        If ``figures_dir`` is outside the repository holding ``path``.
    nbclient.exceptions.CellExecutionError
        If a cell fails (nothing is written then).
    """
    import shutil
    import tempfile

    import nbformat

    path = Path(path).resolve()
    repo = find_repository(path)
    if figures_dir is not None:
        figures_dir = Path(figures_dir).resolve()
        if not figures_dir.is_relative_to(repo):
            raise ValueError(f"figures_dir {figures_dir} must be inside the notebook's "
                             f"repository {repo}")
    nb = nbformat.read(path, as_version=4)
    staging = Path(tempfile.mkdtemp(prefix=".execute-", dir=repo))
    previous = os.environ.get("HELPERS_FIGURES_DIR")
    try:
        if figures_dir is not None:
            os.environ["HELPERS_FIGURES_DIR"] = str(staging)
        client = _client_class()(nb, timeout=timeout, kernel_name="python3",
                                record_timing=False,
                                extra_arguments=["--HistoryManager.enabled=False"],
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        strip_volatile(nb, name=path.name)
        written = staging / path.name
        nbformat.write(nb, written)
        if figures_dir is not None:
            figures_dir.mkdir(parents=True, exist_ok=True)
            for figure in sorted(staging.iterdir()):
                if figure != written:
                    os.replace(figure, figures_dir / figure.name)
        os.replace(written, path)
    finally:
        if previous is None:
            os.environ.pop("HELPERS_FIGURES_DIR", None)
        else:
            os.environ["HELPERS_FIGURES_DIR"] = previous
        shutil.rmtree(staging, ignore_errors=True)


def execute_main(argv: list[str] | None = None) -> int:
    """CLI: regenerate generated parts, execute notebooks in place, export their figures.

    Everything is written inside the repository that holds each notebook (its generated
    parts, the notebook, its ``figures/``), whatever the current folder.
    """
    parser = argparse.ArgumentParser(description=execute_main.__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: all of this checkout)")
    args = parser.parse_args(argv)
    targets = [p.resolve() for p in args.notebooks] or notebook_paths(repo_root())
    roots = {}
    for path in targets:
        roots.setdefault(find_repository(path), []).append(path)
    status = 0
    for root, paths in roots.items():
        update_generated(root)
        for path in paths:
            print(f"executing {path} …", flush=True)
            execute_notebook(path, figures_dir=root / "figures")
        stale = update_generated(root, check=True)
        if stale:
            print("still out of date:", ", ".join(stale), file=sys.stderr)
            status = 1
    return status


def contents_main(argv: list[str] | None = None) -> int:
    """CLI: rewrite navigation, contents tables, launch badges, bootstrap cells, CITATION.cff
    and GLOSSARY.md; or, with --nbgitpuller-link, print a JupyterHub link to the course."""
    from course_tools.launch import DEFAULT_BRANCH, nbgitpuller_link

    parser = argparse.ArgumentParser(description=contents_main.__doc__)
    parser.add_argument("--check", action="store_true",
                        help="only report what is out of date (exit 1 if anything is)")
    parser.add_argument("--nbgitpuller-link", metavar="HUB_URL",
                        help="print an nbgitpuller link for this JupyterHub and exit")
    parser.add_argument("--branch", default=DEFAULT_BRANCH,
                        help=f"branch the link pulls (default: {DEFAULT_BRANCH})")
    parser.add_argument("--path", default="notebooks/00_start_here.ipynb",
                        help="file the link opens, inside the repository")
    parser.add_argument("--target-path", default=None,
                        help="folder on the hub to clone into (default: the repository name)")
    args = parser.parse_args(argv)
    if args.nbgitpuller_link is not None:
        root = repo_root()
        try:
            print(nbgitpuller_link(args.nbgitpuller_link, repository_url(root),
                                   branch=args.branch, path=args.path,
                                   target_path=args.target_path))
        except ValueError as err:
            parser.error(str(err))
        return 0
    changed = update_generated(check=args.check)
    for name in changed:
        print(("out of date: " if args.check else "updated: ") + name)
    return 1 if (args.check and changed) else 0
