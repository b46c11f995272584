"""initial register schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SPATIAL_TABLES = ("admin_areas", "hazard_areas", "activities", "device_finds", "accidents")


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("imported_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_inserted", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_table(
        "admin_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("reporting_order", sa.Integer(), nullable=True),
        sa.Column("geometry_approximate", sa.Boolean(), nullable=False),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_admin_areas_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["admin_areas.id"], name=op.f("fk_admin_areas_parent_id_admin_areas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_admin_areas_code")),
    )
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.create_index(
            "ix_admin_areas_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_admin_areas_country"), ["country"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_organisations_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("code", name=op.f("uq_organisations_code")),
    )
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_key", sa.String(length=100), nullable=False),
        sa.Column("superseded_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.Column("superseded_by_batch_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["superseded_by_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_record_history_superseded_by_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_history")),
    )
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_history_record", ["table_name", "record_key"], unique=False
        )

    op.create_table(
        "accidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=True),
        sa.Column("occurred_earliest", sa.Date(), nullable=False),
        sa.Column("occurred_latest", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("device_category", sa.String(length=20), nullable=True),
        sa.Column("device_model", sa.String(length=100), nullable=True),
        sa.Column("activity_at_time", sa.String(length=200), nullable=True),
        sa.Column("demining_accident", sa.Boolean(), nullable=True),
        sa.Column("inside_known_hazard", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=1000), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["admin_areas.id"], name=op.f("fk_accidents_district_id_admin_areas")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_accidents_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["admin_areas.id"],
            name=op.f("fk_accidents_settlement_id_admin_areas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accidents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_accidents_external_id")),
    )
    with op.batch_alter_table("accidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_accidents_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(
            "ix_accidents_country_occurred",
            ["country", "occurred_earliest", "occurred_latest"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_accidents_district_id"), ["district_id"], unique=False)

    op.create_table(
        "admin_area_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("alias_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["admin_areas.id"],
            name=op.f("fk_admin_area_aliases_area_id_admin_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_area_aliases")),
        sa.UniqueConstraint("area_id", "alias", name="uq_admin_area_aliases_area_alias"),
    )
    with op.batch_alter_table("admin_area_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_admin_area_aliases_alias_key"), ["alias_key"], unique=False
        )

    op.create_table(
        "hazard_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("classification", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("contamination", sa.String(length=200), nullable=True),
        sa.Column("estimated_area_m2", sa.Float(), nullable=True),
        sa.Column("remaining_area_m2", sa.Float(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["admin_areas.id"],
            name=op.f("fk_hazard_areas_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_hazard_areas_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_areas")),
        sa.UniqueConstraint("external_id", name=op.f("uq_hazard_areas_external_id")),
    )
    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hazard_areas_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hazard_areas_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hazard_areas_district_id"), ["district_id"], unique=False
        )

    op.create_table(
        "reported_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("ap_mines", sa.Integer(), nullable=True),
        sa.Column("at_mines", sa.Integer(), nullable=True),
        sa.Column("uxo", sa.Integer(), nullable=True),
        sa.Column("other_devices", sa.Integer(), nullable=True),
        sa.Column("area_cleared_m2", sa.Float(), nullable=True),
        sa.Column("source_reference", sa.String(length=1000), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("districts", sa.String(length=1000), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["admin_areas.id"],
            name=op.f("fk_reported_summaries_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_reported_summaries_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reported_summaries")),
        sa.UniqueConstraint("external_id", name=op.f("uq_reported_summaries_external_id")),
    )
    with op.batch_alter_table("reported_summaries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reported_summaries_country_period",
            ["country", "period_start", "period_end"],
            unique=False,
        )

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("area_cancelled_m2", sa.Float(), nullable=False),
        sa.Column("area_reduced_m2", sa.Float(), nullable=False),
        sa.Column("area_cleared_m2", sa.Float(), nullable=False),
        sa.Column("team_days", sa.Float(), nullable=True),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["admin_areas.id"], name=op.f("fk_activities_district_id_admin_areas")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard_areas.id"], name=op.f("fk_activities_hazard_id_hazard_areas")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_activities_import_batch_id_import_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_activities_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint("external_id", name=op.f("uq_activities_external_id")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activities_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index("ix_activities_country_end", ["country", "end_date"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_activities_district_id"), ["district_id"], unique=False
        )

    op.create_table(
        "hazard_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_id"],
            ["hazard_areas.id"],
            name=op.f("fk_hazard_status_changes_hazard_id_hazard_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_hazard_status_changes_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_status_changes")),
        sa.UniqueConstraint("external_id", name=op.f("uq_hazard_status_changes_external_id")),
    )
    with op.batch_alter_table("hazard_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hazard_status_changes_hazard_id"), ["hazard_id"], unique=False
        )

    op.create_table(
        "device_finds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("found_earliest", sa.Date(), nullable=False),
        sa.Column("found_latest", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name=op.f("fk_device_finds_activity_id_activities")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["admin_areas.id"],
            name=op.f("fk_device_finds_district_id_admin_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_device_finds_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_finds")),
        sa.UniqueConstraint("external_id", name=op.f("uq_device_finds_external_id")),
    )
    with op.batch_alter_table("device_finds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_device_finds_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            "ix_device_finds_bbox", ["min_x", "min_y", "max_x", "max_y"], unique=False
        )
        batch_op.create_index(
            "ix_device_finds_country_found",
            ["country", "found_earliest", "found_latest"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_device_finds_district_id"), ["district_id"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # Spatial indexes exist only where the database has spatial types.
        for table in SPATIAL_TABLES:
            op.create_index(f"ix_{table}_geometry", table, ["geometry"], postgresql_using="gist")


def downgrade() -> None:
    with op.batch_alter_table("device_finds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_finds_district_id"))
        batch_op.drop_index("ix_device_finds_country_found")
        batch_op.drop_index("ix_device_finds_bbox")
        batch_op.drop_index(batch_op.f("ix_device_finds_activity_id"))

    op.drop_table("device_finds")
    with op.batch_alter_table("hazard_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_status_changes_hazard_id"))

    op.drop_table("hazard_status_changes")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_district_id"))
        batch_op.drop_index("ix_activities_country_end")
        batch_op.drop_index("ix_activities_bbox")

    op.drop_table("activities")
    with op.batch_alter_table("reported_summaries", schema=None) as batch_op:
        batch_op.drop_index("ix_reported_summaries_country_period")

    op.drop_table("reported_summaries")
    with op.batch_alter_table("hazard_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_areas_district_id"))
        batch_op.drop_index(batch_op.f("ix_hazard_areas_country"))
        batch_op.drop_index("ix_hazard_areas_bbox")

    op.drop_table("hazard_areas")
    with op.batch_alter_table("admin_area_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_area_aliases_alias_key"))

    op.drop_table("admin_area_aliases")
    with op.batch_alter_table("accidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accidents_district_id"))
        batch_op.drop_index("ix_accidents_country_occurred")
        batch_op.drop_index("ix_accidents_bbox")

    op.drop_table("accidents")
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.drop_index("ix_record_history_record")

    op.drop_table("record_history")
    op.drop_table("organisations")
    with op.batch_alter_table("admin_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_areas_country"))
        batch_op.drop_index("ix_admin_areas_bbox")

    op.drop_table("admin_areas")
    op.drop_table("import_batches")
