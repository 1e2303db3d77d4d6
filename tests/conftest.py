"""Shared fixtures and the in-process notebook runner used by the exercise tests."""
from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def course_style():
    """Apply the course style once per test process, as every notebook's set-up cell does.

    Without it a test's outcome would depend on whether an earlier test in the same
    worker happened to call ``setup()`` (show() refuses matplotlib's default 10 pt text).
    """
    from helpers.core.style import setup

    setup(seed=0)


@pytest.fixture(autouse=True)
def no_figure_left_open():
    """Close any pyplot figure a test left open, so the next test in the worker starts clean."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def root() -> Path:
    """The repository root."""
    return ROOT


def run_source(source: str, namespace: dict) -> str:
    """Execute notebook code in ``namespace`` from the notebooks folder; return its stdout."""
    buffer = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")
    try:
        with contextlib.redirect_stdout(buffer):
            exec(compile(source, "<cell>", "exec"), namespace)
    finally:
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    return buffer.getvalue()


def small_texts_at_course_style(draw) -> list:
    """Draw a figure with the course rcParams and list its texts under 11 pt.

    ``small_texts`` draws the canvas first, so tick labels are included.
    """
    import matplotlib.pyplot as plt

    from helpers.core.style import RC_PARAMS, small_texts

    with matplotlib.rc_context(RC_PARAMS):
        fig = draw()
        found = small_texts(fig)
    plt.close(fig)
    return found


def hatches_hidden_in_svg(svg: str) -> list[str]:
    """Ids of SVG hatch patterns drawn in the same colour as their background."""
    hidden = []
    for pattern in re.finditer(r'<pattern id="(\w+)".*?</pattern>', svg, re.S):
        fill = re.search(r'<rect[^>]*fill="([^"]+)"', pattern.group(0))
        stroke = re.search(r"stroke: (#[0-9a-fA-F]+)", pattern.group(0))
        if fill and stroke and fill.group(1).lower() == stroke.group(1).lower():
            hidden.append(pattern.group(1))
    return hidden


def draw_declared_widget(data, fn) -> None:
    """Call a ``@ranged`` plot with arguments hypothesis draws from its declared ranges and
    check that no drawn line holds NaN (``data`` is ``hypothesis.strategies.data()``)."""
    import matplotlib.pyplot as plt
    import numpy as np
    from hypothesis import strategies as st

    from helpers.core.params import param_ranges

    kwargs = {}
    for name, spec in param_ranges(fn).items():
        if getattr(spec, "options", None):
            kwargs[name] = data.draw(st.sampled_from(list(spec.options)))
        elif spec.integer:
            kwargs[name] = data.draw(st.integers(int(spec.low), int(spec.high)))
        else:
            kwargs[name] = data.draw(st.floats(spec.low, spec.high))
    fig = fn(**kwargs)
    for line in fig.axes[0].lines:
        assert not np.isnan(np.asarray(line.get_ydata(), dtype=float)).any()
    plt.close(fig)
