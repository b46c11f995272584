"""Migrations build exactly the schema the code defines, step by step, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from demine.store import migrate
from demine.store.engine import open_store
from demine.store.schema import metadata


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name == "spatial_ref_sys":
        return False  # PostGIS's own table
    if type_ == "table" and name is not None and name.startswith("rtree_"):
        return False  # SQLite's R*Tree and its shadow tables, kept by triggers (0023)
    return not (type_ == "index" and name is not None and name.endswith("_geometry"))


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_upgrading_step_by_step_reaches_the_defined_schema(database_url: str) -> None:
    store = open_store(database_url, create=True)
    migrate.upgrade(store, "0001")
    assert migrate.current_revision(store) == "0001"
    assert not migrate.is_up_to_date(store)
    migrate.upgrade(store)
    assert migrate.is_up_to_date(store)
    with store.read() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": _include, "compare_type": False},
        )
        differences = compare_metadata(context, metadata)
    store.dispose()
    assert differences == []


def test_the_head_revision_commands_check_is_the_newest_migration() -> None:
    from demine.store.revision import HEAD_REVISION

    assert migrate.head_revision() == HEAD_REVISION
