"""Style: palette, deterministic PNGs, show() output with alt text and numbered captions."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

from conftest import hatches_hidden_in_svg
from helpers.core import style


def _captured_show(fig, **kwargs):
    """Run show() under a real IPython display publisher and return what it published."""
    shell = InteractiveShell.instance()
    published = []
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: published.append((data, metadata))
    try:
        style.show(fig, **kwargs)
    finally:
        shell.display_pub.publish = original
    return published


def test_palette_is_okabe_ito_and_paired_with_markers():
    assert len(set(style.COLORS)) == 8 == len(style.MARKERS) == len(style.LINESTYLES)
    assert set(style.COLORS) == set(style.OKABE_ITO.values())
    assert style.OKABE_ITO["vermillion"] == "#D55E00"


def test_setup_applies_readable_deterministic_rcparams():
    style.setup(seed=1)
    assert matplotlib.rcParams["figure.dpi"] == 100
    assert matplotlib.rcParams["font.size"] >= 11
    assert matplotlib.rcParams["svg.hashsalt"] == "lupus-msc-notebooks"


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True, 2**32])
def test_setup_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be an integer"):
        style.setup(seed=seed)


def test_png_rendering_is_byte_identical_and_has_no_software_stamp():
    style.setup(seed=0)
    pngs = []
    for _ in range(2):
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        pngs.append(style.figure_png(fig))
        plt.close(fig)
    assert pngs[0] == pngs[1]
    assert b"matplotlib version" not in pngs[0]


def test_show_stores_alt_text_and_numbers_captions(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPERS_FIGURES_DIR", str(tmp_path))
    style.setup(seed=0)
    fig, ax = plt.subplots(figsize=(4, 3))
    published = _captured_show(fig, name="07_demo", alt="A test figure with one line.",
                               caption="A caption long enough.")
    (image, meta), (caption, _) = published
    assert image["text/plain"] == "<Figure size 400x300 with 1 Axes>"
    assert meta["image/png"] == {"alt": "A test figure with one line.", "figure": "07_demo",
                                 "width": 400, "height": 300}
    assert caption["text/markdown"] == "**Figure 7.1.** A caption long enough."
    assert caption["text/plain"] == caption["text/markdown"]
    assert caption["text/html"] == "<p><strong>Figure 7.1.</strong> A caption long enough.</p>\n"
    assert (tmp_path / "07_demo.png").exists() and (tmp_path / "07_demo.svg").exists()
    fig2, _ = plt.subplots()
    (_, _), (caption2, _) = _captured_show(fig2, name="07_other", alt="Another figure here.",
                                           caption="Second caption here.")
    assert caption2["text/markdown"].startswith("**Figure 7.2.**")
    assert fig.number not in plt.get_fignums() and fig2.number not in plt.get_fignums()


@pytest.mark.parametrize("kwargs, phrase", [
    ({"name": "demo", "alt": "long enough alt", "caption": "long enough caption"}, "name must"),
    ({"name": "07_demo", "alt": "", "caption": "long enough caption"}, "alt must"),
    ({"name": "07_demo", "alt": "long enough alt", "caption": "short"}, "caption must"),
])
def test_show_rejects_missing_alt_caption_or_bad_name(kwargs, phrase):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match=phrase):
        style.show(fig, **kwargs)
    plt.close(fig)


def test_show_rejects_non_figures():
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        style.show("not a figure", name="07_x", alt="long enough alt", caption="long caption")


def test_plot_palette_draws_every_colour():
    fig = style.plot_palette()
    lines = fig.axes[0].get_lines()
    assert [ln.get_color() for ln in lines] == style.COLORS
    assert len({ln.get_marker() for ln in lines}) == 8
    plt.close(fig)


def test_show_refuses_text_smaller_than_11_pt():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "tiny label", fontsize=9)
    assert style.small_texts(fig) == [("tiny label", 9.0)]
    with pytest.raises(ValueError, match="smaller than 11 pt"):
        style.show(fig, name="07_tiny", alt="A figure with tiny text.", caption="Too small.")
    plt.close(fig)


def _line_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], label="a line")
    ax.set_xlabel("time label")
    return fig


def test_svg_is_deterministic_and_text_mode_is_chosen_per_call():
    style.setup(seed=0)
    paths = [style.figure_svg(_line_figure()) for _ in range(2)]
    texts = style.figure_svg(_line_figure(), text_as_paths=False)
    plt.close("all")
    assert paths[0] == paths[1]
    assert "<dc:date>" not in paths[0] and "Matplotlib v" not in paths[0]
    assert "<text" not in paths[0] and "DejaVuSans-" in paths[0]  # glyphs are paths
    assert ">time label</text>" in texts and "sans-serif" in texts  # the browser draws them
    assert len(texts) < len(paths[0])
    assert matplotlib.rcParams["svg.fonttype"] == "path"  # the setting is restored


def _stock_svg(fig, text_as_paths: bool) -> str:
    """The SVG matplotlib's own SVG canvas writes, with the settings figure_svg uses."""
    import io

    buf = io.StringIO()
    rc = {"svg.fonttype": "path" if text_as_paths else "none",
          "svg.hashsalt": style.RC_PARAMS["svg.hashsalt"],
          "figure.constrained_layout.use": False, "figure.autolayout": False}
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format="svg", metadata=style._SVG_METADATA)
    return buf.getvalue()


def _text_rich_figure():
    fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")
    left.plot([0, 1e4], [1, 2], "o-", label="two\nlines")
    left.set_title(r"mathtext $\alpha^2 \times 10^{6}$")
    left.legend(title="legend")
    right.barh(["Wang 2014", "Deng 2017 — n=12"], [3, 4], hatch="//")
    right.set_xlabel("ünïcode label · ≥ 3", fontsize=14, fontweight="bold")
    return fig


def _three_saves(fig, save) -> list[str]:
    """Save twice, change a font size, save again (constrained layout moves between saves)."""
    try:
        saves = [save(fig), save(fig)]
        fig.axes[1].xaxis.label.set_fontsize(20)
        return [*saves, save(fig)]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("text_as_paths", [False, True])
def test_svg_measuring_text_once_writes_what_matplotlib_writes(text_as_paths, monkeypatch):
    from helpers.core import _svg_backend

    style.setup(seed=0)
    measured, per_save = [], []
    measure = _svg_backend._MEASURE.get_text_width_height_descent
    monkeypatch.setattr(_svg_backend, "_EXTENTS", {})
    monkeypatch.setattr(_svg_backend._MEASURE, "get_text_width_height_descent",
                        lambda *args, **kw: measured.append(args[0]) or measure(*args, **kw))

    def save(fig):
        svg = style.figure_svg(fig, text_as_paths=text_as_paths)
        per_save.append(len(measured))
        return svg

    ours = _three_saves(_text_rich_figure(), save)
    assert per_save[0] > 0 and per_save[1] == per_save[0]  # the second save measured nothing
    assert per_save[2] > per_save[1]  # the label set larger was measured anew
    stock = _three_saves(_text_rich_figure(), lambda fig: _stock_svg(fig, text_as_paths))
    assert ours == stock
    assert ours[2] != ours[1]  # the larger label was measured anew


def test_svg_save_leaves_the_figure_dpi_as_it_was():
    style.setup(seed=0)
    fig = _line_figure()
    style.figure_svg(fig)
    plt.close(fig)
    assert fig.dpi == style.RC_PARAMS["figure.dpi"]


@pytest.mark.parametrize("fmt, mime", [("png", "image/png"), ("svg", "image/svg+xml")])
def test_figure_bundle_carries_alt_text_and_size_for_both_formats(fmt, mime):
    style.setup(seed=0)
    fig = _line_figure()
    data, metadata = style.figure_bundle(fig, alt="A line rising from 1 to 3.", fmt=fmt)
    plt.close(fig)
    assert set(data) == {mime, "text/plain"}
    assert data["text/plain"] == "<Figure size 400x300 with 1 Axes>"
    size = {"width": 400, "height": 300} if fmt == "png" else {}
    assert metadata == {mime: {"alt": "A line rising from 1 to 3.", **size}}


def test_png_is_rendered_at_twice_its_display_size():
    from course_tools.hygiene import png_pixel_size

    fig = _line_figure()
    data, metadata = style.figure_bundle(fig, alt="A line rising from 1 to 3.")
    assert png_pixel_size(data["image/png"]) == (800, 600)
    assert (metadata["image/png"]["width"], metadata["image/png"]["height"]) == (400, 300)
    assert style.figure_png(fig, scale=1) != style.figure_png(fig)
    with pytest.raises(ValueError, match="scale must be an integer between 1 and 4"):
        style.figure_png(fig, scale=0)
    plt.close(fig)


def test_wide_figures_are_shown_at_most_900_px_wide():
    fig, _ = plt.subplots(figsize=(12, 4))
    assert style.display_size(fig) == (900, 300)
    fig.set_size_inches(6.4, 4.0)
    assert style.display_size(fig) == (640, 400)
    plt.close(fig)


def test_markdown_bundle_has_html_and_the_markdown_as_plain_text():
    text = "A table:\n\n| dose | cost |\n|---|---|\n| 1 × 10⁶/kg | US\\$ 5 to US\\$ 9 |"
    bundle = style.markdown_bundle(text)
    assert bundle["text/markdown"] == bundle["text/plain"] == text
    html = bundle["text/html"]
    assert "<table>" in html and "<td>1 × 10⁶/kg</td>" in html
    # escaped dollars never pair up into maths in a browser's MathJax
    assert "US<span>$</span> 5 to US<span>$</span> 9" in html
    assert style.markdown_html(text) == html  # deterministic
    with pytest.raises(TypeError, match="text must be a Markdown string"):
        style.markdown_html(3)


def test_setup_gives_ipython_markdown_html_and_readable_plain_text():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import Markdown

    shell = InteractiveShell.instance()
    try:
        style.setup(seed=0)
        data, _ = shell.display_formatter.format(Markdown("**bold** text"))
    finally:
        InteractiveShell.clear_instance()
    assert data["text/plain"] == "**bold** text"
    assert data["text/html"] == "<p><strong>bold</strong> text</p>\n"
    assert data["text/markdown"] == "**bold** text"


def test_figure_bundle_rejects_unknown_format_and_small_text():
    fig = _line_figure()
    with pytest.raises(ValueError, match="fmt must be 'png' or 'svg'; got 'jpg'"):
        style.figure_bundle(fig, alt="A line rising from 1 to 3.", fmt="jpg")
    fig.axes[0].set_title("tiny title", fontsize=8)
    with pytest.raises(ValueError, match="smaller than 11 pt"):
        style.figure_bundle(fig, alt="A line rising from 1 to 3.", fmt="svg")
    plt.close(fig)


def test_hatched_span_keeps_its_hatch_visible_in_svg():
    style.setup(seed=0)
    fig, ax = plt.subplots()
    ax.axvspan(0, 1, color=style.COLORS[1], alpha=0.2, hatch="//")  # the pitfall
    assert len(hatches_hidden_in_svg(style.figure_svg(fig))) == 1
    ax.patches[0].remove()
    span = style.hatched_span(ax, 0, 1, color=style.COLORS[1], hatch="//", label="band")
    assert hatches_hidden_in_svg(style.figure_svg(fig)) == []
    assert span.get_hatch() == "//" and span.get_label() == "band"
    assert span.get_facecolor()[3] == 1.0  # an opaque tint, not a translucent fill
    plt.close(fig)


def test_a_fixed_margin_figure_keeps_its_layout_from_save_to_save():
    # matplotlib restores "no layout engine" as the rc default (constrained) after a save
    style.setup(seed=0)
    fig, ax = style.fixed_margin_axes((4, 3), left=0.3, right=0.9, bottom=0.3, top=0.9)
    ax.set_ylabel("a label that constrained layout would move")
    first = style.figure_png(fig)
    assert fig.get_layout_engine() is None
    assert style.figure_png(fig) == first
    assert ax.get_position().x0 == pytest.approx(0.3)
    assert 'd="M 86.4 ' in style.figure_svg(fig)  # axes frame starts at 0.3 x 288 pt
    plt.close(fig)


def test_a_constrained_figure_keeps_its_engine():
    style.setup(seed=0)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_ylabel("label")
    style.figure_png(fig)
    assert type(fig.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    plt.close(fig)


def test_plain_log_axis_labels_numbers_without_mathtext():
    style.setup(seed=0)
    fig, ax = plt.subplots()
    ax.plot([5, 1000], [0, 1])
    ax.set_xscale("log")
    style.plain_log_axis(ax.xaxis, subs=(1.0, 2.0, 5.0))
    ax.set_xlim(5, 1000)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if 5 <= t.get_position()[0] <= 1000]
    assert labels == ["5", "10", "20", "50", "100", "200", "500", "1,000"]
    assert ax.xaxis.get_minorticklocs().size == 0
    with pytest.raises(ValueError, match="axis must use a log scale; got 'linear'"):
        style.plain_log_axis(ax.yaxis)
    plt.close(fig)


def test_fixed_margin_axes_places_a_row_of_axes():
    fig, (left, right) = style.fixed_margin_axes((6, 3), left=0.1, right=0.9, bottom=0.2,
                                                 top=0.9, ncols=2, wspace=0.5,
                                                 width_ratios=[1, 2])
    assert left.get_position().x0 == pytest.approx(0.1)
    assert right.get_position().x1 == pytest.approx(0.9)
    assert right.get_position().width == pytest.approx(2 * left.get_position().width)
    assert fig.get_layout_engine() is None
    plt.close(fig)


def test_reuse_figure_returns_the_same_figure_only_for_the_same_grid():
    import matplotlib.pyplot as plt
    import pytest

    from helpers.core.style import fixed_margin_axes, reuse_figure

    fig, ax = fixed_margin_axes((4, 3), left=0.2, right=0.9, bottom=0.2, top=0.9)
    ax.plot([0, 1], [0, 1], label="line")
    ax.set_xscale("log")
    ax.set_xlabel("x label")
    ax.legend()
    with reuse_figure(fig):
        again, ax2 = fixed_margin_axes((5, 3), left=0.1, right=0.9, bottom=0.2, top=0.9)
        other, _ = fixed_margin_axes((5, 3), left=0.1, right=0.9, bottom=0.2, top=0.9)
    assert again is fig and ax2 is ax and other is not fig  # one reuse per block
    assert (len(ax.lines), ax.get_legend(), ax.get_xlabel(), ax.get_xscale()) == (0, None, "",
                                                                             "linear")
    assert fig.get_size_inches().tolist() == [5, 3] and ax.get_position().x0 == 0.1
    with reuse_figure(fig):
        pair, _ = fixed_margin_axes((5, 3), left=0.1, right=0.9, bottom=0.2, top=0.9, ncols=2)
    assert pair is not fig  # a different grid gets a new figure
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        with reuse_figure("not a figure"):
            pass
    plt.close("all")


def _kept_drawing(figsize, resize=False, **grid):
    """Draw (or update) one bar through updatable_axes; return (fig, axes, handles)."""
    fig, axes, handles = style.updatable_axes("_kept_drawing", figsize, resize=resize,
                                              left=0.1, right=0.9, bottom=0.2, top=0.9, **grid)
    if handles is None:
        first = axes if grid.get("ncols", 1) == 1 else axes[0]
        handles = first.bar([0], [1])
        style.keep_handles(fig, "_kept_drawing", handles)
    return fig, axes, handles


@pytest.mark.parametrize("ncols", [1, 2])
def test_updatable_axes_hands_back_the_kept_drawing_of_the_same_grid_and_size(ncols):
    style.setup(seed=0)
    fig, axes, handles = _kept_drawing((4, 3), ncols=ncols)
    try:
        with style.reuse_figure(fig):
            again, axes_again, kept = _kept_drawing((4, 3), ncols=ncols)
        assert again is fig and kept is handles
        assert list(np.atleast_1d(axes_again)) == list(np.atleast_1d(axes)) == fig.axes
        with style.reuse_figure(fig):  # another size: drawn again, in the cleared figure
            again, _, kept = _kept_drawing((4, 2), ncols=ncols)
        assert again is fig and kept is not handles and again.get_size_inches().tolist() == [4, 2]
    finally:
        plt.close("all")


def test_updatable_axes_resizes_a_kept_drawing_when_asked():
    style.setup(seed=0)
    fig, _, handles = _kept_drawing((4, 3), resize=True)
    try:
        with style.reuse_figure(fig):
            again, _, kept = _kept_drawing((4, 5), resize=True)
        assert again is fig and kept is handles
        assert fig.get_size_inches().tolist() == [4, 5]
        assert fig.subplotpars.bottom == 0.2
        with style.reuse_figure(fig):  # another grid is never handed back
            _, axes, kept = _kept_drawing((4, 5), resize=True, ncols=2)
        assert kept is not handles and len(axes) == 2
        with pytest.raises(TypeError, match="resize"):
            style.updatable_axes("k", (4, 3), resize="yes", left=0.1, right=0.9,
                                 bottom=0.1, top=0.9)
    finally:
        plt.close("all")


def test_svg_markers_written_as_matplotlib_writes_them():
    style.setup(seed=0)
    fig, ax = plt.subplots(figsize=(4, 3))
    rng = np.random.default_rng(0)
    ax.plot(rng.normal(size=50), rng.normal(size=50), "o", color="#E69F00", alpha=0.5,
            label="points")
    ax.plot([0, 1, 2], [2, 0, 1], "s--", markerfacecolor="none", label="squares")
    ax.plot([0.5], [0.5], marker="X", color="#D55E00", markersize=12, label="mean")
    ax.legend()
    try:
        ours, stock = style.figure_svg(fig, text_as_paths=False), _stock_svg(fig, False)
    finally:
        plt.close(fig)
    assert ours.count("<use") > 50  # every point is a marker
    assert ours == stock


def test_svg_text_measured_anew_when_the_font_rcparams_change():
    style.setup(seed=0)
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.set_xlabel("a label measured in two fonts", fontsize=14)
    try:
        first = style.figure_svg(fig, text_as_paths=False)
        with matplotlib.rc_context({"font.sans-serif": ["DejaVu Serif"]}):
            ours, stock = style.figure_svg(fig, text_as_paths=False), _stock_svg(fig, False)
    finally:
        plt.close(fig)
    assert ours == stock and ours != first  # the serif face's sizes, not the cached ones
