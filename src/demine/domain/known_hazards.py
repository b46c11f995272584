"""Whether an accident lay inside a hazard area known on its date (no database here).

A record's own flag wins; otherwise the accident's point is tested against the hazard
polygons recorded by the accident's latest possible date (a hazard recorded later was
not known then). Without a point, or when the country has no hazard polygon mapped at
all, the answer is unknown (None): "outside" would claim more than is known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

POLYGONAL = ("Polygon", "MultiPolygon")

#: A hazard's id and stored bounding box (min x, min y, max x, max y).
Box = tuple[int, float, float, float, float]
#: The ids of hazards to their (geometry, recorded on), for the ids asked for.
GeometriesOf = Callable[[Sequence[int]], list[tuple[int, "BaseGeometry | None", date]]]


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
    ids = [box[0] for box in boxes]
    accident_index, box_index = _pairs_in_boxes([row["geometry"] for row in pending], boxes)
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


def _pairs_in_boxes(geometries: Sequence[BaseGeometry], boxes: Sequence[Box]) -> tuple[Any, Any]:
    """``(geometry index, box index)`` of each geometry lying in (or on) each box.

    Accidents are points: sorted by x, the points inside each box's x range are one
    slice (two binary searches for all boxes at once), and y is tested on those few.
    Anything else falls back to a tree of the boxes.
    """
    import numpy as np
    import shapely
    from shapely import STRtree

    table = np.asarray(boxes, dtype=float).reshape(-1, 5)
    min_x, min_y, max_x, max_y = table[:, 1], table[:, 2], table[:, 3], table[:, 4]
    shapes = np.asarray(geometries, dtype=object)
    if not (shapely.get_type_id(shapes) == 0).all():
        tree = STRtree(shapely.box(min_x, min_y, max_x, max_y))
        pairs = tree.query(shapes, predicate="intersects")
        return pairs[0], pairs[1]
    xs, ys = shapely.get_x(shapes), shapely.get_y(shapes)
    order = np.argsort(xs, kind="stable")
    sorted_x = xs[order]
    first = np.searchsorted(sorted_x, min_x, side="left")
    after = np.searchsorted(sorted_x, max_x, side="right")
    counts = np.maximum(after - first, 0)
    box_index = np.repeat(np.arange(len(table)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    point_index = order[np.repeat(first, counts) + offsets]
    inside = (ys[point_index] >= min_y[box_index]) & (ys[point_index] <= max_y[box_index])
    return point_index[inside], box_index[inside]


def inside_any(
    pending: Sequence[dict[str, Any]], hazards: Sequence[tuple[BaseGeometry, date]]
) -> dict[int, bool] | None:
    """Each pending accident's answer against every hazard; None when no hazard area
    is mapped as a polygon at all."""
    polygons = [(geometry, recorded_on) for geometry, recorded_on in hazards if polygonal(geometry)]
    if not polygons:
        return None
    from shapely import STRtree

    tree = STRtree([geometry for geometry, _ in polygons])
    return {
        row["id"]: any(
            polygons[int(i)][1] <= row["occurred_latest"]
            for i in tree.query(row["geometry"], predicate="intersects")
        )
        for row in pending
    }
