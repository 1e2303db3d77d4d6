"""Check notebooks against the course's hygiene rules; report every problem, then exit.

Usage: python scripts/check_notebooks.py [--raise-fast] notebooks/*.ipynb
Exit code 0 if all notebooks pass, 1 otherwise.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from course_tools.hygiene import problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--raise-fast", action="store_true", help="stop at the first failure")
    args = parser.parse_args(argv)
    failed = 0
    for path in args.notebooks:
        report = problems(path)
        if not report:
            print(f"ok    {path}")
            continue
        failed += 1
        print(f"FAIL  {path}")
        for rule, found in report.items():
            for problem in found:
                print(f"      [{rule}] {problem}")
        if args.raise_fast:
            break
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
