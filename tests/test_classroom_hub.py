"""N = 2 students on a real JupyterHub (127.0.0.1): spawn, nbgitpuller pull, run, stop all.

Runs the classroom benchmark itself (small notebook 00) and checks what it reports, then
that nothing it started is left running.
"""
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("jupyterhub", reason="install requirements-instructor.txt")
psutil = pytest.importorskip("psutil")


def _ours():
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        text = " ".join(proc.info.get("cmdline") or []) + " " + (proc.info.get("cwd") or "")
        if "lupus-bench-" in text:
            found.append(proc.info["pid"])
    return found


def test_two_students_spawn_pull_and_run_through_the_hub():
    assert (ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy").exists(), \
        "run `npm ci` in deploy/ (make test does)"
    before = set(_ours())
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_classroom.py"),
                           "--students", "2", "--notebook", "00_start_here", "--timeout", "240"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("students: 2 on ")
    assert "cell errors: none" in lines
    assert lines[-1].startswith("capacity: ") and "students per GB" in lines[-1]
    text = "\n".join(lines)
    for label in ("spawn s:", "nbgitpuller pull s:", "run-all one student alone s:",
                  "memory per student", "CPU-seconds per student"):
        assert label in text
    assert set(_ours()) - before == set(), "the benchmark left processes running"


def test_harness_student_environment_per_setup(tmp_path):
    from course_tools.hub_harness import CLASS_ENVIRONMENT, Hub

    envs = {setup: Hub(ROOT, tmp_path, setup=setup).environment()
            for setup in ("one-machine", "kubernetes", "stock")}
    assert CLASS_ENVIRONMENT.items() <= envs["one-machine"].items()
    assert envs["one-machine"]["JUPYTER_PATH"] == str(ROOT / "deploy" / "jupyter")
    assert "JUPYTER_CONFIG_PATH" not in envs["one-machine"]
    assert envs["kubernetes"]["JUPYTER_CONFIG_PATH"].endswith("kubernetes/student-config")
    assert not {"JUPYTER_PATH", "JUPYTER_CONFIG_PATH", *CLASS_ENVIRONMENT} & set(envs["stock"])
    assert repr(envs["kubernetes"]) in Hub(ROOT, tmp_path, setup="kubernetes").config_text()
    with pytest.raises(ValueError, match="setup must be one of"):
        Hub(ROOT, tmp_path, setup="cloud")
