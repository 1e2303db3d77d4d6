"""Course style: Okabe-Ito colours, deterministic figures, and ``show`` with alt text.

Importing this module changes nothing; a notebook calls :func:`setup` once in its set-up
cell.  Every figure is then displayed with :func:`show`, which stores alt text in the
output's metadata, writes a visible numbered caption below the figure, and (when the
``HELPERS_FIGURES_DIR`` environment variable is set, as by ``scripts/execute_notebooks.py``)
exports the figure as PNG and SVG.

References
----------
Okabe M, Ito K (2008). Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""
from __future__ import annotations

import base64
import contextlib
import contextvars
import io
import os
import random
import re
import weakref
from pathlib import Path

from helpers.core import validate

__all__ = [
    "display_size",
    "OKABE_ITO",
    "COLORS",
    "MARKERS",
    "LINESTYLES",
    "RC_PARAMS",
    "setup",
    "show",
    "numbered_caption",
    "figure_png",
    "figure_svg",
    "figure_bundle",
    "responsive_svg",
    "display_png",
    "markdown_html",
    "markdown_bundle",
    "display_markdown",
    "MAX_DISPLAY_WIDTH",
    "PNG_SCALE",
    "plot_palette",
    "hatched_span",
    "plain_log_axis",
    "fixed_margin_axes",
    "course_axes",
    "reuse_figure",
    "updatable_axes",
    "keep_handles",
    "clear_drawing",
    "small_texts",
    "MIN_FONT_PT",
]

#: The eight Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: Colour cycle order (yellow last: weak contrast on white).
COLORS = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                 "reddish_purple", "sky_blue", "black", "yellow")]
#: Markers and line styles to pair with the colours, so nothing relies on colour alone.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1)), (0, (5, 5))]

#: Deterministic, readable rcParams applied by :func:`setup`.
RC_PARAMS = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (6.4, 4.0),
    "figure.constrained_layout.use": True,
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "lines.linewidth": 2,
    "lines.markersize": 7,
    "svg.hashsalt": "lupus-msc-notebooks",
    "svg.fonttype": "path",
    "path.simplify": True,
}

#: Smallest font size (points) allowed for any visible text in a course figure.
MIN_FONT_PT = 11
_NAME = re.compile(r"^(\d\d)_[a-z0-9_]+$")
_counters: dict[str, int] = {}
_PNG_METADATA = {"Software": None}
#: PNGs are rendered at this multiple of the display resolution (sharp on high-density screens).
PNG_SCALE = 2
#: Widest display width (CSS pixels) of a figure: GitHub's notebook column is about 900 px.
MAX_DISPLAY_WIDTH = 900
#: A private-use character that stands for an escaped ``$`` while Markdown is rendered.
_DOLLAR = "\ue000"
_markdown_renderer = None
_SVG_METADATA = {"Date": None, "Creator": None}


def setup(seed: int = 0) -> None:
    """Apply the course style and seed the random generators; call once per notebook.

    Parameters
    ----------
    seed : int, default 0
        Seed for ``random`` and numpy's legacy global generator (helpers themselves take
        an explicit ``rng`` argument).

    Raises
    ------
    ValueError
        If ``seed`` is not an integer between 0 and 2**32 - 1.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer between 0 and 4294967295; got {seed!r}")
    import matplotlib
    import numpy as np
    from cycler import cycler

    matplotlib.rcParams.update(RC_PARAMS)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=COLORS) + cycler(linestyle=LINESTYLES)
    random.seed(seed)
    np.random.seed(seed)
    _counters.clear()
    _register_markdown_formatters()


def markdown_html(text: str) -> str:
    """Render course Markdown to HTML (mistune, the Markdown library nbconvert uses).

    Tables, strikethrough and inline HTML (``<details>``, ``<sup>``) are kept. An escaped
    dollar ``\\$`` becomes ``<span>$</span>``, so a maths renderer (MathJax in JupyterLab)
    never pairs two of them into a formula. The result is deterministic.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    """
    global _markdown_renderer
    if not isinstance(text, str):
        raise TypeError(f"text must be a Markdown string; got {type(text).__name__}")
    if _markdown_renderer is None:
        import mistune

        _markdown_renderer = mistune.create_markdown(
            escape=False, plugins=["table", "strikethrough"])
    html = _markdown_renderer(text.replace("\\$", _DOLLAR))
    return html.replace(_DOLLAR, "<span>$</span>").strip() + "\n"


def markdown_bundle(text: str) -> dict:
    """Return the MIME bundle of a Markdown output: Markdown, HTML and the Markdown as plain text.

    Every renderer can show one of the three: JupyterLab and GitHub the Markdown or the
    HTML, nbconvert's HTML exporters and the course website the HTML, a terminal or a
    text-only viewer the Markdown source (never ``<IPython.core.display.Markdown object>``).
    """
    return {"text/markdown": text, "text/html": markdown_html(text), "text/plain": text}


def display_markdown(text: str) -> None:
    """Display Markdown as an output carrying ``text/markdown``, ``text/html`` and ``text/plain``."""
    from IPython.display import display

    display(markdown_bundle(text), raw=True)


def _markdown_text(obj) -> str:
    return obj.data if isinstance(obj.data, str) else ""


def _register_markdown_formatters() -> None:
    """Give ``IPython.display.Markdown`` an HTML and a readable plain-text form.

    Registered on the running IPython shell (nothing happens outside one), so every
    ``Markdown(...)`` a notebook shows, and every helper that returns one, carries all
    three MIME types of :func:`markdown_bundle`.
    """
    try:
        from IPython import get_ipython
        from IPython.display import Markdown
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(Markdown, lambda obj: markdown_html(_markdown_text(obj)))
    formatters["text/plain"].for_type(
        Markdown, lambda obj, printer, cycle: printer.text(_markdown_text(obj)))


def _savefig(fig, buf, fmt: str, **rc) -> None:
    """``fig.savefig`` that leaves a figure without a layout engine without one.

    matplotlib 3.11 switches off the layout engine while saving and then restores the old
    value; restoring "no engine" reads ``figure.constrained_layout.use`` (True in the
    course style), so a fixed-margin figure would be re-laid out from its second save on
    (the exported SVG would not match the PNG). With that setting off during the save,
    "no engine" is restored as no engine; figures that have an engine keep it.
    """
    import matplotlib

    rc = {"figure.constrained_layout.use": False, "figure.autolayout": False, **rc}
    # SVG: the stock writer, measuring each text once per process (helpers.core._svg_backend)
    backend = "module://helpers.core._svg_backend" if fmt == "svg" else None
    with matplotlib.rc_context(rc):
        fig.savefig(buf, format=fmt, backend=backend,
                    metadata=_PNG_METADATA if fmt == "png" else _SVG_METADATA)


def figure_png(fig, *, scale: int = PNG_SCALE) -> bytes:
    """Render a figure to PNG bytes with no timestamps or version metadata.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    scale : int, default :data:`PNG_SCALE`
        Pixels per display pixel: 2 renders at 200 dpi a figure shown at 100 dpi, so it
        stays sharp on high-density screens (its display size goes in the output metadata,
        see :func:`display_size`).
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 4:
        raise ValueError(f"scale must be an integer between 1 and 4; got {scale!r}")
    buf = io.BytesIO()
    _savefig(fig, buf, "png", **{"savefig.dpi": RC_PARAMS["savefig.dpi"] * scale})
    return _palette_png(buf.getvalue())


def _palette_png(png: bytes) -> bytes:
    """Re-encode an opaque PNG with a 256-colour palette (fast octree, no dithering).

    Course figures are flat colours and anti-aliased text: the palette version looks the
    same and is about 60–70 % smaller, which keeps 2x figures within the 1 MB notebook limit.
    A figure with transparency is returned unchanged. Deterministic.
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if image.mode == "RGBA" and image.getextrema()[3][0] < 255:
        return png
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                            dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG")
    return out.getvalue()


def display_size(fig) -> tuple[int, int]:
    """Return the ``(width, height)`` in CSS pixels at which a course figure is shown.

    The figure's size at 100 dpi, shrunk in proportion if it is wider than
    :data:`MAX_DISPLAY_WIDTH` (the ~900 px column of GitHub and the course website).
    """
    width, height = (float(v) * RC_PARAMS["figure.dpi"] for v in fig.get_size_inches())
    if width > MAX_DISPLAY_WIDTH:
        width, height = MAX_DISPLAY_WIDTH, height * MAX_DISPLAY_WIDTH / width
    return round(width), round(height)


def _check_text(name: str, value) -> str:
    if not isinstance(value, str) or len(value.strip()) < 10:
        raise ValueError(f"{name} must be a descriptive sentence of at least 10 characters; got {value!r}")
    return value.strip()


def numbered_caption(name: str, text: str) -> str:
    """Return the numbered caption ``**Figure N.k.** text`` for a figure called ``name``."""
    match = _NAME.match(name) if isinstance(name, str) else None
    if match is None:
        raise ValueError(f"name must look like 'NN_short_name' (two digits, then a-z, 0-9, _); got {name!r}")
    chapter = match.group(1)
    _counters[chapter] = _counters.get(chapter, 0) + 1
    return f"**Figure {int(chapter)}.{_counters[chapter]}.** {text}"


def small_texts(fig, *, draw: bool = True) -> list[tuple[str, float]]:
    """Return ``(text, size)`` for visible texts in ``fig`` smaller than :data:`MIN_FONT_PT`.

    The canvas is drawn first (unless ``draw=False``, for a figure just rendered) because
    tick labels only exist after a draw.
    """
    from matplotlib.text import Text

    if draw:
        fig.canvas.draw()
    found = []
    for artist in fig.findobj(Text):
        text = artist.get_text().strip()
        if text and artist.get_visible() and artist.get_fontsize() < MIN_FONT_PT - 1e-9:
            found.append((text, round(float(artist.get_fontsize()), 1)))
    return found


def _check_figure(fig) -> None:
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")


def _check_fonts(fig) -> None:
    small = small_texts(fig, draw=False)
    if small:
        text, size = small[0]
        raise ValueError(f"fig has {len(small)} text(s) smaller than {MIN_FONT_PT} pt "
                         f"(first: {text[:40]!r} at {size} pt); fonts must be >= "
                         f"{MIN_FONT_PT} pt to stay readable")


def figure_svg(fig, *, text_as_paths: bool = True) -> str:
    """Render a figure to SVG text with no date or creator stamp.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text_as_paths : bool, default True
        True draws every glyph as a path: the file looks the same everywhere (exported
        figures). False writes ``<text>`` elements in a sans-serif font stack that the
        browser draws: about 7 ms faster per figure and a third of the size, used for
        live widget views, where the committed PNG remains the reference.
    """
    buf = io.StringIO()
    _savefig(fig, buf, "svg", **{"svg.fonttype": "path" if text_as_paths else "none",
                                 "svg.hashsalt": RC_PARAMS["svg.hashsalt"]})
    return buf.getvalue()


_SVG_SIZE = re.compile(r'<svg([^>]*?) width="[0-9.]+pt" height="[0-9.]+pt"')


def responsive_svg(svg: str, max_width: int) -> str:
    """Make an SVG scale with its container, never wider than ``max_width`` CSS pixels.

    matplotlib gives the root element a fixed size (``width="720pt"``). Inside a widget's
    flex boxes that fixed size sets the box's minimum width, so a figure wider than the
    notebook column is cut off at the right instead of shrinking. With ``width="100%"``,
    the ``viewBox`` (kept) and a ``max-width`` style, the figure shrinks with the column at
    any width and keeps its proportions.

    Raises
    ------
    ValueError
        If ``svg`` has no root element with a size in points (not a matplotlib SVG).
    """
    validate.text("svg", svg)
    max_width = validate.count("max_width", max_width, low=1)
    out, found = _SVG_SIZE.subn(
        rf'<svg\1 width="100%" style="max-width: {max_width}px; height: auto"', svg, count=1)
    if not found:
        raise ValueError("svg must be a matplotlib SVG whose root element has a width and "
                         "height in points")
    return out


def figure_bundle(fig, *, alt: str, name: str | None = None,
                  fmt: str = "png") -> tuple[dict, dict]:
    """Return ``(data, metadata)`` that display a figure as PNG or SVG with alt text.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        Alt text, stored in the metadata of the image MIME type.
    name : str, optional
        Figure name, stored beside the alt text (static figures only).
    fmt : {"png", "svg"}, default "png"
        PNG for committed outputs (what GitHub shows), rendered at :data:`PNG_SCALE`
        times the display resolution, with the display ``width`` and ``height`` (CSS
        pixels, :func:`display_size`) in the metadata as IPython does. SVG, with text drawn by the
        browser, for live widget views: about 25 ms faster per redraw than PNG
        (``benchmarks/bench_widgets.py``).

    Returns
    -------
    data, metadata : dict
        For ``IPython.display.display(data, raw=True, metadata=metadata)``. The plain
        text is matplotlib's ``<Figure size WxH with N Axes>``, so strict nbval notices a
        changed figure size.

    Raises
    ------
    ValueError
        If ``fig`` is not a Figure, ``alt`` is missing, ``fmt`` is unknown, or any text
        is smaller than :data:`MIN_FONT_PT`.
    """
    _check_figure(fig)
    alt = _check_text("alt", alt)
    meta = {"alt": alt} if name is None else {"alt": alt, "figure": name}
    if fmt == "png":
        mime, payload = "image/png", base64.b64encode(figure_png(fig)).decode("ascii")
        meta["width"], meta["height"] = display_size(fig)
    elif fmt == "svg":
        mime, payload = "image/svg+xml", responsive_svg(figure_svg(fig, text_as_paths=False),
                                                        display_size(fig)[0])
    else:
        raise ValueError(f"fmt must be 'png' or 'svg'; got {fmt!r}")
    _check_fonts(fig)  # after rendering, so tick labels are checked too
    width, height = (round(v) for v in fig.get_size_inches() * fig.dpi)
    data = {mime: payload,
            "text/plain": f"<Figure size {width}x{height} with {len(fig.axes)} Axes>"}
    return data, {mime: meta}


def display_png(fig, *, alt: str, name: str | None = None) -> bytes:
    """Display a figure as PNG with alt text in the output metadata; return the PNG bytes.

    Used by :func:`show`; see :func:`figure_bundle` for what is displayed.
    """
    from IPython.display import display

    data, metadata = figure_bundle(fig, alt=alt, name=name, fmt="png")
    display(data, raw=True, metadata=metadata)
    return base64.b64decode(data["image/png"])


def show(fig, *, name: str, alt: str, caption: str) -> None:
    """Display a figure with alt text in its output metadata and a visible caption.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to show; it is closed afterwards so the inline backend does not
        display it a second time.
    name : str
        Export name ``NN_short_name`` (``NN`` = notebook number); also numbers the caption.
    alt : str
        Alt text describing what the figure shows (stored as ``{"image/png": {"alt": ...}}``).
    caption : str
        One or two sentences shown below the figure as ``Figure N.k. caption``.

    Raises
    ------
    ValueError
        If ``fig`` is not a Figure, ``name`` is malformed, or alt/caption are missing.
    """
    import matplotlib.pyplot as plt

    _check_figure(fig)
    alt = _check_text("alt", alt)
    text = _check_text("caption", caption)
    numbered = numbered_caption(name, text)
    png = display_png(fig, alt=alt, name=name)
    display_markdown(numbered)
    export_dir = os.environ.get("HELPERS_FIGURES_DIR")
    if export_dir:
        target = Path(export_dir)
        target.mkdir(parents=True, exist_ok=True)
        (target / f"{name}.png").write_bytes(png)
        (target / f"{name}.svg").write_text(figure_svg(fig), encoding="utf-8")
    plt.close(fig)


def hatched_span(ax, start: float, end: float, *, color: str, hatch: str,
                 alpha: float = 0.2, label: str | None = None):
    """Shade the x-range ``start``-``end`` in a light tint of ``color``, hatched in ``color``.

    The hatch keeps the band recognisable without colour. With ``axvspan(color=c,
    alpha=a, hatch=h)`` the hatch has the fill's colour and vanishes in SVG output (live
    widget views, exported figures), so here the fill is an opaque tint (``color`` mixed
    with white in the proportion ``alpha``) and only the hatch has the full colour.
    Patches sit below lines and markers, so the opaque tint hides nothing.

    Returns
    -------
    matplotlib.patches.Rectangle
    """
    from matplotlib.colors import to_rgb

    tint = tuple(1 - alpha * (1 - c) for c in to_rgb(color))
    return ax.axvspan(start, end, facecolor=tint, edgecolor=color, linewidth=0,
                      hatch=hatch, label=label)


#: Figures made by :func:`fixed_margin_axes`, with their grid (columns, width ratios).
_GRIDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Each reused axis's default tick locators and formatters (made once, set on every clear).
_DEFAULT_TICKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: The figure that the next :func:`fixed_margin_axes` call may redraw into.
_REUSE: contextvars.ContextVar = contextvars.ContextVar("helpers_reuse_figure", default=None)


@contextlib.contextmanager
def reuse_figure(fig):
    """Let the next :func:`fixed_margin_axes` (or :func:`course_axes`) call return ``fig`` again.

    This is how a widget redraws without building a figure: the plotting function runs
    unchanged, and when it asks :func:`fixed_margin_axes` for a figure it gets ``fig``
    back, cleared by :func:`clear_drawing` (axes, tick objects and fonts kept), resized
    and with the margins it asked for, provided ``fig`` was made by the same function
    with the same grid. Otherwise (or if ``fig`` is None) a new
    figure is made as usual, and the caller should close the old one. Used by
    :meth:`helpers.core.widgets.Demo.redraw`; outside this block nothing changes.
    """
    from matplotlib.figure import Figure

    if fig is not None and not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure or None; got {type(fig).__name__}")
    token = _REUSE.set(fig)
    try:
        yield
    finally:
        _REUSE.reset(token)


def clear_drawing(fig) -> None:
    """Remove everything a plotting function drew on ``fig``, keeping its axes.

    Lines, patches, collections, texts, legends and containers go, on the axes and on
    the figure; axis labels and titles are emptied; limits autoscale again from no data;
    the property cycle starts again; each axis gets a linear scale with its default tick
    locators and formatters, as on a new axes. The axes themselves, their spines and their tick objects stay, which is
    what makes a redraw cheaper than a new figure (creating ticks dominated widget
    redraws). A plotting function drawing into the cleared figure must give the same
    picture as on a new one (``tests/test_widget_redraw.py`` checks every widget).
    """
    from matplotlib.transforms import Bbox

    _check_figure(fig)
    _HANDLES.pop(fig, None)  # what a plotting function kept for updating is gone now
    for ax in fig.axes:
        for container in list(ax.containers):
            container.remove()
        for artists in (ax.lines, ax.patches, ax.collections, ax.texts, ax.images,
                        ax.artists, ax.tables):
            for artist in list(artists):
                artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        for loc in ("left", "center", "right"):
            if ax.get_title(loc):
                ax.set_title("", loc=loc)
        if ax.get_xlabel():
            ax.set_xlabel("")
        if ax.get_ylabel():
            ax.set_ylabel("")
        ax.set_axis_on()
        ax.set_prop_cycle(None)  # colours and line styles start again from the first
        if ax.get_xscale() != "linear":
            ax.set_xscale("linear")
        if ax.get_yscale() != "linear":
            ax.set_yscale("linear")
        for axis in (ax.xaxis, ax.yaxis):
            _set_default_tickers(axis)
            axis.isDefault_majloc = axis.isDefault_minloc = True
            axis.isDefault_majfmt = axis.isDefault_minfmt = True
            if axis.get_converter() is not None:  # e.g. category labels: their own ticks
                axis._update_axisinfo()
        ax.set_autoscale_on(True)
        ax.dataLim.set(Bbox.null())
        ax.ignore_existing_data_limits = True
    for artists in (fig.texts, fig.legends, fig.lines, fig.patches, fig.images):
        for artist in list(artists):
            artist.remove()


#: Artists a plotting function kept for updating its own drawing: {figure: (key, handles)}.
_HANDLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def updatable_axes(key: str, figsize: tuple, *, resize: bool = False, **margins):
    """Like :func:`fixed_margin_axes`, but hand back a drawing to update instead of clearing it.

    Inside :func:`reuse_figure`, if the figure to reuse was last drawn by the plotting
    function named ``key`` with the same grid (and it stored its artists with
    :func:`keep_handles`), that figure is returned *uncleared* with those artists, and
    the function only changes what differs (heights, colours, a label) instead of drawing
    again. The figure must also have the same size, unless ``resize`` is true: then it is
    resized to ``figsize`` and its margins set again (for a function whose height follows
    its data, which must then place everything it keeps in axes or figure fractions).
    Otherwise a figure is made or cleared as by :func:`fixed_margin_axes` and ``handles``
    is None: the function draws in full and calls :func:`keep_handles`.

    Parameters
    ----------
    key : str
        The plotting function's name.
    figsize : tuple
        Figure size in inches.
    resize : bool, default False
        Reuse a kept drawing of another size, resized.
    **margins
        Passed to :func:`fixed_margin_axes` (``left``, ``right``, ``bottom``, ``top``,
        ``ncols``, ``wspace``, ``width_ratios``).

    Returns
    -------
    fig, ax, handles
        ``ax`` is one Axes, or an array of ``ncols`` Axes, as from :func:`fixed_margin_axes`.
    """
    validate.text("key", key)
    validate.flag("resize", resize)
    fig = _REUSE.get()
    kept = _HANDLES.get(fig) if fig is not None else None
    ncols = margins.get("ncols", 1)
    same_size = fig is not None and tuple(fig.get_size_inches()) == tuple(figsize)
    if (kept is not None and kept[0] == key
            and _GRIDS.get(fig) == _fixed_grid(ncols, margins.get("width_ratios"))
            and (same_size or resize)):
        _REUSE.set(None)
        if not same_size:
            fig.set_size_inches(figsize)
            fig.subplots_adjust(**{k: margins[k] for k in ("left", "right", "bottom", "top",
                                                           "wspace") if k in margins})
        return fig, _grid_axes(fig, ncols), kept[1]
    fig, ax = fixed_margin_axes(figsize, **margins)
    return fig, ax, None


def keep_handles(fig, key: str, handles) -> None:
    """Remember the artists that :func:`updatable_axes` gives back to the plotting function ``key``."""
    _check_figure(fig)
    _HANDLES[fig] = (validate.text("key", key), handles)


def _reused(grid: tuple, figsize: tuple):
    """The figure of the enclosing :func:`reuse_figure` block if it has ``grid``, cleared."""
    fig = _REUSE.get()
    if fig is None or _GRIDS.get(fig) != grid:
        return None
    _REUSE.set(None)  # one figure per plot: a second call in the block makes its own
    clear_drawing(fig)
    if tuple(fig.get_size_inches()) != tuple(figsize):
        fig.set_size_inches(figsize)
    return fig


def _set_default_tickers(axis) -> None:
    """Give a linear axis its default locators and formatters (made once per axis)."""
    tickers = _DEFAULT_TICKERS.get(axis)
    if tickers is None:
        from matplotlib.scale import LinearScale

        LinearScale(axis).set_default_locators_and_formatters(axis)
        _DEFAULT_TICKERS[axis] = (axis.get_major_locator(), axis.get_major_formatter(),
                                  axis.get_minor_locator(), axis.get_minor_formatter())
        return
    major_locator, major_formatter, minor_locator, minor_formatter = tickers
    axis.set_major_locator(major_locator)
    axis.set_major_formatter(major_formatter)
    axis.set_minor_locator(minor_locator)
    axis.set_minor_formatter(minor_formatter)


def fixed_margin_axes(figsize: tuple, *, left: float, right: float, bottom: float,
                      top: float, ncols: int = 1, wspace: float | None = None,
                      width_ratios: list | None = None):
    """Create a figure whose axes sit at fixed margins (figure fractions), with no layout engine.

    Widget plotting functions use this instead of constrained layout, which measures
    every text again on each draw and roughly doubles the time of a widget callback. Check
    a new layout with the most extreme control values (long labels, wide tick labels).
    Inside :func:`reuse_figure` the figure given there is returned instead, cleared.

    Returns
    -------
    fig, ax
        ``ax`` is one Axes, or an array of ``ncols`` Axes.
    """
    import matplotlib.pyplot as plt

    grid = _fixed_grid(ncols, width_ratios)
    fig = _reused(grid, figsize)
    if fig is not None:
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)
        return fig, _grid_axes(fig, ncols)
    gridspec = {"width_ratios": width_ratios} if width_ratios else None
    fig, ax = plt.subplots(1, ncols, figsize=figsize, layout="none", gridspec_kw=gridspec)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, wspace=wspace)
    _GRIDS[fig] = grid
    return fig, ax


def _fixed_grid(ncols: int, width_ratios) -> tuple:
    """The key under which :data:`_GRIDS` records a :func:`fixed_margin_axes` grid."""
    return ("fixed", ncols, tuple(width_ratios) if width_ratios else None)


def _grid_axes(fig, ncols: int):
    """``fig``'s axes as :func:`fixed_margin_axes` returns them: one Axes, or an array."""
    import numpy as np

    if ncols == 1:
        return fig.axes[0]
    axes = np.empty(ncols, dtype=object)
    axes[:] = fig.axes
    return axes


def course_axes(figsize: tuple):
    """Create a figure with one Axes in the course's constrained layout.

    The same as ``plt.subplots(figsize=figsize)`` after :func:`setup`, except that inside
    :func:`reuse_figure` the figure given there is returned instead, cleared. For widget
    figures whose labels are too long for fixed margins (the SLEDAI-2K checklist); the
    layout is computed again on every draw.

    Returns
    -------
    fig, ax
    """
    import matplotlib.pyplot as plt

    grid = ("course", 1)
    fig = _reused(grid, figsize)
    if fig is not None:
        return fig, fig.axes[0]
    fig, ax = plt.subplots(figsize=figsize)
    _GRIDS[fig] = grid
    return fig, ax


def plain_log_axis(axis, *, subs: tuple = (1.0,)) -> None:
    """Label a log-scaled axis with plain numbers (``10``, ``100``, ``1,000``), not 10^n.

    Plain numbers are easier to read for most students, and they avoid mathtext, whose
    parsing (several ms per tick label) dominated the redraw time of log-scaled widgets.
    Minor ticks are removed.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis``, already set to a log scale.
    subs : tuple of float, default (1.0,)
        Multiples of each power of ten that get a labelled tick, e.g. ``(1, 2, 5)``.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    if axis.get_scale() != "log":
        raise ValueError(f"axis must use a log scale; got {axis.get_scale()!r}")
    axis.set_major_locator(LogLocator(base=10, subs=subs))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.12g}"))
    axis.set_minor_locator(NullLocator())


def plot_palette(*, ax=None):
    """Draw the course palette: each colour with its paired marker and line style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created if omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    ax = validate.axes("ax", ax)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.4))
    names = {v: k.replace("_", " ") for k, v in OKABE_ITO.items()}
    for i, (color, marker, style) in enumerate(zip(COLORS, MARKERS, LINESTYLES)):
        y = len(COLORS) - i
        ax.plot([0, 1], [y, y], color=color, linestyle=style, marker=marker, markevery=[1])
        ax.text(1.08, y, f"{names[color]}  {color}", va="center")
    ax.set_xlim(-0.05, 2.1)
    ax.set_ylim(0.3, len(COLORS) + 0.7)
    ax.set_axis_off()
    return ax.figure
