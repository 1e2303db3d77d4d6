"""Every exercise: the stub says "not attempted yet"; the hidden solution says "correct"."""
import re

import nbformat
import pytest

from conftest import NOTEBOOKS, run_source

SOLUTION = re.compile(r"<summary>\s*Solution.*?```python\n(.*?)```", re.S)
EXERCISE_ID = re.compile(r'check_exercise\("(\d+\.\d+)"')


def _exercises(path):
    nb = nbformat.read(path, as_version=4)
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and EXERCISE_ID.search(cell.source):
            following = next((c for c in cells[i + 1:] if c.cell_type == "markdown"), None)
            match = SOLUTION.search(following.source) if following else None
            yield i, cell, match.group(1) if match else None


def _cases():
    for path in NOTEBOOKS:
        if any(True for _ in _exercises(path)):
            yield pytest.param(path, id=path.stem)


@pytest.mark.parametrize("path", list(_cases()))
def test_stubs_are_blank_and_solutions_pass(path):
    nb = nbformat.read(path, as_version=4)
    exercises = {i: (cell, solution) for i, cell, solution in _exercises(path)}
    namespace: dict = {"__name__": "__notebook__"}
    seen = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if i in exercises:
            stub, solution = exercises[i]
            ex_id = EXERCISE_ID.search(stub.source).group(1)
            seen.append(ex_id)
            assert "exercise" in stub.metadata.get("tags", []), f"{ex_id}: tag the stub 'exercise'"
            stored = "".join(o.get("text", "") for o in stub.outputs)
            assert f"Exercise {ex_id}: not attempted yet" in stored, f"{ex_id}: committed stub output"
            assert solution, f"exercise {ex_id} has no <details> Solution block after it"
            assert f"Exercise {ex_id}: not attempted yet" in run_source(stub.source, namespace)
            result = run_source(solution, namespace)
            assert f"Exercise {ex_id}: correct — " in result, f"{ex_id} solution: {result}"
        if "nbval-ignore-output" not in cell.metadata.get("tags", []):  # widgets need a kernel
            run_source(cell.source, namespace)
    assert seen == sorted(seen, key=lambda s: tuple(map(int, s.split("."))))


def test_every_registered_check_is_used_by_a_notebook():
    from helpers.checks import registered

    used = set()
    for path in NOTEBOOKS:
        used |= {EXERCISE_ID.search(c.source).group(1) for _, c, _ in _exercises(path)}
        registered(int(path.stem[:2]))
    assert set(registered()) - {"98.1"} <= used
