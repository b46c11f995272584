"""Reading the rows of an input file, whatever its format.

CSV and XLSX rows are numbered as a spreadsheet shows them (the header is row 1, the
first record row 2); features of GeoPackage, GeoJSON, Shapefile and KML files are
numbered from 1 in file order. Geometry comes from the file itself, or from a ``wkt``
column, or from ``lon``/``lat`` (``longitude``/``latitude``, ``x``/``y``) columns, and is
reprojected to WGS84 from whatever CRS the file declares.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import read as ogr_read
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from demine.errors import InvalidRequestError, Problem

GEO_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".kml", ".fgb"}
TABLE_SUFFIXES = {".csv", ".xlsx"}
SUPPORTED_SUFFIXES = GEO_SUFFIXES | TABLE_SUFFIXES

_LON_NAMES = ("lon", "longitude", "lng", "x")
_LAT_NAMES = ("lat", "latitude", "y")
WGS84 = CRS.from_epsg(4326)
_EXTRA_CELLS = "\x00extra"


@dataclass
class SourceRow:
    """One record of an input file: its row number, raw values and geometry."""

    number: int
    values: dict[str, Any]
    geometry: BaseGeometry | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class SourceTable:
    """All rows of an input file (or of one layer of it)."""

    name: str
    sha256: str
    columns: list[str]
    rows: list[SourceRow]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_table(
    path: Path,
    layer: str | None = None,
    crs: str | None = None,
    preferred_layer: str | None = None,
) -> SourceTable:
    """Read ``path`` (CSV, XLSX, GeoPackage, GeoJSON, Shapefile, KML).

    ``crs`` gives the CRS of coordinate columns in CSV/XLSX files (default WGS84). In a
    file of several layers (a GeoPackage export, a workbook), ``layer`` picks one; without
    it, the layer named ``preferred_layer`` is read if there is one, else the first.
    """
    if not path.exists():
        raise InvalidRequestError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        accepted = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InvalidRequestError(f"{path.name}: unsupported file type (accepted: {accepted})")
    if layer is None and preferred_layer is not None and suffix in {".gpkg", ".xlsx"}:
        layer = preferred_layer if preferred_layer in list_layers(path) else None
    if suffix == ".csv":
        columns, records = _read_csv(path)
    elif suffix == ".xlsx":
        columns, records = _read_xlsx(path, layer)
    else:
        return _read_geo(path, layer)
    rows = [_row_with_column_geometry(path.name, number, values, crs) for number, values in records]
    return SourceTable(path.name, file_sha256(path), columns, rows)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            records = []
            for number, raw in enumerate(reader, start=2):
                values = {k.strip(): _clean(v) for k, v in raw.items() if k is not None}
                if None in raw:
                    values[_EXTRA_CELLS] = raw[None]
                records.append((number, values))
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InvalidRequestError(f"{path.name}: malformed CSV ({exc})") from exc
    return columns, [r for r in records if any(v is not None for v in r[1].values())]


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InvalidRequestError(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], []
    columns = [str(c).strip() if c is not None else "" for c in header]
    records = []
    for number, raw in enumerate(rows, start=2):
        values = {
            columns[i]: _clean(v) for i, v in enumerate(raw) if i < len(columns) and columns[i]
        }
        if any(v is not None for v in values.values()):
            records.append((number, values))
    workbook.close()
    return [c for c in columns if c], records


def _row_with_column_geometry(
    file_name: str, number: int, values: dict[str, Any], crs: str | None
) -> SourceRow:
    row = SourceRow(number, values)
    extra = values.pop(_EXTRA_CELLS, None)
    if extra:
        row.problems.append(
            Problem(
                file_name, number, None, f"{len(extra)} more values than the header has columns"
            )
        )
    lowered = {k.lower(): k for k in values}
    try:
        if values.get(lowered.get("wkt", "")) is not None:
            row.geometry = shapely.from_wkt(str(values[lowered["wkt"]]))
        else:
            lon_key = next((lowered[n] for n in _LON_NAMES if n in lowered), None)
            lat_key = next((lowered[n] for n in _LAT_NAMES if n in lowered), None)
            if lon_key and lat_key and (values[lon_key] is not None or values[lat_key] is not None):
                row.geometry = _point(values[lon_key], values[lat_key])
        if row.geometry is not None and crs:
            row.geometry = _to_wgs84(row.geometry, CRS.from_user_input(crs))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        row.problems.append(Problem(file_name, number, "geometry", f"unreadable geometry: {exc}"))
    return row


def _point(lon: Any, lat: Any) -> BaseGeometry:
    try:
        return shapely.Point(float(lon), float(lat))
    except (TypeError, ValueError):
        raise ValueError(f"coordinates '{lon}', '{lat}' are not two numbers") from None


def _to_wgs84(geometry: BaseGeometry, source: CRS) -> BaseGeometry:
    if source == WGS84:
        return geometry
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _read_geo(path: Path, layer: str | None) -> SourceTable:
    try:
        meta, _fids, geometries, field_data = ogr_read(path, layer=layer, force_2d=True)
    except Exception as exc:  # pyogrio/GDAL errors have many types
        raise InvalidRequestError(f"{path.name}: cannot read as a geographic file ({exc})") from exc
    columns = [str(c) for c in meta["fields"]]
    source_crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else WGS84
    transformer = (
        None if source_crs == WGS84 else Transformer.from_crs(source_crs, WGS84, always_xy=True)
    )
    rows = []
    for index in range(
        len(field_data[0]) if field_data else len(geometries) if geometries is not None else 0
    ):
        values = {name: _python_value(field_data[i][index]) for i, name in enumerate(columns)}
        row = SourceRow(index + 1, values)
        wkb = geometries[index] if geometries is not None else None
        if wkb is not None:
            try:
                geometry = shapely.from_wkb(wkb)
                if transformer is not None:
                    geometry = shapely.transform(
                        geometry,
                        lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
                    )
                row.geometry = geometry
            except shapely.errors.GEOSException as exc:
                row.problems.append(
                    Problem(path.name, index + 1, "geometry", f"unreadable geometry: {exc}")
                )
        rows.append(row)
    return SourceTable(path.name, file_sha256(path), columns, rows)


def _python_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        as_datetime = value.astype("datetime64[us]").item()
        if isinstance(as_datetime, datetime) and as_datetime.time() == datetime.min.time():
            return as_datetime.date()
        return as_datetime
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, bytes):
        return value.decode()
    return _clean(value)


def list_layers(path: Path) -> list[str]:
    """Layer names of a multi-layer file (GeoPackage) or sheet names of a workbook."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        return list(load_workbook(path, read_only=True).sheetnames)
    return [str(name) for name, _ in pyogrio.list_layers(path)]
