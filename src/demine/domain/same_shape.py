"""Whether two geometries are the same shape, as a round trip through a file leaves it.

Exchange files write coordinates to 7 decimals (about 1 cm), GIS tools rewind rings
(RFC 7946 wants counter-clockwise exteriors, Shapefiles clockwise ones), start a ring
at another vertex, and write a one-part MultiPolygon as a Polygon or the other way
round. None of that changes the shape a record describes, so none of it is a change
of the record: an exported file imported again changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Decimals of the coordinates of GeoJSON and CSV exports (~1 cm in degrees).
EXCHANGE_DECIMALS = 7
#: Coordinates closer than this (degrees) are the same point: a value rounded to 7
#: decimals is within 5e-8 of the original.
TOLERANCE = 1e-7


def same_shape(a: BaseGeometry | None, b: BaseGeometry | None) -> bool:
    """``a`` and ``b`` describe the same shape: the same vertices to ``TOLERANCE``, in
    whichever ring orientation, start vertex, part order or single/one-part-multi form."""
    if a is None or b is None:
        return a is b
    import shapely

    if a.is_empty or b.is_empty:
        return bool(a.is_empty and b.is_empty)
    return bool(shapely.equals_exact(_canonical(a), _canonical(b), tolerance=TOLERANCE))


def _canonical(geometry: BaseGeometry) -> BaseGeometry:
    """One part taken out of a one-part Multi*, then GEOS's normal form (ring
    orientation, start vertex and part order fixed)."""
    import shapely

    if geometry.geom_type.startswith("Multi") and shapely.get_num_geometries(geometry) == 1:
        geometry = shapely.get_geometry(geometry, 0)
    return shapely.normalize(geometry)
