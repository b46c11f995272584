"""The records an export writes, as entities, with their review status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from demine.domain.entities import AdminArea
from demine.domain.kinds import Kind
from demine.store import schema
from demine.store.mapping import TableMapping, mapping_for
from demine.store.reader import RegisterReader
from demine.store.refs import Refs


@dataclass(frozen=True)
class ExportedRecord:
    """One record to write, and whether it is live (approved, not deleted)."""

    entity: Any
    key: str
    review_status: str | None
    deleted: bool

    @property
    def live(self) -> bool:
        return self.review_status in (None, "approved") and not self.deleted


def records_to_export(reader: RegisterReader, kind: Kind, refs: Refs) -> list[ExportedRecord]:
    """The records of ``kind`` the reader sees (live ones by default), by key."""
    mapping: TableMapping[Any] = mapping_for(kind.entity)
    table = reader.table(kind)
    statement = reader.select(kind).order_by(table.c[mapping.key_column])
    rows = [dict(row._mapping) for row in reader.connection.execute(statement)]
    if kind.entity is AdminArea:
        aliases = _aliases(reader)
        rows = [{**row, "aliases": sorted(aliases.get(row["id"], ()))} for row in rows]
    records = []
    for row in rows:
        entity = mapping.from_row(row, refs)
        records.append(
            ExportedRecord(
                entity,
                mapping.key_of(entity),
                row.get("review_status"),
                row.get("deleted_at") is not None,
            )
        )
    return records


def _aliases(reader: RegisterReader) -> dict[int, list[str]]:
    table = schema.admin_area_aliases
    result: dict[int, list[str]] = {}
    for area_id, alias in reader.connection.execute(select(table.c.area_id, table.c.alias)):
        result.setdefault(area_id, []).append(alias)
    return result
