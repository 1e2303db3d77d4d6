"""Build a student copy of the notebooks: no solutions, exercise outputs cleared.

* ``<details>`` blocks whose summary starts with "Solution" are removed from Markdown cells;
* cells tagged ``solution`` are removed;
* outputs (and execution counts) of exercise cells — cells that call ``check_exercise`` —
  are cleared, so the student sees an unanswered stub.

Quiz answers (``<details><summary>Answer…``) stay: they are for self-checking.  The copy is
written to a separate folder and an existing file is never overwritten unless ``--force``
is given, so a student's work cannot be lost by re-running the command.

Usage::

    lupus-student-copy --out student/            # all notebooks
    lupus-student-copy notebooks/01_*.ipynb --out student/ --force
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

__all__ = ["SOLUTION_BLOCK", "strip_solutions", "write_student_copy", "main"]

SOLUTION_BLOCK = re.compile(
    r"<details[^>]*>\s*<summary>\s*(?:<b>|\*\*)?\s*Solution.*?</details>\s*", re.S | re.I)


def strip_solutions(nb):
    """Return a copy of ``nb`` with solutions removed and exercise outputs cleared."""
    import copy

    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if "solution" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            cell.source = SOLUTION_BLOCK.sub("", cell.source)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code" and "check_exercise(" in cell.source:
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    return out


def write_student_copy(sources, out_dir, *, force: bool = False) -> list[Path]:
    """Write student copies of ``sources`` into ``out_dir``; return the written paths.

    Raises
    ------
    ValueError
        If ``out_dir`` is a source notebook's own folder, or a target file exists and
        ``force`` is False (nothing is written in that case).
    """
    import nbformat

    out_dir = Path(out_dir)
    sources = [Path(s) for s in sources]
    if not sources:
        raise ValueError("sources must name at least one notebook")
    if any(out_dir.resolve() == s.resolve().parent for s in sources):
        raise ValueError("out_dir must differ from the notebooks' own folder")
    targets = [out_dir / s.name for s in sources]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise ValueError(f"out_dir already holds {existing}; refusing to overwrite a "
                         "student's work (pass force=True / --force to replace them)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for source, target in zip(sources, targets):
        nbformat.write(strip_solutions(nbformat.read(source, as_version=4)), target)
    return targets


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``lupus-student-copy``)."""
    parser = argparse.ArgumentParser(description="Build student copies without solutions.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to copy (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--out", type=Path, default=Path("student"),
                        help="output folder (default: student/)")
    parser.add_argument("--force", action="store_true", help="overwrite existing copies")
    args = parser.parse_args(argv)
    sources = args.notebooks
    if not sources:
        from course_tools.notebook_tools import notebook_paths

        sources = notebook_paths()
    try:
        written = write_student_copy(sources, args.out, force=args.force)
    except ValueError as err:
        print(f"lupus-student-copy: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
