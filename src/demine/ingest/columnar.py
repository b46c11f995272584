"""Importing a GeoPackage of new records column by column, without an entity per row.

The row path (:mod:`demine.ingest.importer`) reads, parses, builds, checks and saves one
record at a time. Here a layer is read whole as Arrow columns; each column's distinct
values are parsed once with the kind's own parsers, the kind's rules run once per
distinct value (a :class:`~demine.domain.rules.SplitCheck`) and on the array of shapes,
and the rows are stored column by column in one bulk load.

It only decides files it can decide cheaply: new records (no key already stored, none
twice), every value parsed, every rule met. For anything else — a bad value, a known
record, a missing district to infer, another kind of file — :func:`load_columns` returns
None before anything is written, and the row path imports the file as it always did, so
what is saved, counted, reported and refused is the row path's in every case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio
import shapely
from pyogrio.raw import read_arrow
from pyproj import CRS

from demine.domain.kinds import Field, Kind, Sensitivity
from demine.domain.kinds.custom import custom_fields_of
from demine.domain.kinds.exchange import derived_column_names
from demine.domain.rules import RuleContext, SplitCheck, check_geometry
from demine.ingest.entity_spec import EntitySpec
from demine.ingest.fields import ParseContext
from demine.ingest.geometry_warnings import GeometryWarnings
from demine.ingest.readers import WGS84, preferred_layers
from demine.ingest.specs import to_entity
from demine.store.bulk import Coded, any_stored, indexes_rebuilt, insert_columns
from demine.store.engine import Connection
from demine.store.kind_tables import CUSTOM_COLUMN, merged_custom
from demine.store.mapping import TableMapping, mapping_for, stored_as_held, stored_columns
from demine.store.refs import Refs
from demine.store.register import SaveCounts

log = logging.getLogger(__name__)

_ARROW_TYPES = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer,
                pa.types.is_floating, pa.types.is_boolean)  # fmt: skip


class Undecided(Exception):
    """The columnar path cannot decide this file cheaply: the row path imports it."""


@dataclass
class Distinct:
    """A column as its distinct values (the last one None: an empty cell) and, per
    row, the index of its value."""

    values: list[Any]
    indices: Any


@dataclass
class ColumnLoad:
    """A file's rows, validated, as the columns of the kind's table."""

    rows: int
    keys: list[str]
    #: Column name → its values (:class:`Coded`, or one value per row).
    columns: dict[str, Any]


def load_file_columns(
    connection: Connection,
    path: Path,
    layer: str | None,
    kind: Kind,
    spec: EntitySpec,
    context: ParseContext,
    refs: Refs,
    today: date,
    notes: list[str],
    file_name: str,
) -> ColumnLoad | None:
    """The file's rows as validated columns, when the columnar path can decide it."""
    mapping: TableMapping[Any] = mapping_for(spec.entity_type)
    rule_context = RuleContext(today=today, extent=context.places.extent())
    return load_columns(
        path, layer, kind, spec, context, rule_context, refs,
        lambda keys: any_stored(connection, mapping.table, mapping.key_column, keys),
        notes, file_name,
    )  # fmt: skip


def save_columns(
    connection: Connection, spec: EntitySpec, load: ColumnLoad, batch_id: int | None, now: datetime
) -> SaveCounts:
    """Insert the validated new records of a columnar load."""
    constant = np.zeros(load.rows, dtype=np.int32)
    columns = {
        **load.columns,
        "import_batch_id": Coded([batch_id], constant),
        "updated_at": Coded([now], constant),
    }
    table = mapping_for(spec.entity_type).table
    with indexes_rebuilt(connection, table, load.rows):
        insert_columns(connection, table, columns)
    return SaveCounts(inserted=load.rows)


def load_columns(
    path: Path,
    layer: str | None,
    kind: Kind,
    spec: EntitySpec,
    context: ParseContext,
    rule_context: RuleContext,
    refs: Refs,
    stored_keys: Any,
    notes: list[str] | None,
    file_name: str,
) -> ColumnLoad | None:
    """The validated columns of ``path``, or None when the row path must decide it.

    ``stored_keys(keys)`` tells which of the file's keys the register already holds.
    Geometry warnings go to ``notes`` as the row path words them.
    """
    if not _eligible(path, kind, spec):
        return None
    try:
        table, geometries = _read(path, layer, kind, spec)
        load = _validate(table, geometries, kind, spec, context, rule_context, refs)
        if stored_keys(load.keys):
            raise Undecided("records already stored")
    except Undecided as reason:
        log.info("%s: imported row by row (%s)", path.name, reason)
        return None
    district = next((f for f in kind.fields if f.name == "district"), None)
    districts = _entity_column(kind, district, table, spec, context) if district else None
    del table  # the file's columns are no longer needed: only the table's
    warnings = GeometryWarnings(spec.kind, file_name, context.places, notes)
    warnings.check_columns(
        load.keys, geometries, districts if districts is not None else [None] * load.rows
    )
    warnings.finish()
    return load


def _eligible(path: Path, kind: Kind, spec: EntitySpec) -> bool:
    return (
        path.suffix.lower() == ".gpkg"
        and kind.sensitivity is not Sensitivity.PERSONAL
        and isinstance(kind.check, SplitCheck)
        and spec.register_check is None
        and spec.repair is None
        and not custom_fields_of(kind)
        and all(field.stored for field in kind.fields)
    )


def _read(path: Path, layer: str | None, kind: Kind, spec: EntitySpec) -> tuple[pa.Table, Any]:
    """The layer's attribute columns, and its shapes (None where a row has none)."""
    from demine.ingest.importer import EXAMPLE_COLUMN, layer_names

    if layer is None:
        found = preferred_layers(path, layer_names(kind))
        if len(found) > 1:
            raise Undecided("several layers")
        layer = found[0] if found else None
    try:
        info = pyogrio.read_info(path, layer=layer)
        if info.get("crs") and CRS.from_user_input(info["crs"]) != WGS84:
            raise Undecided("not in WGS 84")
        meta, table = read_arrow(path, layer=layer)
    except Undecided:
        raise
    except Exception as exc:  # pyogrio/GDAL errors have many types
        raise Undecided(f"unreadable here: {exc}") from exc
    columns = [str(c) for c in meta["fields"]]
    known = {f.name for f in spec.fields} - derived_column_names(kind)
    if not set(columns) <= known or EXAMPLE_COLUMN in {c.lower() for c in columns}:
        raise Undecided("columns")
    if any(f.required and f.name not in columns for f in spec.fields):
        raise Undecided("required column missing")
    if not all(any(test(table[c].type) for test in _ARROW_TYPES) for c in columns):
        raise Undecided("column types")
    geometry_name = meta.get("geometry_name") or "wkb_geometry"
    if geometry_name not in table.column_names:
        return table, np.full(table.num_rows, None, dtype=object)
    try:
        shapes = shapely.from_wkb(table[geometry_name].to_numpy(zero_copy_only=False))
    except shapely.errors.GEOSException as exc:
        raise Undecided("unreadable geometry") from exc
    if shapely.has_z(shapes).any():
        shapes = shapely.force_2d(shapes)
    return table, shapes


def _distinct(table: pa.Table, name: str) -> Distinct:
    """The column's distinct values as the row path reads them (text stripped, blanks
    and NaN as None)."""
    if name not in table.column_names:
        return Distinct([None], np.zeros(table.num_rows, dtype=np.int32))
    encoded = table[name].combine_chunks().dictionary_encode()
    values = [_cell(v) for v in encoded.dictionary.to_pylist()]
    missing = len(values)
    indices = encoded.indices.fill_null(missing).to_numpy(zero_copy_only=False)
    return Distinct([*values, None], indices.astype(np.int32))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value != value:
        return None
    return value


def _parsed(spec: EntitySpec, field: Field, column: Distinct, context: ParseContext) -> list[Any]:
    """Each distinct value as the entity holds it; a value the row path refuses (or an
    empty required one) leaves the file to the row path, which words the refusal."""
    parse = spec.field(field.name).parse
    used = np.zeros(len(column.values), dtype=bool)
    used[column.indices] = True
    parsed: list[Any] = []
    for value, is_used in zip(column.values, used, strict=True):
        if value is None:
            if field.required and is_used:
                raise Undecided(f"empty {field.name}")
            parsed.append(to_entity(field, None))
            continue
        try:
            parsed.append(to_entity(field, parse(value, context)))
        except ValueError as exc:
            raise Undecided(f"{field.name}: {value!r}") from exc
    return parsed


def _entity_column(
    kind: Kind, field: Field, table: pa.Table, spec: EntitySpec, context: ParseContext
) -> list[Any]:
    column = _distinct(table, field.name)
    return list(_objects(_parsed(spec, field, column, context))[column.indices])


def _objects(values: list[Any]) -> Any:
    """``values`` as a numpy array of objects (tuples kept whole)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _validate(
    table: pa.Table,
    shapes: Any,
    kind: Kind,
    spec: EntitySpec,
    context: ParseContext,
    rule_context: RuleContext,
    refs: Refs,
) -> ColumnLoad:
    assert isinstance(kind.check, SplitCheck)
    rows = table.num_rows
    if not rows:
        raise Undecided("no rows")
    rules = dict(kind.check.attributes)
    columns: dict[str, Any] = {}
    keys: list[str] = []
    for field in kind.fields:
        column = _distinct(table, field.name)
        parsed = _parsed(spec, field, column, context)
        rule = rules.get(field.entity_attribute)
        used = np.zeros(len(parsed), dtype=bool)
        used[column.indices] = True
        if rule is not None and any(rule(parsed[i], rule_context) for i in np.flatnonzero(used)):
            raise Undecided(f"a rule on {field.name}")
        if field is kind.key_field:
            keys = list(_objects(parsed)[column.indices])
            if len(set(keys)) != rows:
                raise Undecided("a key twice")
        inferred = spec.infer_district and field.name == "district"
        if inferred and any(parsed[i] is None for i in np.flatnonzero(used)):
            raise Undecided("a district to infer")
        if stored_as_held(field):
            columns[field.stored_column] = Coded(parsed, column.indices)
            continue
        # A value no row holds (an empty cell, when none is empty) is stored as None.
        stored = [
            stored_columns(kind, field, value, refs) if is_used else None
            for value, is_used in zip(parsed, used, strict=True)
        ]
        names = next(one for one in stored if one is not None)
        for name in names:
            values = [None if one is None else one[name] for one in stored]
            columns[name] = Coded(values, column.indices)
    if "country" in _table_columns(kind):
        columns["country"] = Coded([context.country], np.zeros(rows, dtype=np.int32))
    if kind.spatial:
        _check_shapes(kind.check, shapes, rule_context)
        columns["geometry"] = shapes
        # Float arrays, NaN where a row has no shape (stored as empty).
        bounds = shapely.bounds(shapes)
        for position, name in enumerate(("min_x", "min_y", "max_x", "max_y")):
            columns[name] = np.ascontiguousarray(bounds[:, position])
    columns[CUSTOM_COLUMN] = Coded([merged_custom(None, None)], np.zeros(rows, dtype=np.int32))
    return ColumnLoad(rows, keys, columns)


def _table_columns(kind: Kind) -> set[str]:
    return {c.name for c in mapping_for(kind.entity).table.c}


def _check_shapes(check: SplitCheck, shapes: Any, context: RuleContext) -> None:
    """The geometry rule on every shape at once: any shape it may refuse is the row
    path's to word."""
    if check.geometry is None:
        return
    present = ~shapely.is_missing(shapes)
    if not present.any():
        return
    ids = [shapely.GeometryType[name.upper()].value for name in check.geometry]
    given = shapes[present]
    bad = shapely.is_empty(given) | ~np.isin(shapely.get_type_id(given), ids)
    bad |= ~shapely.is_valid(given)
    extent = context.extent
    if extent is not None:
        min_x, min_y, max_x, max_y = shapely.bounds(given).T
        bad |= ~(
            (extent.min_lon <= min_x)
            & (max_x <= extent.max_lon)
            & (extent.min_lat <= min_y)
            & (max_y <= extent.max_lat)
        )
    if bad.any():
        raise Undecided("a geometry rule")
    # One shape through the rule itself: the arrays above must agree with it.
    assert not check_geometry("geometry", given[0], context, check.geometry)
