"""Generate the per-notebook part of INSTRUCTORS.md from the notebooks and the checks.

For each notebook: objectives, time and prerequisites (from the notebook's own sections),
each exercise with *where students get stuck* — the "not quite" hints of its check in
``helpers.checks.nbNN``, read from the source without running anything, so the guide
cannot drift from the feedback students see — the answer key for every Think! and quiz
(from the notebooks' ``<details>`` answers) and the Think! grading rubric.

The block between ``<!-- generated: per-notebook guide -->`` and ``<!-- /generated -->``
is rewritten; the rest of INSTRUCTORS.md is hand-written.  ``lupus-instructor-guide
--check`` exits 1 when the committed file is out of date (the test suite runs it).
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

__all__ = ["START", "END", "check_hints", "notebook_section", "generated_block",
           "update_guide", "main"]

START = "<!-- generated: per-notebook guide -->"
END = "<!-- /generated -->"
_HINT = "not quite — "


def _render(node: ast.AST) -> str | None:
    """The text of a string literal or f-string; each ``{...}`` field becomes ``…``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "…" for v in node.values)
    return None


def check_hints(module_path) -> dict[str, dict]:
    """``{exercise id: {"about": docstring, "hints": [...]}}`` from a checks module's source."""
    tree = ast.parse(Path(module_path).read_text(encoding="utf-8"))
    found = {}
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        ids = [d.args[0].value for d in fn.decorator_list
               if isinstance(d, ast.Call) and getattr(d.func, "id", "") == "exercise"
               and d.args and isinstance(d.args[0], ast.Constant)]
        if not ids:
            continue
        hints = []
        returns = sorted((n for n in ast.walk(fn) if isinstance(n, ast.Return)),
                         key=lambda n: (n.lineno, n.col_offset))
        for node in returns:
            if node.value is not None:
                text = _render(node.value)
                if text and text.startswith(_HINT):
                    hint = text[len(_HINT):].strip()
                    if hint not in hints:
                        hints.append(hint)
        found[ids[0]] = {"about": (ast.get_docstring(fn) or "").strip(), "hints": hints}
    return found


def _section(markdown: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    return match.group(1).strip() if match else ""


def _relink(text: str) -> str:
    """Make a notebook's relative links work from the repository root."""
    text = re.sub(r"\]\((\d\d_[\w-]+\.ipynb)", r"](notebooks/\1", text)
    return text.replace("](../", "](")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def notebook_section(path, checks_dir) -> str:
    """The generated Markdown of one notebook."""
    import nbformat

    from course_tools.nbgrader_course import THINK_POINTS, exercises, quiz_item, think_items
    from course_tools.nbgrader_course import rubric_note

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    md = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    title = re.search(r"^#\s+(.+)$", md, re.M).group(1).strip()
    out = [f"### {title}", "", f"Notebook: [`{path.name}`](notebooks/{path.name})", ""]
    out += ["**Objectives**", "", _relink(_section(md, "Learning objectives")), ""]
    out += [f"**Time.** {_section(md, 'Estimated time')}", ""]
    table = [line for line in _section(md, "Prerequisites").splitlines()
             if line.lstrip().startswith("|")]
    out += ["**Prerequisites**", "", _relink("\n".join(table)), ""]
    hints = check_hints(Path(checks_dir) / f"nb{path.name[:2]}.py")
    for ex in exercises(nb):
        info = hints.get(ex.item_id, {"about": "", "hints": []})
        out += [f"**Exercise {ex.item_id}** — {info['about'] or 'see the notebook'}", ""]
        if info["hints"]:
            out += ["Where students get stuck (the mistakes its check recognises, with the "
                    "hint they see):", ""]
            out += [f"- {h}" for h in info["hints"]]
        else:
            out += ["Its check recognises no specific mistake; it only says correct or not."]
        out.append("")
    for item in think_items(nb):
        out += [_relink(item.prompt), "", "Answer key:", "", _quote(_relink(item.answer)), "",
                f"*{rubric_note(item, THINK_POINTS).replace('Rubric (graders only): ', 'Rubric: ')}*",
                ""]
    quiz = quiz_item(nb)
    if quiz is not None:
        questions = re.sub(r"^## Check your understanding\s*", "", quiz.prompt).strip()
        out += ["**Quiz (Check your understanding)**", "", _relink(questions), "", "Answers:",
                "", _relink(quiz.answer), ""]
    return "\n".join(out).rstrip() + "\n"


def generated_block(root=None) -> str:
    """The whole generated block, markers included."""
    from course_tools.notebook_tools import notebook_paths, repo_root

    root = Path(root) if root is not None else repo_root()
    checks = root / "src" / "helpers" / "checks"
    parts = [notebook_section(p, checks) for p in notebook_paths(root)]
    note = ("<!-- Written by `lupus-instructor-guide` from the notebooks and "
            "src/helpers/checks; do not edit by hand. -->")
    return f"{START}\n{note}\n\n" + "\n".join(parts) + f"\n{END}"


def update_guide(text: str, root=None) -> str:
    """``text`` (INSTRUCTORS.md) with its generated block rewritten."""
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"INSTRUCTORS.md must hold exactly one {START} ... {END} block")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return before + generated_block(root) + after


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``lupus-instructor-guide [--check]``)."""
    from course_tools.notebook_tools import repo_root

    parser = argparse.ArgumentParser(description="Regenerate the per-notebook part of "
                                     "INSTRUCTORS.md.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if INSTRUCTORS.md is out of date (write nothing)")
    args = parser.parse_args(argv)
    path = repo_root() / "INSTRUCTORS.md"
    text = path.read_text(encoding="utf-8")
    try:
        new = update_guide(text)
    except ValueError as err:
        print(f"lupus-instructor-guide: {err}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            print("lupus-instructor-guide: INSTRUCTORS.md is out of date; run "
                  "`make instructor-guide`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
