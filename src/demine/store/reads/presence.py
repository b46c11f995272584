"""Whether a database holds a register at all (before building a demo into it)."""

from __future__ import annotations

from sqlalchemy import exists, select

from demine.store import schema
from demine.store.reader import RegisterReader


def holds_register(reader: RegisterReader) -> bool:
    """True once anything was imported, or any administrative area is recorded."""
    batches = schema.import_batches
    if reader.connection.execute(select(exists().where(batches.c.id.is_not(None)))).scalar():
        return True
    return reader.count("admin-areas") > 0
