"""Shared steps of the nbgrader end-to-end tests (real nbgrader, run as an instructor would)."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def env() -> dict:
    """The environment with this venv's bin first on PATH (nbgrader needs `alembic`)."""
    out = dict(os.environ)
    out["PATH"] = os.pathsep.join([str(BIN), out.get("PATH", "")])
    return out


def run(args, cwd, timeout=300) -> subprocess.CompletedProcess:
    """Run a command in ``cwd`` with :func:`env`, capturing its output."""
    return subprocess.run(args, cwd=cwd, env=env(), capture_output=True, text=True,
                          timeout=timeout)


def submit(root: Path, student: str, assignment: str, nb_or_text) -> Path:
    """Place a submission where ``nbgrader autograde`` reads it."""
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb_or_text, str):
        path.write_text(nb_or_text)
    else:
        path.write_text(json.dumps(nb_or_text))
    return path


def cell(nb: dict, grade_id: str) -> dict:
    """The cell of ``nb`` with nbgrader ``grade_id``."""
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id")
                == grade_id)


def scores(root: Path) -> dict:
    """``{(assignment, student): raw score}`` from ``nbgrader export``'s CSV."""
    done = run([str(BIN / "nbgrader"), "export"], root)
    assert done.returncode == 0, done.stderr[-2000:]
    with open(root / "grades.csv", newline="") as handle:
        return {(r["assignment"], r["student_id"]): float(r["raw_score"])
                for r in csv.DictReader(handle)}


def auto_points(nb: dict) -> float:
    """Total points of the autograded (code test) cells of ``nb``."""
    return float(sum(c["metadata"]["nbgrader"].get("points", 0) for c in nb["cells"]
                     if c["metadata"].get("nbgrader", {}).get("grade")
                     and c["cell_type"] == "code"))


def digests(root: Path) -> dict:
    """SHA-256 of every submitted file (to prove no student's file changes)."""
    return {p: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "submitted").rglob("*")) if p.is_file()}


def release_leaks(release_text: str, source_nb) -> list[str]:
    """Solution or hidden-test text found in a release notebook's JSON text.

    A solution line that the notebook also shows outside its answers (e.g. in worked
    text) is not a leak.
    """
    from course_tools.nbgrader_course import exercises, quiz_item, think_items
    from course_tools.student_copy import class_edition

    public = "\n".join(c.source for c in class_edition(source_nb).cells)

    leaks = [m for m in ("BEGIN SOLUTION", "HIDDEN TESTS", "_shape_", "<details",
                         "Model answer", "Rubric (graders") if m in release_text]
    for ex in exercises(source_nb):
        stub = set(ex.stub.splitlines())
        leaks += [line for line in ex.solution.splitlines()
                  if len(line.strip()) > 25 and line not in stub and line.strip() not in public
                  and json.dumps(line.strip())[1:-1] in release_text]
    answers = [t.answer for t in think_items(source_nb)]
    quiz = quiz_item(source_nb)
    answers += [quiz.answer] if quiz else []
    for text in answers:
        for sentence in text.split(". "):
            if len(sentence) > 40 and json.dumps(sentence)[1:-1] in release_text:
                leaks.append(sentence)
    return leaks


def make_course(tmp_path_factory, group):
    """Build a course root for ``group`` and generate every release (short cell timeout)."""
    from course_tools.nbgrader_course import build_course

    root = tmp_path_factory.mktemp("course")
    build_course(root, group)
    (root / "nbgrader_config.py").write_text(
        (root / "nbgrader_config.py").read_text() + "c.Execute.timeout = 10\n")
    done = run([str(BIN / "nbgrader"), "generate_assignment", "*"], root)  # one run for all
    assert done.returncode == 0, done.stderr[-3000:]
    for path in group:
        assert (root / "release" / path.stem / path.name).exists(), path.stem
    return root


def _nb(root, folder, stem):
    return json.loads((root / folder / stem / f"{stem}.ipynb").read_text())


def check_assignment(course, path):
    """Submit, autograde, export and check one assignment (see the test files)."""
    import nbformat

    from course_tools.nbgrader_course import check_submissions
    stem = path.stem
    text = (course / "release" / stem / f"{stem}.ipynb").read_text()
    source_nb = nbformat.read(path, as_version=4)
    assert release_leaks(text, source_nb) == []
    submit(course, "ref", stem, _nb(course, "source", stem))
    submit(course, "blank", stem, _nb(course, "release", stem))
    extra = []
    if stem.startswith("01"):
        mixed = _nb(course, "release", stem)
        cell(mixed, "ex_1_1_answer")["source"] = "answer_1_1 = 12\n"
        cell(mixed, "ex_1_2_answer")["source"] = cell(_nb(course, "source", stem),
                                                      "ex_1_2_answer")["source"]
        submit(course, "mixed", stem, mixed)
    if stem.startswith("00"):
        release = _nb(course, "release", stem)
        submit(course, "t_json", stem, '{"cells": [ truncated')
        deleted = json.loads(json.dumps(release))
        deleted["cells"].remove(cell(deleted, "ex_0_1_test"))
        submit(course, "t_deleted", stem, deleted)
        for student, code in [("t_loop", "while True:\n    pass\n"),
                              ("t_self", "answer_0_1 = []\nanswer_0_1.append(answer_0_1)\n")]:
            tampered = json.loads(json.dumps(release))
            cell(tampered, "ex_0_1_answer")["source"] = code
            submit(course, student, stem, tampered)
        bad, messages = check_submissions(course, stem)
        assert bad == ["t_json"]
        assert any("t_deleted" in m and "ex_0_1_test" in m for m in messages)
    before = digests(course)
    done = run([str(BIN / "lupus-autograde"), stem, *extra], course, timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert digests(course) == before, "autograde must never change a submitted file"
    got = scores(course)
    points = auto_points(_nb(course, "source", stem))
    assert points > 0
    assert got[(stem, "ref")] == points
    assert got[(stem, "blank")] == 0
    if stem.startswith("01"):
        assert got[(stem, "mixed")] == 2.0
        fb = run([str(BIN / "nbgrader"), "generate_feedback", stem, "--student", "mixed"],
                 course)
        assert fb.returncode == 0, fb.stderr[-2000:]
        html = (course / "feedback" / "mixed" / stem / f"{stem}.html").read_text()
        assert "give the list of descriptor ids" in html
    if stem.startswith("00"):
        assert "not a valid notebook" in done.stderr and "Traceback" not in done.stderr
        for student in ("t_json", "t_deleted", "t_loop", "t_self"):
            assert got[(stem, student)] == 0, student
