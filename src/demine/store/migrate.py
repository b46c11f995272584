"""Schema migrations (Alembic), run from code: ``demine db upgrade``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from demine.store.engine import Connection, Store

_MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(store: Store, revision: str = "head") -> None:
    """Bring the store's schema to ``revision`` (the newest by default)."""
    with store.write() as connection:
        upgrade_in(connection, revision)


def upgrade_in(connection: Connection, revision: str = "head") -> None:
    """Bring the schema to ``revision`` inside the caller's transaction (committed or
    rolled back with the rest of it)."""
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def current_revision(store: Store) -> str | None:
    with store.read() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    """Every revision this code can migrate to or from."""
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def is_up_to_date(store: Store) -> bool:
    return current_revision(store) == head_revision()
