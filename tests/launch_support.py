"""Helpers shared by the launch-path tests (Binder, Colab simulation): find an interpreter,
copy the repository as a fresh clone would see it, run a command with a time limit."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
from pathlib import Path

from conftest import ROOT


def find_python(version: str) -> str | None:
    """Path of a working ``python<version>`` (e.g. ``"3.12"``) on this machine, or None.

    Looks on PATH and in pyenv's versions folder, and runs each candidate once: a pyenv
    shim for a version that is not active exists on PATH but fails when run.
    """
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(glob.glob(str(pyenv / "versions" / f"{version}.*" / "bin" / "python3")),
                         reverse=True)
    candidates.append(f"/usr/bin/python{version}")
    for exe in candidates:
        if not exe or not Path(exe).exists():
            continue
        try:
            out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == version:
            return exe
    return None


def clean_copy(dest: Path) -> Path:
    """Copy what a fresh clone holds (tracked and new, not ignored, files) into ``dest``."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                             "-z"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    if listed.returncode != 0:
        raise RuntimeError(f"git ls-files failed: {listed.stderr}")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def run(args, *, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    """Run a command in its own process group, text output captured.

    On time-out the whole group (the command and e.g. the kernel it started) is killed
    and the test fails with what the command printed.
    """
    args = [str(a) for a in args]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True, **kwargs) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise AssertionError(f"{' '.join(args[:3])} ... did not finish within "
                                 f"{timeout} s:\n{out[-3000:]}\n{err[-3000:]}") from None
    return subprocess.CompletedProcess(args, proc.returncode, out, err)
