"""Binder: repo2docker builds this repository with a Python the pins accept.

``jupyter-repo2docker --no-build --debug`` prints the Dockerfile Binder would build without
needing Docker. The test reads from it which Python the image gets and that
``requirements.txt`` is installed, then checks on this machine that the pinned
requirements resolve for that Python from wheels alone (what the image build downloads).
"""
from __future__ import annotations

import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from conftest import ROOT
from launch_support import clean_copy, find_python, run

_BESIDE = Path(sys.executable).with_name("jupyter-repo2docker")
REPO2DOCKER = str(_BESIDE) if _BESIDE.exists() else shutil.which("jupyter-repo2docker")
needs_repo2docker = pytest.mark.skipif(
    REPO2DOCKER is None or not sys.platform.startswith("linux"),
    reason="needs Linux (Binder builds Linux images) and jupyter-repo2docker "
    "(python -m pip install -r requirements-test.txt; `make test` does)")


def requires_python() -> SpecifierSet:
    return SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())
                        ["project"]["requires-python"])


def ci_pythons() -> list[str]:
    """The Python versions the GitHub workflow's pinned job runs on."""
    text = (ROOT / ".github" / "workflows" / "tests.yml").read_text()
    match = re.search(r"python-version:\s*\[([^\]]+)\]", text)
    assert match, "tests.yml must list the tested Python versions as python-version: [...]"
    return [v.strip().strip("\"'") for v in match.group(1).split(",")]


@pytest.fixture(scope="module")
def binder_build(tmp_path_factory):
    """(Python version, Dockerfile text) of a Binder build of a fresh copy of the repo."""
    copy = clean_copy(tmp_path_factory.mktemp("binder") / "repo")
    out = run([REPO2DOCKER, "--no-build", "--debug", "."], cwd=copy, timeout=180)
    assert out.returncode == 0, out.stdout + out.stderr
    log = out.stdout + out.stderr
    assert "Python version unspecified" not in log, (
        "repo2docker falls back to its own default Python (which changes with its "
        "releases): runtime.txt must choose one.\n" + log[:2000])
    version = re.search(r"Building conda environment for python=(\d+\.\d+)", log)
    assert version, log[:2000]
    return version.group(1), log


@needs_repo2docker
def test_binder_python_is_chosen_accepted_and_tested(binder_build):
    version, _ = binder_build
    assert version in requires_python(), f"Binder's Python {version} is outside requires-python"
    assert version in ci_pythons(), f"Binder's Python {version} is not tested in CI"


@needs_repo2docker
def test_binder_installs_the_pinned_requirements(binder_build):
    _, dockerfile = binder_build
    assert re.search(r'^RUN \S+/pip install .*-r "requirements\.txt"', dockerfile, re.M), (
        "the Binder image does not install requirements.txt")


@needs_repo2docker
def test_pinned_requirements_resolve_from_wheels_for_binder_python(binder_build, tmp_path):
    """A venv of Binder's Python resolves exactly the pins, from wheels (nothing compiled).

    A dry run (resolution and wheel availability, ~20-40 s with a warm pip cache) rather
    than a full install (~1-2 min): the Colab simulation already installs for real.
    """
    version, _ = binder_build
    python = find_python(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine (looked on PATH and in pyenv)")
    run([python, "-m", "venv", tmp_path / "venv"], timeout=120).check_returncode()
    report = tmp_path / "report.json"
    out = run([tmp_path / "venv" / "bin" / "python", "-m", "pip", "install", "--dry-run",
               "--quiet", "--only-binary=:all:", "--report", report, "-r",
               "requirements.txt"], cwd=ROOT, timeout=400)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    resolved = {item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            name = match.group(1).lower().replace("_", "-")
            assert resolved.get(name) == match.group(2), (name, resolved.get(name))
