"""A widget's live figure, redrawn after many control moves, equals a fresh drawing.

``Demo.redraw`` reuses one figure for every callback (``style.reuse_figure``): the axes,
their ticks and the figure stay, and what the plotting function draws is replaced. These
tests move each notebook widget's controls to random positions and the ends of their
ranges, then draw one more setting into the reused figure and compare it with a new
figure drawn at that setting: the rendered pixels, the SVG markup and the figure's size
and axes must be the same.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_tools.notebook_tools import widget_demos
from helpers.core.params import random_settings
from helpers.core.style import figure_png, figure_svg
from helpers.core.widgets import Demo

DEMOS = widget_demos()


def _svg(fig) -> str:
    return figure_svg(fig, text_as_paths=False)


def _moves(demo, rng, count=5) -> list[dict]:
    return [random_settings(demo.specs, rng, extremes=bool(i % 2)) for i in range(count)]


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_redraw_after_many_moves_looks_like_a_fresh_drawing(name):
    spec = DEMOS[name]
    demo = Demo(spec.plot_fn, name=spec.name, alt=spec.alt, fixed=spec.fixed)
    rng = np.random.default_rng(11)
    targets = [random_settings(demo.specs, rng), {}]
    for target in targets:
        for values in _moves(demo, rng):
            demo.live_bundle(**values)
        reused = demo.redraw(**target)
        fresh = demo.figure(**target)
        try:
            assert reused.get_size_inches().tolist() == fresh.get_size_inches().tolist()
            assert len(reused.axes) == len(fresh.axes)
            assert _svg(reused) == _svg(fresh), target
            assert figure_png(reused) == figure_png(fresh), target
        finally:
            plt.close(fresh)
    demo.close()


def test_redraws_reuse_one_figure_that_pyplot_does_not_hold():
    demo = DEMOS["04_persistence"]
    demo = Demo(demo.plot_fn, name=demo.name, alt=demo.alt)
    before = set(plt.get_fignums())
    first = demo.redraw()
    axes = list(first.axes)
    for hours in (24.0, 168.0, 96.0):
        assert demo.redraw(hours=hours) is first
    assert first.axes == axes
    assert set(plt.get_fignums()) == before
    demo.close()
    assert demo.live_figure is None
