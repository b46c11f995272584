"""Whether an accident lay inside a hazard area known on its date (no database here).

A record's own flag wins; otherwise the accident's point is tested against the hazard
polygons recorded by the accident's latest possible date (a hazard recorded later was
not known then). Without a point, or when the country has no hazard polygon mapped at
all, the answer is unknown (None): "outside" would claim more than is known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")

#: A hazard's id and stored bounding box (min x, min y, max x, max y).
Box = tuple[int, float, float, float, float]
#: The ids of hazards to their (geometry, recorded on), for the ids asked for.
GeometriesOf = Callable[[Sequence[int]], list[tuple[int, BaseGeometry | None, date]]]


def polygonal(geometry: BaseGeometry | None) -> bool:
    return geometry is not None and geometry.geom_type in POLYGONAL


def pending_accidents(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The accident rows whose record does not say, and that have a point to test."""
    return [
        row for row in rows if row["inside_known_hazard"] is None and row["geometry"] is not None
    ]


def inside_by_boxes(
    pending: Sequence[dict[str, Any]], boxes: Sequence[Box], geometries_of: GeometriesOf
) -> dict[int, bool] | None:
    """Each pending accident's answer, reading only the hazards whose stored box holds
    one (decoding every polygon of a national register costs a second). None when no
    polygon is among those hazards: the caller must then look at every hazard, to tell
    "outside all" from "no polygon mapped at all"."""
    if not boxes:
        return None
    ids, min_x, min_y, max_x, max_y = (list(column) for column in zip(*boxes, strict=True))
    tree = STRtree(shapely.box(min_x, min_y, max_x, max_y))
    accident_index, box_index = tree.query(
        [row["geometry"] for row in pending], predicate="intersects"
    )
    wanted = sorted({ids[int(i)] for i in box_index})
    polygons = {
        hazard_id: (geometry, recorded_on)
        for hazard_id, geometry, recorded_on in geometries_of(wanted)
        if geometry is not None and polygonal(geometry)
    }
    if not polygons:
        return None
    inside = {row["id"]: False for row in pending}
    for a, b in zip(accident_index, box_index, strict=True):
        hazard = ids[int(b)]
        if hazard not in polygons:
            continue
        row = pending[int(a)]
        geometry, recorded_on = polygons[hazard]
        if recorded_on <= row["occurred_latest"] and geometry.intersects(row["geometry"]):
            inside[row["id"]] = True
    return inside


def inside_any(
    pending: Sequence[dict[str, Any]], hazards: Sequence[tuple[BaseGeometry, date]]
) -> dict[int, bool] | None:
    """Each pending accident's answer against every hazard; None when no hazard area
    is mapped as a polygon at all."""
    polygons = [(geometry, recorded_on) for geometry, recorded_on in hazards if polygonal(geometry)]
    if not polygons:
        return None
    tree = STRtree([geometry for geometry, _ in polygons])
    return {
        row["id"]: any(
            polygons[int(i)][1] <= row["occurred_latest"]
            for i in tree.query(row["geometry"], predicate="intersects")
        )
        for row in pending
    }
