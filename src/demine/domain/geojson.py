"""Geometries as RFC 7946 (GeoJSON) wants them written.

Exterior rings counter-clockwise and holes clockwise (§3.1.6), coordinates in WGS84
without a ``crs`` member, and no more decimals than the positions mean: 7 decimals of a
degree are about 1 cm, finer than any field GPS. Writing the same shape twice gives the
same text, so clients that compare files see no change where there is none.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
import shapely.geometry

#: Decimals of a degree written (about 1 cm).
COORDINATE_DECIMALS = 7


def rfc7946(geometries: Any) -> Any:
    """``geometries`` (one or an array, None kept) oriented and rounded for GeoJSON."""
    oriented = shapely.orient_polygons(geometries, exterior_cw=False)
    return shapely.transform(oriented, lambda coordinates: coordinates.round(COORDINATE_DECIMALS))


_POLYGON = 3
_MULTIPOLYGON = 6


def mappings(geometries: Any) -> list[dict[str, Any] | None]:
    """``shapely.geometry.mapping`` of each of ``geometries`` (an array, None kept).

    Polygons and multipolygons, the shapes of a map's area layers, have their rings read
    all at once (one call per step for the whole array, not several per shape); their
    coordinates are lists where ``mapping`` gives tuples, the same JSON. Other shapes are
    mapped one by one.
    """
    types = shapely.get_type_id(geometries)
    written = ((types == _POLYGON) | (types == _MULTIPOLYGON)) & ~(
        shapely.is_empty(geometries) | shapely.has_z(geometries)
    )
    shapes = np.flatnonzero(written)
    parts, owners = shapely.get_parts(geometries[shapes], return_index=True)
    holed = np.unique(owners[shapely.is_empty(parts)])
    if holed.size:  # an empty part, which mapping writes as one empty ring: one by one
        written[shapes[holed]] = False
        shapes = np.flatnonzero(written)
        parts, owners = shapely.get_parts(geometries[shapes], return_index=True)
    rings, ring_parts = shapely.get_rings(parts, return_index=True)
    points = shapely.get_coordinates(rings).tolist()
    part_rings: list[list[Any]] = [[] for _ in range(len(parts))]
    start = 0
    for part, end in zip(
        ring_parts.tolist(), np.cumsum(shapely.get_num_coordinates(rings)).tolist(), strict=True
    ):
        part_rings[part].append(points[start:end])
        start = end
    shape_parts: list[list[Any]] = [[] for _ in range(len(shapes))]
    for owner, rings_of_part in zip(owners.tolist(), part_rings, strict=True):
        shape_parts[owner].append(rings_of_part)
    found: list[dict[str, Any] | None] = [
        None if shape is None or written[index] else shapely.geometry.mapping(shape)
        for index, shape in enumerate(geometries)
    ]
    for index, shape_type, coordinates in zip(
        shapes.tolist(), types[shapes].tolist(), shape_parts, strict=True
    ):
        if shape_type == _POLYGON:
            found[index] = {"type": "Polygon", "coordinates": coordinates[0]}
        else:
            found[index] = {"type": "MultiPolygon", "coordinates": coordinates}
    return found
