"""MyST-NB output renderer for the course website: figures keep their alt text.

MyST-NB copies only ``width`` and ``height`` from an image output's metadata onto the HTML
``<img>``; the alt text that :func:`helpers.core.style.show` stores beside them would be
lost. :class:`AltTextRenderer` adds it. It is registered as the ``course`` entry point of
``myst_nb.renderers`` (``pyproject.toml``) and chosen in ``site/conf.py`` with
``nb_render_plugin = "course"``.
"""
from __future__ import annotations

from myst_nb.core.render import MimeData, NbElementRenderer

__all__ = ["AltTextRenderer"]


class AltTextRenderer(NbElementRenderer):
    """The default MyST-NB renderer, plus alt text from the output metadata on every image."""

    def render_image(self, data: MimeData) -> list:
        """Render an image output; its ``alt`` metadata becomes the image's alt text."""
        found = super().render_image(data)
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        if isinstance(alt, str) and alt.strip():
            for node in found:
                node["alt"] = alt.strip()
        return found
