"""The bulletin's charts and map drawn straight to SVG (:mod:`demine.reports.plot`), in
the look matplotlib gave them but without loading it or laying a chart out twice: a
national bulletin's PDF in a fraction of the time."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from shapely.geometry.base import BaseGeometry

from demine.analysis.bulletin import MapFeatures, SeriesPoint
from demine.analysis.summary import FigureSource
from demine.i18n import _
from demine.reports.bulletin.palette import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    DENSE_MAP_FEATURES,
    HECTARE_COLOUR,
    SERIES,
    axis_number,
    degree_labels,
)
from demine.reports.plot.axes import Axes, LegendEntry
from demine.reports.plot.canvas import Canvas
from demine.reports.plot.raster import Layer, raster_png
from demine.reports.plot.ticks import data_range

#: Bars' share of their period's width; lines' width; the hectares line's dots.
BAR_WIDTH = 0.7
LINE_WIDTH = 1.5
MARKER_RADIUS = 3.0


def _numbers(values: list[float]) -> list[str]:
    return [axis_number(value) for value in values]


def trend_chart(points: Sequence[SeriesPoint], title: str) -> str:
    """Stacked devices by category per period, hectares cleared on a second axis, the
    legend above the plot where it hides no bar (an SVG data URI)."""
    canvas = Canvas()
    axes = Axes.of_figure(canvas, 7.2, 2.8)
    count = len(points)
    tops = [sum(getattr(p, key) for _name, key, _colour in SERIES) for p in points]
    axes.scales(
        data_range([-BAR_WIDTH / 2, count - 1 + BAR_WIDTH / 2]), data_range(tops, sticky_low=0)
    )
    hectares = [p.hectares_cleared for p in points]
    right = axes.y_scale((0.0, data_range(hectares)[1]))
    axes.background()
    x, y = axes.x, axes.y
    bottoms = [0.0] * count
    for _name, key, colour in SERIES:
        for position, point in enumerate(points):
            value = getattr(point, key)
            top = y(bottoms[position] + value)
            canvas.rect(
                x(position - BAR_WIDTH / 2), top, x(position + BAR_WIDTH / 2)
                - x(position - BAR_WIDTH / 2), y(bottoms[position]) - top, fill=colour,
            )  # fmt: skip
            bottoms[position] += value
    for position, point in enumerate(points):
        if point.source is FigureSource.REPORTED_SUMMARIES:
            canvas.text(x(position), y(bottoms[position]), "P", 6, ha="center", va="bottom")
        elif point.source is FigureSource.NONE:
            canvas.text(x(position), y(0), "–", 8, ha="center", va="bottom")
    axes.frame()
    line = [(x(position), right(value)) for position, value in enumerate(hectares)]
    canvas.polyline(line, stroke=HECTARE_COLOUR, width=LINE_WIDTH)
    for at_x, at_y in line:
        canvas.circle(at_x, at_y, MARKER_RADIUS, fill=HECTARE_COLOUR)
    axes.y_ticks(y, _numbers)
    axes.y_ticks(right, _numbers, side="right")
    axes.x_ticks([(i, p.period.label) for i, p in enumerate(points)], rotation=45)
    axes.y_label(_("Devices found"))
    axes.y_label(_("Hectares cleared"), side="right")
    keys = [LegendEntry(_(name), "bar", colour) for name, _key, colour in SERIES]
    keys.append(LegendEntry(_("Hectares cleared"), "line", HECTARE_COLOUR, marker=True))
    axes.legend(keys, where="above", columns=4, framed=False)
    axes.title(title, pad=18)
    return canvas.data_uri()


def cumulative_chart(points: Sequence[SeriesPoint], title: str) -> str:
    """Running totals since operations began: devices by category and hectares (an
    SVG data URI)."""
    canvas = Canvas()
    axes = Axes.of_figure(canvas, 7.2, 2.6)
    count = len(points)
    values = [getattr(p, key) for _name, key, _colour in SERIES for p in points]
    hectares = [p.hectares_cleared for p in points]
    axes.scales(data_range(range(count)), data_range(values))
    right = axes.y_scale((0.0, data_range([0.0, *hectares])[1]))
    axes.background()
    x, y = axes.x, axes.y
    for _name, key, colour in SERIES:
        canvas.polyline(
            [(x(i), y(getattr(p, key))) for i, p in enumerate(points)], stroke=colour,
            width=LINE_WIDTH,
        )  # fmt: skip
    axes.frame()
    keys = [LegendEntry(_(name), "line", colour) for name, _key, colour in SERIES]
    keys.append(LegendEntry(_("Hectares cleared (cumulative)"), "area", HECTARE_COLOUR, 0.15))
    axes.legend(keys, where="upper left")
    if count:
        area = [(x(i), right(value)) for i, value in enumerate(hectares)]
        area += [(x(count - 1), right(0.0)), (x(0), right(0.0))]
        canvas.polygon(area, fill=HECTARE_COLOUR, opacity=0.15)
    step = max(1, count // 12)
    axes.y_ticks(y, _numbers)
    axes.y_ticks(right, _numbers, side="right")
    axes.x_ticks([(i, points[i].period.label) for i in range(0, count, step)], rotation=45)
    axes.y_label(_("Devices found (cumulative)"))
    axes.y_label(_("Hectares (cumulative)"), side="right")
    axes.title(title)
    return canvas.data_uri()


def _rings(geometry: BaseGeometry) -> Iterable[list[tuple[float, float]]]:
    """The outer ring of each polygon of ``geometry`` (other parts are skipped)."""
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type == "Polygon":
            yield list(polygon.exterior.coords)


#: The map's y units drawn this much longer than its x units (degrees at 40° N).
MAP_ASPECT = 1.3


def period_map(features: MapFeatures, title: str) -> str:
    """The period's finds (by category) and released land over the district boundaries,
    both drawn as one picture past :data:`DENSE_MAP_FEATURES` (an SVG data URI)."""
    canvas = Canvas()
    axes = Axes.of_figure(canvas, 7.2, 5.4)
    dense = len(features.finds) + len(features.released) > DENSE_MAP_FEATURES
    districts = [(name, list(_rings(g)), g) for name, g in features.districts]
    released = [ring for _kind, g in features.released for ring in _rings(g)]
    xs = [px for _n, rings, _g in districts for ring in rings for px, _py in ring]
    ys = [py for _n, rings, _g in districts for ring in rings for _px, py in ring]
    xs += [px for ring in released for px, _py in ring] + [g.x for _c, g, _q in features.finds]
    ys += [py for ring in released for _px, py in ring] + [g.y for _c, g, _q in features.finds]
    x_range, y_range = data_range(xs), data_range(ys)
    axes.shrink_to_aspect(MAP_ASPECT * (y_range[1] - y_range[0]) / (x_range[1] - x_range[0]))
    axes.scales(x_range, y_range)
    axes.background()
    x, y = axes.x, axes.y
    for _name, rings, _geometry in districts:
        for ring in rings:
            canvas.polygon(
                [(x(px), y(py)) for px, py in ring], fill="#f4f1ea", stroke="#7a7a7a",
                stroke_width=0.6,
            )  # fmt: skip
    rings_on_canvas = [[(x(px), y(py)) for px, py in ring] for ring in released]
    finds = _finds_in_drawing_order(features)
    if dense:
        box = (axes.left, axes.top, axes.right, axes.bottom)
        layers = [
            Layer(0.6, polygons=[(ring, HECTARE_COLOUR) for ring in rings_on_canvas]),
            Layer(
                0.85,
                dots=[((x(g.x), y(g.y), diameter), colour) for g, diameter, colour in finds],
                dot_edge=("#ffffff", 0.3),
            ),
        ]
        canvas.image(axes.left, axes.top, axes.width, axes.height, raster_png(box, layers))
    else:
        for ring in rings_on_canvas:
            canvas.polygon(ring, fill=HECTARE_COLOUR, stroke=HECTARE_COLOUR, opacity=0.6)
        for geometry, diameter, colour in finds:
            canvas.circle(
                x(geometry.x), y(geometry.y), diameter / 2, fill=colour, stroke="#ffffff",
                stroke_width=0.3, opacity=0.85,
            )  # fmt: skip
    # Names over the finds, as matplotlib draws text over shapes.
    for name, _rings_of, geometry in districts:
        point = geometry.representative_point()
        canvas.text(x(point.x), y(point.y), name, 6, ha="center", colour="#555555")
    axes.frame()
    axes.nice_x_ticks(degree_labels)
    axes.y_ticks(y, degree_labels)
    axes.x_label(_("Longitude"))
    axes.y_label(_("Latitude"))
    axes.legend(_map_keys(features), where="lower left")
    note = _("District shapes are approximate.") if features.approximate_districts else ""
    axes.title(title + (f"\n{note}" if note else ""))
    return canvas.data_uri()


#: Finds drawn most common first, so that the rarer AP and AT mines stay on top.
_DRAWING_ORDER = ("UXO", "OTHER", "AT_MINE", "AP_MINE")


def _category(code: str) -> str:
    return code if code in CATEGORY_COLOURS else "OTHER"


def _dot_area(quantity: int) -> float:
    """A find's dot grows with the devices found, up to a limit (points²)."""
    return min(40, 4 + 2 * quantity)


def _diameter(quantity: int) -> float:
    return math.sqrt(_dot_area(quantity))


def _by_category(features: MapFeatures) -> dict[str, list[tuple[BaseGeometry, int]]]:
    """The finds of each category, in drawing order (categories without finds left out)."""
    chosen: dict[str, list[tuple[BaseGeometry, int]]] = {c: [] for c in _DRAWING_ORDER}
    for code, geometry, quantity in features.finds:
        chosen[_category(code)].append((geometry, quantity))
    return {category: finds for category, finds in chosen.items() if finds}


def _finds_in_drawing_order(features: MapFeatures) -> list[tuple[BaseGeometry, float, str]]:
    return [
        (geometry, _diameter(quantity), CATEGORY_COLOURS[category])
        for category, finds in _by_category(features).items()
        for geometry, quantity in finds
    ]


def _map_keys(features: MapFeatures) -> list[LegendEntry]:
    keys = []
    if features.released:
        keys.append(LegendEntry(_("Released land"), "area", HECTARE_COLOUR, 0.6))
    for category, finds in _by_category(features).items():
        areas = [_dot_area(quantity) for _geometry, quantity in finds]
        # One dot of the mean of the largest and smallest, as matplotlib's legend.
        diameter = math.sqrt((max(areas) + min(areas)) / 2)
        label = _(CATEGORY_LABELS[category])
        keys.append(LegendEntry(label, "point", CATEGORY_COLOURS[category], 0.85, size=diameter))
    return keys
