"""How much room a label takes in the reports' font ("DejaVu Sans", the font the PDF
embeds), so that a chart is laid out before it is written."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

from demine.reports.fonts import report_font_file

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

#: Top of an "l" and bottom of a "p" from the baseline, in ems: the height matplotlib
#: gives every line of text, whatever its letters.
ASCENT = 0.76
DESCENT = 0.21
#: Measured at this size (pixels) and scaled: exact to a hundredth of a point.
_MEASURED_SIZE = 100


@lru_cache(maxsize=2)
def _font(bold: bool) -> FreeTypeFont:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(report_font_file(name)), _MEASURED_SIZE)


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The advance of ``text`` set at ``size`` points, in points."""
    return _font(bold).getlength(text) * size / _MEASURED_SIZE


def rotated_box(width: float, size: float, degrees: float) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) around text ``width`` long set at ``size``
    and turned ``degrees`` anticlockwise about the start of its baseline (y down)."""
    turn = math.radians(degrees)
    cos, sin = math.cos(turn), math.sin(turn)
    corners = [
        (u * cos + v * sin, -u * sin + v * cos)
        for u in (0.0, width)
        for v in (-ASCENT * size, DESCENT * size)
    ]
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)
