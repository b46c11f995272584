"""who changed a record and how, in its history

Every change of a stored row keeps the previous version in ``record_history``; these
columns say who replaced that version (``changed_by``, as the audit log names actors)
and by what action (update, delete, submit, approve, reject, import), so that a
record's history and the register "as known on" a past day show who changed what.
Rows written before this revision leave both empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changed_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("action", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.drop_column("action")
        batch_op.drop_column("changed_by")
