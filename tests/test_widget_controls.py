"""Widget controls read well: one slider width, labels that fit, names instead of ids.

Issue 14 found sliders of different lengths, a checklist label cut off at any width, a live
figure clipped at its right edge, dropdowns listing data ids and first sliders that barely
change their figure. Each test below fails on one of those defects. Label widths are
measured in DejaVu Sans at 13 px (the widgets' font size), which is wider than the fonts
browsers usually pick, so a label that fits here fits there.
"""
import io
import re

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.font_manager import FontProperties, findfont, get_font
from PIL import Image

from course_tools.notebook_tools import widget_demos
from helpers.core.params import Choice, Flag, Range
from helpers.core.style import MAX_DISPLAY_WIDTH, responsive_svg
from helpers.core.widgets import (CHECKBOX_COLUMN_PX, CONTROL_WIDTH, DESCRIPTION_WIDTH, Demo,
                                  make_control)

DEMOS = widget_demos()
#: Room a checkbox takes left of its label (box and margin), CSS pixels.
CHECKBOX_PX = 30
#: A data id: snake_case (``nanjing_drum_tower``) or a name run into a year (``wang2014``).
DATA_ID = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+\d{4}[a-z0-9_]*\b")


def label_px(text: str) -> float:
    """Width of ``text`` in CSS pixels at the widgets' 13 px font (DejaVu Sans)."""
    font = get_font(findfont(FontProperties(family="DejaVu Sans")))
    font.set_size(13, 72)
    font.set_text(text)
    return font.get_width_height()[0] / 64


def _px(css: str) -> float:
    assert css.endswith("px"), css
    return float(css[:-2])


def _controls(kinds) -> list[tuple[str, str, object]]:
    return [(demo_name, name, spec) for demo_name, demo in DEMOS.items()
            for name, spec in demo.specs.items() if isinstance(spec, kinds)]


def test_every_slider_and_dropdown_has_the_one_course_layout():
    controls = [make_control(name, spec) for _, name, spec in _controls((Range, Choice))]
    assert any(isinstance(c, w.FloatLogSlider) for c in controls)
    assert len(controls) >= 30
    for control in controls:
        assert control.layout.width == CONTROL_WIDTH, control.description
        assert control.layout.max_width == "100%"
        assert control.style.description_width == DESCRIPTION_WIDTH, control.description


def test_every_slider_and_dropdown_label_fits_its_width():
    too_long = [(demo, spec.label or name) for demo, name, spec in _controls((Range, Choice))
                if label_px(spec.label or name) > _px(DESCRIPTION_WIDTH)]
    assert too_long == []


def test_every_checkbox_label_fits_a_checklist_column():
    room = CHECKBOX_COLUMN_PX - CHECKBOX_PX
    too_long = [(demo, spec.label) for demo, _, spec in _controls(Flag)
                if label_px(spec.label) > room]
    assert too_long == []
    eular = DEMOS["01_eular_acr_example"]
    assert eular.specs["apl"].label == "Any antiphospholipid antibody (2)"


def test_checklist_columns_are_never_narrower_than_their_labels():
    eular = DEMOS["01_eular_acr_example"]
    boxes = {k: make_control(k, spec) for k, spec in eular.specs.items()}
    panel = eular.arrange(boxes)
    grid = panel.children[-1]
    assert f"minmax(min({CHECKBOX_COLUMN_PX}px, 100%), 1fr)" in grid.layout.grid_template_columns
    assert "auto-fill" in grid.layout.grid_template_columns
    assert boxes["apl"].tooltip.startswith("Anticardiolipin OR anti-beta2GP1")


def test_dropdowns_show_names_not_data_ids():
    choices = _controls(Choice)
    assert {name for _, name, _ in choices} >= {"method", "nanjing_report"}
    for demo, name, spec in choices:
        dropdown = make_control(name, spec)
        labels = [label for label, _ in dropdown.options]
        assert [value for _, value in dropdown.options] == list(spec.options)
        assert [label for label in labels if DATA_ID.search(label)] == [], (demo, name)
    pooled = DEMOS["05_pooled_response_widget"].specs["nanjing_report"]
    assert ("Wang 2014", "wang2014") in make_control("nanjing_report", pooled).options


def test_choice_labels_are_checked():
    with pytest.raises(ValueError, match="option_labels"):
        Choice(("a", "b"), default="a", option_labels=("A",))
    with pytest.raises(ValueError, match="option_labels"):
        Choice(("a", "b"), default="a", option_labels=("A", "A"))
    with pytest.raises(TypeError, match="option_labels"):
        Choice(("a", "b"), default="a", option_labels=["A", "B"])
    assert Choice((1, 2), default=1).labelled_options == [("1", 1), ("2", 2)]


def test_live_figure_scales_with_the_column_instead_of_being_cut_off():
    demo = DEMOS["05_pooled_response_widget"]
    data, _ = demo.live_bundle()
    root = re.search(r"<svg[^>]*>", data["image/svg+xml"]).group(0)
    assert 'width="100%"' in root and "viewBox=" in root
    assert not re.search(r'(width|height)="[0-9.]+pt"', root)
    width = int(re.search(r"max-width: (\d+)px", root).group(1))
    assert width == min(MAX_DISPLAY_WIDTH, round(demo.live_figure.get_figwidth() * 100))
    demo.close()
    with pytest.raises(ValueError, match="svg"):
        responsive_svg("<svg width='100%'></svg>", 900)


def test_live_output_may_shrink_with_the_column(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append(obj))
    spy = []
    original = w.interactive_output

    def interactive_output(*args, **kwargs):
        spy.append(original(*args, **kwargs))
        return spy[-1]

    monkeypatch.setattr(w, "interactive_output", interactive_output)
    Demo(DEMOS["00_expected_cases"].plot_fn, name="00_t", alt="alt text here").controls()
    assert spy[0].layout.min_width == "0" and spy[0].layout.width == "100%"


def _pixels(fig, dpi: int = 50) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return np.asarray(Image.open(buf).convert("L"), dtype=int)


FIRST_SLIDERS = {name: next(iter(demo.specs.items())) for name, demo in DEMOS.items()
                 if isinstance(next(iter(demo.specs.values())), Range)}


def test_the_first_sliders_of_03_and_04_are_checked():
    assert {"03_isct_panel", "04_suppression_assay", "04_persistence",
            "04_th17_treg_toy"} <= set(FIRST_SLIDERS)


@pytest.mark.parametrize("name", sorted(FIRST_SLIDERS))
def test_first_slider_visibly_moves_its_figure_over_its_whole_range(name):
    """Up to ten equal moves across the range each change >= 0.2 % of the pixels; end to end 1 %."""
    demo = DEMOS[name]
    key, spec = FIRST_SLIDERS[name]
    positions = spec.positions()
    picks = (positions if len(positions) <= 11 else
             [positions[round(i * (len(positions) - 1) / 10)] for i in range(11)])
    images = [_pixels(demo.figure(**{key: value})) for value in picks]
    changed = [float((np.abs(a - b) > 40).mean()) for a, b in zip(images, images[1:])]
    assert min(changed) >= 0.002, (key, [round(100 * c, 2) for c in changed])
    assert float((np.abs(images[0] - images[-1]) > 40).mean()) >= 0.01


def test_log_slider_moves_the_ic50_by_equal_ratios():
    spec = DEMOS["04_suppression_assay"].specs["ic50"]
    slider = make_control("ic50", spec)
    assert isinstance(slider, w.FloatLogSlider)
    positions = np.array(spec.positions())
    assert positions[0] == spec.low and positions[-1] == spec.high
    ratios = positions[1:] / positions[:-1]
    assert np.allclose(ratios, ratios[0])
    assert spec.validate("ic50", spec.high * (1 + 1e-12)) == spec.high  # 10**x rounding
    with pytest.raises(ValueError, match="ic50"):
        spec.validate("ic50", 0.3)


@pytest.mark.parametrize("name", sorted(FIRST_SLIDERS))
def test_one_step_of_the_first_slider_from_its_default_is_visible(name):
    """The smallest move a reader makes first: at least a 20 x 20 pixel patch changes."""
    demo = DEMOS[name]
    key, spec = FIRST_SLIDERS[name]
    positions = spec.positions()
    start = int(np.argmin([abs(p - spec.default) for p in positions]))
    end = start + 1 if start + 1 < len(positions) else start - 1
    before, after = (_pixels(demo.figure(**{key: positions[i]}), dpi=100) for i in (start, end))
    assert int((np.abs(before - after) > 40).sum()) >= 400, (key, positions[start], positions[end])


def test_plain_text_stand_in_names_the_options_as_the_dropdowns_do():
    summary = DEMOS["05_pooled_response_widget"].summary()
    assert "Wang 2014" in summary and "DerSimonian–Laird (random)" in summary
    assert DATA_ID.findall(summary) == []


#: How much wider than DejaVu Sans a browser's fallback font may draw a live view's text.
BROWSER_FONT_SLACK = 1.2


def test_pooled_response_columns_fit_even_in_a_wider_browser_font():
    """The live SVG's text is drawn by the browser; its table columns keep room to spare."""
    demo = DEMOS["05_pooled_response_widget"]
    rng = np.random.default_rng(3)
    from helpers.core.params import random_settings

    for values in [{}] + [random_settings(demo.specs, rng) for _ in range(3)]:
        fig = demo.figure(**values)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for text in fig.axes[0].texts:
            if text.get_horizontalalignment() != "left":  # e.g. "No study selected"
                continue
            box = text.get_window_extent(renderer)
            right = box.x0 + BROWSER_FONT_SLACK * box.width
            assert right <= fig.bbox.x1, (text.get_text(), values)
        plt.close(fig)
