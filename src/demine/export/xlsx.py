"""The register's records as an Excel workbook (``demine export --format xlsx``).

One sheet per layer, named and split as every exchange format splits a kind
(:mod:`demine.domain.kinds.exchange`): ``hazards_points`` and ``hazards_areas``,
``finds``, ``<kind>_no_geometry`` for records without a geometry. The columns and their
typed cells are the kind's :class:`~demine.export.table.ExchangeTable` (dates as Excel
dates, so a filter by month works), then a ``wkt`` column holding the geometry in WGS84
to 7 decimals (~1 cm), then the status columns of ``--include-drafts``. Free text is
withheld exactly as in the other formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shapely

from demine.domain.kinds.exchange import exchange_columns
from demine.domain.same_shape import EXCHANGE_DECIMALS
from demine.export.table import ExchangeTable
from demine.reports.workbook import Cell, SheetTable, write_workbook


def _sheet(table: ExchangeTable) -> SheetTable:
    fields = len(exchange_columns(table.kind))
    names = table.names
    if table.geometry_type is None:
        return SheetTable(table.name, names, table.rows)
    rows: list[list[Cell]] = []
    for row, geometry in zip(table.rows, table.geometries, strict=True):
        wkt = (
            None
            if geometry is None
            else shapely.to_wkt(geometry, rounding_precision=EXCHANGE_DECIMALS, trim=True)
        )
        rows.append([*row[:fields], wkt, *row[fields:]])
    return SheetTable(table.name, [*names[:fields], "wkt", *names[fields:]], rows)


def register_sheets(tables: Sequence[ExchangeTable]) -> list[SheetTable]:
    """A sheet per layer holding records (a kind without any: its first layer, empty,
    so that every kind asked for has its sheet)."""
    sheets = []
    for table in tables:
        layers = table.layers(empty_geometry_layers=False) or table.layers()[:1]
        sheets += [_sheet(layer) for layer in layers]
    return sheets


def write_register_workbook(path: Path, tables: Sequence[ExchangeTable]) -> None:
    """Write the sheets of every kind exported to ``path`` (replacing the file)."""
    if path.exists():
        path.unlink()
    write_workbook(register_sheets(tables), path)
