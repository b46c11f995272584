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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import read as ogr_read
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from demine.errors import InvalidRequestError, Problem, UploadTooLarge
from demine.i18n import _, ngettext

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
    #: Where the row is, when a file's rows come from several of its layers
    #: (``register.gpkg:hazards_areas``; numbered from 1 in each layer); None: the file.
    source: str | None = None


@dataclass
class SourceTable:
    """All rows of an input file (or of one layer of it)."""

    name: str
    sha256: str
    columns: list[str]
    rows: list[SourceRow]


@dataclass
class TableStream:
    """The rows of an input file, read a chunk at a time (a large file never whole)."""

    name: str
    sha256: str
    columns: list[str]
    total: int
    chunks: Callable[[], Iterator[list[SourceRow]]]

    def __iter__(self) -> Iterator[list[SourceRow]]:
        return self.chunks()


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
    preferred_layer: str | Sequence[str] | None = None,
) -> SourceTable:
    """Read ``path`` (CSV, XLSX, GeoPackage, GeoJSON, Shapefile, KML).

    ``crs`` gives the CRS of coordinate columns in CSV/XLSX files (default WGS84). In a
    file of several layers (a GeoPackage export, a workbook), ``layer`` picks one; without
    it, every layer of a GeoPackage named in ``preferred_layer`` is read (a kind's
    ``hazards_points`` and ``hazards_areas`` together), or a workbook's first sheet so
    named; failing that, a file's only layer or a workbook's first sheet.
    """
    stream = open_table(path, layer, crs, preferred_layer, chunk_rows=None)
    return SourceTable(stream.name, stream.sha256, stream.columns, [r for c in stream for r in c])


def open_table(
    path: Path,
    layer: str | None = None,
    crs: str | None = None,
    preferred_layer: str | Sequence[str] | None = None,
    chunk_rows: int | None = 50_000,
    max_rows: int | None = None,
) -> TableStream:
    """Like :func:`read_table`, but the rows come ``chunk_rows`` at a time (None: at once).

    Geographic files are read chunk by chunk from disk; CSV and XLSX files, which are
    small in practice, are read whole and handed out in chunks. A file of more than
    ``max_rows`` rows (or features) is refused, as soon as that is known.
    """
    if not path.exists():
        raise InvalidRequestError(_("{path}: no such file").format(path=path))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        accepted = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InvalidRequestError(
            _("{path}: unsupported file type (accepted: {accepted})").format(
                path=path.name, accepted=accepted
            )
        )
    found: list[str] = []
    if layer is None and preferred_layer is not None and suffix in {".gpkg", ".xlsx"}:
        preferred = [preferred_layer] if isinstance(preferred_layer, str) else preferred_layer
        found = preferred_layers(path, preferred)
        if len(found) > 1 and suffix == ".gpkg":
            return _open_layers(path, found, chunk_rows, max_rows)
        layer = found[0] if len(found) == 1 else None
    sheets: list[str | None] = [layer]
    if suffix == ".xlsx" and layer is None and preferred_layer is not None and len(found) > 1:
        sheets = list(found)  # a workbook with a sheet per layer: every one of the kind's
    rows: list[SourceRow] = []
    columns: list[str] = []
    for sheet in sheets:
        if suffix == ".csv":
            columns, records = _read_csv(path, max_rows)
        elif suffix == ".xlsx":
            sheet_columns, records = _read_xlsx(path, sheet, max_rows)
            columns = list(dict.fromkeys([*columns, *sheet_columns]))
        else:
            return _open_geo(path, layer, chunk_rows, max_rows)
        read = [_row_with_column_geometry(path.name, n, values, crs) for n, values in records]
        if len(sheets) > 1:
            for row in read:
                row.source = f"{path.name}:{sheet}"
                row.problems = [replace(p, file=row.source) for p in row.problems]
        rows += read
    _check_rows(path.name, len(rows), max_rows)
    size = chunk_rows or max(len(rows), 1)

    def chunks() -> Iterator[list[SourceRow]]:
        for start in range(0, len(rows), size):
            yield rows[start : start + size]

    return TableStream(path.name, file_sha256(path), columns, len(rows), chunks)


def _check_rows(file_name: str, rows: int, max_rows: int | None) -> None:
    if max_rows is not None and rows > max_rows:
        said = ngettext(
            "{file} holds more than {limit} row, the most accepted",
            "{file} holds more than {limit} rows, the most accepted",
            max_rows,
        )
        raise UploadTooLarge(said.format(file=file_name, limit=max_rows))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_csv(
    path: Path, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            records = []
            for number, raw in enumerate(reader, start=2):
                _check_rows(path.name, number - 1, max_rows)
                values = {k.strip(): _clean(v) for k, v in raw.items() if k is not None}
                if None in raw:
                    values[_EXTRA_CELLS] = raw[None]
                records.append((number, values))
    except UnicodeDecodeError as exc:
        raise InvalidRequestError(
            _("{path}: not UTF-8 text ({reason})").format(path=path.name, reason=exc.reason)
        ) from exc
    except csv.Error as exc:
        raise InvalidRequestError(
            _("{path}: malformed CSV ({exc})").format(path=path.name, exc=exc)
        ) from exc
    return columns, [r for r in records if any(v is not None for v in r[1].values())]


def _read_xlsx(
    path: Path, sheet: str | None, max_rows: int | None = None
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InvalidRequestError(
            _("{path}: not a readable XLSX workbook ({exc})").format(path=path.name, exc=exc)
        ) from exc
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return [], []
    columns = [str(c).strip() if c is not None else "" for c in header]
    records = []
    for number, raw in enumerate(rows, start=2):
        _check_rows(path.name, number - 1, max_rows)
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
                file_name,
                number,
                None,
                ngettext(
                    "{count} more value than the header has columns",
                    "{count} more values than the header has columns",
                    len(extra),
                ).format(count=len(extra)),
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
        row.problems.append(
            Problem(file_name, number, "geometry", _("unreadable geometry: {exc}").format(exc=exc))
        )
    return row


def _point(lon: Any, lat: Any) -> BaseGeometry:
    try:
        return shapely.Point(float(lon), float(lat))
    except (TypeError, ValueError):
        raise ValueError(
            _("coordinates '{lon}', '{lat}' are not two numbers").format(lon=lon, lat=lat)
        ) from None


def _to_wgs84(geometry: BaseGeometry, source: CRS) -> BaseGeometry:
    if source == WGS84:
        return geometry
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    return shapely.transform(
        geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def _open_geo(
    path: Path, layer: str | None, chunk_rows: int | None, max_rows: int | None = None
) -> TableStream:
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:  # pyogrio/GDAL errors have many types
        raise InvalidRequestError(
            _("{path}: cannot read as a geographic file ({exc})").format(path=path.name, exc=exc)
        ) from exc
    total = int(info["features"])
    if total < 0:  # a driver that cannot count without reading
        total = len(ogr_read(path, layer=layer, columns=[], read_geometry=False)[1])
    _check_rows(path.name, total, max_rows)
    columns = [str(c) for c in info["fields"]]
    source_crs = CRS.from_user_input(info["crs"]) if info.get("crs") else WGS84
    transformer = (
        None if source_crs == WGS84 else Transformer.from_crs(source_crs, WGS84, always_xy=True)
    )
    size = chunk_rows or max(total, 1)

    def chunks() -> Iterator[list[SourceRow]]:
        for start in range(0, total, size):
            try:
                _meta, _fids, geometries, field_data = ogr_read(
                    path, layer=layer, force_2d=True, skip_features=start, max_features=size
                )
            except Exception as exc:  # pyogrio/GDAL errors have many types
                raise InvalidRequestError(
                    _("{path}: cannot read as a geographic file ({exc})").format(
                        path=path.name, exc=exc
                    )
                ) from exc
            yield _geo_rows(path.name, start, columns, geometries, field_data, transformer)

    return TableStream(path.name, file_sha256(path), columns, total, chunks)


def _geo_rows(
    file_name: str,
    start: int,
    columns: list[str],
    geometries: Any,
    field_data: list[Any],
    transformer: Transformer | None,
) -> list[SourceRow]:
    """Rows numbered from ``start + 1``; values converted column by column."""
    count = len(field_data[0]) if field_data else len(geometries) if geometries is not None else 0
    values_by_column = [_column_values(column) for column in field_data]
    records = zip(*values_by_column, strict=True) if values_by_column else ((),) * count
    shapes = _geometries(geometries, transformer) if geometries is not None else [None] * count
    rows = []
    numbers = range(start + 1, start + count + 1)
    for number, values, shape in zip(numbers, records, shapes, strict=True):
        row = SourceRow(number, dict(zip(columns, values, strict=True)))
        if isinstance(shape, str):
            row.problems.append(
                Problem(
                    file_name,
                    number,
                    "geometry",
                    _("unreadable geometry: {shape}").format(shape=shape),
                )
            )
        else:
            row.geometry = shape
        rows.append(row)
    return rows


def _geometries(wkbs: Any, transformer: Transformer | None) -> list[Any]:
    """Shapes from WKB (all at once), reprojected; a reason in place of an unreadable one."""
    try:
        shapes = shapely.from_wkb(wkbs)
    except shapely.errors.GEOSException:
        shapes = np.array([_one_geometry(w) for w in wkbs], dtype=object)
    if transformer is not None:
        readable = np.array([isinstance(g, BaseGeometry) for g in shapes])
        shapes[readable] = shapely.transform(
            shapes[readable], lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    return list(shapes)


def _one_geometry(wkb: Any) -> Any:
    if wkb is None:
        return None
    try:
        return shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        return str(exc)


def _column_values(column: Any) -> list[Any]:
    """A column of values as Python values: text stripped, blanks, NaN and NaT as None."""
    if column.dtype.kind in "iub":
        return list(column.tolist())
    if column.dtype.kind == "f":
        return [None if v != v else v for v in column.tolist()]
    if column.dtype.kind == "O":
        return [
            (v.strip() or None) if type(v) is str else _python_value(v) for v in column.tolist()
        ]
    return [_python_value(v) for v in column]


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


def preferred_layers(path: Path, preferred: Sequence[str]) -> list[str]:
    """The layers of ``preferred`` the file has, in its order ([]: read a workbook's
    first sheet, or a GeoPackage's only layer).

    A GeoPackage of several layers but none of them is refused rather than read at its
    first layer, which would import whatever that layer holds as the wrong kind of record.
    """
    layers = list_layers(path)
    found = [name for name in layers if name in preferred]
    if found or path.suffix.lower() != ".gpkg" or len(layers) <= 1:
        return found
    raise InvalidRequestError(
        ngettext(
            "{file} has no layer named {names} (its layers: {layers}); "
            "name the layer to read with --layer",
            "{file} has none of the layers {names} (its layers: {layers}); "
            "name the layer to read with --layer",
            len(preferred),
        ).format(
            file=path.name,
            names=", ".join(f"'{name}'" for name in preferred),
            layers=", ".join(layers),
        )
    )


def _open_layers(
    path: Path, layers: list[str], chunk_rows: int | None, max_rows: int | None
) -> TableStream:
    """The rows of several layers of a file, one layer after another, each row marked
    with its layer (its number counts from 1 in its layer, as GIS tools show it)."""
    streams = [_open_geo(path, name, chunk_rows) for name in layers]
    total = sum(stream.total for stream in streams)
    _check_rows(path.name, total, max_rows)
    columns = list(dict.fromkeys(c for stream in streams for c in stream.columns))

    def chunks() -> Iterator[list[SourceRow]]:
        for name, stream in zip(layers, streams, strict=True):
            for rows in stream:
                for row in rows:
                    row.source = f"{path.name}:{name}"
                    row.problems = [replace(p, file=row.source) for p in row.problems]
                yield rows

    return TableStream(path.name, streams[0].sha256, columns, total, chunks)


def list_layers(path: Path) -> list[str]:
    """Layer names of a multi-layer file (GeoPackage) or sheet names of a workbook."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        return list(load_workbook(path, read_only=True).sheetnames)
    return [str(name) for name, _geometry_type in pyogrio.list_layers(path)]
