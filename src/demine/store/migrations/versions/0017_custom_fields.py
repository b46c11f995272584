"""custom fields: one JSON column on every kind table

A programme's fields file adds fields to kinds without code
(:mod:`demine.domain.kinds.custom`); their values are kept in each kind table's
``custom`` column, so adding such a field needs no migration of its own.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: Every kind table (one per kind of the registry). A kind added by a later migration
#: gets the column from its own ``create_table``; one added by a migration before this
#: one must be listed here.
KIND_TABLES = (
    "admin_areas",
    "organisations",
    "hazard_areas",
    "hazard_status_changes",
    "activities",
    "device_finds",
    "reported_summaries",
    "accidents",
    "victims",
    "victim_identifiers",
    "casualty_baselines",
    "minefield_records",
    "minefield_rows",
    "minefield_points",
    "development_projects",
    "accreditations",
    "tasks",
    "quality_inspections",
    "non_conformities",
    "eore_sessions",
    "assistance",
)


def upgrade() -> None:
    for table in KIND_TABLES:
        op.add_column(table, sa.Column("custom", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    for table in KIND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("custom")
