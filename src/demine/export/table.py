"""A kind's records as the exchange formats write them: typed cells in the registry's
exchange columns (:mod:`demine.domain.kinds.exchange`), split into geometry layers.

Every format starts from the same :class:`ExchangeTable`, so GeoPackage, GeoJSON, CSV
(and XLSX) carry the same columns, in the same order, with the same values: dates as
:class:`datetime.date`, yes/no as :class:`bool`, whole numbers as :class:`int`,
measures as :class:`float`, anything else as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shapely.geometry.base import BaseGeometry

from demine.domain.access import Principal
from demine.domain.dates import parse_event_date
from demine.domain.kinds import Kind
from demine.domain.kinds.exchange import (
    ColumnType,
    GeometryLayer,
    exchange_columns,
    geometry_layers,
    layer_of,
    no_geometry_layer,
)
from demine.domain.withheld import withhold
from demine.ingest.specs import EntitySpec, spec_of
from demine.store.reads.export import ExportedRecord

#: The columns ``--include-drafts`` adds to the kinds that have drafts and deletions.
STATUS_COLUMNS = (("review_status", ColumnType.TEXT), ("deleted", ColumnType.BOOLEAN))


@dataclass(frozen=True)
class ExchangeTable:
    """The rows of one kind (or of one of its layers), ready for any format."""

    kind: Kind
    #: Column names and types, in order.
    columns: tuple[tuple[str, ColumnType], ...]
    #: One list of typed cells per record (None: empty).
    rows: list[list[Any]]
    #: Each record's geometry (None: none), promoted to its layer's type in a layer.
    geometries: list[BaseGeometry | None]
    #: The layer these rows are (None: every record of the kind).
    layer: GeometryLayer | None = None

    @property
    def names(self) -> list[str]:
        return [name for name, _type in self.columns]

    @property
    def name(self) -> str:
        """The layer, file or sheet name."""
        return self.layer.name if self.layer is not None else self.kind.name.replace("-", "_")

    @property
    def geometry_type(self) -> str | None:
        """The geometry type a layer declares (None: an attribute table, or a whole kind)."""
        return None if self.layer is None else self.layer.geometry_type

    def layers(self, *, empty_geometry_layers: bool = True) -> list[ExchangeTable]:
        """The kind's layers: one per geometry type (written even when empty, so a GIS
        project finds the same layers every time, unless not ``empty_geometry_layers``)
        and the records without geometry (only when there are some)."""
        if not self.kind.spatial:
            return [self._part(no_geometry_layer(self.kind), range(len(self.rows)))]
        parts: dict[str, list[int]] = {layer.name: [] for layer in geometry_layers(self.kind)}
        loose: list[int] = []
        for index, geometry in enumerate(self.geometries):
            if geometry is None:
                loose.append(index)
            else:
                parts[layer_of(self.kind, geometry.geom_type).name].append(index)
        tables = [
            self._part(layer, parts[layer.name])
            for layer in geometry_layers(self.kind)
            if parts[layer.name] or empty_geometry_layers
        ]
        if loose:
            tables.append(self._part(no_geometry_layer(self.kind), loose))
        return tables

    def promoted_geometries(self) -> list[BaseGeometry | None]:
        """Each geometry as its layer declares it (a Polygon as a one-part MultiPolygon
        where the layer holds MultiPolygons): for a table of the whole kind (CSV)."""
        return [None if g is None else promoted(self.kind, g) for g in self.geometries]

    def _part(self, layer: GeometryLayer, indexes: Sequence[int]) -> ExchangeTable:
        geometries = [self.geometries[i] for i in indexes]
        geometries = [layer.declared(g) for g in geometries]
        return ExchangeTable(
            self.kind, self.columns, [self.rows[i] for i in indexes], geometries, layer
        )


def promoted(kind: Kind, geometry: BaseGeometry) -> BaseGeometry:
    """``geometry`` as the layer of ``kind`` holding it declares it."""
    declared = layer_of(kind, geometry.geom_type).declared(geometry)
    assert declared is not None
    return declared


def exchange_table(
    kind: Kind,
    records: Sequence[ExportedRecord],
    principal: Principal | None,
    *,
    with_status: bool = False,
) -> ExchangeTable:
    """The records of ``kind`` as typed cells of its exchange columns (free text
    withheld from a ``principal`` without the victim-data grant), with the
    ``review_status`` and ``deleted`` columns if ``with_status``."""
    spec = spec_of(kind)
    columns = exchange_columns(kind)
    entities = [record.entity for record in records]
    rows = []
    for record, values in zip(records, _file_values(spec, kind, entities, principal), strict=True):
        row: list[Any] = []
        for column in columns:
            value = values[column.field.name]
            if column.derived:
                row.append(_derived(column.name, column.type, value, kind))
            else:
                row.append(typed(value, column.type))
        if with_status:
            row += [record.review_status, record.deleted]
        rows.append(row)
    names = tuple((column.name, column.type) for column in columns)
    geometries = [getattr(e, "geometry", None) if kind.spatial else None for e in entities]
    return ExchangeTable(kind, names + (STATUS_COLUMNS if with_status else ()), rows, geometries)


def _file_values(
    spec: EntitySpec, kind: Kind, entities: Sequence[Any], principal: Principal | None
) -> list[dict[str, Any]]:
    return [withhold(kind, row, principal) for row in flat_rows(spec, entities)]


def flat_rows(spec: EntitySpec, entities: Sequence[Any]) -> list[dict[str, Any]]:
    """Each entity as the values of its import columns, formatted as files hold them."""
    rows = []
    for entity in entities:
        values = spec.flatten(entity)
        rows.append(
            {
                f.name: (None if values[f.name] is None else f.format(values[f.name]))
                for f in spec.fields
            }
        )
    return rows


def _derived(name: str, column_type: ColumnType, value: Any, kind: Kind) -> Any:
    """A derived column's cell: the earliest or latest day, or the precision, of an
    event date written as its file holds it (``2024-07``)."""
    if value is None:
        return None
    event = parse_event_date(value)
    assert kind.dates is not None
    if name == kind.dates.earliest:
        return event.earliest
    if name == kind.dates.latest:
        return event.latest
    return typed(event.precision.value, column_type)


def typed(value: Any, column_type: ColumnType) -> Any:
    """A cell as a file writer takes it, from the value an import file holds."""
    if value is None:
        return None
    if column_type is ColumnType.DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if column_type is ColumnType.DATETIME:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if column_type is ColumnType.BOOLEAN:
        return value if isinstance(value, bool) else str(value).strip().lower() == "true"
    if column_type is ColumnType.INTEGER:
        return int(value)
    if column_type is ColumnType.DECIMAL:
        return float(value)
    return str(value)
