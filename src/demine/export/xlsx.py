"""The register's records as an Excel workbook (``demine export --format xlsx``).

One sheet per layer, named and split as every exchange format splits a kind
(:mod:`demine.domain.kinds.exchange`): ``hazards_points`` and ``hazards_areas``,
``finds``, ``<kind>_no_geometry`` for records without a geometry. The columns are the
kind's exchange columns, typed as they declare (dates as Excel dates, so a filter by
month works), and a ``wkt`` column holds the geometry in WGS84 to 7 decimals (~1 cm).
Free text is withheld exactly as in the other formats.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiLineString, MultiPoint, MultiPolygon
from shapely.geometry.base import BaseGeometry

from demine.domain.access import Principal
from demine.domain.dates import parse_event_date
from demine.domain.kinds import Kind
from demine.domain.kinds.exchange import (
    ColumnType,
    ExchangeColumn,
    GeometryLayer,
    exchange_columns,
    geometry_layers,
    layer_of,
    no_geometry_layer,
)
from demine.domain.withheld import withhold
from demine.ingest.specs import spec_of
from demine.reports.workbook import Cell, SheetTable, write_workbook
from demine.store.reads.export import ExportedRecord

#: Decimals of WKT coordinates: about a centimetre, as in GeoJSON exports.
WKT_DECIMALS = 7
_MULTI = {"Point": MultiPoint, "LineString": MultiLineString, "Polygon": MultiPolygon}


def typed(value: Any, column_type: ColumnType) -> Cell:
    """A value as its import file holds it (text, ISO day…) as a cell of ``column_type``;
    a value that does not read as that type (the withheld marker) is kept as text."""
    if value is None or value == "":
        return None
    try:
        if column_type is ColumnType.DATE:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if column_type is ColumnType.DATETIME:
            return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if column_type is ColumnType.INTEGER:
            return int(value)
        if column_type is ColumnType.DECIMAL:
            return float(value)
        if column_type is ColumnType.BOOLEAN:
            return value if isinstance(value, bool) else str(value).lower() == "true"
    except ValueError:
        pass
    return str(value)


def _derived(kind: Kind, column: ExchangeColumn, row: dict[str, Any]) -> Cell:
    """An event date's earliest day, latest day or precision, from the date as written."""
    written = row.get(column.field.name)
    if written in (None, ""):
        return None
    event = parse_event_date(written)
    if column.type is ColumnType.DATE:
        earliest = kind.dates is not None and column.name == kind.dates.earliest
        return event.earliest if earliest else event.latest
    return event.precision.value


def _promoted(geometry: BaseGeometry, layer: GeometryLayer) -> BaseGeometry:
    multi = _MULTI.get(geometry.geom_type)
    return multi([geometry]) if layer.promotes and multi is not None else geometry


def _rows(
    kind: Kind,
    records: Sequence[ExportedRecord],
    columns: Sequence[ExchangeColumn],
    with_status: bool,
    principal: Principal | None,
) -> Iterator[tuple[GeometryLayer, list[Cell]]]:
    from demine.export.writer import flat_rows  # the same values every format writes

    spec = spec_of(kind)
    entities = [record.entity for record in records]
    for record, flat in zip(records, flat_rows(spec, entities), strict=True):
        row = withhold(kind, flat, principal)
        cells = [
            _derived(kind, column, row) if column.derived else typed(row[column.name], column.type)
            for column in columns
        ]
        if with_status:
            cells += [record.review_status, record.deleted]
        geometry = getattr(record.entity, "geometry", None) if kind.spatial else None
        layer = layer_of(kind, None if geometry is None else geometry.geom_type)
        if geometry is not None:
            wkt = shapely.to_wkt(_promoted(geometry, layer), rounding_precision=WKT_DECIMALS)
            cells.append(wkt)
        yield layer, cells


def kind_sheets(
    kind: Kind,
    records: Sequence[ExportedRecord],
    with_status: bool,
    principal: Principal | None,
    status_columns: Sequence[str] = (),
) -> list[SheetTable]:
    """``kind``'s records as sheets, one per layer holding any (the kind's first layer,
    empty, when it has no record, so that every kind asked for has its sheet)."""
    columns = exchange_columns(kind)
    header = [column.name for column in columns]
    if with_status:
        header += list(status_columns)
    by_layer: dict[str, list[list[Cell]]] = {}
    for layer, cells in _rows(kind, records, columns, with_status, principal):
        by_layer.setdefault(layer.name, []).append(cells)
    layers = [*geometry_layers(kind), no_geometry_layer(kind)]
    written = [layer for layer in layers if layer.name in by_layer] or layers[:1]
    return [
        SheetTable(
            layer.name,
            [*header, *(["wkt"] if layer.geometry_type else [])],
            by_layer.get(layer.name, []),
        )
        for layer in written
    ]


def write_register_workbook(path: Path, sheets: Sequence[SheetTable]) -> None:
    """Write the sheets of every kind exported to ``path`` (replacing the file)."""
    if path.exists():
        path.unlink()
    write_workbook(sheets, path)
