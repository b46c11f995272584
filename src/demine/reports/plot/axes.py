"""A plot's frame on a :class:`Canvas`: its box, scales, ticks, axis labels, title and
legend, placed as matplotlib places them by default (sizes in points)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from demine.reports.plot.canvas import Canvas
from demine.reports.plot.text import ASCENT, DESCENT, text_width
from demine.reports.plot.ticks import Scale, nice_ticks, tick_bins

#: Text sizes: the reports' 8 pt, titles 1.2 times larger.
LABEL_SIZE = 8.0
TITLE_SIZE = 9.6
#: Ticks out of the frame, their length and the gap to their labels; the gap between
#: tick labels and the axis label; the frame's line.
TICK_LENGTH = 3.5
TICK_PAD = 3.5
LABEL_PAD = 4.0
TITLE_PAD = 6.0
LINE_WIDTH = 0.8
INK = "#000000"

#: Labels for a whole axis's ticks at once (their decimals may depend on each other).
Labeller = Callable[[list[float]], list[str]]

#: Where the default subplot sits in its figure (shares of width and height).
_LEFT, _RIGHT, _BOTTOM, _TOP = 0.125, 0.9, 0.11, 0.88


@dataclass(frozen=True)
class LegendEntry:
    """One key of a legend: ``kind`` is "bar" (a filled box), "line" (with a dot when
    ``marker``), "area" (a see-through box) or "point" (a dot ``size`` points across)."""

    label: str
    kind: str
    colour: str
    opacity: float = 1.0
    marker: bool = False
    size: float = 6.0


@dataclass
class Axes:
    """The plot box of a ``width`` × ``height`` inch figure, with its x and y scales."""

    canvas: Canvas
    left: float
    top: float
    width: float
    height: float
    x: Scale = field(init=False)
    y: Scale = field(init=False)
    #: How far tick labels reach left, right and down (for the axis labels).
    _reach: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of_figure(cls, canvas: Canvas, width_in: float, height_in: float) -> Axes:
        """The default subplot of a figure that size (in inches)."""
        width, height = width_in * 72, height_in * 72
        return cls(
            canvas, width * _LEFT, height * (1 - _TOP), width * (_RIGHT - _LEFT),
            height * (_TOP - _BOTTOM),
        )  # fmt: skip

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def shrink_to_aspect(self, ratio: float) -> None:
        """Keep ``height / width == ratio`` by shrinking the box about its centre."""
        if self.height / self.width > ratio:
            height = self.width * ratio
            self.top += (self.height - height) / 2
            self.height = height
        else:
            width = self.height / ratio
            self.left += (self.width - width) / 2
            self.width = width

    def scales(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        self.x = Scale(*x_range, self.left, self.right)
        self.y = self.y_scale(y_range)

    def y_scale(self, y_range: tuple[float, float]) -> Scale:
        """A y scale over this box (a second one for a right-hand axis)."""
        return Scale(*y_range, self.bottom, self.top)

    def background(self) -> None:
        self.canvas.rect(self.left, self.top, self.width, self.height, fill="#ffffff")

    def frame(self) -> None:
        """The four sides, drawn over the plot."""
        self.canvas.rect(
            self.left, self.top, self.width, self.height, fill=None, stroke=INK,
            stroke_width=LINE_WIDTH,
        )  # fmt: skip

    def y_ticks(self, scale: Scale, labels: Labeller, *, side: str = "left") -> None:
        """Nice ticks on the left or right side, all labelled at once by ``labels``."""
        low, high = sorted((scale.low, scale.high))
        values = nice_ticks(low, high, tick_bins(self.height, LABEL_SIZE, horizontal=False))
        x = self.left if side == "left" else self.right
        direction = -1 if side == "left" else 1
        reach = x
        for value, label in zip(values, labels(values), strict=True):
            y = scale(value)
            self.canvas.polyline(
                [(x, y), (x + direction * TICK_LENGTH, y)], stroke=INK, width=LINE_WIDTH
            )
            box = self.canvas.text(
                x + direction * (TICK_LENGTH + TICK_PAD), y + (ASCENT * LABEL_SIZE) / 2,
                label, LABEL_SIZE, ha="right" if side == "left" else "left",
            )  # fmt: skip
            reach = min(reach, box[0]) if side == "left" else max(reach, box[2])
        self._reach[side] = reach

    def x_ticks(self, ticks: Sequence[tuple[float, str]], *, rotation: float = 0.0) -> None:
        """Ticks at data ``x`` with their labels (turned labels end at their tick)."""
        y = self.bottom
        reach = y
        for value, text in ticks:
            x = self.x(value)
            if not self.left - 0.01 <= x <= self.right + 0.01:
                continue
            self.canvas.polyline([(x, y), (x, y + TICK_LENGTH)], stroke=INK, width=LINE_WIDTH)
            box = self.canvas.text(
                x, y + TICK_LENGTH + TICK_PAD, text, LABEL_SIZE,
                ha="right" if rotation else "center", va="top", rotation=rotation,
            )  # fmt: skip
            reach = max(reach, box[3])
        self._reach["bottom"] = reach

    def nice_x_ticks(self, labels: Labeller) -> None:
        """Nice ticks along x, all labelled at once by ``labels``."""
        low, high = sorted((self.x.low, self.x.high))
        values = nice_ticks(low, high, tick_bins(self.width, LABEL_SIZE, horizontal=True))
        self.x_ticks(list(zip(values, labels(values), strict=True)))

    def x_label(self, text: str) -> None:
        below = self._reach.get("bottom", self.bottom)
        self.canvas.text(
            (self.left + self.right) / 2, below + LABEL_PAD, text, LABEL_SIZE, ha="center",
            va="top",
        )  # fmt: skip

    def y_label(self, text: str, *, side: str = "left") -> None:
        middle = (self.top + self.bottom) / 2
        if side == "left":
            x = self._reach.get("left", self.left) - LABEL_PAD
            self.canvas.text(
                x, middle, text, LABEL_SIZE, ha="center", va="bottom", rotation=90,
                anchored=True,
            )  # fmt: skip
        else:
            x = self._reach.get("right", self.right) + LABEL_PAD
            self.canvas.text(
                x, middle, text, LABEL_SIZE, ha="center", va="top", rotation=90, anchored=True
            )

    def title(self, text: str, *, pad: float = TITLE_PAD) -> None:
        """Centred above the box, its last line ``pad`` points above it."""
        lines = text.split("\n")
        line_height = (ASCENT + DESCENT) * TITLE_SIZE * 1.2
        for number, line in enumerate(reversed(lines)):
            self.canvas.text(
                (self.left + self.right) / 2, self.top - pad - number * line_height, line,
                TITLE_SIZE, ha="center",
            )  # fmt: skip

    def legend(
        self, entries: Sequence[LegendEntry], *, where: str, columns: int = 1,
        size: float = 7.0, framed: bool = True,
    ) -> None:  # fmt: skip
        """The keys in ``columns`` columns, at "upper left" or "lower left" inside the
        box, or "above" it (centred, over the title's place)."""
        if not entries:
            return
        handle, gap, spacing, pad = 2.0 * size, 0.8 * size, 0.5 * size, 0.4 * size
        row_height = (ASCENT + DESCENT) * size
        rows = (len(entries) + columns - 1) // columns
        column_entries = [entries[c * rows : (c + 1) * rows] for c in range(columns)]
        column_widths = [
            handle + gap + max(text_width(e.label, size) for e in chosen)
            for chosen in column_entries
            if chosen
        ]
        width = sum(column_widths) + 2.0 * size * (len(column_widths) - 1) + 2 * pad
        height = rows * row_height + (rows - 1) * spacing + 2 * pad
        border = 0.5 * size
        if where == "upper left":
            left, top = self.left + border, self.top + border
        elif where == "lower left":
            left, top = self.left + border, self.bottom - border - height
        else:
            left, top = (self.left + self.right - width) / 2, self.top - border - height
        if framed:
            self.canvas.rect(
                left, top, width, height, fill="#ffffff", stroke="#cccccc", stroke_width=1.0,
                opacity=0.8, radius=0.2 * size,
            )  # fmt: skip
        x = left + pad
        for chosen, column_width in zip(column_entries, column_widths, strict=False):
            for row, entry in enumerate(chosen):
                baseline = top + pad + row * (row_height + spacing) + ASCENT * size
                self._key(entry, x, baseline, handle, size)
                self.canvas.text(x + handle + gap, baseline, entry.label, size)
            x += column_width + 2.0 * size

    def _key(
        self, entry: LegendEntry, x: float, baseline: float, handle: float, size: float
    ) -> None:
        box_height = 0.7 * size
        middle = baseline - box_height / 2
        canvas = self.canvas
        if entry.kind in ("bar", "area"):
            canvas.rect(
                x, baseline - box_height, handle, box_height, fill=entry.colour,
                opacity=entry.opacity,
            )  # fmt: skip
        elif entry.kind == "line":
            canvas.polyline([(x, middle), (x + handle, middle)], stroke=entry.colour, width=1.5)
            if entry.marker:
                canvas.circle(x + handle / 2, middle, 3.0, fill=entry.colour)
        else:
            canvas.circle(
                x + handle / 2, baseline - 0.375 * box_height, entry.size / 2,
                fill=entry.colour, stroke="#ffffff", stroke_width=0.3, opacity=entry.opacity,
            )  # fmt: skip
