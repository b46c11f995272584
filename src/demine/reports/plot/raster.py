"""Many small shapes as one picture: thousands of SVG dots take a PDF renderer seconds
to draw, a PNG none. Drawn larger and reduced, so that edges are smooth."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.ImageDraw import ImageDraw

Point = tuple[float, float]

#: Dots per inch of the picture (sharp enough printed), and how many times larger it
#: is drawn before it is reduced (smooth edges).
RASTER_DPI = 150
_SUPERSAMPLE = 3


#: A dot centred on x, y (points on the canvas), its diameter in points (a plain tuple:
#: a map has thousands).
Dot = tuple[float, float, float]


@dataclass
class Layer:
    """Shapes of one opacity: ``polygons`` (rings of canvas points) then ``dots``, each
    with its colour, drawn in order."""

    opacity: float
    polygons: list[tuple[Sequence[Point], str]] = field(default_factory=list)
    dots: list[tuple[Dot, str]] = field(default_factory=list)
    #: The ring around each dot, if any.
    dot_edge: tuple[str, float] | None = None


def raster_png(box: tuple[float, float, float, float], layers: Sequence[Layer]) -> bytes:
    """``layers`` drawn in order over a see-through picture of ``box`` (left, top,
    right, bottom in points), as PNG bytes."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = box
    scale = RASTER_DPI / 72 * _SUPERSAMPLE
    size = (
        max(1, round((right - left) * scale / _SUPERSAMPLE)) * _SUPERSAMPLE,
        max(1, round((bottom - top) * scale / _SUPERSAMPLE)) * _SUPERSAMPLE,
    )

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - left) * scale, (y - top) * scale

    picture: Image.Image | None = None
    for layer in layers:
        if not layer.polygons and not layer.dots:
            continue
        # See-through white: the edges smoothed by the reduction fade to white (the dots'
        # rings), not to black.
        drawn = Image.new("RGBA", size, (255, 255, 255, 0))
        pen = ImageDraw.Draw(drawn)
        for ring, colour in layer.polygons:
            pen.polygon([at(x, y) for x, y in ring], fill=colour, outline=colour)
        _dots(pen, layer, at, scale)
        # Drawn opaque, then made see-through as a whole (Pillow replaces pixels rather
        # than blending them), once reduced to the final size.
        drawn = drawn.reduce(_SUPERSAMPLE)
        if layer.opacity < 1:
            alpha = drawn.getchannel("A").point([round(v * layer.opacity) for v in range(256)])
            drawn.putalpha(alpha)
        picture = drawn if picture is None else Image.alpha_composite(picture, drawn)
    if picture is None:
        picture = Image.new("RGBA", (size[0] // _SUPERSAMPLE, size[1] // _SUPERSAMPLE))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _dots(
    pen: ImageDraw, layer: Layer, at: Callable[[float, float], tuple[float, float]], scale: float
) -> None:
    edge_colour, edge_width = layer.dot_edge or (None, 0.0)
    edge = edge_width * scale
    for (dot_x, dot_y, diameter), colour in layer.dots:
        x, y = at(dot_x, dot_y)
        radius = diameter * scale / 2 + edge / 2
        shape = (x - radius, y - radius, x + radius, y + radius)
        if edge_colour is None:
            pen.ellipse(shape, fill=colour)
        else:
            pen.ellipse(shape, fill=colour, outline=edge_colour, width=max(1, round(edge)))
