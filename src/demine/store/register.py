"""Writing and reading register entities: insert, update with history, or leave as is.

Saving is idempotent: a record whose stored values already equal the new ones is left
untouched, so importing the same file twice changes nothing; a geometry equals the
stored one when it is the same shape (:mod:`demine.domain.same_shape`), whatever a GIS
did to its rings or its last decimals on the way. A changed record is updated
and its previous values are kept in ``record_history`` ("what did we know and when").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert, select, update

from demine.domain.entities import AdminArea
from demine.domain.names import name_key
from demine.domain.same_shape import same_shape
from demine.domain.vocab import AdminLevel
from demine.store import schema
from demine.store.audit import keep_version
from demine.store.entity_reads import load_all as load_all
from demine.store.geometry import is_geometry
from demine.store.kind_tables import CUSTOM_COLUMN, merged_custom
from demine.store.mapping import Row, TableMapping, mapping_for
from demine.store.refs import Refs, key_map_of_table

E = TypeVar("E")

_CHUNK = 2_000
#: A spatial row's geometry and the columns computed from it.
_GEOMETRY_COLUMNS = ("geometry", "min_x", "min_y", "max_x", "max_y")
_LEVEL_ORDER = {AdminLevel.COUNTRY: 0, AdminLevel.DISTRICT: 1, AdminLevel.SETTLEMENT: 2}


@dataclass
class SaveCounts:
    """What saving a set of records did."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: SaveCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)


def _chunks(items: Sequence[E], size: int = _CHUNK) -> Iterator[Sequence[E]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _same(stored: Any, new: Any) -> bool:
    if is_geometry(stored) or is_geometry(new):
        return same_shape(stored, new)
    if isinstance(stored, float) or isinstance(new, float):
        return stored is not None and new is not None and float(stored) == float(new)
    return bool(stored == new)


def existing_rows(
    connection: Connection, mapping: TableMapping[Any], keys: Sequence[Any]
) -> dict[Any, Mapping[str, Any]]:
    """Stored rows of ``mapping``'s table whose key column holds one of ``keys``."""
    key_column = mapping.table.c[mapping.key_column]
    found: dict[Any, Mapping[str, Any]] = {}
    for chunk in _chunks(keys):
        for row in connection.execute(select(mapping.table).where(key_column.in_(chunk))):
            found[row._mapping[mapping.key_column]] = dict(row._mapping)
    return found


def save(
    connection: Connection,
    entities: Sequence[E],
    refs: Refs,
    batch_id: int | None,
    now: datetime,
    *,
    changed_by: str | None = None,
) -> SaveCounts:
    """Insert new, update changed and skip unchanged ``entities`` (all of one type).

    ``changed_by`` (who saves, when not an import) is kept with each replaced version.
    """
    if not entities:
        return SaveCounts()
    if isinstance(entities[0], AdminArea):
        return _save_areas(connection, entities, refs, batch_id, now, changed_by)  # type: ignore[arg-type]
    mapping: TableMapping[E] = mapping_for(type(entities[0]))
    return _save_rows(connection, mapping, entities, refs, batch_id, now, changed_by)[0]


def _save_rows(
    connection: Connection,
    mapping: TableMapping[E],
    entities: Sequence[E],
    refs: Refs,
    batch_id: int | None,
    now: datetime,
    changed_by: str | None = None,
) -> tuple[SaveCounts, set[str]]:
    """Save rows; also return the keys of the records left unchanged."""
    counts = SaveCounts()
    unchanged: set[str] = set()
    table = mapping.table
    rows = [mapping.to_row(entity, refs) for entity in entities]
    # The key as stored: an external id, or a row id for records keyed by another record.
    stored = existing_rows(connection, mapping, [row[mapping.key_column] for row in rows])
    new_rows: list[Row] = []
    for entity, row in zip(entities, rows, strict=True):
        old = stored.get(row[mapping.key_column])
        if CUSTOM_COLUMN in row:
            kept = None if old is None else old.get(CUSTOM_COLUMN)
            row[CUSTOM_COLUMN] = merged_custom(kept, row[CUSTOM_COLUMN])
        if old is not None and "geometry" in row and same_shape(old["geometry"], row["geometry"]):
            # Rewound, promoted or rounded by a round trip through a file: the stored
            # shape is kept as it is (and so is its bounding box).
            row.update({name: old[name] for name in _GEOMETRY_COLUMNS})
        if old is None:
            new_rows.append({**row, "import_batch_id": batch_id, "updated_at": now})
        elif all(_same(old[name], value) for name, value in row.items()):
            counts.unchanged += 1
            unchanged.add(mapping.key_of(entity))
        else:
            keep_version(
                connection, table.name, mapping.key_of(entity), old, now, batch_id=batch_id,
                changed_by=changed_by, action=None if changed_by is None else "update",
            )  # fmt: skip
            connection.execute(
                update(table)
                .where(table.c.id == old["id"])
                .values(**row, **_next_version(table), import_batch_id=batch_id, updated_at=now)
            )
            counts.updated += 1
    from demine.store.bulk import insert_rows  # numpy and shapely: on save only

    insert_rows(connection, table, new_rows)
    counts.inserted += len(new_rows)
    key_map = key_map_of_table(refs, table.name)
    if key_map is not None:
        key_column = table.c[mapping.key_column]
        for chunk in _chunks([row[mapping.key_column] for row in new_rows]):
            for row_id, key in connection.execute(
                select(table.c.id, key_column).where(key_column.in_(chunk))
            ):
                key_map.add(key, row_id)
    return counts, unchanged


def _next_version(table: Any) -> dict[str, Any]:
    """Bump the row version (the web API's ETag) where the table keeps one."""
    return {"version": table.c.version + 1} if "version" in table.c else {}


def _save_areas(
    connection: Connection,
    areas: Sequence[AdminArea],
    refs: Refs,
    batch_id: int | None,
    now: datetime,
    changed_by: str | None = None,
) -> SaveCounts:
    """Areas are saved parents first, so children can refer to them; aliases alongside."""
    counts = SaveCounts()
    mapping = mapping_for(AdminArea)
    for level in sorted(_LEVEL_ORDER, key=_LEVEL_ORDER.__getitem__):
        of_level = [a for a in areas if a.level is level]
        if not of_level:
            continue
        stored_aliases = _aliases(connection, [a.code for a in of_level], refs)
        level_counts, unchanged = _save_rows(
            connection, mapping, of_level, refs, batch_id, now, changed_by
        )
        for area in of_level:
            if stored_aliases.get(area.code, set()) != _alias_set(area):
                _replace_aliases(connection, refs.areas.id_by_key[area.code], area)
                if area.code in unchanged:
                    # Only the spellings changed: that is an update of the area too.
                    level_counts.unchanged -= 1
                    level_counts.updated += 1
        counts.add(level_counts)
    return counts


def _alias_set(area: AdminArea) -> set[str]:
    return {alias for alias in area.aliases if alias != area.name}


def _aliases(connection: Connection, codes: Sequence[str], refs: Refs) -> dict[str, set[str]]:
    ids = [refs.areas.id_by_key[c] for c in codes if c in refs.areas.id_by_key]
    result: dict[str, set[str]] = {}
    for chunk in _chunks(ids):
        rows = connection.execute(
            select(schema.admin_area_aliases.c.area_id, schema.admin_area_aliases.c.alias).where(
                schema.admin_area_aliases.c.area_id.in_(chunk)
            )
        )
        for area_id, alias in rows:
            result.setdefault(refs.areas.key_by_id[area_id], set()).add(alias)
    for code in codes:
        if code in refs.areas.id_by_key:
            result.setdefault(code, set())
    return result


def _replace_aliases(connection: Connection, area_id: int, area: AdminArea) -> None:
    table = schema.admin_area_aliases
    connection.execute(delete(table).where(table.c.area_id == area_id))
    rows = [
        {"area_id": area_id, "alias": alias, "alias_key": name_key(alias)}
        for alias in sorted(_alias_set(area))
    ]
    if rows:
        connection.execute(insert(table), rows)
