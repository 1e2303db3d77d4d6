"""Count how often the public API breaks its promise under hostile input.

Runs the calls of ``tests/test_api_fuzz.py`` (every callable in ``helpers.__all__`` and every
registered exercise check, deterministic examples) without stopping at the first violation,
and prints the number of calls, the violations by kind and the worst offenders.  The
promise: a normal return with finite numbers, or a ValueError/TypeError naming a parameter;
exercise checks never raise.

Prints counts only; it asserts nothing.

Usage: python benchmarks/fuzz_api.py [--top 40] [--scale 4]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_fuzz_module():
    sys.path.insert(0, str(ROOT / "tests"))
    spec = importlib.util.spec_from_file_location("test_api_fuzz", ROOT / "tests" / "test_api_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=40, help="offenders and examples to list")
    parser.add_argument("--scale", type=int, default=1,
                        help="examples per target x this (the test suite uses 1)")
    parser.add_argument("--memory-gb", type=float, default=6.0,
                        help="address-space limit, so a huge allocation fails instead of swapping")
    args = parser.parse_args()
    limit = int(args.memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    warnings.simplefilter("ignore")

    fuzz = _load_fuzz_module()
    fuzz.EXAMPLES = {k: v * args.scale for k, v in fuzz.EXAMPLES.items()}
    from helpers.core.style import setup

    setup(seed=0)
    start = time.perf_counter()
    tally, per_name, examples = fuzz.count_outcomes()
    seconds = time.perf_counter() - start
    calls = sum(tally.values())
    bad = calls - tally["ok"]
    print(f"targets: {len(fuzz.public_callables())} callables + {len(fuzz.all_check_ids())} "
          f"exercise checks (each check through itself, feedback and check_exercise)")
    print(f"calls: {calls}   promise kept: {tally['ok']} ({100 * tally['ok'] / calls:.1f} %)   "
          f"violations: {bad}   ({seconds:.0f} s)")
    print("\nviolations by kind:")
    for kind, n in tally.most_common():
        if kind != "ok":
            print(f"  {n:6d}  {kind}")
    stats_owned = sum(n for name, n in per_name.items() if name in fuzz.STATS_OWNED)
    print(f"\nof which in names owned by the statistics core: {stats_owned}")
    print("\nviolations per target:")
    for name, n in per_name.most_common(args.top):
        owner = "  (stats)" if name in fuzz.STATS_OWNED else ""
        print(f"  {n:5d}  {name}{owner}")
    print("\nfirst example of each (target, kind):")
    for key in sorted(examples)[: 4 * args.top]:
        print(f"  {key}\n      {examples[key][:160]}")


if __name__ == "__main__":
    main()
