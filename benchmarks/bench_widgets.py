"""Benchmark: how fast each widget of notebooks 03 and 04 redraws.

A widget callback is ``Demo.render`` (see :mod:`helpers.widgets`): it computes the model
(``Demo.figure``), draws the figure to PNG and closes it. This script times exactly that
work, minus the display call, for random control values drawn uniformly from each
widget's declared parameter ranges (seeded), after one warm-up call. It prints the median
and 95th percentile of model computation + figure drawing per widget against the target
(p95 <= 50 ms), and for information the p95 including the PNG encoding that
``Demo.render`` adds before the image reaches the browser. Prints numbers only; it
asserts nothing (timings are not tests).

Usage: python benchmarks/bench_widgets.py [--calls 40] [--seed 0]
"""
from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

TARGET_MS = 50.0


def _demos():
    from helpers.assay import plot_suppression_assay
    from helpers.kinetics import plot_persistence
    from helpers.msc import plot_isct_panel
    from helpers.tcell_balance import plot_balance
    from helpers.widgets import Demo

    fns = {"03_isct_panel": plot_isct_panel, "04_suppression_assay": plot_suppression_assay,
           "04_persistence": plot_persistence, "04_th17_treg_toy": plot_balance}
    return {name: Demo(fn, name=name, alt=f"benchmark of {name}") for name, fn in fns.items()}


def _random_values(specs: dict, rng) -> dict:
    from helpers.params import Choice, Flag, Range

    values = {}
    for name, spec in specs.items():
        if isinstance(spec, Range):
            if spec.integer:
                values[name] = int(rng.integers(int(spec.low), int(spec.high) + 1))
            else:
                values[name] = float(rng.uniform(spec.low, spec.high))
        elif isinstance(spec, Choice):
            values[name] = spec.options[int(rng.integers(len(spec.options)))]
        elif isinstance(spec, Flag):
            values[name] = bool(rng.integers(2))
    return values


def _floor_figure(**_values):
    """One empty axes with a line: what any matplotlib widget pays at minimum."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.8, 4.0), layout="none")
    ax.plot([0, 1], [0, 1])
    return fig


class _Floor:
    specs: dict = {}
    figure = staticmethod(_floor_figure)


def time_callback(demo, values: dict) -> tuple[float, float]:
    """Seconds for one callback: (model + figure drawing, the same plus PNG encoding).

    The first number is the model computation, building the figure and rendering it
    (``canvas.draw``); the second adds what ``Demo.render`` does on top to send the image
    to the browser (``figure_png``: a second render into a PNG file in memory).
    """
    import matplotlib.pyplot as plt

    from helpers.style import figure_png

    start = time.perf_counter()
    fig = demo.figure(**values)
    fig.canvas.draw()
    drawn = time.perf_counter()
    figure_png(fig)
    plt.close(fig)
    end = time.perf_counter()
    return drawn - start, (drawn - start) + (end - drawn)


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from helpers.style import setup

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40, help="timed calls per widget")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.calls < 2:
        parser.error("--calls must be at least 2")
    setup(seed=args.seed)
    rng = np.random.default_rng(args.seed)
    print(f"{args.calls} callbacks per widget, random values in the declared ranges; "
          f"target: model + drawing p95 <= {TARGET_MS:.0f} ms")
    print(f"{'widget':<22} {'model+draw median':>18} {'p95':>8}   {'with PNG p95':>12}")
    for name, demo in {"(floor: empty axes)": _Floor(), **_demos()}.items():
        time_callback(demo, {})  # warm-up: imports, font cache
        pairs = [time_callback(demo, _random_values(demo.specs, rng)) for _ in range(args.calls)]
        draw = [1000 * a for a, _ in pairs]
        full = [1000 * b for _, b in pairs]
        p95 = float(np.percentile(draw, 95))
        verdict = "ok" if p95 <= TARGET_MS else "over target"
        print(f"{name:<22} {statistics.median(draw):15.1f} ms {p95:6.1f} ms   "
              f"{float(np.percentile(full, 95)):9.1f} ms   {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
