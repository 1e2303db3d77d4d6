"""lupus-execute: writes only inside the notebook's repository, is repeatable byte for
byte, keeps figures when a run fails, and cannot stall after a widget cell."""
from __future__ import annotations

import asyncio
import hashlib
import shutil
from queue import Empty

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from conftest import ROOT
from course_tools.notebook_tools import (WIDGET_VIEW, execute_main, execute_notebook,
                                         sliced_get_msg)

CELLS = [
    ("markdown", "# 00 · Demo\n<!-- nav -->\n<!-- /nav -->"),
    ("code", "# bootstrap: makes `helpers` importable"),
    ("code", "from helpers import setup, show\nimport matplotlib.pyplot as plt\nsetup(seed=0)"),
    ("code", "fig, ax = plt.subplots()\nax.plot([0, 1], [0, 1], marker='o')\n"
             "show(fig, name='00_line', alt='A rising line.', caption='A straight rising line.')"),
    ("code", "import ipywidgets as w\nw.VBox([w.IntSlider(description=f'n{i}') for i in range(4)])"),
    ("code", "import os\nif os.environ.get('LUPUS_TEST_FAIL'):\n    raise RuntimeError('asked to fail')"),
]


@pytest.fixture
def repo(tmp_path):
    """A minimal course repository in a temp folder, with one notebook."""
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", root)
    (root / "README.md").write_text("# Demo\n<!-- contents -->\n<!-- /contents -->\n")
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    nb = nbformat.v4.new_notebook(cells=[make[kind](src) for kind, src in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "notebooks" / "00_demo.ipynb")
    return root


def _snapshot(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_reexecuting_an_unchanged_notebook_changes_no_byte(repo):
    path = repo / "notebooks" / "00_demo.ipynb"
    execute_notebook(path, figures_dir=repo / "figures")
    first = path.read_bytes()
    execute_notebook(path, figures_dir=repo / "figures")
    assert path.read_bytes() == first
    nb = nbformat.reads(first.decode(), as_version=4)
    assert "widgets" not in nb.metadata
    views = [o.data[WIDGET_VIEW] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1 and len(views[0]["model_id"]) == 32
    assert {"version_major", "version_minor"} <= set(views[0])
    assert (repo / "figures" / "00_line.png").exists()


def test_failed_run_leaves_notebook_and_figures_as_they_were(repo, monkeypatch):
    path = repo / "notebooks" / "00_demo.ipynb"
    (repo / "figures").mkdir()
    (repo / "figures" / "00_line.png").write_bytes(b"figure from the last good run")
    before = _snapshot(repo)
    monkeypatch.setenv("LUPUS_TEST_FAIL", "1")
    with pytest.raises(CellExecutionError, match="asked to fail"):
        execute_notebook(path, figures_dir=repo / "figures")
    assert _snapshot(repo) == before
    assert not list(repo.glob(".execute-*")), "staging folder left behind"


def test_execute_main_writes_only_inside_the_notebook_repository(repo, tmp_path, monkeypatch):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    course = {name: _snapshot(ROOT / name) for name in ("figures", "notebooks")}
    course_files = {n: (ROOT / n).read_bytes() for n in ("README.md", "GLOSSARY.md")}
    assert execute_main([str(repo / "notebooks" / "00_demo.ipynb")]) == 0
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "repo"]
    assert {name: _snapshot(ROOT / name) for name in course} == course
    assert {n: (ROOT / n).read_bytes() for n in course_files} == course_files
    assert (repo / "figures" / "00_line.png").exists() and (repo / "GLOSSARY.md").exists()


def test_figures_outside_the_repository_are_refused(repo, tmp_path):
    with pytest.raises(ValueError, match="figures_dir"):
        execute_notebook(repo / "notebooks" / "00_demo.ipynb", figures_dir=tmp_path / "out")


def test_a_missed_wake_up_costs_one_slice_not_the_cell_timeout():
    """A channel whose first poll misses the waiting message (as after a widget cell)
    and only reports it when polled again: with slices the message arrives at once; a
    plain wait with no time-out would never return (the nbconvert hang)."""
    calls = []

    async def missing_first_poll(timeout=None):
        calls.append(timeout)
        if len(calls) == 1:
            if timeout is None:
                await asyncio.Event().wait()  # never set: the unbounded wait
            await asyncio.sleep(timeout)
            raise Empty
        return {"msg": "reply"}

    async def main():
        return await asyncio.wait_for(sliced_get_msg(missing_first_poll, 0.05)(None), 5)

    assert asyncio.run(main()) == {"msg": "reply"}
    assert calls[0] == 0.05


def test_sliced_wait_still_times_out():
    async def never(timeout=None):
        await asyncio.sleep(timeout)
        raise Empty

    with pytest.raises(Empty):
        asyncio.run(sliced_get_msg(never, 0.05)(timeout=0.2))
