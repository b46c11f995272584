"""news items for review: read published items wait for review before they count

Each news item ``demine import bulletin`` reads is kept with its source text and what
the reader read per field (value, span, confidence, candidates, reason), waiting for
review; only an approved item's reports become published summaries. The values
approved per field are kept beside what the reader said, so its accuracy can be
measured (``demine report reader-accuracy``).

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.types

revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("source_name", sa.String(length=400), nullable=False),
        sa.Column("source_reference", sa.String(length=1000), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", demine.store.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("approved", sa.JSON(), nullable=True),
        sa.Column("summaries", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'rejected')", name="ck_news_items_status"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_items")),
        sa.UniqueConstraint("text_sha256", name=op.f("uq_news_items_text_sha256")),
    )


def downgrade() -> None:
    op.drop_table("news_items")
