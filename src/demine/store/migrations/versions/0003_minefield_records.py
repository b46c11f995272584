"""minefield records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SPATIAL_TABLES = ("minefield_records", "minefield_rows", "minefield_points")


def upgrade() -> None:
    op.create_table(
        "minefield_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("declared_ap_mines", sa.Integer(), nullable=True),
        sa.Column("declared_at_mines", sa.Integer(), nullable=True),
        sa.Column("declared_other_devices", sa.Integer(), nullable=True),
        sa.Column("declared_models", sa.String(length=1000), nullable=True),
        sa.Column("stated_uncertainty_m", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["admin_areas.id"],
            name=op.f("fk_minefield_records_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_minefield_records_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minefield_records")),
        sa.UniqueConstraint("external_id", name=op.f("uq_minefield_records_external_id")),
    )
    with op.batch_alter_table("minefield_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_minefield_records_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_minefield_records_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_minefield_records_district_id"), ["district_id"], unique=False
        )

    op.create_table(
        "minefield_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("point_type", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_minefield_points_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["minefield_records.id"],
            name=op.f("fk_minefield_points_record_id_minefield_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minefield_points")),
        sa.UniqueConstraint("external_id", name=op.f("uq_minefield_points_external_id")),
    )
    with op.batch_alter_table("minefield_points", schema=None) as batch_op:
        batch_op.create_index(
            "ix_minefield_points_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_minefield_points_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "minefield_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("declared_count", sa.Integer(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_minefield_rows_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["minefield_records.id"],
            name=op.f("fk_minefield_rows_record_id_minefield_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minefield_rows")),
        sa.UniqueConstraint("external_id", name=op.f("uq_minefield_rows_external_id")),
    )
    with op.batch_alter_table("minefield_rows", schema=None) as batch_op:
        batch_op.create_index(
            "ix_minefield_rows_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_minefield_rows_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("attached_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["minefield_records.id"],
            name=op.f("fk_record_attachments_record_id_minefield_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_attachments")),
        sa.UniqueConstraint("record_id", "sha256", name="uq_record_attachments_record_sha256"),
    )
    with op.batch_alter_table("record_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_attachments_record_id"), ["record_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # Spatial indexes exist only where the database has spatial types.
        for table in SPATIAL_TABLES:
            op.create_index(f"ix_{table}_geometry", table, ["geometry"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table("record_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_attachments_record_id"))

    op.drop_table("record_attachments")
    with op.batch_alter_table("minefield_rows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minefield_rows_record_id"))
        batch_op.drop_index("ix_minefield_rows_bbox")

    op.drop_table("minefield_rows")
    with op.batch_alter_table("minefield_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minefield_points_record_id"))
        batch_op.drop_index("ix_minefield_points_bbox")

    op.drop_table("minefield_points")
    with op.batch_alter_table("minefield_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minefield_records_district_id"))
        batch_op.drop_index(batch_op.f("ix_minefield_records_country"))
        batch_op.drop_index("ix_minefield_records_bbox")

    op.drop_table("minefield_records")
