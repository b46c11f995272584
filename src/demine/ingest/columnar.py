"""Importing a GeoPackage of new records column by column, without an entity per row.

The row path (:mod:`demine.ingest.importer`) reads, parses, builds, checks and saves one
record at a time. Here a layer is read as Arrow columns, :data:`BATCH_ROWS` rows at a
time so that a national file never sits whole in memory; each column's distinct values
are parsed once for the whole file with the kind's own parsers (a cache per column
across batches), the kind's rules run once per distinct value (a
:class:`~demine.domain.rules.SplitCheck`) and on each batch's array of shapes, and only
what the table stores is kept: per column its distinct stored values and each row's
index into them, the keys, the shapes as WKB and their boxes. The rows are then stored
column by column in one bulk load.

It only decides files it can decide cheaply: new records (no key already stored, none
twice), every value parsed, every rule met. For anything else — a bad value, a known
record, a missing district to infer, another kind of file — :func:`load_columns` returns
None before anything is written, and the row path imports the file as it always did, so
what is saved, counted, reported and refused is the row path's in every case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio
import shapely
from pyogrio.raw import open_arrow
from pyproj import CRS

from demine.domain.kinds import FieldType, Kind, Sensitivity
from demine.domain.kinds.custom import custom_fields_of
from demine.domain.kinds.exchange import derived_column_names
from demine.domain.rules import RuleContext, SplitCheck, check_geometry
from demine.ingest.column_codes import (
    PLAIN_TEXT,
    ColumnCodes,
    Reading,
    Undecided,
    cell,
    objects,
)
from demine.ingest.entity_spec import EntitySpec
from demine.ingest.fields import ParseContext
from demine.ingest.geometry_warnings import GeometryWarnings
from demine.ingest.readers import WGS84, preferred_layers
from demine.ingest.specs import to_entity
from demine.store.bulk import WKB, Coded
from demine.store.kind_tables import CUSTOM_COLUMN, merged_custom
from demine.store.mapping import mapping_for, stored_as_held
from demine.store.refs import Refs

log = logging.getLogger(__name__)

#: Rows read from the file at a time: bounds the memory of the file's columns.
BATCH_ROWS = 100_000

_ARROW_TYPES = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer,
                pa.types.is_floating, pa.types.is_boolean)  # fmt: skip


@dataclass
class ColumnLoad:
    """A file's rows, validated, as the columns of the kind's table."""

    rows: int
    #: The records' keys (compact: a million keys as Python strings weigh 60 MB).
    keys: pa.ChunkedArray
    #: Column name → its values (:class:`Coded`, or one value per row).
    columns: dict[str, Any]


@dataclass(frozen=True)
class ColumnarFile:
    """A file to import column by column, and what its rows are checked against."""

    path: Path
    layer: str | None
    #: The file's name as reports give it.
    name: str
    kind: Kind
    spec: EntitySpec
    context: ParseContext
    rule_context: RuleContext
    refs: Refs

    def eligible(self) -> bool:
        """Whether the file may be imported here (else only row by row)."""
        return eligible(self.path, self.kind, self.spec)

    def batches(self) -> Iterator[tuple[pa.RecordBatch, Any]]:
        """The file's rows, a batch at a time (see :func:`batches`)."""
        return batches(self.path, self.layer, self.kind, self.spec)

    def rows(self) -> int:
        """How many rows the file holds."""
        return feature_count(self.path, self.layer, self.kind)

    def warnings(self, found: list[str] | None) -> GeometryWarnings:
        """Geometry warnings worded as the row path words them, into ``found``."""
        return GeometryWarnings(self.spec.kind, self.name, self.context.places, found)

    def validator(self, warnings: GeometryWarnings) -> Validator:
        """A validator of the file's batches."""
        return Validator(self.kind, self.spec, self.context, self.rule_context, self.refs, warnings)


def load_columns(
    source: ColumnarFile, stored_keys: Any, notes: list[str] | None
) -> ColumnLoad | None:
    """The validated columns of ``source``, or None when the row path must decide it.

    ``stored_keys(keys)`` tells which of the file's keys the register already holds.
    Geometry warnings go to ``notes`` as the row path words them.
    """
    if not source.eligible():
        return None
    # Noted only once the file is decided here (the row path notes them otherwise).
    found: list[str] | None = None if notes is None else []
    warnings = source.warnings(found)
    try:
        validator = source.validator(warnings)
        gathered = _Gathered()
        for batch, shapes in source.batches():
            gathered.add(validator.add(batch, shapes))
        load = gathered.load(validator)
        if stored_keys(load.keys):
            raise Undecided("records already stored")
    except Undecided as reason:
        log.info("%s: imported row by row (%s)", source.path.name, reason)
        return None
    warnings.finish()
    if notes is not None and found:
        notes.extend(found)
    return load


def eligible(path: Path, kind: Kind, spec: EntitySpec) -> bool:
    """Whether ``path`` may be imported here (else only row by row)."""
    return (
        path.suffix.lower() == ".gpkg"
        and kind.sensitivity is not Sensitivity.PERSONAL
        and isinstance(kind.check, SplitCheck)
        and spec.register_check is None
        and spec.repair is None
        and not custom_fields_of(kind)
        and all(field.stored for field in kind.fields)
    )


def feature_count(path: Path, layer: str | None, kind: Kind) -> int:
    """How many rows the layer :func:`batches` reads holds, as the file says."""
    try:
        return int(pyogrio.read_info(path, layer=_layer(path, layer, kind))["features"])
    except Exception as exc:  # pyogrio/GDAL errors have many types
        raise Undecided(f"unreadable here: {exc}") from exc


def _layer(path: Path, layer: str | None, kind: Kind) -> str | None:
    from demine.ingest.importer import layer_names

    if layer is None:
        found = preferred_layers(path, layer_names(kind))
        if len(found) > 1:
            raise Undecided("several layers")
        layer = found[0] if found else None
    return layer


def batches(
    path: Path, layer: str | None, kind: Kind, spec: EntitySpec
) -> Iterator[tuple[pa.RecordBatch, Any]]:
    """The layer's attribute columns and its shapes (None where a row has none),
    :data:`BATCH_ROWS` rows at a time."""
    from demine.ingest.importer import EXAMPLE_COLUMN

    layer = _layer(path, layer, kind)
    try:
        info = pyogrio.read_info(path, layer=layer)
        if info.get("crs") and CRS.from_user_input(info["crs"]) != WGS84:
            raise Undecided("not in WGS 84")
        with open_arrow(path, layer=layer, batch_size=BATCH_ROWS, use_pyarrow=True) as source:
            meta, reader = source
            columns = [str(c) for c in meta["fields"]]
            known = {f.name for f in spec.fields} - derived_column_names(kind)
            if not set(columns) <= known or EXAMPLE_COLUMN in {c.lower() for c in columns}:
                raise Undecided("columns")
            if any(f.required and f.name not in columns for f in spec.fields):
                raise Undecided("required column missing")
            types = reader.schema
            if not all(any(test(types.field(c).type) for test in _ARROW_TYPES) for c in columns):
                raise Undecided("column types")
            geometry_name = meta.get("geometry_name") or "wkb_geometry"
            for batch in reader:
                yield batch, _shapes(batch, geometry_name)
    except Undecided:
        raise
    except Exception as exc:  # pyogrio/GDAL errors have many types
        raise Undecided(f"unreadable here: {exc}") from exc


def _shapes(batch: pa.RecordBatch, geometry_name: str) -> Any:
    if geometry_name not in batch.schema.names:
        return np.full(batch.num_rows, None, dtype=object)
    try:
        shapes = shapely.from_wkb(batch.column(geometry_name).to_numpy(zero_copy_only=False))
    except shapely.errors.GEOSException as exc:
        raise Undecided("unreadable geometry") from exc
    if shapely.has_z(shapes).any():
        shapes = shapely.force_2d(shapes)
    return shapes


class _Texts(Sequence[str]):
    """An Arrow array of text as a sequence of Python strings, made one at a time."""

    def __init__(self, array: pa.Array) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [str(text) for text in self.array[index].to_pylist()]
        return str(self.array[index].as_py())


class Validator:
    """Validates a file's batches in turn; each batch's rows come out as the table's
    columns. Only each field's distinct values are kept from batch to batch."""

    def __init__(
        self,
        kind: Kind,
        spec: EntitySpec,
        context: ParseContext,
        rule_context: RuleContext,
        refs: Refs,
        warnings: GeometryWarnings,
    ) -> None:
        assert isinstance(kind.check, SplitCheck)
        self.kind, self.spec, self.context, self.refs = kind, spec, context, refs
        self.rule_context = rule_context
        self.check = kind.check
        self.rules = dict(kind.check.attributes)
        self.warnings = warnings
        self.key_field = kind.key_field
        if not stored_as_held(self.key_field):
            raise Undecided("a key stored otherwise")
        reading = Reading(kind, context, rule_context, refs)
        self.codes = {
            f.name: ColumnCodes(
                f, spec.field(f.name).parse, self.rules.get(f.entity_attribute),
                spec.infer_district and f.name == "district", reading,
            )
            for f in kind.fields
            if f is not self.key_field
        }  # fmt: skip
        self.district = self.codes.get("district")
        self.with_country = "country" in _table_columns(kind)
        self.rows = 0

    def add(self, batch: pa.RecordBatch, shapes: Any) -> dict[str, Any]:
        """The batch's rows, validated, as the table's columns by name: the key as Arrow
        text; each field's stored columns as :class:`Coded` values (the field's distinct
        values so far, a list that only grows, and the rows' indices into it); shapes
        as :class:`WKB` and their boxes as float arrays (NaN where a row has none)."""
        rows = batch.num_rows
        constant = np.zeros(rows, dtype=np.int32)
        columns: dict[str, Any] = {}
        districts: Any = None
        for field in self.kind.fields:
            if field is self.key_field:
                keys = columns[field.stored_column] = self._keys(batch)
                continue
            codes = self.codes[field.name]
            indices = codes.add(batch)
            if codes is self.district:
                districts = objects(codes.parsed)[indices]
            for name, values in codes.stored.items():
                columns[name] = Coded(values, indices)
        if self.with_country:
            columns["country"] = Coded([self.context.country], constant)
        if self.kind.spatial:
            _check_shapes(self.check, shapes, self.rule_context)
            wkb = shapely.to_wkb(shapes, include_srid=False)
            columns["geometry"] = WKB(pa.array(wkb, type=pa.binary()))
            bounds = shapely.bounds(shapes).T
            for name, side in zip(("min_x", "min_y", "max_x", "max_y"), bounds, strict=True):
                columns[name] = np.ascontiguousarray(side)
            self.warnings.check_columns(
                _Texts(keys), shapes, districts if districts is not None else [None] * rows,
                first_row=self.rows + 1,
            )  # fmt: skip
        columns[CUSTOM_COLUMN] = Coded([merged_custom(None, None)], constant)
        self.rows += rows
        return columns

    def _keys(self, batch: pa.RecordBatch) -> pa.Array:
        column = batch.column(self.key_field.name)
        if self._plain_keys(column):
            # Copied (a concatenation allocates): a cast may share the batch's buffers,
            # and with them keep the whole batch read from the file.
            empty = pa.array([], type=pa.large_string())
            return pa.concat_arrays([column.cast(pa.large_string()), empty])
        return self._parsed_keys(column)

    def _plain_keys(self, column: pa.Array) -> bool:
        """Whether every key of ``column`` is plain text its parser keeps as it is, found
        for the whole column at once: printable ASCII with no space at either end (what
        stripping leaves alone), no longer than the field allows, and no rule on the key.
        Any other column is parsed key by key (a million keys: 6 s of 22)."""
        field = self.key_field
        if (
            field.type is not FieldType.TEXT
            or field.free_text
            or field.scale is not None
            or self.rules.get(field.entity_attribute) is not None
            or not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type))
            or column.null_count
        ):
            return False
        plain = pc.match_substring_regex(column, PLAIN_TEXT)
        if not pc.all(plain).as_py():
            return False
        most = field.max_length
        return most is None or pc.max(pc.utf8_length(column)).as_py() <= most

    def _parsed_keys(self, column: pa.Array) -> pa.Array:
        field = self.key_field
        parse = self.spec.field(field.name).parse
        rule = self.rules.get(field.entity_attribute)
        keys = []
        for held in column.to_pylist():
            value = cell(held)
            if value is None:
                raise Undecided(f"empty {field.name}")
            try:
                key = to_entity(field, parse(value, self.context))
            except ValueError as exc:
                raise Undecided(f"{field.name}: {value!r}") from exc
            if rule is not None and rule(key, self.rule_context):
                raise Undecided(f"a rule on {field.name}")
            keys.append(key)
        if not all(isinstance(key, str) for key in keys):
            raise Undecided("keys other than text")
        return pa.array(keys, type=pa.large_string())


class _Gathered:
    """A file's validated batches gathered into one load."""

    def __init__(self) -> None:
        self.parts: dict[str, list[Any]] = {}

    def add(self, columns: dict[str, Any]) -> None:
        for name, values in columns.items():
            self.parts.setdefault(name, []).append(values)

    def load(self, validator: Validator) -> ColumnLoad:
        """The load, once every batch is in: Undecided when it holds no row or a key twice."""
        rows = validator.rows
        if not rows:
            raise Undecided("no rows")
        columns = {name: _joined(parts) for name, parts in self.parts.items()}
        self.parts.clear()
        keys = columns[validator.key_field.stored_column]
        if pc.count_distinct(keys).as_py() != rows:
            raise Undecided("a key twice")
        return ColumnLoad(rows, keys, columns)


def _joined(parts: list[Any]) -> Any:
    """A column's batches as one column."""
    first = parts[0]
    if isinstance(first, Coded):
        return Coded(objects(first.values), np.concatenate([part.indices for part in parts]))
    if isinstance(first, WKB):
        return WKB(pa.chunked_array([part.values for part in parts], type=pa.binary()))
    if isinstance(first, pa.Array):
        return pa.chunked_array(parts, type=first.type)
    return np.concatenate(parts)


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
