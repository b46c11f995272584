"""explosive ordnance risk education sessions

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE = "eore_sessions"
INDEXED = ("country", "held_on", "district_id")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("target_group", sa.String(length=30), nullable=False),
        sa.Column("girls", sa.Integer(), nullable=False),
        sa.Column("boys", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("persons_with_disabilities", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
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
            name=op.f("fk_eore_sessions_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["admin_areas.id"],
            name=op.f("fk_eore_sessions_settlement_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_eore_sessions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_eore_sessions_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eore_sessions")),
        sa.UniqueConstraint("external_id", name=op.f("uq_eore_sessions_external_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(
            "ix_eore_sessions_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        for column in INDEXED:
            batch_op.create_index(batch_op.f(f"ix_eore_sessions_{column}"), [column], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Spatial indexes exist only where the database has spatial types.
        op.create_index("ix_eore_sessions_geometry", TABLE, ["geometry"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(batch_op.f(f"ix_eore_sessions_{column}"))
        batch_op.drop_index("ix_eore_sessions_bbox")
    op.drop_table(TABLE)
