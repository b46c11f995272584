"""An SVG drawing in points that knows the box of everything drawn on it, so that it
is cropped to its content (as matplotlib's ``bbox_inches="tight"``) without drawing it
twice."""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from html import escape

from demine.reports.plot.text import ASCENT, DESCENT, rotated_box, text_width

#: The reports' font first; the others have close widths, for a browser without it.
FONT_FAMILY = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"
#: White space kept around the content (a tenth of an inch, as matplotlib's).
CROP_PAD = 7.2

Point = tuple[float, float]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _points(points: Sequence[Point]) -> str:
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in points)


def _paint(fill: str | None, stroke: str | None, width: float, opacity: float) -> str:
    parts = [f'fill="{fill or "none"}"']
    if stroke:
        parts.append(f'stroke="{stroke}" stroke-width="{_number(width)}"')
        parts.append('stroke-linejoin="round" stroke-linecap="butt"')
    if opacity < 1:
        parts.append(f'opacity="{_number(opacity)}"')
    return " ".join(parts)


class Canvas:
    """SVG elements in drawing order, and the box they cover (points, y down)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._box = [math.inf, math.inf, -math.inf, -math.inf]

    def cover(self, left: float, top: float, right: float, bottom: float) -> None:
        """Count a region as drawn (what the crop keeps)."""
        box = self._box
        box[:] = [min(box[0], left), min(box[1], top), max(box[2], right), max(box[3], bottom)]

    def rect(
        self, x: float, y: float, width: float, height: float, *, fill: str | None,
        stroke: str | None = None, stroke_width: float = 1.0, opacity: float = 1.0,
        radius: float = 0.0,
    ) -> None:  # fmt: skip
        rounded = f' rx="{_number(radius)}"' if radius else ""
        self._parts.append(
            f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
            f'height="{_number(height)}"{rounded} '
            f"{_paint(fill, stroke, stroke_width, opacity)}/>"
        )
        self.cover(x, y, x + width, y + height)

    def polyline(
        self, points: Sequence[Point], *, stroke: str, width: float, opacity: float = 1.0
    ) -> None:
        if len(points) < 2:
            return
        self._parts.append(
            f'<polyline points="{_points(points)}" {_paint(None, stroke, width, opacity)}/>'
        )
        self.cover(*_extent(points))

    def polygon(
        self, points: Sequence[Point], *, fill: str, stroke: str | None = None,
        stroke_width: float = 1.0, opacity: float = 1.0,
    ) -> None:  # fmt: skip
        if len(points) < 3:
            return
        self._parts.append(
            f'<polygon points="{_points(points)}" {_paint(fill, stroke, stroke_width, opacity)}/>'
        )
        self.cover(*_extent(points))

    def circle(
        self, x: float, y: float, radius: float, *, fill: str, stroke: str | None = None,
        stroke_width: float = 1.0, opacity: float = 1.0,
    ) -> None:  # fmt: skip
        self._parts.append(
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(radius)}" '
            f"{_paint(fill, stroke, stroke_width, opacity)}/>"
        )
        self.cover(x - radius, y - radius, x + radius, y + radius)

    def image(self, x: float, y: float, width: float, height: float, png: bytes) -> None:
        """A PNG picture stretched over the box."""
        data = base64.b64encode(png).decode("ascii")
        self._parts.append(
            f'<image x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
            f'height="{_number(height)}" preserveAspectRatio="none" '
            f'href="data:image/png;base64,{data}"/>'
        )
        self.cover(x, y, x + width, y + height)

    def text(
        self, x: float, y: float, text: str, size: float, *, ha: str = "left",
        va: str = "baseline", rotation: float = 0.0, colour: str = "#000000",
        bold: bool = False, anchored: bool = False,
    ) -> tuple[float, float, float, float]:  # fmt: skip
        """Write ``text`` at (x, y) aligned by ``ha`` (left, center, right) and ``va``
        (top, center, baseline, bottom), turned ``rotation`` degrees anticlockwise.
        Turned text is aligned by its turned box, or, ``anchored``, by its own box
        before turning (matplotlib's ``rotation_mode``). Returns the box it covers."""
        width = text_width(text, size, bold=bold)
        if anchored or not rotation:
            # The point of the unturned box that is put at (x, y), from the baseline's start.
            u = {"left": 0.0, "center": width / 2, "right": width}[ha]
            v = {
                "top": -ASCENT * size,
                "center": (DESCENT - ASCENT) * size / 2,
                "baseline": 0.0,
                "bottom": DESCENT * size,
            }[va]
            turn = math.radians(rotation)
            cos, sin = math.cos(turn), math.sin(turn)
            origin = (x - (u * cos + v * sin), y - (-u * sin + v * cos))
        else:
            left, top, right, bottom = rotated_box(width, size, rotation)
            at_x = {"left": left, "center": (left + right) / 2, "right": right}[ha]
            at_y = {"top": top, "center": (top + bottom) / 2, "baseline": 0.0,
                    "bottom": bottom}[va]  # fmt: skip
            origin = (x - at_x, y - at_y)
        left, top, right, bottom = rotated_box(width, size, rotation)
        box = (origin[0] + left, origin[1] + top, origin[0] + right, origin[1] + bottom)
        place = f'x="{_number(origin[0])}" y="{_number(origin[1])}"'
        if rotation:
            place = (
                f'transform="translate({_number(origin[0])} {_number(origin[1])}) '
                f'rotate({_number(-rotation)})"'
            )
        weight = ' font-weight="bold"' if bold else ""
        # Its measured length given: a browser without DejaVu Sans fits its own font to
        # the place laid out for it (a PDF has the font, and nothing to fit).
        self._parts.append(
            f'<text {place} font-size="{_number(size)}"{weight} fill="{colour}" '
            f'textLength="{_number(width)}" lengthAdjust="spacingAndGlyphs">'
            f"{escape(text, quote=False)}</text>"
        )
        self.cover(*box)
        return box

    def svg(self) -> str:
        """The drawing cropped to its content and :data:`CROP_PAD` around it."""
        left, top, right, bottom = self._box
        if not math.isfinite(left):
            left = top = right = bottom = 0.0
        left, top = left - CROP_PAD, top - CROP_PAD
        width, height = right - left + CROP_PAD, bottom - top + CROP_PAD
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{_number(width)}pt" height="{_number(height)}pt" '
            f'viewBox="{_number(left)} {_number(top)} {_number(width)} {_number(height)}" '
            f'font-family="{FONT_FAMILY}">'
            f'<rect x="{_number(left)}" y="{_number(top)}" width="{_number(width)}" '
            f'height="{_number(height)}" fill="#ffffff"/>' + "".join(self._parts) + "</svg>"
        )

    def data_uri(self) -> str:
        """:meth:`svg` as a data URI, for an ``<img>`` of a self-contained page."""
        encoded = base64.b64encode(self.svg().encode("utf-8")).decode("ascii")
        return "data:image/svg+xml;base64," + encoded


def _extent(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)
