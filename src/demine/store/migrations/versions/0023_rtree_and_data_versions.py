"""R*Tree per geometry table and data versions kept by triggers

SQLite: each geometry table gets an R*Tree (``rtree_<table>``) of its rows' bounding
boxes, kept by triggers on insert, update and delete; the bounding-box searches read it
instead of the four-column B-tree, which narrows on longitude only. PostGIS keeps its
GiST indexes.

Both: ``data_versions`` holds a counter per table whose rows the OGC API serves (every
kind's table and the areas' other spellings), raised by triggers on every insert, update
(approvals, edits, soft deletes) and delete. Responses are tagged with it (ETag) and the
response cache is keyed on it.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

#: The geometry tables when this revision was written (store/schema.py SPATIAL_TABLES).
_SPATIAL = (
    "admin_areas", "hazard_areas", "activities", "device_finds", "accidents",
    "minefield_records", "minefield_rows", "minefield_points", "development_projects",
    "tasks", "eore_sessions",
)  # fmt: skip
#: Every kind's table and the areas' aliases when this revision was written.
_VERSIONED = (
    "accidents", "accreditations", "activities", "admin_area_aliases", "admin_areas",
    "assistance", "casualty_baselines", "development_projects", "device_finds",
    "eore_sessions", "hazard_areas", "hazard_status_changes", "minefield_points",
    "minefield_records", "minefield_rows", "non_conformities", "organisations",
    "quality_inspections", "reported_summaries", "tasks", "victim_identifiers", "victims",
)  # fmt: skip
_BOX = "min_x, max_x, min_y, max_y"


def _rtree(table: str) -> None:
    tree = f"rtree_{table}"
    op.execute(f"CREATE VIRTUAL TABLE {tree} USING rtree(id, {_BOX})")
    op.execute(
        f"INSERT INTO {tree} (id, {_BOX}) SELECT id, {_BOX} FROM {table} WHERE min_x IS NOT NULL"
    )
    insert = (
        f"INSERT INTO {tree} (id, {_BOX}) SELECT NEW.id, NEW.min_x, NEW.max_x, NEW.min_y, "
        "NEW.max_y WHERE NEW.min_x IS NOT NULL"
    )
    op.execute(f"CREATE TRIGGER {tree}_insert AFTER INSERT ON {table} BEGIN {insert}; END")
    op.execute(
        f"CREATE TRIGGER {tree}_update AFTER UPDATE OF id, {_BOX} ON {table} "
        f"BEGIN DELETE FROM {tree} WHERE id = OLD.id; {insert}; END"
    )
    op.execute(
        f"CREATE TRIGGER {tree}_delete AFTER DELETE ON {table} "
        f"BEGIN DELETE FROM {tree} WHERE id = OLD.id; END"
    )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "data_versions",
        sa.Column("table_name", sa.String(length=63), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    # No rows until a table is first written: a migrated database holds none.
    if postgres:
        op.execute(
            "CREATE FUNCTION demine_bump_data_version() RETURNS trigger AS $$ BEGIN "
            "INSERT INTO data_versions (table_name, version) VALUES (TG_TABLE_NAME, 1) "
            "ON CONFLICT (table_name) DO UPDATE SET version = data_versions.version + 1; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in _VERSIONED:
            op.execute(
                f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR "
                f"TRUNCATE ON {table} FOR EACH STATEMENT "
                "EXECUTE FUNCTION demine_bump_data_version()"
            )
        return
    for table in _VERSIONED:
        bump = (
            f"INSERT INTO data_versions (table_name, version) VALUES ('{table}', 1) "
            "ON CONFLICT (table_name) DO UPDATE SET version = version + 1"
        )
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_data_version_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {bump}; END"
            )
    for table in _SPATIAL:
        _rtree(table)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for table in _VERSIONED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS demine_bump_data_version()")
    else:
        for table in _VERSIONED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version_{event}")
        for table in _SPATIAL:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS rtree_{table}_{event}")
            op.execute(f"DROP TABLE IF EXISTS rtree_{table}")
    op.drop_table("data_versions")
