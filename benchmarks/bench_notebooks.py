"""Benchmark: notebook execution time against the floor of starting a kernel.

Measures, in one run on this machine:

* the **floor**: start a kernel, import helpers, matplotlib.pyplot, ipywidgets, numpy and
  scipy, shut down (median of ``--repeat`` runs);
* each notebook's execution time (nbclient, as the tests do; median of ``--repeat`` runs);
* ``import helpers`` in a fresh interpreter (target <= 0.3 s);
* optionally (``--suite``) the wall time of strict nbval over the notebooks on one worker
  and on the project's default two workers (``-n 2 --dist loadfile``), and of the whole
  test suite (``python -m pytest``),

and prints each as a ratio to N x floor (target for the notebook suite: <= 1.5; whole suite
under 60 s on 2 cores).
Prints numbers only; it asserts nothing (timings are not tests).

Usage: python benchmarks/bench_notebooks.py [--repeat 3] [--suite]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
FLOOR_SOURCE = ("import helpers, matplotlib.pyplot, ipywidgets, numpy, scipy\n"
                "from helpers import setup\nsetup(seed=0)")


def _run(nb, cwd: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - start


def floor_seconds() -> float:
    """Kernel start + heavy imports + shutdown, for a one-cell notebook."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    return _run(nb, ROOT / "notebooks")


def notebook_seconds(path: Path) -> float:
    """Execute one notebook (in memory; the file is not changed)."""
    return _run(nbformat.read(path, as_version=4), path.parent)


def import_seconds() -> float:
    """``import helpers`` in a fresh interpreter, measured inside it."""
    code = "import time; t = time.perf_counter(); import helpers; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--suite", action="store_true", help="also time `python -m pytest`")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    floor = statistics.median(floor_seconds() for _ in range(args.repeat))
    print(f"floor (kernel + imports):  {floor:6.2f} s")
    total = 0.0
    for path in paths:
        seconds = statistics.median(notebook_seconds(path) for _ in range(args.repeat))
        total += seconds
        print(f"{path.stem:<28} {seconds:6.2f} s  ({seconds / floor:4.2f} x floor)")
    n = len(paths)
    print(f"notebooks total:           {total:6.2f} s for N = {n}")
    print(f"ratio total / (N x floor): {total / (n * floor):6.2f}   (one at a time)")
    imports = statistics.median(import_seconds() for _ in range(args.repeat))
    print(f"import helpers:            {imports:6.3f} s   (target <= 0.3)")
    if args.suite:
        serial = _timed([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-o",
                         "addopts=--nbval --nbval-current-env --nbval-sanitize-with "
                         "tests/nbval_sanitize.cfg", "notebooks"])
        print(f"strict nbval, 1 worker:    {serial:6.2f} s   "
              f"({serial / (n * floor):.2f} x N x floor, incl. pytest start-up)")
        parallel = statistics.median(_timed([sys.executable, "-m", "pytest", "-q", "notebooks"])
                                     for _ in range(args.repeat))
        print(f"strict nbval, 2 workers:   {parallel:6.2f} s   (median of {args.repeat}; "
              f"{parallel / (n * floor):.2f} x N x floor; target <= 1.5)")
        suite = _timed([sys.executable, "-m", "pytest", "-q"])
        print(f"whole test suite:          {suite:6.2f} s   (target < 60 s on 2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
