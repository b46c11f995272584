"""field submissions: OpenRosa and Kobo/ODK Central submissions kept raw, with their files

Every version of a field form served to a phone is remembered (with its XForm), so that
a team still holding an older version can send what it filled in. Every submission (its
XML instance, as ODK Collect sent it or as a row of an export was read) is stored before
it is mapped into draft records, in the same transaction, with the state the mapping
left it in, the problems found and the records it made.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.types

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_form_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("xform", sa.Text(), nullable=False),
        sa.Column("served_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_form_versions")),
        sa.UniqueConstraint("form_id", "version", name="uq_field_form_versions_form_version"),
    )
    op.create_table(
        "field_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=200), nullable=False),
        sa.Column("deprecated_id", sa.String(length=200), nullable=True),
        sa.Column("form_id", sa.String(length=100), nullable=False),
        sa.Column("form_version", sa.String(length=100), nullable=False),
        sa.Column("submitter", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=400), nullable=False),
        sa.Column("received_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("xml_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "state IN ('received', 'mapped', 'problems', 'rejected')",
            name="ck_field_submissions_state",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_submissions")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_field_submissions_instance_id")),
    )
    with op.batch_alter_table("field_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_field_submissions_deprecated_id"), ["deprecated_id"], unique=False
        )
    op.create_table(
        "field_submission_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["field_submissions.id"],
            name=op.f("fk_field_submission_files_submission_id_field_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_submission_files")),
        sa.UniqueConstraint(
            "submission_id", "file_name", name="uq_field_submission_files_submission_name"
        ),
    )
    with op.batch_alter_table("field_submission_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_field_submission_files_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("field_submission_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_submission_files_submission_id"))
    op.drop_table("field_submission_files")
    with op.batch_alter_table("field_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_submissions_deprecated_id"))
    op.drop_table("field_submissions")
    op.drop_table("field_form_versions")
