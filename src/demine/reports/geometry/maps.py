"""A small map of one finding: the record's shape, the fault's spot, the district
around it and the other record of a duplicate or overlap (SVG data URIs)."""

from __future__ import annotations

import shapely
from matplotlib.axes import Axes
from shapely.geometry.base import BaseGeometry

from demine.analysis.geometry import Finding, Places
from demine.reports.svg import fill_geometry, new_figure, svg_data_uri

RECORD = "#c0392b"
SPOT = "#1c2833"
#: The map shows this much around the record (degrees, about 1 km).
MARGIN = 0.01


def _draw(axes: Axes, geometry: BaseGeometry, **style: object) -> None:
    """Areas filled, lines drawn, points marked."""
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type == "Polygon":
            fill_geometry(axes, part, **style)
        elif part.geom_type == "LineString":
            x, y = part.xy
            axes.plot(x, y, color=style.get("edgecolor", RECORD), linewidth=1.2)
        elif part.geom_type == "Point":
            axes.scatter([part.x], [part.y], s=22, color=style.get("edgecolor", RECORD),
                         zorder=5)  # fmt: skip


def finding_map(finding: Finding, places: Places) -> str:
    """The finding over its surroundings, as an SVG data URI."""
    figure, axes = new_figure(2.6, 2.2)
    geometry = finding.geometry
    shown = [geometry] if finding.spot is None else [geometry, finding.spot]
    min_x, min_y, max_x, max_y = shapely.GeometryCollection(shown).bounds
    for shape in places.districts.values():
        if shape.intersects(geometry.envelope.buffer(MARGIN)):
            fill_geometry(axes, shape, facecolor="#f4f1ea", edgecolor="#7a7a7a", linewidth=0.5)
    if finding.other_geometry is not None:
        _draw(axes, finding.other_geometry, facecolor="#2e86c1", edgecolor="#2e86c1", alpha=0.35)
    _draw(axes, geometry, facecolor=RECORD, edgecolor=RECORD, alpha=0.45)
    if finding.spot is not None and not finding.spot.is_empty:
        _draw(axes, finding.spot, facecolor=SPOT, edgecolor=SPOT, alpha=0.6)
    axes.set_xlim(min_x - MARGIN, max_x + MARGIN)
    axes.set_ylim(min_y - MARGIN, max_y + MARGIN)
    axes.set_aspect(1.3)
    axes.tick_params(labelsize=5)
    axes.locator_params(nbins=3)
    return svg_data_uri(figure)
