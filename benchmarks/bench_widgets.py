"""Benchmark: how long each widget callback of the course takes.

A widget callback is ``Demo.render`` (see :mod:`helpers.core.widgets`). Everything it does
except handing the finished output to the kernel's message queue is
``Demo.live_bundle``: compute the model, build the figure, render it to SVG, check its
fonts and close it. This script times ``live_bundle`` for random control values drawn
uniformly from the slider positions of each widget's declared ranges (seeded), after one
warm-up call, and prints the median, the 95th percentile and the slowest call per widget
against the target of issue 6 (p95 <= 50 ms). A full garbage collection inside a redraw
used to cost 30-300 ms (see ``helpers.core.widgets.young_garbage_only``). For comparison it
also prints the p95 of the same callback with a PNG instead of SVG, the format the live
views used before. Prints numbers only; it asserts nothing (timings are not tests).

Usage: python benchmarks/bench_widgets.py [--calls 60] [--seed 0] [--only 03 04]
"""
from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

TARGET_MS = 50.0

def _demos(only: list[str]) -> dict:
    """The notebooks' widget demos (``course_tools.notebook_tools.widget_demos``), filtered."""
    from course_tools.notebook_tools import widget_demos

    return {name: demo for name, demo in widget_demos().items()
            if not only or name[:2] in only}


def time_ms(call, demo, values: dict) -> float:
    """Milliseconds for one call of ``call(demo, values)``."""
    start = time.perf_counter()
    call(demo, values)
    return 1000 * (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from helpers.core.params import random_settings
    from helpers.core.style import setup

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60, help="timed calls per widget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=[], metavar="NN",
                        help="notebook numbers to include, e.g. 03 04 (default: all)")
    args = parser.parse_args(argv)
    if args.calls < 2:
        parser.error("--calls must be at least 2")
    setup(seed=args.seed)
    rng = np.random.default_rng(args.seed)

    def svg(demo, values):
        return demo.live_bundle(**values)

    def png(demo, values):  # the same callback with a PNG live view, for comparison
        return demo.live_bundle(fmt="png", **values)

    print(f"{args.calls} callbacks per widget, random values in the declared ranges; "
          f"target: p95 <= {TARGET_MS:.0f} ms")
    print(f"{'widget':<26} {'SVG median':>10} {'SVG p95':>9} {'SVG max':>9}   {'PNG p95':>8}")
    worst = 0.0
    for name, demo in _demos(args.only).items():
        draws = [random_settings(demo.specs, rng) for _ in range(args.calls)]
        svg(demo, {}), png(demo, {})  # warm-up: imports, font cache
        svg_ms = [time_ms(svg, demo, values) for values in draws]
        png_ms = [time_ms(png, demo, values) for values in draws]
        p95 = float(np.percentile(svg_ms, 95))
        worst = max(worst, p95)
        verdict = "ok" if p95 <= TARGET_MS else "over target"
        print(f"{name:<26} {statistics.median(svg_ms):7.1f} ms {p95:6.1f} ms {max(svg_ms):6.1f} ms   "
              f"{float(np.percentile(png_ms, 95)):5.1f} ms   {verdict}")
    print(f"slowest widget p95: {worst:.1f} ms = {worst / TARGET_MS:.2f} x target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
