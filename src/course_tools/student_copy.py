"""Build student editions of the notebooks.

Two editions:

* the **class edition** (default): no exercise solutions, no Think! or quiz answers, so the
  notebooks can be set as graded work;
* the **self-study edition** (``--self-study``): no exercise solutions, but the Think! and
  quiz answers stay for self-checking.

In both, ``<details>`` blocks whose summary starts with "Solution" and cells tagged
``solution`` are removed, and the outputs (and execution counts) of exercise cells — cells
that call ``check_exercise`` — are cleared, so the student sees an unanswered stub.  Every
other output (figures, captions, tables) is kept.

Guarantees (a student's work cannot be lost by re-running the command):

* an existing file is never overwritten unless ``--force`` is given;
* nothing is ever written through a symbolic link (a link in the output folder is refused
  even with ``--force``);
* two sources with the same file name are refused (one would silently replace the other);
* every source is read and transformed before anything is written, so a corrupt source
  leaves no partial copy; each file is written to a temporary name and renamed into place.

Usage::

    lupus-student-copy --out student/                # class edition, all notebooks
    lupus-student-copy --out self-study/ --self-study
    lupus-student-copy notebooks/01_*.ipynb --out student/ --force
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

__all__ = ["SOLUTION_BLOCK", "ANSWER_BLOCK", "strip_solutions", "class_edition",
           "edition", "write_student_copy", "main"]

SOLUTION_BLOCK = re.compile(
    r"<details[^>]*>\s*<summary>\s*(?:<b>|\*\*)?\s*Solution.*?</details>\s*", re.S | re.I)
#: Think! answers (``<summary>Answer``) and quiz answers (``<summary>Answers``).
ANSWER_BLOCK = re.compile(
    r"<details[^>]*>\s*<summary>\s*(?:<b>|\*\*)?\s*Answers?\b.*?</details>\s*", re.S | re.I)


def edition(nb, *, answers: bool):
    """Return a copy of ``nb`` without solutions; without Think!/quiz answers unless ``answers``."""
    import copy

    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if "solution" in cell.metadata.get("tags", []):
            continue
        cell.metadata.pop("lupus", None)  # prose-number locks quote answers' numbers
        if cell.cell_type == "markdown":
            cell.source = SOLUTION_BLOCK.sub("", cell.source)
            if not answers:
                cell.source = ANSWER_BLOCK.sub("", cell.source)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code" and "check_exercise(" in cell.source:
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    out.cells = cells
    return out


def strip_solutions(nb):
    """Self-study edition of ``nb``: solutions removed, Think!/quiz answers kept."""
    return edition(nb, answers=True)


def class_edition(nb):
    """Class edition of ``nb``: solutions and Think!/quiz answers removed."""
    return edition(nb, answers=False)


def _check_targets(sources: list[Path], out_dir: Path, force: bool) -> list[Path]:
    if not sources:
        raise ValueError("sources must name at least one notebook")
    names = [s.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"sources: two notebooks share the name {twice}; each copy is "
                         "named after its source, so one would replace the other")
    if any(out_dir.resolve() == s.resolve().parent for s in sources):
        raise ValueError("out_dir must differ from the notebooks' own folder")
    if out_dir.is_symlink():
        raise ValueError(f"out_dir {out_dir} is a symbolic link; refusing to write through it")
    targets = [out_dir / name for name in names]
    links = [str(t) for t in targets if t.is_symlink()]
    if links:
        raise ValueError(f"out_dir holds symbolic links {links}; refusing to write through "
                         "them (remove them first)")
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise ValueError(f"out_dir already holds {existing}; refusing to overwrite a "
                         "student's work (pass force=True / --force to replace them)")
    return targets


def _read_all(sources: list[Path]) -> list:
    import nbformat

    notebooks = []
    for source in sources:
        try:
            nb = nbformat.read(source, as_version=4)
            nbformat.validate(nb)
        except FileNotFoundError:
            raise ValueError(f"sources: {source} does not exist") from None
        except Exception as err:  # invalid JSON or not a notebook: one clean message
            raise ValueError(f"sources: {source} is not a valid notebook "
                             f"({type(err).__name__}: {str(err).splitlines()[0][:120]}); "
                             "nothing was written") from None
        notebooks.append(nb)
    return notebooks


def _write_atomic(nb, target: Path) -> None:
    import nbformat

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            nbformat.write(nb, handle)
        os.replace(tmp, target)  # replaces the name itself, never a link's target
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_student_copy(sources, out_dir, *, force: bool = False,
                       self_study: bool = False) -> list[Path]:
    """Write the class (or self-study) edition of ``sources`` into ``out_dir``.

    Parameters
    ----------
    sources : iterable of path-like
        Notebooks to copy; their file names must differ.
    out_dir : path-like
        Output folder (created if missing); must not be a source's own folder.
    force : bool
        Replace existing copies (never symbolic links).
    self_study : bool
        Keep the Think! and quiz answers (default: the class edition without them).

    Returns
    -------
    list of Path
        The written files.

    Raises
    ------
    ValueError
        For any refusal above or a source that is missing or not a valid notebook; nothing
        is written in that case.
    """
    out_dir = Path(out_dir)
    sources = [Path(s) for s in sources]
    targets = _check_targets(sources, out_dir, force)
    editions = [edition(nb, answers=self_study) for nb in _read_all(sources)]
    out_dir.mkdir(parents=True, exist_ok=True)
    for nb, target in zip(editions, targets):
        _write_atomic(nb, target)
    return targets


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``lupus-student-copy``)."""
    parser = argparse.ArgumentParser(
        description="Build the class edition (no solutions, no Think!/quiz answers) or, "
                    "with --self-study, the self-study edition of the notebooks.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to copy (default: notebooks/NN_*.ipynb)")
    parser.add_argument("--out", type=Path, default=Path("student"),
                        help="output folder (default: student/)")
    parser.add_argument("--force", action="store_true", help="overwrite existing copies")
    parser.add_argument("--self-study", action="store_true",
                        help="keep the Think! and quiz answers (for students reading alone)")
    args = parser.parse_args(argv)
    sources = args.notebooks
    if not sources:
        from course_tools.notebook_tools import notebook_paths

        sources = notebook_paths()
    try:
        written = write_student_copy(sources, args.out, force=args.force,
                                     self_study=args.self_study)
    except ValueError as err:
        print(f"lupus-student-copy: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
