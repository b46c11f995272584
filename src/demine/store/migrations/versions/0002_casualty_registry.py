"""casualty registry

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_keys", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_table(
        "casualty_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("children", sa.Integer(), nullable=True),
        sa.Column("women", sa.Integer(), nullable=True),
        sa.Column("civilians", sa.Integer(), nullable=True),
        sa.Column("source_reference", sa.String(length=1000), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_casualty_baselines_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casualty_baselines")),
        sa.UniqueConstraint("external_id", name=op.f("uq_casualty_baselines_external_id")),
    )
    op.create_table(
        "victims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("accident_id", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("age_band", sa.String(length=10), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["accident_id"], ["accidents.id"], name=op.f("fk_victims_accident_id_accidents")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_victims_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victims")),
        sa.UniqueConstraint("external_id", name=op.f("uq_victims_external_id")),
    )
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_victims_accident_id"), ["accident_id"], unique=False)

    op.create_table(
        "victim_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=True),
        sa.Column("id_number", sa.String(length=100), nullable=True),
        sa.Column("contact", sa.String(length=300), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("medical_notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_victim_identifiers_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_victim_identifiers_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_identifiers")),
        sa.UniqueConstraint("victim_id", name=op.f("uq_victim_identifiers_victim_id")),
    )


def downgrade() -> None:
    op.drop_table("victim_identifiers")
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_victims_accident_id"))

    op.drop_table("victims")
    op.drop_table("casualty_baselines")
    op.drop_table("access_log")
