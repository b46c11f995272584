"""A geometry given on the entry page, typed or uploaded, as the page shows it back:
WKT for the form's field, GeoJSON for the map, and its size on the ground.

Sizes are geodesic, on the WGS 84 ellipsoid (``pyproj.Geod``), so they hold in any
country and any UTM zone; the page's own figure while drawing agrees to well under 0.1%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from demine.ingest.coordinates import Shape, read_coordinates
from demine.ingest.gps_files import read_gps_file

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry


def geodesic_area_m2(geometry: BaseGeometry) -> float:
    """The area of a longitude/latitude geometry on the WGS 84 ellipsoid, in m²."""
    from pyproj import Geod

    area, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(geometry)
    return abs(float(area))


def geodesic_length_m(geometry: BaseGeometry) -> float:
    """The length of a line (a polygon's perimeter) on the WGS 84 ellipsoid, in m."""
    from pyproj import Geod

    return float(Geod(ellps="WGS84").geometry_length(geometry))


@dataclass(frozen=True)
class GivenGeometry:
    """A geometry read from what a person typed or uploaded."""

    geometry: BaseGeometry

    def to_json(self) -> dict[str, Any]:
        import shapely

        polygonal = self.geometry.geom_type in ("Polygon", "MultiPolygon")
        return {
            "type": self.geometry.geom_type,
            "wkt": shapely.to_wkt(self.geometry, rounding_precision=7),
            "geojson": shapely.geometry.mapping(self.geometry),
            "area_m2": round(geodesic_area_m2(self.geometry), 1) if polygonal else None,
            "length_m": round(geodesic_length_m(self.geometry), 1)
            if self.geometry.geom_type != "Point"
            else None,
            "positions": len(shapely.get_coordinates(self.geometry)),
        }


def typed_geometry(text: str, shape: Shape = Shape.AUTO) -> GivenGeometry:
    """The geometry of typed coordinates (one position a line) or of WKT."""
    return GivenGeometry(read_coordinates(text, shape))


def uploaded_geometry(file_name: str, data: bytes, shape: Shape = Shape.AUTO) -> GivenGeometry:
    """The one shape of a GPX, KML or KMZ file from a GPS device."""
    return GivenGeometry(read_gps_file(file_name, data, shape))
