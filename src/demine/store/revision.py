"""Which schema revision a database holds, read without loading Alembic (every command
checks it before it starts; only ``demine db upgrade`` needs Alembic itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from demine.store.engine import Store

#: The newest migration in ``store/migrations/versions`` (a test keeps the two equal).
HEAD_REVISION = "0028"


def stored_revision(store: Store) -> str | None:
    """The revision the database was migrated to, or None for an empty database."""
    from sqlalchemy import inspect, text

    with store.read() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
