"""A class on one machine: N students on a real JupyterHub (127.0.0.1 only).

Starts JupyterHub (dummy login, local spawner, configurable-http-proxy from deploy/),
creates N users, starts their servers, pulls the class edition with nbgitpuller, runs one
notebook alone (the one-student time) and then on every student's kernel at once, measures
memory (USS and RSS of server + kernel) and CPU-seconds per student, stops everything it
started, and prints the numbers and a last line ``capacity: ...``.

Usage::

    python benchmarks/bench_classroom.py --students 2
    python benchmarks/bench_classroom.py --students 15 --notebook 05_trial_evidence

Every student server gets what ``deploy/one-machine`` gives a class: the course
kernelspec (``deploy/jupyter``, no debugpy), ``CLASS_ENVIRONMENT`` (malloc settings) and
nbgrader's assignment list. ``--setup kubernetes`` measures that recipe's servers (no
nbgrader server extensions), ``--setup stock`` one without any of this, for comparison.

Targets (issue 13): memory per student <= 250 MB; N concurrent run-alls
<= 1.2 x (N / cores) x the one-student time.  The ratios are printed, never asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from course_tools.hub_harness import (  # noqa: E402
    SETUPS, Hub, StudentRun, bare_class_repo, in_parallel)

BRANCH = "class-edition"


def measure(students: int, notebook: str, timeout_s: float = 300,
            setup: str = "one-machine") -> dict:
    """Run the class and return the measurements (see the module docstring).

    ``setup`` is one of ``hub_harness.SETUPS``: the student server of the one-machine or
    the Kubernetes recipe, or the stock one (for before/after comparisons).
    """
    if not isinstance(students, int) or isinstance(students, bool) or not 1 <= students <= 60:
        raise ValueError(f"students must be an integer in [1, 60]; got {students!r}")
    names = [f"student{i + 1:02d}" for i in range(students)]
    runs = {n: StudentRun(n) for n in names}
    with tempfile.TemporaryDirectory(prefix="lupus-bench-") as tmp:
        repo = str(bare_class_repo(ROOT, Path(tmp)))
        path = f"course/notebooks/{notebook}.ipynb"
        with Hub(ROOT, Path(tmp), timeout_s=timeout_s, setup=setup) as hub:
            try:
                for name, result in zip(names, in_parallel(hub.spawn, names)):
                    if isinstance(result, Exception):
                        raise RuntimeError(f"{name}: {result}\n{hub.log_tail()}")
                    runs[name].spawn_s = result
                pulls = in_parallel(lambda n: hub.pull(n, repo, BRANCH), names)
                for name, result in zip(names, pulls):
                    if isinstance(result, Exception):
                        raise result
                    runs[name].pull_s = result
                t0 = time.monotonic()
                alone_s, cells, errors, alone_use = hub.run_notebook(
                    names[0], path, timeout_s, sample=lambda: hub.usage(names[0]))
                alone_wall_s = time.monotonic() - t0
                # Every student's memory is read once all N kernels are done and alive, so
                # that each sees the same sharing of library pages (USS depends on it).
                done = threading.Barrier(len(names))

                def sample(n):
                    try:
                        done.wait(timeout=timeout_s)
                    except threading.BrokenBarrierError:
                        pass
                    return hub.usage(n)

                def run(n):
                    try:
                        return hub.run_notebook(n, path, timeout_s, sample=lambda: sample(n))
                    except Exception:
                        done.abort()  # the others stop waiting for this student
                        raise

                t0 = time.monotonic()
                together = in_parallel(run, names)
                wall_s = time.monotonic() - t0
                for name, result in zip(names, together):
                    if isinstance(result, Exception):
                        raise result
                    runs[name].run_s, runs[name].cells, runs[name].errors, use = result
                    r = runs[name]
                    r.uss_mb, r.pss_mb, r.rss_mb, r.cpu_s = use
            finally:
                for name in names:
                    try:
                        hub.stop_server(name)
                    except Exception:
                        pass
    return {"runs": list(runs.values()), "alone_s": alone_s, "wall_s": wall_s,
            "alone_wall_s": alone_wall_s, "reconnects": hub.reconnects,
            "cells": cells, "alone_errors": errors, "alone_use": alone_use,
            "cores": os.cpu_count() or 1, "setup": setup}


def report(m: dict) -> list[str]:
    """The printed lines (numbers, ratios against the targets, the capacity line)."""
    runs, cores, n = m["runs"], m["cores"], len(m["runs"])
    alone_uss, _, alone_rss, alone_cpu = m["alone_use"]
    med = statistics.median
    ideal = max(1.0, n / cores) * m["alone_wall_s"]
    ratio = m["wall_s"] / ideal
    errors = sorted({e for r in runs for e in r.errors} | set(m["alone_errors"]))
    lines = [
        f"students: {n} on {cores} cores (machine load at start: "
        f"{os.getloadavg()[0]:.1f}; shared machines inflate the times); student servers "
        f"as in the {m.get('setup', 'one-machine')} set-up",
        f"spawn s: median {med(r.spawn_s for r in runs):.1f}, max {max(r.spawn_s for r in runs):.1f}",
        f"nbgitpuller pull s: median {med(r.pull_s for r in runs):.1f}, "
        f"max {max(r.pull_s for r in runs):.1f}",
        f"run-all one student alone s: {m['alone_wall_s']:.1f} with kernel start "
        f"({m['alone_s']:.1f} for the {m['cells']} code cells)",
        f"run-all all {n} at once s: wall {m['wall_s']:.1f} with kernel starts (cells per "
        f"student: median {med(r.run_s for r in runs):.1f}, max {max(r.run_s for r in runs):.1f})",
        f"concurrent ratio: {ratio:.2f} x of (N / cores) x alone (target <= 1.2)",
        f"memory per student after the run-alls, all {n} kernels live MB (server + kernel): "
        f"USS median {med(r.uss_mb for r in runs):.0f} (max {max(r.uss_mb for r in runs):.0f}"
        f"; target <= 250), PSS median {med(r.pss_mb for r in runs):.0f}, RSS median "
        f"{med(r.rss_mb for r in runs):.0f}",
        f"CPU-seconds per student (server + kernels: spawn, pull, run-all): median "
        f"{med(r.cpu_s for r in runs):.1f} (at the end of the solo run: {alone_cpu:.1f} s, "
        f"USS {alone_uss:.0f} MB, RSS {alone_rss:.0f} MB)",
        f"cell errors: {', '.join(errors) if errors else 'none'}",
        f"kernel websocket reconnects: {m['reconnects']}",
    ]
    per_student_mb = max(r.uss_mb for r in runs)
    per_gb = 1024 / per_student_mb if per_student_mb else float("nan")
    # k students running at once take about (k / cores) x ratio x alone, so within twice
    # the solo time k <= 2 x cores / ratio: 2 / ratio students per core.
    per_core = 2 / ratio if ratio else float("nan")
    lines.append(f"capacity: {per_gb:.1f} students per GB of memory ({per_student_mb:.0f} MB "
                 f"each, USS); {per_core:.1f} students per core running a notebook at the same "
                 f"time within 2 x the solo time (measured with N = {n})")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2)
    parser.add_argument("--notebook", default="05_trial_evidence")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per wait")
    parser.add_argument("--setup", choices=SETUPS, default="one-machine",
                        help="student servers as deploy/one-machine gives them (default), as "
                             "deploy/kubernetes does (no nbgrader server extensions), or "
                             "stock (no course kernelspec or malloc settings), to compare")
    args = parser.parse_args(argv)
    try:
        m = measure(args.students, args.notebook, args.timeout, setup=args.setup)
    except ValueError as err:
        print(f"bench_classroom: {err}", file=sys.stderr)
        return 2
    for line in report(m):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
