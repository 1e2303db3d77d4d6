"""The nbgrader course builder's output, without running nbgrader (fast checks)."""
import nbformat
import pytest

from conftest import NOTEBOOKS
from course_tools.nbgrader_course import (EXERCISE_POINTS, THINK_POINTS, build_course,
                                          main, shape_of)

NB00 = next(p for p in NOTEBOOKS if p.name.startswith("00_"))


def _graded(nb):
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def test_exercise_becomes_answer_and_locked_test_with_its_own_name(tmp_path):
    [path] = build_course(tmp_path, [NB00])
    assert path == tmp_path / "source" / NB00.stem / NB00.name
    cells = _graded(nbformat.read(path, as_version=4))
    answer, test = cells["ex_0_1_answer"], cells["ex_0_1_test"]
    assert answer.metadata["nbgrader"]["solution"] and not answer.metadata["nbgrader"]["locked"]
    assert "### BEGIN SOLUTION" in answer.source and "check_exercise(" not in answer.source
    assert "answer_0_1 =" in answer.source and "\nanswer =" not in answer.source
    meta = test.metadata["nbgrader"]
    assert meta["locked"] and meta["grade"] and meta["points"] == EXERCISE_POINTS
    assert "### BEGIN HIDDEN TESTS" in test.source and "_feedback('0.1', answer_0_1)" in test.source
    thinks = [c for gid, c in cells.items() if gid.startswith("think_")]
    assert thinks and all(c.cell_type == "markdown" and c.metadata["nbgrader"]["points"]
                          == THINK_POINTS and "Model answer" in c.source for c in thinks)
    assert "quiz" in cells and (tmp_path / "nbgrader_config.py").exists()


def test_rebuild_needs_force_and_the_cli_reports_cleanly(tmp_path, capsys):
    build_course(tmp_path, [NB00])
    with pytest.raises(ValueError, match="--force"):
        build_course(tmp_path, [NB00])
    assert main(["--out", str(tmp_path), str(NB00)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert main(["--out", str(tmp_path), "--force", str(NB00)]) == 0


def test_reference_shapes():
    assert shape_of({"a": 1.5, "b": [1, 2]}) == {"dict": {"a": "number", "b": ["seq", 2]}}
    assert shape_of(True) == "bool" and shape_of("x") == "str"
    with pytest.raises(ValueError, match="not plain data"):
        shape_of(object())
