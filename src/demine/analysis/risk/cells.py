"""Cells: the places the risk layer scores, read from a file or laid out as a grid.

A cells file is a CSV (or any vector file GDAL reads, such as a GeoPackage) with one row
per cell: its centre as longitude/latitude columns (``longitude``/``latitude``,
``lon``/``lat``, ``LONGITUD_X``/``LATITUD_Y``, …) or a WKT ``geometry`` column, plus any
other columns (a label, a group, covariates). Rows keep their order and their values as
written, so a prediction file repeats its input exactly.

A cell's extent is not written in such files, so it is derived from the grid: a square
centred on the point, of side the median distance from each cell to its nearest
neighbour (the grid spacing), widened by 1 % so an event on a cell's edge is treated as
inside it — features ignore it rather than leak it.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from pyproj import Transformer
from scipy.spatial import cKDTree
from shapely import wkt
from shapely.errors import ShapelyError

from demine.errors import InvalidRequestError, Problem
from demine.i18n import _

FloatArray = npt.NDArray[np.float64]

LONGITUDE_NAMES = ("longitude", "lon", "lng", "longitud_x", "longitud", "x")
LATITUDE_NAMES = ("latitude", "lat", "latitud_y", "latitud", "y")
GEOMETRY_NAMES = ("geometry", "wkt", "geom")
#: How much wider than the grid spacing a cell's extent is taken (see the module doc).
EDGE_MARGIN = 1.01
#: Most cells ``demine risk grid`` lays out in one file.
MAX_GRID_CELLS = 1_000_000


@dataclass(frozen=True)
class CellsFile:
    """The rows of a cells file as written, and each cell's centre."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lon: FloatArray
    lat: FloatArray
    #: The columns that gave the centres (not covariates).
    location_columns: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str]:
        """The values of column ``name``, as written."""
        position = self.header.index(name)
        return [row[position] for row in self.rows]


def read_cells(path: Path) -> CellsFile:
    """Read a cells file (CSV, or a vector file with point or area features)."""
    if path.suffix.lower() == ".csv":
        header, rows = _read_csv(path)
    else:
        header, rows = _read_vector(path)
    if not rows:
        raise InvalidRequestError(_("{file}: no cells").format(file=path.name))
    return _located(path.name, header, rows)


def _read_csv(path: Path) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidRequestError(
            _("{file}: cannot read the file: {error}").format(file=path.name, error=error)
        ) from None
    if not lines:
        raise InvalidRequestError(_("{file}: the file is empty").format(file=path.name))
    header = tuple(lines[0])
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            raise InvalidRequestError(
                str(
                    Problem(
                        path.name,
                        number,
                        None,
                        _("{found} values for {expected} columns").format(
                            found=len(line), expected=len(header)
                        ),
                    )
                )
            )
        rows.append(tuple(line))
    return header, rows


def _read_vector(path: Path) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A vector file's attributes as text, with its geometry as a WKT column."""
    import pyogrio
    from shapely import from_wkb, transform

    try:
        meta, _fids, geometries, fields = pyogrio.raw.read(path)
    except Exception as error:  # pyogrio raises several types for unreadable files
        raise InvalidRequestError(
            _("{file}: cannot read the file: {error}").format(file=path.name, error=error)
        ) from None
    names = [str(name) for name in meta["fields"]]
    header = (*names, "geometry")
    shapes = from_wkb(geometries) if geometries is not None else [None] * len(fields[0])
    crs = meta.get("crs")
    if geometries is not None and crs and crs.upper() not in ("EPSG:4326", "OGC:CRS84"):
        # Cells are placed in degrees: a file in another CRS is converted, not misread.
        to_degrees = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        shapes = [
            None if shape is None else transform(shape, to_degrees.transform, interleaved=False)
            for shape in shapes
        ]
    rows = []
    for index, shape in enumerate(shapes):
        values = ["" if column[index] is None else str(column[index]) for column in fields]
        rows.append((*values, "" if shape is None else shape.wkt))
    return header, rows


def _find(header: Sequence[str], names: Sequence[str]) -> str | None:
    lowered = {column.strip().lower(): column for column in header}
    return next((lowered[name] for name in names if name in lowered), None)


def _located(name: str, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> CellsFile:
    lon_column = _find(header, LONGITUDE_NAMES)
    lat_column = _find(header, LATITUDE_NAMES)
    geometry_column = _find(header, GEOMETRY_NAMES)
    lon = np.empty(len(rows))
    lat = np.empty(len(rows))
    if lon_column is not None and lat_column is not None:
        x_at, y_at = header.index(lon_column), header.index(lat_column)
        for index, row in enumerate(rows):
            number = index + 2
            lon[index] = _coordinate(name, number, lon_column, row[x_at], 180.0)
            lat[index] = _coordinate(name, number, lat_column, row[y_at], 90.0)
        used: tuple[str, ...] = (lon_column, lat_column)
        if geometry_column is not None:
            used = (*used, geometry_column)
    elif geometry_column is not None:
        at = header.index(geometry_column)
        for index, row in enumerate(rows):
            lon[index], lat[index] = _centre(name, index + 2, geometry_column, row[at])
        used = (geometry_column,)
    else:
        raise InvalidRequestError(
            _(
                "{file}: no cell locations: give longitude and latitude columns "
                "(e.g. longitude, latitude) or a WKT geometry column"
            ).format(file=name)
        )
    return CellsFile(name, header, tuple(rows), lon, lat, used)


def _coordinate(file: str, row: int, column: str, text: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise InvalidRequestError(
            str(
                Problem(
                    file,
                    row,
                    column,
                    _("{value!r} is not a coordinate in degrees").format(value=text),
                )
            )
        )
    return value


def _centre(file: str, row: int, column: str, text: str) -> tuple[float, float]:
    try:
        shape = wkt.loads(text)
    except (ShapelyError, ValueError, TypeError):
        shape = None
    if shape is None or shape.is_empty:
        raise InvalidRequestError(
            str(Problem(file, row, column, _("{value!r} is not a WKT geometry").format(value=text)))
        )
    point = shape if shape.geom_type == "Point" else shape.centroid
    return float(point.x), float(point.y)


@dataclass(frozen=True)
class LocalProjection:
    """Metres on an azimuthal equidistant plane centred on the cells (distances from
    the centre are exact; within a region, distances between cells are close)."""

    lon_0: float
    lat_0: float

    @classmethod
    def around(cls, lon: FloatArray, lat: FloatArray) -> LocalProjection:
        return cls(round(float(np.mean(lon)), 6), round(float(np.mean(lat)), 6))

    def _transformer(self, *, inverse: bool = False) -> Transformer:
        plane = f"+proj=aeqd +lat_0={self.lat_0} +lon_0={self.lon_0} +datum=WGS84 +units=m"
        if inverse:
            return Transformer.from_crs(plane, "EPSG:4326", always_xy=True)
        return Transformer.from_crs("EPSG:4326", plane, always_xy=True)

    def metres(self, lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.float64]:
        """``(n, 2)`` plane coordinates in metres."""
        x, y = self._transformer().transform(lon, lat)
        return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])

    def degrees(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        lon, lat = self._transformer(inverse=True).transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def cell_half_size_m(points_m: npt.NDArray[np.float64]) -> float:
    """Half a cell's side: half the median nearest-neighbour spacing, widened by
    :data:`EDGE_MARGIN`; a single cell has no spacing and is refused."""
    if len(points_m) < 2:
        raise InvalidRequestError(_("at least two cells are needed to know the grid spacing"))
    distances, _indices = cKDTree(points_m).query(points_m, k=2)
    spacing = float(np.median(distances[:, 1]))
    if spacing <= 0:
        raise InvalidRequestError(_("the cells file repeats the same location"))
    return spacing / 2 * EDGE_MARGIN


def grid_centres(
    bbox: tuple[float, float, float, float], spacing_m: float
) -> tuple[FloatArray, FloatArray]:
    """Centres (lon, lat) of square cells of ``spacing_m`` covering ``bbox``, laid out in
    metres on a plane centred on the box, row by row from the south-west."""
    min_lon, min_lat, max_lon, max_lat = bbox
    if not (min_lon < max_lon and min_lat < max_lat) or spacing_m <= 0:
        raise InvalidRequestError(_("the box must have min < max and the spacing be positive"))
    projection = LocalProjection((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)
    corners = projection.metres(
        np.array([min_lon, max_lon, min_lon, max_lon]),
        np.array([min_lat, min_lat, max_lat, max_lat]),
    )
    low, high = corners.min(axis=0), corners.max(axis=0)
    columns = max(1, math.ceil((high[0] - low[0]) / spacing_m))
    lines = max(1, math.ceil((high[1] - low[1]) / spacing_m))
    if columns * lines > MAX_GRID_CELLS:
        raise InvalidRequestError(
            _(
                "{count} cells is too many (at most {limit}): use a smaller box or wider spacing"
            ).format(count=columns * lines, limit=MAX_GRID_CELLS)
        )
    xs = low[0] + spacing_m * (np.arange(columns) + 0.5)
    ys = low[1] + spacing_m * (np.arange(lines) + 0.5)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return projection.degrees(grid_x.ravel(), grid_y.ravel())


def write_grid(path: Path, lon: FloatArray, lat: FloatArray) -> None:
    """Write grid centres as a cells file: ``cell_id,longitude,latitude``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cell_id", "longitude", "latitude"])
        for index, (x, y) in enumerate(zip(lon, lat, strict=True), start=1):
            writer.writerow([index, f"{x:.6f}", f"{y:.6f}"])
