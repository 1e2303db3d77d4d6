"""Build an nbgrader course root from the notebooks: graded exercises, Think! answers, quiz.

``lupus-nbgrader-course --out DIR`` writes ``DIR/nbgrader_config.py`` and
``DIR/source/<NN_topic>/<NN_topic>.ipynb`` for every notebook with exercises, so that the
standard nbgrader commands work unchanged in ``DIR``::

    nbgrader generate_assignment 01_lupus_pathology
    nbgrader autograde 01_lupus_pathology
    nbgrader generate_feedback 01_lupus_pathology
    nbgrader export

The notebooks in ``notebooks/`` are read, never changed.  Each exercise ``N.k`` becomes

* an **answer cell**: the course's stub (its ``...`` template kept as code) followed by the
  solution between ``### BEGIN SOLUTION`` / ``### END SOLUTION``.  The global ``answer``
  is renamed ``answer_N_k`` in this cell, so a failing answer cell can never let the next
  test grade the previous exercise's answer;
* a locked, autograded **test cell** worth :data:`EXERCISE_POINTS`: it prints today's
  one-line feedback (the formative hints of ``helpers.checks``) and asserts it is
  "correct"; below ``### BEGIN HIDDEN TESTS`` it checks that the answer is plain data with
  the shape of the instructor's reference answer.  The reference is computed here, by
  running the notebook with its solutions, and written only into the course root.

Each Think! prompt and the quiz become manually graded Markdown answers; the source cell
holds the rubric note and the model answer (both removed by ``generate_assignment``).
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXERCISE_POINTS", "THINK_POINTS", "QUIZ_POINTS_EACH", "ThinkItem", "Exercise",
           "think_items", "quiz_item", "exercises", "reference_answers", "shape_of",
           "course_notebook", "nbgrader_config_text", "build_course", "check_submissions",
           "instructor_env", "autograde_main", "main"]

EXERCISE_POINTS = 2
THINK_POINTS = 2
QUIZ_POINTS_EACH = 1
CELL_TIMEOUT_S = 60

_EXERCISE_ID = re.compile(r'check_exercise\("(\d+\.\d+)"')
_CHECK_LINE = re.compile(r"^[ \t]*check_exercise\(.*\)[ \t]*\n?", re.M)
_SOLUTION = re.compile(r"<details[^>]*>\s*<summary>\s*Solution.*?</summary>(.*?)</details>\s*",
                       re.S | re.I)
_CODE = re.compile(r"```python\n(.*?)```", re.S)
_THINK = re.compile(r"(\*\*Think! (\d+\.\d+)\*\*.*?)\n*<details[^>]*>\s*<summary>\s*Answer"
                    r"\s*</summary>\s*(.*?)\s*</details>\s*", re.S)
_QUIZ = re.compile(r"<details[^>]*>\s*<summary>\s*Answers\s*</summary>\s*(.*?)\s*</details>\s*",
                   re.S)
_ANSWER_NAME = re.compile(r"\banswer\b")


@dataclass(frozen=True)
class ThinkItem:
    """One Think! prompt with its model answer (from the notebook's ``<details>`` block)."""

    item_id: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id, the stub source and the solution code."""

    item_id: str
    cell_index: int
    stub: str
    solution: str


def _read(path):
    import nbformat

    return nbformat.read(Path(path), as_version=4)


def think_items(nb) -> list[ThinkItem]:
    """Every Think! prompt of ``nb`` with its model answer, in order."""
    items = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in _THINK.finditer(cell.source):
                prompt = m.group(1).strip()
                prompt = prompt[prompt.index("**Think!"):]
                items.append(ThinkItem(m.group(2), prompt, m.group(3).strip()))
    return items


def quiz_item(nb) -> ThinkItem | None:
    """The "Check your understanding" questions and their answers, or None."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = _QUIZ.search(cell.source)
            if m:
                questions = cell.source[:m.start()].strip()
                return ThinkItem("quiz", questions, m.group(1).strip())
    return None


def exercises(nb) -> list[Exercise]:
    """Every exercise of ``nb``: stub cell and solution code from the next Markdown cell."""
    found = []
    for i, cell in enumerate(nb.cells):
        match = _EXERCISE_ID.search(cell.source) if cell.cell_type == "code" else None
        if not match:
            continue
        following = next((c for c in nb.cells[i + 1:] if c.cell_type == "markdown"), None)
        block = _SOLUTION.search(following.source) if following is not None else None
        code = _CODE.search(block.group(1)) if block else None
        if code is None:
            raise ValueError(f"exercise {match.group(1)} has no <details> Solution with code")
        found.append(Exercise(match.group(1), i, cell.source, code.group(1)))
    return found


def _name(item_id: str) -> str:
    return "answer_" + item_id.replace(".", "_")


def _is_numpy_scalar(value) -> bool:
    return type(value).__module__ == "numpy" and hasattr(value, "item") and not hasattr(
        value, "__len__")


def shape_of(value):
    """A literal description of ``value``'s structure, used by the hidden tests.

    Numbers (int, float, numpy scalars) are ``"number"``; booleans ``"bool"``; text
    ``"str"``; sequences ``["seq", n, [item shapes]]`` when short, else ``["seq", n]``;
    dicts ``{"dict": {key: shape}}``.
    """
    if isinstance(value, bool) or (type(value).__name__ == "bool_"):
        return "bool"
    if value is None:
        return "none"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (int, float)) or _is_numpy_scalar(value):
        return "number"
    if isinstance(value, dict):
        return {"dict": {str(k): shape_of(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return ["seq", len(value)]
    if isinstance(value, (set, frozenset)):
        return ["set", len(value)]
    raise ValueError(f"reference answer of type {type(value).__name__} is not plain data")


def reference_answers(nb, folder) -> dict:
    """Run ``nb``'s code with each solution in place; return ``{id: reference answer}``.

    Runs in this process from ``folder`` (the notebooks' folder), skipping cells tagged
    ``nbval-ignore-output`` (widgets); figures are closed after every cell.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    solutions = {ex.cell_index: ex for ex in exercises(nb)}
    namespace: dict = {"__name__": "__notebook__"}
    found = {}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
                continue
            sources = [cell.source] + ([solutions[i].solution] if i in solutions else [])
            for source in sources:  # the stub, then the solution (as a student would)
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"<{folder}/cell {i}>", "exec"), namespace)
            plt.close("all")
            if i in solutions:
                found[solutions[i].item_id] = copy.deepcopy(namespace["answer"])
    finally:
        os.chdir(cwd)
    return found


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _answer_cell_source(ex: Exercise) -> str:
    stub = _ANSWER_NAME.sub(_name(ex.item_id), _CHECK_LINE.sub("", ex.stub)).rstrip()
    solution = _ANSWER_NAME.sub(_name(ex.item_id), _CHECK_LINE.sub("", ex.solution)).rstrip()
    return (f"# Exercise {ex.item_id}: replace each ... with your answer (the test cell below "
            f"grades `{_name(ex.item_id)}`)\n{stub}\n### BEGIN SOLUTION\n{solution}\n"
            "### END SOLUTION\n")


_HIDDEN = '''### BEGIN HIDDEN TESTS
def _plain_{n}(v, d=0):
    if d > 20:
        return False
    if v is None or type(v) in (bool, int, float, str):
        return True
    if type(v).__module__ == "numpy" and hasattr(v, "item") and not hasattr(v, "__len__"):
        return True
    if type(v) in (list, tuple, set, frozenset):
        return all(_plain_{n}(x, d + 1) for x in v)
    if type(v) is dict:
        return all(_plain_{n}(k, d + 1) and _plain_{n}(x, d + 1) for k, x in v.items())
    return False
def _shape_{n}(v):
    if type(v) is bool or type(v).__name__ == "bool_":
        return "bool"
    if v is None:
        return "none"
    if isinstance(v, str):
        return "str"
    if isinstance(v, (int, float)) or type(v).__module__ == "numpy":
        return "number"
    if isinstance(v, dict):
        return {{"dict": {{str(k): _shape_{n}(x) for k, x in v.items()}}}}
    if isinstance(v, (list, tuple)):
        return ["seq", len(v)]
    return ["set", len(v)]
assert _plain_{n}({name}), "Exercise {item}: the answer must be plain data (numbers, text, lists, dicts)"
assert _shape_{n}({name}) == {shape!r}, "Exercise {item}: the answer does not have the expected structure"
### END HIDDEN TESTS
'''


def _test_cell_source(ex: Exercise, reference) -> str:
    name, n = _name(ex.item_id), ex.item_id.replace(".", "_")
    visible = (f"# Exercise {ex.item_id}: autograded ({EXERCISE_POINTS} points). Do not edit "
               "this cell; run it to see your feedback.\n"
               "from helpers.checks import feedback as _feedback\n"
               f"_line_{n} = _feedback({ex.item_id!r}, {name})\n"
               f"print(_line_{n})\n"
               f"assert _line_{n}.startswith({('Exercise ' + ex.item_id + ': correct — ')!r}), "
               f"_line_{n}\n")
    return visible + _HIDDEN.format(n=n, name=name, item=ex.item_id, shape=shape_of(reference))


def rubric_note(item: ThinkItem, points: int) -> str:
    """The grader's rubric for a Think! (or quiz) answer, derived from the model answer."""
    if item.item_id == "quiz":
        return (f"Rubric (graders only): {points} point(s), one per question; a question scores "
                "when its answer states the point of the model answer below in the "
                "student's own words.")
    points_list = [p.strip() for p in re.split(r"(?<=[.!?])\s+", item.answer) if p.strip()]
    return (f"Rubric (graders only): {points} points. 2 = states the main point of the model "
            "answer (its first sentence) in the student's own words and supports it with a "
            f"second point of the model answer ({len(points_list)} in all) or an equally sound "
            "reason; 1 = the main point without support, or a sound reason that misses it; "
            "0 = off the question, or a claim the model answer contradicts.")


def _split_markdown(cell, think: dict, quiz: ThinkItem | None, quiz_points: int):
    """Yield the cells replacing one Markdown cell: text, prompt, graded answer, text..."""
    import nbformat

    source = _SOLUTION.sub("", cell.source)
    pieces, pos = [], 0
    for m in _THINK.finditer(source):
        before = source[pos:m.start()] + m.group(1)
        pieces.append(("text", before))
        pieces.append(("think", think[m.group(2)]))
        pos = m.end()
    rest = source[pos:]
    q = _QUIZ.search(rest)
    if q and quiz is not None:
        pieces.append(("text", rest[:q.start()]))
        pieces.append(("quiz", quiz))
        rest = rest[q.end():]
    pieces.append(("text", rest))
    for kind, value in pieces:
        if kind == "text":
            if value.strip():
                new = nbformat.v4.new_markdown_cell(value.strip())
                new.metadata = copy.deepcopy(cell.metadata)
                new.metadata.pop("lupus", None)  # prose-number locks quote answers' numbers
                yield new
            continue
        points = THINK_POINTS if kind == "think" else quiz_points
        grade_id = "think_" + value.item_id.replace(".", "_") if kind == "think" else "quiz"
        label = f"Think! {value.item_id}" if kind == "think" else "the quiz questions above"
        text = (f"**Your answer to {label}** ({points} points, graded by hand):\n\n"
                f"{rubric_note(value, points)}\n\nModel answer:\n\n{value.answer}")
        yield nbformat.v4.new_markdown_cell(
            text, metadata=_meta(grade_id, grade=True, solution=True, locked=False,
                                 points=points))


def course_notebook(nb, references: dict):
    """Return the nbgrader source version of ``nb`` (see the module docstring)."""
    import nbformat

    out = copy.deepcopy(nb)
    think = {t.item_id: t for t in think_items(nb)}
    quiz = quiz_item(nb)
    quiz_points = QUIZ_POINTS_EACH * len(re.findall(r"^\d+\.", quiz.prompt, re.M)) if quiz else 0
    by_index = {ex.cell_index: ex for ex in exercises(nb)}
    cells = []
    for i, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            continue
        if i in by_index:
            ex = by_index[i]
            if ex.item_id not in references:
                raise ValueError(f"exercise {ex.item_id}: no reference answer")
            gid = ex.item_id.replace(".", "_")
            cells.append(nbformat.v4.new_code_cell(
                _answer_cell_source(ex), metadata=_meta(f"ex_{gid}_answer", grade=False,
                                                        solution=True, locked=False)))
            cells.append(nbformat.v4.new_code_cell(
                _test_cell_source(ex, references[ex.item_id]),
                metadata=_meta(f"ex_{gid}_test", grade=True, solution=False, locked=True,
                               points=EXERCISE_POINTS)))
        elif cell.cell_type == "markdown":
            cells.extend(_split_markdown(cell, think, quiz, quiz_points))
        else:
            cells.append(copy.deepcopy(cell))
            cells[-1].metadata.pop("lupus", None)
    out.cells = cells
    return out


def nbgrader_config_text(course_id: str = "lupus-msc") -> str:
    """The course root's ``nbgrader_config.py``."""
    return f'''"""nbgrader configuration of the Lupus & MSC course (written by lupus-nbgrader-course).

Run nbgrader from this folder, with the instructor environment's bin folder on PATH
(nbgrader runs `alembic` to create its gradebook and fails with FileNotFoundError
'alembic' otherwise):  PATH=/path/to/.venv/bin:$PATH nbgrader generate_assignment 01_...
"""
import os

c = get_config()  # noqa: F821 (provided by nbgrader)
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# One stub per language: the course's own `...` template stays above it in each answer cell.
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE (replace each ... above)"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A submission that loops forever is stopped after this many seconds per cell and scores
# zero for that item; the rest of the notebook is still graded.
c.Execute.timeout = {CELL_TIMEOUT_S}
c.Execute.interrupt_on_timeout = True
# Exchange folder for `nbgrader release_assignment` / `collect` on a shared machine.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
'''


def build_course(out_dir, sources=None, *, force: bool = False) -> list[Path]:
    """Write the nbgrader course root into ``out_dir``; return the source notebooks written.

    Raises
    ------
    ValueError
        If ``out_dir`` already holds a course source and ``force`` is False, or a notebook's
        exercises cannot be turned into graded items (nothing is written then).
    """
    import nbformat
    from course_tools.notebook_tools import notebook_paths

    out_dir = Path(out_dir)
    sources = [Path(s) for s in (sources or notebook_paths())]
    built = {}
    for path in sources:
        nb = _read(path)
        if not exercises(nb):
            continue
        built[path.stem] = course_notebook(nb, reference_answers(nb, path.parent))
    if not built:
        raise ValueError("sources: none of the notebooks has an exercise")
    targets = {stem: out_dir / "source" / stem / f"{stem}.ipynb" for stem in built}
    existing = [str(t) for t in targets.values() if t.exists() or t.is_symlink()]
    if existing and not force:
        raise ValueError(f"out_dir already holds {existing}; pass --force to rebuild the "
                         "course sources (the gradebook and submissions are never touched)")
    if any(t.is_symlink() for t in targets.values()) or out_dir.is_symlink():
        raise ValueError("out_dir: refusing to write through a symbolic link")
    for stem, nb in built.items():
        targets[stem].parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, targets[stem])
    config = out_dir / "nbgrader_config.py"
    if force or not config.exists():
        config.write_text(nbgrader_config_text(), encoding="utf-8")
    return list(targets.values())


def _grade_ids(nb) -> set[str]:
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")}


def check_submissions(course_root, assignment: str) -> tuple[list[str], list[str]]:
    """Read every submission of ``assignment`` (never writing); return (bad ids, messages).

    A submission that is not a valid notebook is *bad*: nbgrader cannot grade it, so it is
    left out of the autograde run and scores zero.  A submission missing graded cells is
    graded (the missing items score zero) and reported.
    """
    import nbformat

    root = Path(course_root)
    source = root / "source" / assignment
    expected = set().union(*(_grade_ids(_read(p)) for p in source.glob("*.ipynb")))
    bad, messages = [], []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        for path in sorted(folder.glob("*.ipynb")):
            try:
                nb = nbformat.read(path, as_version=4)
                nbformat.validate(nb)
            except Exception as err:
                bad.append(student)
                messages.append(f"{student}: {path.name} is not a valid notebook "
                                f"({type(err).__name__}); it is not graded and scores 0 — "
                                "ask the student to resubmit")
                break
            missing = sorted(expected - _grade_ids(nb))
            if missing:
                messages.append(f"{student}: {path.name} lacks the graded cell(s) {missing} "
                                "(deleted?); those items score 0")
    return bad, messages


def autograde_main(argv: list[str] | None = None) -> int:
    """``lupus-autograde ASSIGNMENT [nbgrader options]``: check, then ``nbgrader autograde``.

    Invalid submissions are reported and excluded (their students are still listed in the
    gradebook with a zero); the environment's ``bin`` folder is put on ``PATH`` so
    nbgrader finds ``alembic``.  Run it from the course root.
    """
    import subprocess

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        print("usage: lupus-autograde ASSIGNMENT [nbgrader autograde options]", file=sys.stderr)
        return 2
    assignment, extra = args[0], args[1:]
    if not (Path("source") / assignment).is_dir():
        print(f"lupus-autograde: no source/{assignment} here; run it from the course root",
              file=sys.stderr)
        return 2
    bad, messages = check_submissions(Path.cwd(), assignment)
    for line in messages:
        print(f"lupus-autograde: {line}", file=sys.stderr)
    env = instructor_env()
    if bad:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{Path.cwd() / 'gradebook.db'}") as gb:
            for student in bad:
                gb.update_or_create_student(student)
        extra = [*extra, f"--CourseDirectory.student_id_exclude={','.join(bad)}"]
    done = subprocess.run(["nbgrader", "autograde", assignment, *extra], env=env)
    return done.returncode


def instructor_env() -> dict:
    """``os.environ`` with this Python's ``bin`` folder first on ``PATH`` (for nbgrader)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``lupus-nbgrader-course``)."""
    parser = argparse.ArgumentParser(description="Write an nbgrader course root with graded "
                                     "exercises, Think! answers and quizzes.")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks (default: notebooks/NN_*.ipynb with exercises)")
    parser.add_argument("--out", type=Path, required=True, help="course root folder")
    parser.add_argument("--force", action="store_true", help="rebuild existing sources")
    args = parser.parse_args(argv)
    try:
        written = build_course(args.out, args.notebooks or None, force=args.force)
    except ValueError as err:
        print(f"lupus-nbgrader-course: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"next: cd {args.out} && nbgrader generate_assignment {written[0].parent.name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
