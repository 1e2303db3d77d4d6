"""matplotlib's SVG writer with text measured once per process, for :func:`style.figure_svg`.

Laying out a figure measures every text with FreeType (tick labels, labels, legends). The
stock SVG renderer remembers those measurements only for itself, and every ``savefig``
makes a new renderer, so a widget's live view measured the same tick labels again on every
redraw: about a fifth of the time it took to write its SVG
(``benchmarks/bench_widgets.py``). This backend module is used through matplotlib's public
``savefig(..., backend="module://helpers.core._svg_backend")``; its canvas writes exactly
what the stock SVG canvas writes (``tests/test_style.py`` compares the two byte for byte),
but keeps plain-text measurements, which depend only on the text and its font
properties, across renders. Mathtext and usetex text are measured as before.
"""
from __future__ import annotations

import codecs

import matplotlib
from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.textpath import TextToPath

_MEASURE = TextToPath()
#: {(text, font key): (width, height, descent)}; emptied when it reaches _MAX_KEPT entries.
_EXTENTS: dict = {}
_MAX_KEPT = 8192
#: The rcParams that decide which font file a family name finds (as in matplotlib's findfont).
_FONT_RC = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy",
            "font.monospace")


def _font_rc() -> tuple:
    """The font rcParams now, as plain values (read once per render: they cannot change
    while a figure is drawn)."""
    rc = matplotlib.rcParams
    return tuple(tuple(rc[k]) if isinstance(rc[k], list) else rc[k] for k in _FONT_RC)


def _font_key(prop, font_rc: tuple) -> tuple:
    """Everything the measurement of a text depends on besides the text, as plain values.

    Plain strings and numbers, not the FontProperties itself: the cache must not hold an
    object its owner may change, nor grow the garbage collector's work.
    """
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
            prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(),
            prop.get_file(), font_rc)


def _plain_text_extent(text: str, prop, font_rc: tuple) -> tuple[float, float, float]:
    """Width, height and descent in points of ``text`` set in the font ``prop``."""
    key = (text, _font_key(prop, font_rc))
    extent = _EXTENTS.get(key)
    if extent is None:
        extent = _MEASURE.get_text_width_height_descent(text, prop, ismath=False)
        if len(_EXTENTS) >= _MAX_KEPT:
            _EXTENTS.clear()
        _EXTENTS[key] = extent
    return extent


class _MeasuringRendererSVG(RendererSVG):
    """The SVG renderer, with plain-text measurements shared by all renders."""

    def __init__(self, *args, **kwargs):
        self._font_rc = _font_rc()
        super().__init__(*args, **kwargs)

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath is False:
            return _plain_text_extent(s, prop, self._font_rc)
        return super().get_text_width_height_descent(s, prop, ismath)

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        """Draw markers as matplotlib does, with their shared style written out once.

        The stock renderer builds the same style string again for every marker (a
        scatter of 600 points spent a fifth of its SVG time there); here the first one
        built in this call serves all the others, which share ``gc`` and ``rgbFace``.
        """
        built = []

        def style_once(gc_, face):
            if not built:
                built.append(RendererSVG._get_style(self, gc_, face))
            return built[0]

        self._get_style = style_once  # an instance attribute shadows the method
        try:
            super().draw_markers(gc, marker_path, marker_trans, path, trans, rgbFace)
        finally:
            del self._get_style


class FigureCanvas(FigureCanvasSVG):
    """A canvas whose SVG is drawn by :class:`_MeasuringRendererSVG`."""

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_unused):
        """Write the figure as SVG to ``filename`` (a path, or a text or bytes stream).

        ``savefig`` passes ``dpi``, ``facecolor``, ``edgecolor`` and ``orientation`` to a
        third-party print method; it has already applied them to the figure.
        """
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as stream:
            if not cbook.file_requires_unicode(stream):  # a layout pass draws into bytes
                stream = codecs.getwriter("utf-8")(stream)
            figure = self.figure
            image_dpi, figure.dpi = figure.dpi, 72  # SVG user units are points
            width, height = figure.get_size_inches()
            svg = _MeasuringRendererSVG(width * 72, height * 72, stream,
                                        image_dpi=image_dpi, metadata=metadata)
            renderer = MixedModeRenderer(figure, width, height, image_dpi, svg,
                                         bbox_inches_restore=bbox_inches_restore)
            figure.draw(renderer)
            renderer.finalize()
