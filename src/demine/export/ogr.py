"""Writing exchange tables with GDAL (through pyogrio): GeoPackage layers and GeoJSON files.

Each column is handed to GDAL as a typed array, so the GeoPackage declares ``DATE``,
``INTEGER``, ``REAL``, ``TEXT`` and booleans (GDAL's Boolean subtype), and each layer
declares its one geometry type. The GeoPackage is written as version 1.2 by default, which
GDAL 3.4+ and QGIS 3.22+ read without a warning (the bundled GDAL would write 1.4).
GeoJSON is RFC 7946: WGS84 without a ``crs`` member, counter-clockwise exterior rings,
coordinates to 7 decimals.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.raw import write as ogr_write

from demine.domain.kinds.exchange import ColumnType
from demine.domain.same_shape import EXCHANGE_DECIMALS
from demine.export.table import ExchangeTable
from demine.reports.formats import DEFAULT_GPKG_VERSION, GeoPackageVersion


def write_geopackage(
    path: Path, tables: list[ExchangeTable], version: GeoPackageVersion = DEFAULT_GPKG_VERSION
) -> None:
    """Write every table's layers into one new GeoPackage at ``path``."""
    if path.exists():
        path.unlink()
    for table in tables:
        for layer in table.layers():
            options = {} if path.exists() else {"dataset_options": {"VERSION": version.value}}
            _write(path, layer, "GPKG", append=path.exists(), **options)


def write_geojson(folder: Path, tables: list[ExchangeTable]) -> list[Path]:
    """Write one RFC 7946 GeoJSON file per layer into ``folder``; return the files."""
    written = []
    for table in tables:
        for layer in table.layers():
            path = folder / f"{layer.name}.geojson"
            if path.exists():
                path.unlink()
            options = {"WRITE_NAME": "NO"}
            if layer.geometry_type is not None:
                # Not for attribute tables: GDAL warns RFC 7946 wants WGS84 declared.
                options |= {"RFC7946": "YES", "COORDINATE_PRECISION": str(EXCHANGE_DECIMALS)}
            _write(path, layer, "GeoJSON", layer_options=options)
            written.append(path)
    return written


def _write(path: Path, table: ExchangeTable, driver: str, **options: Any) -> None:
    arrays = [_array([row[i] for row in table.rows], t) for i, (_, t) in enumerate(table.columns)]
    masks = [mask for _data, mask in arrays]
    declared = table.geometry_type
    geometry = None
    if declared is not None:
        geometry = np.array(
            [None if g is None else shapely.to_wkb(g) for g in table.geometries], dtype=object
        )
    ogr_write(
        path,
        geometry,
        [data for data, _mask in arrays],
        table.names,
        field_mask=masks if any(m is not None for m in masks) else None,
        layer=table.name,
        driver=driver,
        geometry_type=declared,
        crs="EPSG:4326" if declared is not None else None,
        **options,
    )


_DTYPES = {
    ColumnType.INTEGER: np.int64,
    ColumnType.DECIMAL: np.float64,
    ColumnType.BOOLEAN: np.bool_,
}
_EMPTY = {ColumnType.INTEGER: 0, ColumnType.DECIMAL: 0.0, ColumnType.BOOLEAN: False}


def _array(values: list[Any], column_type: ColumnType) -> tuple[np.ndarray, np.ndarray | None]:
    """A column as GDAL takes it: a typed array and its mask of empty cells (None: none)."""
    empty = np.array([v is None for v in values], dtype=np.bool_)
    mask = empty if empty.any() else None
    if column_type in _DTYPES:
        filled = [_EMPTY[column_type] if v is None else v for v in values]
        return np.array(filled, dtype=_DTYPES[column_type]), mask
    if column_type is ColumnType.DATE:
        days = [np.datetime64("NaT") if v is None else np.datetime64(_day(v), "D") for v in values]
        return np.array(days, dtype="datetime64[D]"), None
    if column_type is ColumnType.DATETIME:
        times = [np.datetime64("NaT") if v is None else np.datetime64(v, "ms") for v in values]
        return np.array(times, dtype="datetime64[ms]"), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value
