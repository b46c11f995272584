"""Translating between the identifiers people use (codes, external ids) and row keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, select

from demine.store import schema


@dataclass
class KeyMap:
    """Two-way map between a table's public identifier and its row id."""

    id_by_key: dict[str, int] = field(default_factory=dict)
    key_by_id: dict[int, str] = field(default_factory=dict)

    def add(self, key: str, row_id: int) -> None:
        self.id_by_key[key] = row_id
        self.key_by_id[row_id] = key

    def id_of(self, key: str | None) -> int | None:
        if key is None:
            return None
        return self.id_by_key[key]

    def key_of(self, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        return self.key_by_id[row_id]


@dataclass
class Refs:
    """Key maps of every table that other records refer to."""

    areas: KeyMap
    organisations: KeyMap
    hazards: KeyMap
    activities: KeyMap
    accidents: KeyMap
    victims: KeyMap
    minefield_records: KeyMap


def _load(connection: Connection, table: Table, key_column: str) -> KeyMap:
    keys = KeyMap()
    for row_id, key in connection.execute(select(table.c.id, table.c[key_column])):
        keys.add(key, row_id)
    return keys


def load_refs(connection: Connection) -> Refs:
    """Load the key maps (a few MB even for a national programme's activities)."""
    return Refs(
        areas=_load(connection, schema.admin_areas, "code"),
        organisations=_load(connection, schema.organisations, "code"),
        hazards=_load(connection, schema.hazard_areas, "external_id"),
        activities=_load(connection, schema.activities, "external_id"),
        accidents=_load(connection, schema.accidents, "external_id"),
        victims=_load(connection, schema.victims, "external_id"),
        minefield_records=_load(connection, schema.minefield_records, "external_id"),
    )


def load_area_refs(connection: Connection) -> Refs:
    """Key maps of admin areas, organisations and minefield records only.

    :func:`load_refs` reads the key of every hazard, activity, accident and victim:
    hundreds of thousands of rows in a national register, which a summary or a casualty
    report never looks up. Those maps are left empty here (loading an entity that refers
    to one of them with these refs fails loudly, with a KeyError).
    """
    return Refs(
        areas=_load(connection, schema.admin_areas, "code"),
        organisations=_load(connection, schema.organisations, "code"),
        hazards=KeyMap(),
        activities=KeyMap(),
        accidents=KeyMap(),
        victims=KeyMap(),
        minefield_records=_load(connection, schema.minefield_records, "external_id"),
    )


#: Which key map holds the records of each referenced kind.
_KEY_MAPS = {
    "admin-areas": "areas",
    "organisations": "organisations",
    "hazards": "hazards",
    "activities": "activities",
    "accidents": "accidents",
    "victims": "victims",
    "minefield-records": "minefield_records",
}


def key_map_of(refs: Refs, kind: str) -> KeyMap:
    """The key map of the records of ``kind`` (a kind other records refer to)."""
    keys: KeyMap = getattr(refs, _KEY_MAPS[kind])
    return keys


def key_map_of_table(refs: Refs, table_name: str) -> KeyMap | None:
    """The key map of the records kept in ``table_name``, if other records refer to them."""
    kind = next((k for k, t in _TABLES.items() if t == table_name), None)
    return None if kind is None else key_map_of(refs, kind)


_TABLES = {
    "admin-areas": schema.admin_areas.name,
    "organisations": schema.organisations.name,
    "hazards": schema.hazard_areas.name,
    "activities": schema.activities.name,
    "accidents": schema.accidents.name,
    "victims": schema.victims.name,
    "minefield-records": schema.minefield_records.name,
}
