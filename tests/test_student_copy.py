"""Student copies: no solutions, cleared exercise outputs, never overwrite work."""
import subprocess
import sys

import nbformat
import pytest

from conftest import FIXTURES, NOTEBOOKS
from course_tools.student_copy import strip_solutions, write_student_copy

GOOD = FIXTURES / "good.ipynb"


def test_solutions_removed_quiz_answers_kept_exercise_outputs_cleared():
    nb = nbformat.read(GOOD, as_version=4)
    student = strip_solutions(nb)
    text = "\n".join(c.source for c in student.cells)
    assert "Solution" not in text and "answer = 50_000" not in text
    assert "<summary>Answer</summary>" in text
    stub = next(c for c in student.cells if "check_exercise(" in c.source)
    assert stub.outputs == [] and stub.execution_count is None
    assert "answer = ..." in stub.source
    assert len(nb.cells) - len(student.cells) == 1  # the solution-only cell is dropped
    assert any("Solution" in c.source for c in nb.cells), "the original is untouched"


def test_cells_tagged_solution_are_removed():
    nb = nbformat.read(GOOD, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("secret = 42", metadata={"tags": ["solution"]}))
    assert all("secret" not in c.source for c in strip_solutions(nb).cells)


def test_refuses_to_overwrite_without_force(tmp_path):
    write_student_copy([GOOD], tmp_path)
    target = tmp_path / GOOD.name
    target.write_text("student work")
    with pytest.raises(ValueError, match="refusing to overwrite"):
        write_student_copy([GOOD], tmp_path)
    assert target.read_text() == "student work"
    write_student_copy([GOOD], tmp_path, force=True)
    assert nbformat.read(target, as_version=4).cells


def test_refuses_to_write_into_the_source_folder():
    with pytest.raises(ValueError, match="must differ"):
        write_student_copy([GOOD], FIXTURES, force=True)


def test_command_line_copies_every_notebook_without_solutions(tmp_path):
    out = tmp_path / "student"
    cmd = [sys.executable, "-m", "course_tools.student_copy", "--out", str(out), *map(str, NOTEBOOKS)]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 2 and "refusing to overwrite" in again.stderr
    for path in NOTEBOOKS:
        copy = nbformat.read(out / path.name, as_version=4)
        assert not any("<summary>Solution" in c.source for c in copy.cells)
        assert not any("<details" in c.source for c in copy.cells), "class edition: no answers"


def test_class_edition_drops_think_and_quiz_answers_but_keeps_figures(tmp_path):
    from course_tools.student_copy import class_edition

    path = next(p for p in NOTEBOOKS if p.name.startswith("01_"))
    nb = nbformat.read(path, as_version=4)
    edition = class_edition(nb)
    text = "\n".join(c.source for c in edition.cells)
    assert "<details" not in text, "no solution, Think! or quiz answer is left"
    assert text.count("**Think!") == "\n".join(c.source for c in nb.cells).count("**Think!")
    images = sum("image/png" in o.get("data", {}) for c in edition.cells
                 if c.cell_type == "code" for o in c.outputs)
    assert images > 0, "figures stay in the class edition"


def test_default_command_is_the_class_edition_and_self_study_keeps_answers(tmp_path):
    base = [sys.executable, "-m", "course_tools.student_copy", str(GOOD)]
    assert subprocess.run([*base, "--out", str(tmp_path / "c")]).returncode == 0
    assert subprocess.run([*base, "--out", str(tmp_path / "s"), "--self-study"]).returncode == 0
    klass = (tmp_path / "c" / GOOD.name).read_text()
    study = (tmp_path / "s" / GOOD.name).read_text()
    assert "<summary>Answer" not in klass and "<summary>Answer" in study
    assert "Solution" not in klass and "Solution" not in study


def test_never_writes_through_a_symlink(tmp_path):
    victim = tmp_path / "elsewhere.ipynb"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / GOOD.name).symlink_to(victim)
    with pytest.raises(ValueError, match="symbolic link"):
        write_student_copy([GOOD], out, force=True)
    assert victim.read_text() == "precious"
    linked = tmp_path / "linked"
    linked.symlink_to(out, target_is_directory=True)
    with pytest.raises(ValueError, match="symbolic link"):
        write_student_copy([GOOD], linked)


def test_refuses_two_sources_with_the_same_name(tmp_path):
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / GOOD.name).write_bytes(GOOD.read_bytes())
    with pytest.raises(ValueError, match="share the name"):
        write_student_copy([GOOD, twin / GOOD.name], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad", ["{not json", '{"cells": 3}'])
def test_a_corrupt_source_leaves_no_partial_copy(tmp_path, bad):
    corrupt = tmp_path / "src" / "zz_corrupt.ipynb"
    corrupt.parent.mkdir()
    corrupt.write_text(bad)
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="not a valid notebook"):
        write_student_copy([GOOD, corrupt], out)
    assert not out.exists() or not any(out.iterdir())
    cmd = [sys.executable, "-m", "course_tools.student_copy", str(GOOD), str(corrupt),
           "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 2 and "not a valid notebook" in run.stderr
    assert "Traceback" not in run.stderr
