"""Widgets: controls come from declared ranges; the static figure is drawn first."""
import ipywidgets as w
import matplotlib.pyplot as plt
import pytest

from helpers.epidemiology import plot_expected_cases
from helpers.core.params import Choice, Flag, Range
from helpers.core.widgets import Demo, interactive_demo, make_control


def test_controls_take_bounds_and_defaults_from_declared_ranges():
    slider = make_control("n", Range(10, 2000, default=100, step=10, integer=True, label="n"))
    assert isinstance(slider, w.IntSlider)
    assert (slider.min, slider.max, slider.value, slider.step) == (10, 2000, 100, 10)
    assert slider.continuous_update is False
    assert isinstance(make_control("r", Range(0.0, 1.0, default=0.5)), w.FloatSlider)
    assert isinstance(make_control("m", Choice(("DL", "PM"), default="PM")), w.Dropdown)
    assert isinstance(make_control("f", Flag(True)), w.Checkbox)
    with pytest.raises(ValueError, match="spec for x"):
        make_control("x", object())


def test_interactive_demo_shows_default_figure_then_builds_controls(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.core.style.show", lambda fig, **kw: shown.append((fig, kw)))
    demo = interactive_demo(plot_expected_cases, name="00_test", alt="Alt text for test.",
                            caption="Caption for the test.")
    fig, kwargs = shown[0]
    assert kwargs["name"] == "00_test"
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert labels == ["39", "5"]  # 100,000 people, half women: 39.4 and 4.6 expected
    assert set(demo.specs) == {"population_thousands", "share_women"}
    assert "between 10 and 2000" in demo.summary()
    plt.close("all")


def test_fixed_arguments_get_no_control_and_are_validated():
    demo = Demo(plot_expected_cases, name="00_t", alt="alt text here", fixed={"share_women": 1.0})
    assert set(demo.specs) == {"population_thousands"}
    fig = demo.figure(population_thousands=10)
    assert [t.get_text() for t in fig.axes[0].texts] == ["8", "0"]
    with pytest.raises(ValueError, match="unknown parameter"):
        demo.figure(share_women=0.2)
    plt.close("all")
    with pytest.raises(ValueError, match="share_women"):
        Demo(plot_expected_cases, name="00_t", alt="alt", fixed={"share_women": 2}).figure()


def test_controls_display_widget_with_text_fallback(monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: displayed.append(obj))
    Demo(plot_expected_cases, name="00_t", alt="alt text here").controls()
    bundle = next(d for d in displayed if "application/vnd.jupyter.widget-view+json" in d)
    assert bundle["text/plain"].startswith("Interactive controls (")


def test_undeclared_plot_function_is_refused():
    with pytest.raises(ValueError, match="must be decorated"):
        interactive_demo(lambda: None, name="00_x", alt="alt text", caption="caption")


def test_render_displays_live_view_as_svg_with_alt_text_and_closes_it(monkeypatch):
    displayed = []
    monkeypatch.setattr("IPython.display.display",
                        lambda obj, **kw: displayed.append((obj, kw.get("metadata"))))
    before = set(plt.get_fignums())
    demo = Demo(plot_expected_cases, name="00_t", alt="Expected cases by sex.")
    demo.render(population_thousands=500)
    (data, metadata), = displayed
    assert data["image/svg+xml"].lstrip().startswith("<?xml")
    assert ">197<" in data["image/svg+xml"]  # 500,000 people, half women: 197 expected
    assert data["text/plain"].startswith("<Figure size ")
    assert metadata == {"image/svg+xml": {"alt": "Expected cases by sex. (interactive view)"}}
    assert set(plt.get_fignums()) == before


def test_live_view_rejects_out_of_range_values_without_leaking_figures():
    before = set(plt.get_fignums())
    demo = Demo(plot_expected_cases, name="00_t", alt="Expected cases by sex.")
    with pytest.raises(ValueError, match="population_thousands"):
        demo.live_bundle(population_thousands=-5)
    assert set(plt.get_fignums()) == before


def test_redraws_leave_no_garbage_and_restore_the_collector():
    import gc

    demo = Demo(plot_expected_cases, name="00_t", alt="Expected cases by sex.")
    populations = range(100, 2000, 100)
    for population in populations:  # the axes make the tick objects these settings need
        demo.live_bundle(population_thousands=population)
    gc.collect()
    before = len(gc.get_objects())
    for population in populations:
        demo.live_bundle(population_thousands=population)
    assert gc.isenabled()
    assert len(gc.get_objects()) - before < 200  # a redraw allocates about 10^5 objects
    gc.disable()
    try:
        demo.live_bundle()
        assert not gc.isenabled()  # a collector switched off by the user stays off
    finally:
        gc.enable()


def test_initial_values_start_the_demo_and_unknown_ones_are_refused():
    demo = Demo(plot_expected_cases, name="00_t", alt="alt text here",
                initial={"population_thousands": 10})
    fig = demo.figure()
    assert [t.get_text() for t in fig.axes[0].texts] == ["4", "0"]
    plt.close(fig)
    with pytest.raises(ValueError, match="initial has unknown"):
        Demo(plot_expected_cases, name="00_t", alt="alt text here", initial={"n": 1})


def test_arrange_lays_out_the_controls(monkeypatch):
    displayed, arranged = [], []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: displayed.append(obj))

    def arrange(controls):
        arranged.append(sorted(controls))
        return w.HBox(list(controls.values()))

    Demo(plot_expected_cases, name="00_t", alt="alt text here", arrange=arrange,
         description="Two sliders in a row.").controls()
    assert arranged == [["population_thousands", "share_women"]]
    bundle = next(d for d in displayed if "application/vnd.jupyter.widget-view+json" in d)
    assert bundle["text/plain"] == "Two sliders in a row."
