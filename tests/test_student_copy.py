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
