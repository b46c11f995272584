"""figures read in date order: the import batch in the covering indexes, and the kept
figures indexed by date

A bulletin's provenance counts the finds and activities of its period by the import
that brought them. ``import_batch_id`` was not in the covering indexes of migration
0006, so each of the period's rows was looked up in the table; with it, SQLite answers
from the index alone. The kept figures of migration 0008 are keyed district first; a
bulletin reads a span by date, so each gains an index in that order holding every
column read (no sort, no table lookup). Hazardous areas gain one by the day they were
recorded (a bulletin counts those of its period).

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


#: The hazardous areas recorded in a period, by day and district, from the index alone.
HAZARD_RECORDED_COLUMNS = ["country", "recorded_on", "district_id", "review_status", "deleted_at"]
#: Each kept figures table and the columns of its index by date.
BY_DATE = {
    "figures_finds": ["country", "found_earliest", "found_latest", "category", "district_id",
                      "devices", "records"],
    "figures_activities": ["country", "end_date", "district_id", "cleared_m2", "reduced_m2",
                           "cancelled_m2", "records"],
    "figures_accidents": ["country", "occurred_earliest", "occurred_latest", "district_id",
                          "records"],
}  # fmt: skip


def _replace(index: str, table: str, columns: list[str]) -> None:
    op.drop_index(index, table_name=table)
    op.create_index(index, table, columns)


def upgrade() -> None:
    _replace("ix_device_finds_figures", "device_finds", [*FINDS_COLUMNS, "import_batch_id"])
    _replace("ix_activities_figures", "activities", [*ACTIVITIES_COLUMNS, "import_batch_id"])
    for table, columns in BY_DATE.items():
        op.create_index(f"ix_{table}_by_date", table, columns)
    op.create_index("ix_hazard_areas_recorded", "hazard_areas", HAZARD_RECORDED_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_hazard_areas_recorded", table_name="hazard_areas")
    for table in BY_DATE:
        op.drop_index(f"ix_{table}_by_date", table_name=table)
    _replace("ix_device_finds_figures", "device_finds", FINDS_COLUMNS)
    _replace("ix_activities_figures", "activities", ACTIVITIES_COLUMNS)
