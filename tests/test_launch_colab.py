"""Colab, simulated: a lone notebook installs the course into an older runtime and runs.

A fresh Python 3.12 venv gets a Colab-like stack (IPython 7.34, ipykernel 6.17,
ipywidgets 7.7, matplotlib 3.10, numpy 2.0, ...), notebook 00 is copied alone into an
empty folder, and its bootstrap cell installs the course package from a local copy of
this repository (``LUPUS_MSC_SOURCE``) instead of GitHub. The notebook must run to the end
under ``jupyter nbconvert --execute`` with a per-cell time limit, and the install must
leave the runtime's IPython, ipykernel, matplotlib and numpy as they were; ipywidgets is
the one package it upgrades (to 8, which the course's controls need).
"""
from __future__ import annotations

import os
import re
import shutil
import sys

import nbformat
import pytest

from conftest import ROOT
from launch_support import clean_copy, find_python, run

#: An older stack like Colab's runtime (versions that install on Python 3.12 from wheels).
COLAB_LIKE = {"ipython": "7.34.0", "ipykernel": "6.17.1", "ipywidgets": "7.7.1",
              "matplotlib": "3.10.0", "numpy": "2.0.2", "pandas": "2.2.2", "scipy": "1.14.1",
              "statsmodels": "0.14.4", "pyyaml": "6.0.2"}
#: What runs the notebook (Colab's own frontend does this there).
RUNNER = {"nbconvert": "7.16.6", "nbclient": "0.10.2", "jupyter-client": "8.6.3"}
#: Packages the course install must not replace.
KEEP = ["ipython", "ipykernel", "matplotlib", "numpy", "pandas", "scipy"]
CELL_TIMEOUT = 120
PYTHON = find_python("3.12")

pytestmark = pytest.mark.skipif(
    PYTHON is None or not sys.platform.startswith("linux"),
    reason="needs Linux and a Python 3.12 interpreter (looked on PATH and in pyenv)")


def _versions(python) -> dict[str, str]:
    out = run([python, "-m", "pip", "list", "--format=freeze"], timeout=120)
    pairs = (line.split("==") for line in out.stdout.splitlines() if "==" in line)
    return {name.lower().replace("_", "-"): version for name, version in pairs}


def _plain_env(**extra) -> dict:
    """This process's environment without anything that points at this repository."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "HELPERS_FIGURES_DIR", "MPLBACKEND"}}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """(python, venv bin folder) of a fresh venv with the Colab-like stack."""
    base = tmp_path_factory.mktemp("colab")
    run([PYTHON, "-m", "venv", base / "venv"], timeout=120).check_returncode()
    python = base / "venv" / "bin" / "python"
    pins = [f"{k}=={v}" for k, v in {**COLAB_LIKE, **RUNNER}.items()]
    out = run([python, "-m", "pip", "install", "-q", "--only-binary=:all:", *pins],
              timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return python, base


def test_bootstrap_installs_the_course_and_notebook_runs_to_the_end(colab, tmp_path):
    python, base = colab
    before = _versions(python)
    source = clean_copy(base / "clone")
    lone = tmp_path / "colab_content"
    lone.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", lone)
    out = run([python.parent / "jupyter", "nbconvert", "--to", "notebook", "--execute",
               f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", "--output", "ran.ipynb",
               "00_start_here.ipynb"], cwd=lone, timeout=900,
              env=_plain_env(LUPUS_MSC_SOURCE=str(source),
                             JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data")))
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    ran = nbformat.read(lone / "ran.ipynb", as_version=4)
    code = [c for c in ran.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "a code cell did not run"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    after = _versions(python)
    assert "lupus-msc-notebooks" in after
    changed = {k: (before[k], after.get(k)) for k in KEEP if before[k] != after.get(k)}
    assert changed == {}, f"the course install replaced the runtime's packages: {changed}"
    assert re.match(r"8\.", after["ipywidgets"]), after["ipywidgets"]
