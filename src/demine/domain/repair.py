"""Repairing an invalid polygon, but only when there is one obvious repair.

Polygons digitised by hand from paper maps often carry small faults: a spike drawn out
and back, a ring that touches itself, a repeated corner. ``shapely.make_valid`` mends
these without changing the area meant. A bow tie or two overlapping parts are different:
any repair would have to guess which area the drawing meant, so none is made and the
record is rejected for a person to redraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry import Polygon
    from shapely.geometry.base import BaseGeometry

#: The largest relative change of area a repair may make and still count as obvious.
MAX_AREA_CHANGE = 0.01

POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Repair:
    """What was wrong with a polygon and what repairing it did (or why it was not done)."""

    problem: str
    #: The repaired geometry; ``None`` when no unambiguous repair exists.
    geometry: BaseGeometry | None
    explanation: str


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons in a geometry, dropping the lines and points a repair may leave."""
    from shapely.geometry import Polygon

    if isinstance(geometry, Polygon):
        return [geometry] if not geometry.is_empty else []
    parts = getattr(geometry, "geoms", [])
    return [p for part in parts for p in _polygons(part)]


def repair_polygonal(geometry: BaseGeometry) -> Repair | None:
    """The repair of an invalid Polygon or MultiPolygon; ``None`` if it needs none.

    A repair is accepted when it gives no more polygons than the drawing had and
    changes the area (as the drawing's rings enclose it) by at most ``MAX_AREA_CHANGE``.
    """
    if geometry.is_empty or geometry.geom_type not in POLYGON_TYPES or geometry.is_valid:
        return None
    # Imported here: the geometry stack loads only when a geometry is repaired.
    import shapely
    from shapely.geometry import MultiPolygon
    from shapely.validation import explain_validity

    problem = explain_validity(geometry)
    drawn_parts = len(_polygons(geometry))
    # The area the rings enclose by the surveyor's formula: a bow tie's lobes cancel out,
    # so a repair that keeps both lobes shows up as a large change.
    drawn_area = float(geometry.area)
    parts = _polygons(shapely.make_valid(geometry))
    repaired_area = float(sum(p.area for p in parts))
    if not parts:
        return Repair(problem, None, "nothing of the polygon is left after repair")
    if len(parts) > drawn_parts:
        return Repair(
            problem,
            None,
            f"repairing would split it into {len(parts)} polygons; redraw it as intended",
        )
    change = abs(repaired_area - drawn_area) / max(repaired_area, drawn_area)
    if change > MAX_AREA_CHANGE:
        return Repair(
            problem,
            None,
            f"repairing would change its area by {change:.0%}; redraw it as intended",
        )
    repaired: BaseGeometry = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return Repair(problem, repaired, f"repaired (area changed by {change:.2%})")
