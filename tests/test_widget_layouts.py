"""Every widget of the notebooks keeps a readable layout over its whole control range.

Widget figures use fixed margins (``style.fixed_margin_axes``) for speed, so nothing
re-lays them out when a label grows. These tests draw each widget found in the notebooks
at its defaults, at the ends of its ranges and at random slider positions, and require
that every text stays inside the figure, no axis label runs into a neighbouring axes,
no text is under 11 pt, and the live SVG view can be produced.
"""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_tools.notebook_tools import widget_demos
from helpers.core.params import random_settings
from helpers.core.style import small_texts

DEMOS = widget_demos()


def _settings(demo) -> list[dict]:
    rng = np.random.default_rng(7)
    return ([{}] + [random_settings(demo.specs, rng, extremes=True) for _ in range(4)]
            + [random_settings(demo.specs, rng) for _ in range(2)])


def layout_problems(fig) -> list[str]:
    """Texts outside the figure or axis labels over another axes, as readable strings."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox.padded(1)  # one pixel of rounding
    problems = []
    for ax in fig.axes:
        tight = ax.get_tightbbox(renderer)
        if not (frame.contains(tight.x0, tight.y0) and frame.contains(tight.x1, tight.y1)):
            problems.append(f"axes {ax.get_ylabel()!r} reaches outside the figure")
        labels = [*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label]
        for other in fig.axes:
            for label in labels:
                if (other is not ax and label.get_visible() and label.get_text()
                        and other.bbox.overlaps(label.get_window_extent(renderer))):
                    problems.append(f"{label.get_text()!r} runs into another axes")
    for text in fig.texts + [t for ax in fig.axes for t in ax.texts]:
        box = text.get_window_extent(renderer)
        if text.get_visible() and not (frame.contains(box.x0, box.y0)
                                       and frame.contains(box.x1, box.y1)):
            problems.append(f"{text.get_text()!r} is cut off")
    return problems


def test_every_notebook_widget_is_found():
    assert len(DEMOS) >= 13
    assert {"01_sledai_vignette_a", "01_eular_acr_example", "03_isct_panel", "04_suppression_assay", "04_persistence",
            "04_th17_treg_toy"} <= set(DEMOS)


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_widget_layout_holds_over_its_control_range(name):
    demo = DEMOS[name]
    for values in _settings(demo):
        fig = demo.figure(**values)
        try:
            assert layout_problems(fig) == [], values
            assert small_texts(fig, draw=False) == [], values
        finally:
            plt.close(fig)
    data, _ = demo.live_bundle(**values)
    assert "</svg>" in data["image/svg+xml"]


def test_layout_problems_sees_a_clipped_label():
    fig, ax = plt.subplots(figsize=(3, 2), layout="none")
    fig.subplots_adjust(left=0.0)
    ax.set_ylabel("a label with no room")
    ax.text(0.9, 0.5, "runs off the right edge", transform=ax.transAxes)
    problems = layout_problems(fig)
    plt.close(fig)
    assert any("outside the figure" in p for p in problems)
    assert any("is cut off" in p for p in problems)
