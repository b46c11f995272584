"""quality management: quality inspections and their non-conformities (IMAS 07.12)

Quality assurance visits and quality control samples of operators' work
(``quality_inspections``), and what they found wrong, graded, with the corrective
action owed (``non_conformities``). Both are field reports (drafts until approved).
An approved failed QC of a clearance reopens its land: the land-release figures look
inspections up by the activity they sampled (``ix_quality_inspections_activity_id``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _review_columns() -> list[sa.Column[object]]:
    """Provenance and the approval workflow, as every field report's table has them."""
    return [
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("review_status", sa.String(length=20), server_default="approved", nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("deleted_at", demine.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    ]


def _foreign_key(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    table = "quality_inspections"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("hazard_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("sampled_area_m2", sa.Float(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        *_review_columns(),
        _foreign_key(table, "activity_id", "activities"),
        _foreign_key(table, "hazard_id", "hazard_areas"),
        _foreign_key(table, "import_batch_id", "import_batches"),
        _foreign_key(table, "inspector_id", "organisations"),
        _foreign_key(table, "operator_id", "organisations"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("external_id", name=op.f(f"uq_{table}_external_id")),
    )
    op.create_index(op.f(f"ix_{table}_activity_id"), table, ["activity_id"], unique=False)
    op.create_index(op.f(f"ix_{table}_country"), table, ["country"], unique=False)
    table = "non_conformities"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        *_review_columns(),
        _foreign_key(table, "import_batch_id", "import_batches"),
        _foreign_key(table, "inspection_id", "quality_inspections"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("external_id", name=op.f(f"uq_{table}_external_id")),
    )
    op.create_index(op.f(f"ix_{table}_inspection_id"), table, ["inspection_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_non_conformities_inspection_id"), table_name="non_conformities")
    op.drop_table("non_conformities")
    op.drop_index(op.f("ix_quality_inspections_country"), table_name="quality_inspections")
    op.drop_index(op.f("ix_quality_inspections_activity_id"), table_name="quality_inspections")
    op.drop_table("quality_inspections")
