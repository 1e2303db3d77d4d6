"""Numbers in Markdown prose, locked to the data and computations they come from.

Narrative prose lives in Markdown cells, so a reader on GitHub sees each paragraph once. A
number in such a cell is still tied to its source: the cell's metadata holds a **lock** for
it, ::

    "metadata": {"lupus": {"numbers": [
        {"value": "fact_number('epi_global_incidence', 'studies_included')",
         "format": "", "shown": "12"}],
      "literal": {"0.30": "invented worked example"}}}

``value`` is a Python expression evaluated in the notebook's own kernel, right after the
code cells above the Markdown cell have run (so it may use their variables); ``format`` is a
:func:`format` spec; ``shown`` is the text the cell shows for it. :func:`check_notebook`
fails when

* a lock's value, formatted, is no longer its ``shown`` text (the data or the computation
  changed): the message quotes the sentence to update and the new text;
* a lock's ``shown`` text is not in the cell, in lock order (the prose was edited);
* a number in the prose is neither covered by a lock, nor declared ``literal`` (with a reason:
  an invented example, a convention), nor structural (a list marker, a section, exercise or
  notebook number, a year after a name, a time estimate, a 95% confidence level).

``lupus-prose update NB`` rewrites the sentences whose locks changed (after you have checked
the new numbers are right); ``lupus-prose check NB`` prints every problem.
"""
from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path

__all__ = ["KEY", "locks", "prose_numbers", "static_problems", "evaluate_locks",
           "check_notebook", "update_notebook", "relock_notebook", "convert_cell", "prose_cell_indices", "main"]

KEY = "lupus"
_MARK = "__LUPUS_LOCKS__"

#: A whole number starts where no word, number or "X-" prefix (SRI-4) runs into it, and ends
#: where no word or decimal part follows; prose numbers and lock texts share these bounds.
_STARTS = r"(?<![\w.,])(?<![A-Za-z]-)"
_ENDS = r"(?![\w]|[.,]\d)"
_NUMBER = re.compile(_STARTS + r"\d+(?:[.,]\d+)*" + _ENDS)
_MASKS = [
    re.compile(r"```.*?```", re.S),            # fenced code
    re.compile(r"`[^`\n]*`"),                   # inline code
    re.compile(r"<!--.*?-->", re.S),            # HTML comments
    re.compile(r"\]\([^)\s]*\)"),               # link targets
    re.compile(r"<[^<>\n]+>"),                  # HTML tags and their attributes
    re.compile(r"^#{1,6} .*$", re.M),           # headings (section numbers)
    re.compile(r"^\s*\d+[.)](?=\s)", re.M),     # list markers
]
_STRUCTURAL = [
    re.compile(r"\b(?:Exercises?|Think!|Sections?|Notebooks?|notebooks?|Quiz|quiz|Figures?|"
               r"sections?|Tables?|Steps?|steps?|Questions?|questions?|Vignette|part)\s+"
               r"\d+(?:\.\d+)*(?:(?:,| and| or|–)\s*\d+(?:\.\d+)*)*"),
    re.compile(r"(?<!\d)0\d(?!\d)"),            # zero-padded notebook numbers: 03, (05)
    re.compile(r"~?\d+\s?min\b"),               # time estimates
    re.compile(r"\b95\s?%(?=\s?(?:CI|confidence|interval|credible|prediction|upper|lower))"),
    re.compile(r"(?:[A-Z][\w/&.\-]*,?|al\.,?)\s+(?:19|20)\d\d\b"),  # a year after a name
    re.compile(r"\bch\.\s?\d+(?:[-–]\d+)?"),                          # a book's chapter
    re.compile(r"\b24-h(?:our)?\b"),                                   # a 24-hour collection
    re.compile(r"\bper (?:1,000,000|100,000|10,000|1,000|100)\b"),      # a rate's unit
    re.compile(r"\b(?:100,000|10,000|1,000|100) (?:person-years|people|patients)\b"),
]


def locks(cell) -> list[dict]:
    """The number locks of a Markdown cell (empty when it has none)."""
    return list(cell.get("metadata", {}).get(KEY, {}).get("numbers", []))


def _literal(cell) -> dict:
    return dict(cell.get("metadata", {}).get(KEY, {}).get("literal", {}))


def _masked(text: str) -> str:
    for pattern in _MASKS:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def prose_numbers(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the numbers in Markdown ``text`` that need a source.

    Numbers in code, links, HTML tags, headings and list markers are not counted, nor
    structural ones (section, exercise and notebook numbers, a year after a name such as
    "ACR 1997", time estimates, the "95%" of a confidence interval).
    """
    masked = _masked(text)
    skip = [m.span() for p in _STRUCTURAL for m in p.finditer(masked)]
    return [m.span() for m in _NUMBER.finditer(masked)
            if not any(a <= m.start() and m.end() <= b for a, b in skip)]


def sentence_at(text: str, position: int) -> str:
    """The sentence (or table row, or list item) of ``text`` around ``position``, trimmed."""
    starts = [m.end() for m in re.finditer(r"(?:[.!?](?=\s+[A-Z*(\[])\s+|\n)", text)
              if m.end() <= position]
    start = starts[-1] if starts else 0
    end_match = re.compile(r"[.!?](?=\s+[A-Z*(\[]|\s*$)|\n").search(text, position)
    end = end_match.end() if end_match else len(text)
    sentence = " ".join(text[start:end].split())
    return sentence if len(sentence) <= 220 else sentence[:217] + "..."


def _find_shown(text: str, shown: str, start: int) -> int:
    """First index >= ``start`` of ``shown`` in ``text`` standing as a whole number.

    A shown text that begins (ends) with a digit must not continue a number or a word before
    (after) it: "4" is not found in "SRI-4", "C4" or "2014", "20" not in "2013".
    """
    pattern = ((_STARTS if shown[:1].isdigit() else "") + re.escape(shown)
               + (_ENDS if shown[-1:].isdigit() else ""))
    match = re.compile(pattern).search(text, start)
    return match.start() if match else -1


def _lock_spans(text: str, cell_locks: list[dict]) -> tuple[list, list[str]]:
    """Where each lock's ``shown`` text sits, in lock order (``None`` if not found), and a
    problem for each lock not found."""
    spans, missing, cursor = [], [], 0
    for number, lock in enumerate(cell_locks):
        shown = lock.get("shown")
        if not isinstance(shown, str) or not shown:
            missing.append(f"lock {number} (`{lock.get('value')}`) has no `shown` text")
            spans.append(None)
            continue
        found = _find_shown(text, shown, cursor)
        if found < 0:
            missing.append(f"lock {number} (`{lock.get('value')}`) shows {shown!r}, which is "
                           "not in the cell after the previous lock (was the prose edited? "
                           "put the number back or update the lock)")
            spans.append(None)
            continue
        spans.append((found, found + len(shown)))
        cursor = found + len(shown)
    return spans, missing


def static_problems(nb) -> list[str]:
    """Problems found without a kernel: unlocked numbers, locks whose text is missing."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        spans, missing = _lock_spans(text, locks(cell))
        found += [f"cell {index}: {m}" for m in missing]
        literal = _literal(cell)
        for start, end in prose_numbers(text):
            if (any(a <= start and end <= b for a, b in filter(None, spans))
                    or text[start:end] in literal):
                continue
            found.append(f"cell {index}: the number {text[start:end]!r} in "
                         f"\u00ab{sentence_at(text, start)}\u00bb has no lock (add one with the "
                         "expression it comes from) and is not declared literal")
    return found


def _probe(cell_locks: list[dict]) -> str:
    """Source of a code cell printing each lock's formatted value (or its error) as JSON."""
    specs = json.dumps([[lock.get("value", ""), lock.get("format", "")] for lock in cell_locks])
    return ("def __lupus_probe(specs):\n"
            "    import json\n"
            "    out = []\n"
            "    for expr, spec in specs:\n"
            "        try:\n"
            "            out.append({'ok': format(eval(expr, globals()), spec)})\n"
            "        except Exception as error:\n"
            "            out.append({'error': f'{type(error).__name__}: {error}'})\n"
            f"    print({_MARK!r}, json.dumps(out))\n"
            f"__lupus_probe({specs})\n"
            "del __lupus_probe")


def evaluate_locks(path, *, prelude: str | None = None, timeout: int = 120) -> dict:
    """Run the notebook in a kernel and evaluate every lock where its cell stands.

    Returns ``{cell index: [{"ok": text} | {"error": message}, ...]}``. ``prelude`` is code
    run first (a test uses it to change a data value). The notebook file is not modified.
    """
    import nbformat

    from course_tools.notebook_tools import _client_class

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    run = copy.deepcopy(nb)
    run.cells, where = [], {}
    if prelude:
        run.cells.append(nbformat.v4.new_code_cell(prelude))
    for index, cell in enumerate(nb.cells):
        run.cells.append(cell)
        if cell.cell_type == "markdown" and locks(cell):
            where[len(run.cells)] = index
            run.cells.append(nbformat.v4.new_code_cell(_probe(locks(cell))))
    client = _client_class()(run, timeout=timeout, kernel_name="python3", record_timing=False,
                             allow_errors=False,
                             extra_arguments=["--HistoryManager.enabled=False"],
                             resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    results = {}
    for position, index in where.items():
        text = "".join(o.get("text", "") for o in run.cells[position].outputs
                       if o.get("output_type") == "stream")
        line = next(ln for ln in text.splitlines() if ln.startswith(_MARK))
        results[index] = json.loads(line[len(_MARK):])
    return results


def check_notebook(path, *, prelude: str | None = None, timeout: int = 120) -> list[str]:
    """Every problem with the notebook's prose numbers (static ones and changed values)."""
    import nbformat

    nb = nbformat.read(Path(path), as_version=4)
    found = static_problems(nb)
    for index, results in evaluate_locks(path, prelude=prelude, timeout=timeout).items():
        cell = nb.cells[index]
        spans, _ = _lock_spans(cell.source, locks(cell))
        for lock, result, span in zip(locks(cell), results, spans):
            shown = lock.get("shown", "")
            sentence = sentence_at(cell.source, span[0]) if span else shown
            if "error" in result:
                found.append(f"cell {index}: lock `{lock.get('value')}` fails: "
                             f"{result['error']}")
            elif result["ok"] != shown:
                found.append(f"cell {index}: \u00ab{sentence}\u00bb shows {shown!r}, but "
                             f"`{lock.get('value')}` now gives {result['ok']!r}: update this "
                             "sentence (lupus-prose update rewrites it)")
    return found


def update_notebook(path, *, timeout: int = 120) -> list[str]:
    """Rewrite every locked number whose value changed; return what was changed."""
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    changed = []
    for index, results in evaluate_locks(path, timeout=timeout).items():
        cell = nb.cells[index]
        spans, _ = _lock_spans(cell.source, locks(cell))
        text, new_locks = cell.source, copy.deepcopy(locks(cell))
        located = [item for item in zip(spans, new_locks, results) if item[0] is not None]
        for (start, end), lock, result in sorted(located, reverse=True, key=lambda i: i[0]):
            if "ok" in result and result["ok"] != lock["shown"]:
                changed.append(f"cell {index}: {lock['shown']!r} -> {result['ok']!r}")
                text = text[:start] + result["ok"] + text[end:]
                lock["shown"] = result["ok"]
        cell.source = text
        cell.metadata.setdefault(KEY, {})["numbers"] = new_locks
    if changed:
        nbformat.write(nb, path)
    return changed


def relock_notebook(path, *, timeout: int = 120) -> list[str]:
    """Record each lock's current value as its ``shown`` text, where the prose already says it.

    For a cell whose prose was written to match the data (or converted by
    :func:`convert_cell`): every evaluated value must occur in the cell in lock order, else
    the cell is left alone and reported. Returns a line per cell relocked or refused.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    report = []
    for index, results in evaluate_locks(path, timeout=timeout).items():
        cell = nb.cells[index]
        new_locks = copy.deepcopy(locks(cell))
        if any("error" in r for r in results):
            report.append(f"cell {index}: not relocked, a lock fails")
            continue
        for lock, result in zip(new_locks, results):
            lock["shown"] = result["ok"]
        _, missing = _lock_spans(cell.source, new_locks)
        if missing:
            report.append(f"cell {index}: not relocked: {missing[0]}")
        elif new_locks != locks(cell):
            cell.metadata[KEY]["numbers"] = new_locks
            report.append(f"cell {index}: relocked")
    nbformat.write(nb, path)
    return report


# --- converting a prose code cell --------------------------------------------------------

def _markdown_call(tree: ast.Module):
    """The ``Markdown(ARG)`` (or ``display(Markdown(ARG))``) expression ending a cell."""
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    call = tree.body[-1].value
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == "display" and len(call.args) == 1):
        call = call.args[0]
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == "Markdown" and len(call.args) == 1 and not call.keywords):
        return call.args[0]
    return None


def _parts(node) -> list:
    """Flatten a string expression into literal strings and ``(expr, spec)`` placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left), _parts(node.right)
        if left is not None and right is not None:
            return left + right
    if isinstance(node, ast.JoinedStr):
        out = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                out.append(value.value)
                continue
            spec = ""
            if value.format_spec is not None:
                if not all(isinstance(v, ast.Constant) for v in value.format_spec.values):
                    return [(ast.unparse(node), "")]
                spec = "".join(v.value for v in value.format_spec.values)
            expr = ast.unparse(value.value)
            if value.conversion == ord("r"):
                expr = f"repr({expr})"
            elif value.conversion == ord("s"):
                expr = f"str({expr})"
            out.append((expr, spec))
        return out
    return [(ast.unparse(node), "")]


def _merge(parts: list) -> list:
    """Join adjacent literals; fold placeholders with no literal between them into one."""
    out = []
    for part in parts:
        if isinstance(part, str):
            if out and isinstance(out[-1], str):
                out[-1] += part
            else:
                out.append(part)
        elif out and isinstance(out[-1], tuple):
            (a, sa), (b, sb) = out[-1], part
            out[-1] = (f"format({a}, {sa!r}) + format({b}, {sb!r})", "")
        else:
            out.append(part)
    return out


def _shown_values(parts: list, text: str) -> list[str] | None:
    pattern = "".join(re.escape(p) if isinstance(p, str) else "(.+?)" for p in parts)
    match = re.fullmatch(pattern, text, re.S)
    return list(match.groups()) if match else None


def _markdown_output(cell) -> str | None:
    """The Markdown the cell's last expression showed (its execute_result, else the last one)."""
    shown = [out for out in cell.get("outputs", []) if "text/markdown" in out.get("data", {})]
    results = [out for out in shown if out.get("output_type") == "execute_result"]
    if not shown:
        return None
    value = (results or shown)[-1]["data"]["text/markdown"]
    return "".join(value) if isinstance(value, list) else value


def convert_cell(nb, index: int) -> int:
    """Turn the prose code cell ``index`` into a Markdown cell with number locks.

    The statements before the final ``Markdown(...)`` stay as a code cell (their outputs
    cleared; re-execute the notebook afterwards); the Markdown cell gets the text the cell
    showed and a lock for every placeholder of the f-string. Returns the Markdown cell's index.
    """
    import nbformat

    cell = nb.cells[index]
    if cell.cell_type != "code":
        raise ValueError(f"index {index} is a {cell.cell_type} cell, not a code cell")
    tree = ast.parse(cell.source)
    arg = _markdown_call(tree)
    text = _markdown_output(cell)
    if arg is None or text is None:
        raise ValueError(f"cell {index} does not end in Markdown(...) with a Markdown output")
    parts = _merge(_parts(arg))
    shown = _shown_values(parts, text)
    if shown is None:
        parts, shown = [(ast.unparse(arg), "")], [text]
    cell_locks = [{"value": p[0], "format": p[1], "shown": s}
                  for p, s in zip([p for p in parts if isinstance(p, tuple)], shown)]
    markdown = nbformat.v4.new_markdown_cell(text)
    markdown.metadata[KEY] = {"numbers": cell_locks}
    lines = cell.source.splitlines()
    head = "\n".join(lines[:tree.body[-1].lineno - 1]).rstrip()
    if head:
        cell.source, cell.outputs, cell.execution_count = head, [], None
        nb.cells.insert(index + 1, markdown)
        return index + 1
    nb.cells[index] = markdown
    return index


def _prose_words(text: str) -> int:
    kept = [ln for ln in text.splitlines() if not ln.lstrip().startswith("|")]
    return len(re.findall(r"[A-Za-z]{2,}", " ".join(kept)))


def prose_cell_indices(nb, *, min_words: int = 30) -> list[int]:
    """Code cells whose Markdown output is mostly prose (not a caption, not a table).

    A cell counts when it shows a Markdown output, other than a figure caption or the
    reference list, with at least ``min_words`` words outside table rows.
    """
    from course_tools.hygiene import _is_caption

    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "show_references(" in cell.source:
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data and not _is_caption(out):
                value = data["text/markdown"]
                value = "".join(value) if isinstance(value, list) else value
                if _prose_words(value) >= min_words:
                    found.append(index)
                    break
    return found


def main(argv: list[str] | None = None) -> int:
    """CLI: ``lupus-prose check|update|convert NOTEBOOK... [--cell N]``."""
    import nbformat

    parser = argparse.ArgumentParser(prog="lupus-prose", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["check", "update", "relock", "convert", "list"])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--cell", type=int, action="append", default=[],
                        help="convert: index of a prose code cell (repeatable)")
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        if args.action == "check":
            problems = check_notebook(path)
            for problem in problems:
                print(f"{path}: {problem}")
            status |= bool(problems)
        elif args.action == "update":
            for change in update_notebook(path):
                print(f"{path}: {change}")
        elif args.action == "relock":
            for line in relock_notebook(path):
                print(f"{path}: {line}")
        elif args.action == "list":
            nb = nbformat.read(path, as_version=4)
            print(f"{path}: prose code cells {prose_cell_indices(nb)}")
        else:
            nb = nbformat.read(path, as_version=4)
            for index in sorted(args.cell, reverse=True):
                print(f"{path}: cell {index} -> Markdown cell {convert_cell(nb, index)}")
            nbformat.write(nb, path)
    return status


if __name__ == "__main__":
    sys.exit(main())
