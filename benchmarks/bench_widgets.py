"""Benchmark: how long each widget callback of the course takes, against a floor.

A widget callback is ``Demo.render`` (see :mod:`helpers.core.widgets`). Everything it does
except handing the finished output to the kernel's message queue is
``Demo.live_bundle``: compute the model, redraw the demo's live figure, render it to SVG
and check its fonts. This script times ``live_bundle`` for random control values drawn
uniformly from the slider positions of each widget's declared ranges (seeded), after one
warm-up call. After each callback it also times the *floor*: serialising that widget's
own current figure once more (``style.figure_bundle`` as SVG), without recomputing or
redrawing anything. A callback cannot be faster than its floor; the ratio of the two p95s
shows how much the callback adds to it. Both are measured in the same run, interleaved, so
a loaded machine slows both alike.

Targets (issue 11): p95 <= 50 ms and ratio <= 1.5. For comparison it also prints the p95
of the same callback with a PNG live view. Prints numbers only; it asserts nothing
(timings are not tests).

``--clock cpu`` times with this process's CPU time instead of the wall clock: on a shared,
loaded machine the wall clock also counts the time other processes held the CPU, and the
CPU time is the steadier measure of what the callback itself costs.

Usage: python benchmarks/bench_widgets.py [--calls 60] [--seed 0] [--only 03 04] [--no-png]
       [--clock wall|cpu]
"""
from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

TARGET_MS = 50.0
TARGET_RATIO = 1.5
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]


def _demos(only: list[str]) -> dict:
    """The notebooks' widget demos (``course_tools.notebook_tools.widget_demos``), filtered."""
    from course_tools.notebook_tools import widget_demos

    return {name: demo for name, demo in widget_demos().items()
            if not only or name[:2] in only}


def time_ms(call, *args) -> float:
    """Milliseconds for one call of ``call(*args)``."""
    start = clock()
    call(*args)
    return 1000 * (clock() - start)


def floor_ms(demo) -> float:
    """Milliseconds to serialise the demo's current live figure once more (no redraw)."""
    from helpers.core.style import figure_bundle

    fig = demo.live_figure
    return time_ms(lambda: figure_bundle(fig, alt=demo.alt, fmt="svg"))


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from helpers.core.params import random_settings
    from helpers.core.style import setup

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60, help="timed calls per widget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=[], metavar="NN",
                        help="notebook numbers to include, e.g. 03 04 (default: all)")
    parser.add_argument("--no-png", action="store_true", help="skip the PNG comparison")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="wall clock (default) or this process's CPU time")
    args = parser.parse_args(argv)
    global clock
    clock = CLOCKS[args.clock]
    if args.calls < 2:
        parser.error("--calls must be at least 2")
    setup(seed=args.seed)
    rng = np.random.default_rng(args.seed)

    print(f"{args.calls} callbacks per widget, random values in the declared ranges, "
          f"{args.clock} clock; targets: p95 <= {TARGET_MS:.0f} ms, p95 / floor p95 <= {TARGET_RATIO}")
    print(f"{'widget':<26} {'median':>9} {'p95':>9} {'max':>9} {'floor p95':>10} "
          f"{'ratio':>6} {'PNG p95':>9}")
    worst, worst_ratio = 0.0, 0.0
    for name, demo in _demos(args.only).items():
        draws = [random_settings(demo.specs, rng) for _ in range(args.calls)]
        demo.live_bundle(), demo.live_bundle(fmt="png")  # warm-up: imports, font cache
        svg_ms, floors = [], []
        for values in draws:
            svg_ms.append(time_ms(lambda: demo.live_bundle(**values)))
            floors.append(floor_ms(demo))
        png = "-"
        if not args.no_png:
            png_ms = [time_ms(lambda: demo.live_bundle(fmt="png", **values)) for values in draws]
            png = f"{float(np.percentile(png_ms, 95)):6.1f} ms"
        demo.close()
        p95, floor = float(np.percentile(svg_ms, 95)), float(np.percentile(floors, 95))
        ratio = p95 / floor
        worst, worst_ratio = max(worst, p95), max(worst_ratio, ratio)
        verdict = "ok" if p95 <= TARGET_MS and ratio <= TARGET_RATIO else "over target"
        print(f"{name:<26} {statistics.median(svg_ms):6.1f} ms {p95:6.1f} ms "
              f"{max(svg_ms):6.1f} ms {floor:7.1f} ms {ratio:6.2f} {png:>9}   {verdict}")
    print(f"slowest widget p95: {worst:.1f} ms = {worst / TARGET_MS:.2f} x target; "
          f"largest ratio to floor: {worst_ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
