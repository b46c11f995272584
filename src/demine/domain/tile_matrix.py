"""The WebMercatorQuad tile matrix set (OGC Two Dimensional Tile Matrix Set 2.0).

The tiling every web map uses: zoom level ``z`` cuts the spherical Mercator square
(EPSG:3857) into 2^z × 2^z tiles of 256 pixels, row 0 at the top (north). A tile is
named by its matrix (the zoom level), row and column, as OGC API – Tiles writes them.
The set is described here once, for the JSON document clients read and for the tiles
the register cuts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

ID = "WebMercatorQuad"
URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS = "http://www.opengis.net/def/crs/EPSG/0/3857"
#: Half the side of the Mercator square, in metres.
HALF_WORLD = 20037508.3427892
#: Zoom levels served (the standard set goes to 24).
MAX_ZOOM = 24
TILE_PIXELS = 256
#: Units across a vector tile (Mapbox Vector Tile's usual extent).
EXTENT = 4096
#: Tile units kept around a tile when cutting shapes, so edges do not show seams.
BUFFER = 64
#: Scale denominator of zoom 0 at 0.28 mm pixels.
_SCALE_0 = 559082264.0287178
#: Latitudes beyond this fall outside the Mercator square.
MAX_LATITUDE = 85.0511287798066


class TileError(ValueError):
    """A tile that is not in the set (matrix, row or column out of range)."""


@dataclass(frozen=True)
class Tile:
    """One tile of WebMercatorQuad."""

    zoom: int
    row: int
    col: int

    @classmethod
    def of(cls, zoom: int, row: int, col: int) -> Tile:
        """The tile, checked against the set's matrices."""
        if not 0 <= zoom <= MAX_ZOOM:
            raise TileError(f"tile matrix {zoom} is not in 0..{MAX_ZOOM}")
        size = 2**zoom
        if not (0 <= row < size and 0 <= col < size):
            raise TileError(f"row and column of matrix {zoom} are in 0..{size - 1}")
        return cls(zoom, row, col)

    @classmethod
    def containing(cls, zoom: int, lon: float, lat: float) -> Tile:
        """The tile of matrix ``zoom`` holding the point (latitudes past the square's
        edge fall in its first or last row)."""
        size = 2**zoom
        lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
        mercator = math.asinh(math.tan(math.radians(lat)))
        row = int((1 - mercator / math.pi) / 2 * size)
        col = int((lon + 180.0) / 360.0 * size)
        return cls.of(zoom, min(max(row, 0), size - 1), min(max(col, 0), size - 1))

    @property
    def size(self) -> int:
        """Tiles across the matrix."""
        return int(2**self.zoom)

    def lonlat_bounds(self, buffer: float = 0.0) -> tuple[float, float, float, float]:
        """The tile's box in longitude/latitude, grown by ``buffer`` tile units a side
        (clamped to the world)."""
        grow = buffer / EXTENT
        west = _longitude((self.col - grow) / self.size)
        east = _longitude((self.col + 1 + grow) / self.size)
        north = _latitude((self.row - grow) / self.size)
        south = _latitude((self.row + 1 + grow) / self.size)
        return (max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0))

    def pixel_degrees(self) -> float:
        """Degrees of longitude across one screen pixel of the tile."""
        return 360.0 / self.size / TILE_PIXELS


def _longitude(fraction: float) -> float:
    return fraction * 360.0 - 180.0


def _latitude(fraction: float) -> float:
    """The latitude at ``fraction`` of the square from the top (beyond it: ±90)."""
    if fraction <= 0:
        return 90.0
    if fraction >= 1:
        return -90.0
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * fraction))))


def fitting_zoom(
    extent: tuple[float, float, float, float],
    width_px: int,
    height_px: int,
    *,
    min_zoom: int = 0,
    max_zoom: int = MAX_ZOOM,
) -> int:
    """The zoom a web map of ``width_px`` × ``height_px`` pixels shows ``extent`` (west,
    south, east, north) at when fitted to it, as Leaflet's ``fitBounds`` picks it: the
    largest whole level at which the box fits (its zoom rounded to hundredths first,
    no padding), within ``min_zoom``..``max_zoom``."""
    west, south, east, north = extent

    def mercator(lat: float) -> float:
        return math.asinh(math.tan(math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, lat)))))

    across = (east - west) / 360.0 * TILE_PIXELS
    down = (mercator(north) - mercator(south)) / (2 * math.pi) * TILE_PIXELS
    scales = [size / span for size, span in ((width_px, across), (height_px, down)) if span > 0]
    if not scales:
        return max_zoom
    zoom = math.floor(round(math.log2(min(scales)) * 100) / 100)
    return max(min_zoom, min(max_zoom, zoom))


def tile_matrix_set() -> dict[str, Any]:
    """The set as OGC's JSON encoding describes it (every matrix, 0..MAX_ZOOM).

    TileMatrixSet 2.0 (``crs``, ``tileMatrices``), with the 1.0 encoding's keys beside it
    (``type``, ``identifier``, ``supportedCRS``, ``boundingBox``, ``tileMatrix``): GDAL
    before 3.7, still common in field offices, reads only 1.0 and refuses the set
    otherwise ("Invalid tiling matrix set name"); newer clients read 2.0.
    """
    return {**_tile_matrix_set_2(), **_tile_matrix_set_1()}


def _tile_matrix_set_1() -> dict[str, Any]:
    return {
        "type": "TileMatrixSetType",
        "identifier": ID,
        "supportedCRS": CRS,
        "boundingBox": {
            "type": "BoundingBoxType",
            "crs": CRS,
            "lowerCorner": [-HALF_WORLD, -HALF_WORLD],
            "upperCorner": [HALF_WORLD, HALF_WORLD],
        },
        "tileMatrix": [
            {
                "type": "TileMatrixType",
                "identifier": str(zoom),
                "scaleDenominator": _SCALE_0 / 2**zoom,
                "topLeftCorner": [-HALF_WORLD, HALF_WORLD],
                "tileWidth": TILE_PIXELS,
                "tileHeight": TILE_PIXELS,
                "matrixWidth": 2**zoom,
                "matrixHeight": 2**zoom,
            }
            for zoom in range(MAX_ZOOM + 1)
        ],
    }


def _tile_matrix_set_2() -> dict[str, Any]:
    return {
        "id": ID,
        "title": "Google Maps Compatible for the World",
        "uri": URI,
        "crs": CRS,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [
            {
                "id": str(zoom),
                "scaleDenominator": _SCALE_0 / 2**zoom,
                "cellSize": 2 * HALF_WORLD / TILE_PIXELS / 2**zoom,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-HALF_WORLD, HALF_WORLD],
                "tileWidth": TILE_PIXELS,
                "tileHeight": TILE_PIXELS,
                "matrixWidth": 2**zoom,
                "matrixHeight": 2**zoom,
            }
            for zoom in range(MAX_ZOOM + 1)
        ],
    }
