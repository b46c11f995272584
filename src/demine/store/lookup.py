"""The register as the rules that need other records see it (:class:`RegisterLookup`).

A kind's register rules (an operator's accreditation for a task, the status a task had
before) ask for records by kind, never by table: this module answers from the tables
the registry of kinds names, reading live records only where it is asked for them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from demine.domain.kinds import FieldType, kind_named
from demine.store import schema
from demine.store.mapping import TableMapping, mapping_for
from demine.store.reader import live_condition
from demine.store.refs import Refs, key_map_of


class StoreLookup:
    """Answers a kind's register rules from ``connection`` (within its transaction, so
    records saved earlier in the same import are seen); answers are remembered."""

    def __init__(self, connection: Connection, refs: Refs) -> None:
        self.connection = connection
        self.refs = refs
        self._live: dict[tuple[str, str, str], list[Any]] = {}

    def live_records(self, kind: str, field: str, key: str) -> list[Any]:
        remembered = self._live.get((kind, field, key))
        if remembered is not None:
            return remembered
        described = kind_named(kind)
        named = described.field(field)
        assert named.type is FieldType.REFERENCE and named.references is not None, field
        row_id = key_map_of(self.refs, named.references).id_by_key.get(key)
        table = schema.metadata.tables[described.table]
        statement = select(table).where(
            table.c[named.stored_column] == row_id, live_condition(table)
        )
        mapping: TableMapping[Any] = mapping_for(described.entity)
        found = [
            mapping.from_row(dict(row._mapping), self.refs)
            for row in self.connection.execute(statement)
        ]
        self._live[(kind, field, key)] = found
        return found

    def stored_record(self, kind: str, key: str) -> Any | None:
        described = kind_named(kind)
        table = schema.metadata.tables[described.table]
        row = (
            self.connection.execute(select(table).where(table.c[described.key] == key))
            .mappings()
            .first()
        )
        return None if row is None else mapping_for(described.entity).from_row(dict(row), self.refs)
