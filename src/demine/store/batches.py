"""Import batches: one row per import that changed the register, with what it did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, update

from demine.store import schema
from demine.store.register import SaveCounts


def start_batch(
    connection: Connection, kind: str, source_name: str, sha256: str, country: str, now: datetime
) -> int:
    """Record the start of an import of ``source_name``; the new batch's id."""
    result = connection.execute(
        insert(schema.import_batches).values(
            kind=kind,
            file_name=source_name,
            file_sha256=sha256,
            country=country,
            imported_at=now,
            rows_total=0,
            rows_inserted=0,
            rows_updated=0,
            rows_unchanged=0,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def finish_batch(
    connection: Connection, batch_id: int | None, counts: SaveCounts, total: int
) -> int | None:
    """Record what the batch did; drop it if it changed nothing (a repeated import)."""
    batches = schema.import_batches
    if counts.changed:
        connection.execute(
            update(batches)
            .where(batches.c.id == batch_id)
            .values(
                rows_total=total,
                rows_inserted=counts.inserted,
                rows_updated=counts.updated,
                rows_unchanged=counts.unchanged,
            )
        )
        return batch_id
    connection.execute(delete(batches).where(batches.c.id == batch_id))
    return None
