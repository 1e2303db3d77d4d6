"""Strict nbval really fails on a changed number, a changed figure size and a new warning.

Each case copies the executed fixture notebook, edits one cell's *source* so that running it
gives a different output from the stored one, and runs strict nbval on it in a subprocess.
"""
import subprocess
import sys

import nbformat

from conftest import FIXTURES, ROOT


def _edit(nb, needle, old, new):
    cell = next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)
    assert old in cell.source
    cell.source = cell.source.replace(old, new)


CASES = {
    "changed_number": ("mean = 0.375", "0.375", "0.376"),
    "changed_figure_size": ("99_line", "figsize=(4, 3)", "figsize=(5, 3)"),
    "new_warning": ("mean = 0.375", "print(", "import warnings; warnings.warn('new', FutureWarning)\nprint("),
}


def test_strict_nbval_catches_regressions(tmp_path):
    nb = nbformat.read(FIXTURES / "good.ipynb", as_version=4)
    for name, (needle, old, new) in CASES.items():
        broken = nbformat.reads(nbformat.writes(nb), as_version=4)
        _edit(broken, needle, old, new)
        nbformat.write(broken, tmp_path / f"{name}.ipynb")
    nbformat.write(nb, tmp_path / "unchanged.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         "-o", "addopts=", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         "--rootdir", str(tmp_path), "-rf", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300)
    out = result.stdout
    assert result.returncode == 1, out
    for name in CASES:
        assert f"FAILED {name}.ipynb::" in out, f"{name} was not caught:\n{out}"
    assert "unchanged.ipynb::" not in out
