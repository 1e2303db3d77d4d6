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
import functools

from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.textpath import TextToPath

_MEASURE = TextToPath()


@functools.lru_cache(maxsize=8192)
def _plain_text_extent(text: str, prop) -> tuple[float, float, float]:
    """Width, height and descent in points of ``text`` set in the font ``prop``."""
    return _MEASURE.get_text_width_height_descent(text, prop, ismath=False)


class _MeasuringRendererSVG(RendererSVG):
    """The SVG renderer, with plain-text measurements shared by all renders."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath is False:
            # a copy: the cache must not hold a FontProperties its owner may change
            return _plain_text_extent(s, prop.copy())
        return super().get_text_width_height_descent(s, prop, ismath)


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
