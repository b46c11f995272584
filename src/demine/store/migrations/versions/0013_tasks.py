"""tasks and operators' accreditations

Operators' accreditation per method with the days it is valid (``accreditations``),
and the task orders issued to them for hazardous areas (``tasks``), both described in
the registry of kinds (``domain/kinds/tasks.py``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _provenance() -> list[sa.Column[object]]:
    return [
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "accreditations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        *_provenance(),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_accreditations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_accreditations_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditations")),
        sa.UniqueConstraint("external_id", name=op.f("uq_accreditations_external_id")),
    )
    op.create_index(
        op.f("ix_accreditations_organisation_id"),
        "accreditations",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("planned_start", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("hazards", sa.Text(), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("assets", sa.String(length=100), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("activities", sa.Text(), nullable=True),
        sa.Column("safety_notes", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        *_provenance(),
        sa.Column("review_status", sa.String(length=20), server_default="approved", nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("deleted_at", demine.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["admin_areas.id"], name=op.f("fk_tasks_district_id_admin_areas")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_tasks_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_tasks_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tasks_external_id")),
    )
    op.create_index("ix_tasks_bbox", "tasks", ["min_x", "min_y", "max_x", "max_y"], unique=False)
    for column in ("country", "district_id", "organisation_id"):
        op.create_index(op.f(f"ix_tasks_{column}"), "tasks", [column], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Spatial indexes exist only where the database has spatial types.
        op.create_index("ix_tasks_geometry", "tasks", ["geometry"], postgresql_using="gist")


def downgrade() -> None:
    op.drop_table("tasks")
    op.drop_table("accreditations")
