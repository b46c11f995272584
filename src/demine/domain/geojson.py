"""Geometries as RFC 7946 (GeoJSON) wants them written.

Exterior rings counter-clockwise and holes clockwise (§3.1.6), coordinates in WGS84
without a ``crs`` member, and no more decimals than the positions mean: 7 decimals of a
degree are about 1 cm, finer than any field GPS. Writing the same shape twice gives the
same text, so clients that compare files see no change where there is none.
"""

from __future__ import annotations

from typing import Any

import shapely

#: Decimals of a degree written (about 1 cm).
COORDINATE_DECIMALS = 7


def rfc7946(geometries: Any) -> Any:
    """``geometries`` (one or an array, None kept) oriented and rounded for GeoJSON."""
    oriented = shapely.orient_polygons(geometries, exterior_cw=False)
    return shapely.transform(oriented, lambda coordinates: coordinates.round(COORDINATE_DECIMALS))
