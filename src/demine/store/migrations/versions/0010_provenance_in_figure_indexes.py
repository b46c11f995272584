"""the import that brought each row, in the figures' covering indexes

A bulletin's provenance counts the finds and activities of its period by the import
that brought them. ``import_batch_id`` was not in the covering indexes of migration
0006, so each of the period's rows was looked up in the table; with it, SQLite answers
from the index alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FINDS_COLUMNS = [
    "country", "found_earliest", "found_latest", "district_id", "category", "quantity",
    "review_status", "deleted_at",
]  # fmt: skip
ACTIVITIES_COLUMNS = [
    "country", "end_date", "district_id", "area_cleared_m2", "area_reduced_m2",
    "area_cancelled_m2", "review_status", "deleted_at",
]  # fmt: skip


def _replace(index: str, table: str, columns: list[str]) -> None:
    op.drop_index(index, table_name=table)
    op.create_index(index, table, columns)


def upgrade() -> None:
    _replace("ix_device_finds_figures", "device_finds", [*FINDS_COLUMNS, "import_batch_id"])
    _replace("ix_activities_figures", "activities", [*ACTIVITIES_COLUMNS, "import_batch_id"])


def downgrade() -> None:
    _replace("ix_device_finds_figures", "device_finds", FINDS_COLUMNS)
    _replace("ix_activities_figures", "activities", ACTIVITIES_COLUMNS)
