"""Notebook hygiene: the rules a committed notebook must follow, as small predicates.

Each ``check_*`` function takes a parsed notebook (``nbformat.NotebookNode``) and its path
and returns a list of problem strings (empty = fine).  :func:`problems` runs them all and
collects every problem before reporting, so an author sees everything at once;
``scripts/check_notebooks.py`` is the command-line front end and ``tests/test_hygiene.py``
proves with fixture notebooks that each rule can fail.

Steps checked: valid nbformat; executed top to bottom (counts 1..n) with outputs; no
``metadata.widgets`` or execution timestamps; no error outputs; every image has alt text and
a caption; every Markdown output also carries HTML and readable plain text; every PNG is
rendered at 2x with its display width (<= 900 px) in the metadata; widget-control cells tagged
``nbval-ignore-output``; anatomy (one H1 with
navigation, objectives, estimated time, prerequisites, numbered sections, key points, quiz,
references) in order, heading levels never skipping; relative links resolve; size <= 1 MB.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

__all__ = ["RULES", "problems", "MAX_BYTES", "MAX_DISPLAY_WIDTH", "MIN_PNG_SCALE",
           "REQUIRED_SECTIONS", "markdown_headings", "relative_links", "png_pixel_size"]

MAX_BYTES = 1_000_000
#: Widest display width of a figure (CSS pixels): GitHub's notebook column is ~900 px.
MAX_DISPLAY_WIDTH = 900
#: PNG pixels per display pixel, at least (sharp on high-density screens).
MIN_PNG_SCALE = 2
_OBJECT_REPR = re.compile(r"^<[\w.]+ object( at 0x[0-9a-fA-F]+)?>$")
#: Required headings (regular expressions on the heading text), in the order they must appear.
REQUIRED_SECTIONS = [
    ("learning objectives", r"learning objectives"),
    ("estimated time", r"estimated time"),
    ("prerequisites", r"prerequisites"),
    ("numbered section 1", r"1\. .+"),
    ("key points", r"key points"),
    ("quiz", r"check your understanding.*|quiz.*"),
    ("references", r"references"),
]
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def markdown_headings(nb) -> list[tuple[int, str]]:
    """Return ``(level, text)`` for every Markdown heading outside code fences."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = _FENCE.sub("", _source(cell))
            found += [(len(m.group(1)), m.group(2)) for m in _HEADING.finditer(text)]
    return found


def relative_links(nb) -> list[str]:
    """Return the targets of relative Markdown links and images (no scheme, no anchor-only)."""
    targets = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for m in _LINK.finditer(_source(cell)):
            target = m.group(1) or m.group(2)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("#"):
                targets.append(target)
    return targets


def check_format(nb, path: Path) -> list[str]:
    """The notebook is valid nbformat 4."""
    import nbformat

    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        return [f"invalid nbformat: {err.message}"]
    return []


def check_executed_in_order(nb, path: Path) -> list[str]:
    """Code cells were executed top to bottom in one session: counts are exactly 1..n."""
    counts = [c.execution_count for c in _code_cells(nb) if _source(c).strip()]
    if not counts:
        return []
    if counts != list(range(1, len(counts) + 1)):
        return [f"execution counts are {counts}, not 1..{len(counts)}: restart the kernel "
                "and run all (scripts/execute_notebooks.py)"]
    return []


def check_has_outputs(nb, path: Path) -> list[str]:
    """Some code cells have outputs (a notebook saved with outputs cleared fails)."""
    cells = [c for c in _code_cells(nb) if _source(c).strip()]
    if cells and not any(c.outputs for c in cells):
        return ["no code cell has outputs: commit the executed notebook"]
    return []


def check_no_widget_state(nb, path: Path) -> list[str]:
    """No ``metadata.widgets`` (GitHub refuses to render it) and no execution timestamps."""
    found = []
    if "widgets" in nb.metadata:
        found.append("notebook metadata has 'widgets' (GitHub will refuse to render it)")
    timed = [i for i, c in enumerate(nb.cells) if "execution" in c.metadata]
    if timed:
        found.append(f"cells {timed} carry metadata.execution timestamps")
    return found


def check_no_errors(nb, path: Path) -> list[str]:
    """No error outputs and no stderr output (warnings would fail strict nbval anyway)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {i} has an error output ({out.ename})")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {i} writes to stderr: {out.text.strip()[:80]!r}")
    return found


def _is_caption(out) -> bool:
    text = out.get("data", {}).get("text/markdown", "")
    return isinstance(text, str) and text.startswith("**Figure ")


def check_figures_accessible(nb, path: Path) -> list[str]:
    """Every image output has alt text; every image outside a widget has a caption after it.

    Markdown images need non-empty alt text too.
    """
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for m in re.finditer(r"!\[([^\]]*)\]\(", _source(cell)):
                if not m.group(1).strip():
                    found.append(f"cell {i}: a Markdown image has no alt text")
            continue
        outputs = cell.get("outputs", [])
        interactive = "nbval-ignore-output" in cell.metadata.get("tags", [])
        for j, out in enumerate(outputs):
            if "image/png" not in out.get("data", {}):
                continue
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            if len(str(alt).strip()) < 10:
                found.append(f"cell {i}: figure output {j} has no alt text (use helpers.show)")
            nxt = outputs[j + 1] if j + 1 < len(outputs) else None
            if not interactive and (nxt is None or not _is_caption(nxt)):
                found.append(f"cell {i}: figure output {j} has no 'Figure N.k' caption after it")
    return found


def _rich_outputs(nb):
    """Yield ``(cell index, output index, output)`` for display_data and execute_result."""
    for i, cell in enumerate(nb.cells):
        for j, out in enumerate(cell.get("outputs", [])):
            if out.get("output_type") in ("display_data", "execute_result"):
                yield i, j, out


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def check_markdown_outputs(nb, path: Path) -> list[str]:
    """Every Markdown output also has ``text/html`` and a ``text/plain`` that is not a repr.

    A renderer that does not render Markdown outputs (nbconvert's HTML, some viewers) shows
    the HTML; a text-only one shows the plain text, which must be the Markdown itself rather
    than ``<IPython.core.display.Markdown object>``. ``helpers.setup`` arranges both.
    """
    found = []
    for i, j, out in _rich_outputs(nb):
        data = out.get("data", {})
        if "text/markdown" not in data:
            continue
        if not _text(data.get("text/html", "")).strip():
            found.append(f"cell {i}: Markdown output {j} has no text/html (call helpers.setup() "
                         "first, or show it with helpers.core.style.display_markdown)")
        plain = _text(data.get("text/plain", "")).strip()
        if not plain or _OBJECT_REPR.match(plain):
            found.append(f"cell {i}: Markdown output {j} has text/plain {plain[:60]!r}, "
                         "not the Markdown text")
    return found


def png_pixel_size(data: str) -> tuple[int, int]:
    """Return ``(width, height)`` in pixels of a base64-encoded PNG (read from its header)."""
    import base64

    head = base64.b64decode(_text(data)[:44])
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("data must be a base64-encoded PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def check_figure_sizes(nb, path: Path) -> list[str]:
    """Every PNG has its display width/height in the metadata, <= 900 px wide, drawn at 2x."""
    found = []
    for i, j, out in _rich_outputs(nb):
        data = out.get("data", {})
        if "image/png" not in data:
            continue
        meta = out.get("metadata", {}).get("image/png", {})
        width, height = meta.get("width"), meta.get("height")
        if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
            found.append(f"cell {i}: figure output {j} has no display width/height in its "
                         "metadata (use helpers.show)")
            continue
        if width > MAX_DISPLAY_WIDTH:
            found.append(f"cell {i}: figure output {j} is shown {width} px wide, over the "
                         f"{MAX_DISPLAY_WIDTH} px column")
        try:
            pixels, _ = png_pixel_size(data["image/png"])
        except ValueError:
            found.append(f"cell {i}: figure output {j} is not a readable PNG")
            continue
        if pixels < MIN_PNG_SCALE * width - 2:
            found.append(f"cell {i}: figure output {j} is {pixels} px for a {width} px display "
                         f"width; render it at {MIN_PNG_SCALE}x (blurred on high-density screens)")
    return found


def check_widget_cells(nb, path: Path) -> list[str]:
    """Cells that build widget controls are tagged ``nbval-ignore-output`` and follow a figure."""
    found = []
    last_figure = -1
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outs = cell.get("outputs", [])
        if any("image/png" in o.get("data", {}) for o in outs) and \
                "nbval-ignore-output" not in cell.metadata.get("tags", []):
            last_figure = i
        builds_widget = ".controls()" in _source(cell) or any(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outs)
        if builds_widget:
            if "nbval-ignore-output" not in cell.metadata.get("tags", []):
                found.append(f"cell {i} shows widgets but is not tagged nbval-ignore-output")
            if last_figure < 0:
                found.append(f"cell {i} shows widgets with no static figure before it")
    return found


def check_anatomy(nb, path: Path) -> list[str]:
    """One H1 with a navigation bar; required sections in order; levels never skip."""
    found = []
    heads = markdown_headings(nb)
    h1 = [t for lvl, t in heads if lvl == 1]
    if len(h1) != 1:
        found.append(f"expected exactly one level-1 title, found {len(h1)}")
    first = _source(nb.cells[0]) if nb.cells else ""
    if not first.lstrip().startswith("# ") or "<!-- nav -->" not in first:
        found.append("the first cell must hold the '# NN · Title' and the navigation bar "
                     "(run lupus-contents)")
    position = 0
    texts = [t.lower() for _, t in heads]
    for label, pattern in REQUIRED_SECTIONS:
        hit = next((k for k in range(position, len(texts))
                    if re.fullmatch(pattern, texts[k])), None)
        if hit is None:
            found.append(f"missing section '{label}' (or it is out of order)")
        else:
            position = hit + 1
    numbers = [int(m.group(1)) for lvl, t in heads if lvl == 2
               for m in [re.match(r"(\d+)\. ", t)] if m]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        found.append(f"numbered sections are {numbers}, expected 1..{len(numbers)}")
    previous = 0
    for level, text in heads:
        if previous and level > previous + 1:
            found.append(f"heading {text!r} skips from level {previous} to {level}")
        previous = level
    return found


def check_links(nb, path: Path) -> list[str]:
    """Relative links and images point at files that exist (anchors are ignored)."""
    found = []
    base = Path(path).parent
    for target in relative_links(nb):
        file_part = target.split("#")[0]
        if file_part and not (base / file_part).exists():
            found.append(f"broken relative link: {target}")
    return found


def check_size(nb, path: Path) -> list[str]:
    """The notebook file is at most 1 MB."""
    size = Path(path).stat().st_size
    return [f"file is {size:,} bytes, over the {MAX_BYTES:,} limit"] if size > MAX_BYTES else []


#: Largest share of a notebook's code cells that may be prose strings (``Markdown(f"...")``).
MAX_PROSE_CELL_SHARE = 0.10


def check_prose_in_markdown(nb, path: Path) -> list[str]:
    """Prose sits in Markdown cells: at most 10 % of code cells show a paragraph of prose.

    Readers on GitHub would otherwise see each such paragraph twice (code, then output).
    Short result lines, tables, captions and the reference list do not count.
    """
    from course_tools.prose import prose_cell_indices

    code = sum(c.cell_type == "code" for c in nb.cells)
    prose = prose_cell_indices(nb)
    if code and len(prose) > MAX_PROSE_CELL_SHARE * code:
        return [f"{len(prose)} of {code} code cells show prose (cells {prose}); at most "
                f"{MAX_PROSE_CELL_SHARE:.0%} may: move the text to Markdown cells and lock "
                "its numbers (lupus-prose convert)"]
    return []


def check_prose_numbers(nb, path: Path) -> list[str]:
    """Every number in Markdown prose has a lock to its source or is declared literal.

    The locks' values are checked against the data by running the notebook
    (``lupus-prose check``, tests/test_prose.py); this rule needs no kernel.
    """
    from course_tools.prose import static_problems

    return static_problems(nb)


RULES: dict[str, Callable] = {
    "format": check_format,
    "executed_in_order": check_executed_in_order,
    "has_outputs": check_has_outputs,
    "no_widget_state": check_no_widget_state,
    "no_errors": check_no_errors,
    "figures_accessible": check_figures_accessible,
    "markdown_outputs": check_markdown_outputs,
    "figure_sizes": check_figure_sizes,
    "widget_cells": check_widget_cells,
    "anatomy": check_anatomy,
    "links": check_links,
    "size": check_size,
    "prose_in_markdown": check_prose_in_markdown,
    "prose_numbers": check_prose_numbers,
}


def problems(path, rules=None) -> dict[str, list[str]]:
    """Run hygiene rules on the notebook at ``path``; return ``{rule: [problems]}``.

    Parameters
    ----------
    path : str or Path
        Notebook file.
    rules : iterable of str, optional
        Rule names from :data:`RULES` (default: all).
    """
    import nbformat

    path = Path(path)
    names = list(RULES) if rules is None else list(rules)
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise ValueError(f"rules must be among {list(RULES)}; got {unknown}")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # unreadable JSON is itself a hygiene problem
        return {"format": [f"cannot read notebook: {err}"]}
    report = {}
    for name in names:
        found = RULES[name](nb, path)
        if found:
            report[name] = found
    return report
