"""victim assistance: services for survivors (health data, the victim-data grant only)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("victim_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_assistance_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["organisations.id"],
            name=op.f("fk_assistance_provider_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_assistance_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance")),
        sa.UniqueConstraint("external_id", name=op.f("uq_assistance_external_id")),
    )
    with op.batch_alter_table("assistance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assistance_victim_id"), ["victim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assistance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistance_victim_id"))
    op.drop_table("assistance")
