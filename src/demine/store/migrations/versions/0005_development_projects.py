"""development projects

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SPATIAL_TABLES = ("development_projects",)


def upgrade() -> None:
    op.create_table(
        "development_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("owner", sa.String(length=300), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("people_benefiting", sa.Integer(), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("buffer_m", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("review_status", sa.String(length=20), server_default="approved", nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("deleted_at", demine.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["admin_areas.id"],
            name=op.f("fk_development_projects_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_development_projects_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_projects")),
        sa.UniqueConstraint("external_id", name=op.f("uq_development_projects_external_id")),
    )
    with op.batch_alter_table("development_projects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_development_projects_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_development_projects_country"), ["country"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_development_projects_district_id"), ["district_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # Spatial indexes exist only where the database has spatial types.
        for table in SPATIAL_TABLES:
            op.create_index(f"ix_{table}_geometry", table, ["geometry"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table("development_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_projects_district_id"))
        batch_op.drop_index(batch_op.f("ix_development_projects_country"))
        batch_op.drop_index("ix_development_projects_bbox")

    op.drop_table("development_projects")
