"""How a kind's records look in every exchange format: columns and geometry layers.

GeoPackage, Shapefile, GeoJSON, CSV, XLSX and the OGC API all write a kind's records
with the same column names, in the same order, with the same types: its fields as its
import files hold them, and for a field dated to a day, a month or a year (an
:attr:`~FieldType.EVENT_DATE`) also its earliest and latest day and their precision, as
real dates a GIS can filter and animate. Those three are *derived*: an import reads the
field itself and checks nothing else in them.

A layer holds one geometry type: a kind whose records may be points or polygons is
written as ``<kind>_points`` and ``<kind>_areas``; one whose records are polygons or
multipolygons as multipolygons throughout. Records without a geometry go to an
attribute table, ``<kind>_no_geometry``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from demine.domain.kinds.model import Field, FieldType, Kind
from demine.domain.rules import LINEAR, POLYGONAL, PUNCTUAL


class ColumnType(StrEnum):
    """The type of an exchange column (GeoPackage and JSON Schema follow from it)."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


_COLUMN_TYPES = {
    FieldType.INTEGER: ColumnType.INTEGER,
    FieldType.DECIMAL: ColumnType.DECIMAL,
    FieldType.BOOLEAN: ColumnType.BOOLEAN,
    FieldType.DAY: ColumnType.DATE,
}


@dataclass(frozen=True)
class ExchangeColumn:
    """One column of a kind's exchange files and OGC features."""

    name: str
    type: ColumnType
    #: The field the column writes (for a derived column: the field it is derived from).
    field: Field
    #: Computed from ``field`` on export; an import ignores it.
    derived: bool = False

    @property
    def hxl(self) -> str | None:
        """The column's HXL hashtag (derived date columns: the field's, with +start/+end)."""
        if not self.derived:
            return self.field.hxl
        if self.field.hxl is None or self.type is not ColumnType.DATE:
            return None
        return f"{self.field.hxl}+{'start' if self.name.endswith('earliest') else 'end'}"


def exchange_columns(kind: Kind) -> tuple[ExchangeColumn, ...]:
    """The columns of ``kind`` in every format, in order (the programme's fields too)."""
    columns: list[ExchangeColumn] = []
    for field in kind.fields:
        columns.append(
            ExchangeColumn(field.name, _COLUMN_TYPES.get(field.type, ColumnType.TEXT), field)
        )
        if field.type is FieldType.EVENT_DATE and kind.dates is not None:
            dates = kind.dates
            columns.append(ExchangeColumn(dates.earliest, ColumnType.DATE, field, derived=True))
            columns.append(ExchangeColumn(dates.latest, ColumnType.DATE, field, derived=True))
            if dates.precision is not None:
                columns.append(
                    ExchangeColumn(dates.precision, ColumnType.TEXT, field, derived=True)
                )
    return tuple(columns)


def derived_column_names(kind: Kind) -> frozenset[str]:
    """The columns an import of ``kind`` accepts and ignores (computed on export)."""
    return frozenset(column.name for column in exchange_columns(kind) if column.derived)


#: The one-part Multi* type of each single-part geometry type.
_MULTI = {
    "Point": shapely.MultiPoint,
    "LineString": shapely.MultiLineString,
    "Polygon": shapely.MultiPolygon,
}
#: GEOS's type id of a single part → how an array of them becomes one-part Multi*.
_MULTI_ALL = {0: shapely.multipoints, 1: shapely.multilinestrings, 3: shapely.multipolygons}
#: The layer-name suffix of each geometry family.
POINTS, LINES, AREAS = "points", "lines", "areas"
#: The suffix of the attribute table of a spatial kind's records without a geometry.
NO_GEOMETRY = "no_geometry"
_FAMILIES = (
    (POINTS, PUNCTUAL, "Point"),
    (LINES, LINEAR, "LineString"),
    (AREAS, POLYGONAL, "Polygon"),
)


@dataclass(frozen=True)
class GeometryLayer:
    """One layer of a kind's records: one geometry type (or none at all)."""

    kind: Kind
    #: ``points``, ``lines``, ``areas`` or ``no_geometry``; None when the kind has one
    #: layer only (it keeps the kind's own name).
    suffix: str | None
    #: The declared geometry type (``Point``, ``MultiPolygon``…); None: an attribute table.
    geometry_type: str | None
    #: The shapely geometry types the layer holds (promoted to ``geometry_type``).
    holds: tuple[str, ...]

    @property
    def name(self) -> str:
        """The layer (GeoPackage), file (Shapefile, GeoJSON, CSV) or sheet (XLSX) name."""
        base = self.kind.name.replace("-", "_")
        return base if self.suffix is None else f"{base}_{self.suffix}"

    @property
    def collection(self) -> str | None:
        """The OGC API collection id (None: not served, or an attribute table)."""
        if self.kind.collection is None or self.geometry_type is None:
            return None
        return (
            self.kind.collection if self.suffix is None else f"{self.kind.collection}-{self.suffix}"
        )

    @property
    def promotes(self) -> bool:
        """Single parts are written as one-part Multi* geometries."""
        return self.geometry_type is not None and self.geometry_type.startswith("Multi")

    def declared_all(self, geometries: Any) -> Any:
        """An array of geometries as :meth:`declared` gives each (promoted all at once)."""
        if not self.promotes or len(geometries) == 0:
            return geometries
        declared = np.array(geometries, dtype=object)
        types = shapely.get_type_id(declared)
        for type_id, multi in _MULTI_ALL.items():
            single = types == type_id
            if single.any():
                parts = declared[single]
                declared[single] = multi(parts, indices=np.arange(len(parts)))
        return declared

    def declared(self, geometry: BaseGeometry | None) -> BaseGeometry | None:
        """``geometry`` as the layer declares it: a single part as a one-part Multi*
        where the layer holds Multi* (anything else as it is)."""
        if geometry is None or not self.promotes:
            return geometry
        multi = _MULTI.get(geometry.geom_type)
        return multi([geometry]) if multi is not None else geometry


def geometry_layers(kind: Kind) -> tuple[GeometryLayer, ...]:
    """The geometry layers of a spatial kind (empty for a kind without geometry)."""
    families = [
        (suffix, tuple(t for t in kind.geometry if t in types), single)
        for suffix, types, single in _FAMILIES
        if any(t in types for t in kind.geometry)
    ]
    layers = []
    for suffix, holds, single in families:
        declared = f"Multi{single}" if f"Multi{single}" in holds else single
        layers.append(GeometryLayer(kind, suffix if len(families) > 1 else None, declared, holds))
    return tuple(layers)


def no_geometry_layer(kind: Kind) -> GeometryLayer:
    """The attribute table of a kind's records without geometry (the kind's only layer
    when it has no geometry at all)."""
    return GeometryLayer(kind, NO_GEOMETRY if kind.spatial else None, None, ())


def layer_of(kind: Kind, geometry_type: str | None) -> GeometryLayer:
    """The layer a record of ``kind`` with a geometry of ``geometry_type`` goes to."""
    if geometry_type is None or not kind.spatial:
        return no_geometry_layer(kind)
    for layer in geometry_layers(kind):
        if geometry_type in layer.holds:
            return layer
    raise ValueError(f"{kind.name} records hold no {geometry_type}")


def layer_named(kinds: dict[str, Kind], name: str) -> GeometryLayer | None:
    """The layer with file/layer ``name`` (``hazards_points``), or None."""
    for kind in kinds.values():
        for layer in (*geometry_layers(kind), no_geometry_layer(kind)):
            if layer.name == name:
                return layer
    return None
