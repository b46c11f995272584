"""The one schema definition, used by both SQLite and PostgreSQL/PostGIS.

Every register table carries a stable ``external_id`` (or ``code``) so that importing
the same file twice changes nothing, the ``import_batch_id`` of the import that last
wrote it (provenance), and a bounding box (``min_x`` … ``max_y``) so that SQLite can
filter by area without a spatial extension. Areas are stored in square metres.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from demine.store.geometry import Geometry
from demine.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _provenance() -> list[Column[object]]:
    return [
        Column("import_batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    ]


def _review() -> list[Column[object]]:
    """The approval workflow and soft delete of field reports (see domain/workflow.py).

    Imported records are approved on import; only approved, undeleted rows feed reports.
    ``version`` grows with every change and is the ETag of the web API.
    """
    return [
        Column("review_status", String(20), nullable=False, server_default="approved"),
        Column("review_note", Text),
        Column("created_by", String(100)),
        Column("deleted_at", UtcDateTime()),
        Column("version", Integer, nullable=False, server_default="1"),
    ]


def _bbox() -> list[Column[object]]:
    return [
        Column("min_x", Float),
        Column("min_y", Float),
        Column("max_x", Float),
        Column("max_y", Float),
    ]


import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("file_name", String(400), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("country", String(2), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("rows_total", Integer, nullable=False),
    Column("rows_inserted", Integer, nullable=False),
    Column("rows_updated", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)

admin_areas = Table(
    "admin_areas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("country", String(2), nullable=False, index=True),
    Column("level", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("parent_id", Integer, ForeignKey("admin_areas.id"), nullable=True),
    Column("reporting_order", Integer, nullable=True),
    Column("geometry_approximate", Boolean, nullable=False, default=False),
    Column("geometry", Geometry, nullable=True),
    *_bbox(),
    *_provenance(),
)

admin_area_aliases = Table(
    "admin_area_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("admin_areas.id", ondelete="CASCADE"), nullable=False),
    Column("alias", String(200), nullable=False),
    Column("alias_key", String(200), nullable=False, index=True),
    UniqueConstraint("area_id", "alias", name="uq_admin_area_aliases_area_alias"),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    *_provenance(),
)

hazard_areas = Table(
    "hazard_areas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False, index=True),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("name", String(300)),
    Column("classification", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("evidence", Text),
    Column("contamination", String(200)),
    Column("estimated_area_m2", Float),
    Column("remaining_area_m2", Float),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
    *_review(),
)

hazard_status_changes = Table(
    "hazard_status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("hazard_id", Integer, ForeignKey("hazard_areas.id"), nullable=False, index=True),
    Column("changed_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", Text),
    *_provenance(),
    *_review(),
)

#: Rows dated only to a month or a year: a day-dated row is inside a period or outside it.
ROUGH_DATES = "date_precision != 'day'"
#: Every column the figures' aggregates read: SQLite answers them from the index alone.
ACTIVITY_FIGURE_COLUMNS = (
    "country", "end_date", "district_id", "area_cleared_m2", "area_reduced_m2",
    "area_cancelled_m2", "review_status", "deleted_at",
)  # fmt: skip
FIND_FIGURE_COLUMNS = (
    "country", "found_earliest", "found_latest", "district_id", "category", "quantity",
    "review_status", "deleted_at",
)  # fmt: skip

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("hazard_id", Integer, ForeignKey("hazard_areas.id"), nullable=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("area_cancelled_m2", Float, nullable=False),
    Column("area_reduced_m2", Float, nullable=False),
    Column("area_cleared_m2", Float, nullable=False),
    Column("team_days", Float),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
    *_review(),
    # Covers the land-release aggregates (bulletins, statistics): no table lookups.
    Index("ix_activities_figures", *ACTIVITY_FIGURE_COLUMNS),
)

device_finds = Table(
    "device_finds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("activity_id", Integer, ForeignKey("activities.id"), nullable=True, index=True),
    Column("category", String(20), nullable=False),
    Column("model", String(100)),
    Column("quantity", Integer, nullable=False),
    Column("found_earliest", Date, nullable=False),
    Column("found_latest", Date, nullable=False),
    Column("date_precision", String(10), nullable=False),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
    *_review(),
    # Covers the devices-found aggregates (bulletins, statistics): no table lookups.
    Index("ix_device_finds_figures", *FIND_FIGURE_COLUMNS),
    # Finds dated only to a month or a year (few): what a period cannot attribute.
    Index(
        "ix_device_finds_rough_dates",
        "country",
        "found_earliest",
        sqlite_where=text(ROUGH_DATES),
        postgresql_where=text(ROUGH_DATES),
    ),
)

reported_summaries = Table(
    "reported_summaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("authority", String(200), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=True),
    Column("ap_mines", Integer),
    Column("at_mines", Integer),
    Column("uxo", Integer),
    Column("other_devices", Integer),
    Column("area_cleared_m2", Float),
    Column("source_reference", String(1000)),
    Column("source_text", Text),
    Column("districts", String(1000)),
    *_provenance(),
    Index("ix_reported_summaries_country_period", "country", "period_start", "period_end"),
)

accidents = Table(
    "accidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("settlement_id", Integer, ForeignKey("admin_areas.id"), nullable=True),
    Column("occurred_earliest", Date, nullable=False),
    Column("occurred_latest", Date, nullable=False),
    Column("date_precision", String(10), nullable=False),
    Column("device_category", String(20)),
    Column("device_model", String(100)),
    Column("activity_at_time", String(200)),
    Column("demining_accident", Boolean),
    Column("inside_known_hazard", Boolean),
    Column("source", String(1000)),
    Column("narrative", Text),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
    *_review(),
    Index("ix_accidents_country_occurred", "country", "occurred_earliest", "occurred_latest"),
)

victims = Table(
    "victims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("accident_id", Integer, ForeignKey("accidents.id"), nullable=False, index=True),
    Column("sex", String(10), nullable=False),
    Column("category", String(20), nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("age", Integer),
    Column("age_band", String(10)),
    *_provenance(),
    *_review(),
)

# Personal data, kept apart from the statistics: read only with the victim-data
# permission, and every read is written to access_log.
victim_identifiers = Table(
    "victim_identifiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("victim_id", Integer, ForeignKey("victims.id"), nullable=False, unique=True),
    Column("full_name", String(300)),
    Column("id_number", String(100)),
    Column("contact", String(300)),
    Column("address", String(500)),
    Column("medical_notes", Text),
    *_provenance(),
)

casualty_baselines = Table(
    "casualty_baselines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("total", Integer, nullable=False),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("children", Integer),
    Column("women", Integer),
    Column("civilians", Integer),
    Column("source_reference", String(1000)),
    Column("source_text", Text),
    *_provenance(),
)

access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("table_name", String(60), nullable=False),
    Column("record_keys", Text, nullable=False),
    Column("purpose", String(500)),
)

record_history = Table(
    "record_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("table_name", String(60), nullable=False),
    Column("record_key", String(100), nullable=False),
    Column("superseded_at", UtcDateTime(), nullable=False),
    Column("superseded_by_batch_id", Integer, ForeignKey("import_batches.id"), nullable=True),
    Column("data", JSON, nullable=False),
    # Who replaced this version, and how (update, delete, submit, approve, reject, import).
    Column("changed_by", String(200)),
    Column("action", String(40)),
    Index("ix_record_history_record", "table_name", "record_key"),
)

# Minefield records handed over by the other side: security-sensitive, never published.
minefield_records = Table(
    "minefield_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False, index=True),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("source", String(300), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("record_type", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("declared_ap_mines", Integer),
    Column("declared_at_mines", Integer),
    Column("declared_other_devices", Integer),
    Column("declared_models", String(1000)),
    Column("stated_uncertainty_m", Float),
    Column("notes", Text),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
)

minefield_rows = Table(
    "minefield_rows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("record_id", Integer, ForeignKey("minefield_records.id"), nullable=False, index=True),
    Column("category", String(20), nullable=False),
    Column("model", String(100)),
    Column("declared_count", Integer),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
)

minefield_points = Table(
    "minefield_points",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("record_id", Integer, ForeignKey("minefield_records.id"), nullable=False, index=True),
    Column("point_type", String(20), nullable=False),
    Column("description", Text),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
)

# Scans and photos of records, stored in the database so that they are backed up and
# access-controlled with the record; the same bytes are stored once per record.
record_attachments = Table(
    "record_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record_id", Integer, ForeignKey("minefield_records.id"), nullable=False, index=True),
    Column("file_name", String(400), nullable=False),
    Column("media_type", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("attached_at", UtcDateTime(), nullable=False),
    UniqueConstraint("record_id", "sha256", name="uq_record_attachments_record_sha256"),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200)),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(40), nullable=False),
    Column("victim_data", Boolean, nullable=False, default=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime()),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    # Only a SHA-256 of the token is kept: a stolen database gives no usable token.
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime()),
    Column("revoked", Boolean, nullable=False, default=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_username_at", "username", "at"),
)

# Append-only: the migration adds triggers that refuse UPDATE and DELETE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("table_name", String(60), nullable=False),
    Column("record_key", String(100), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_log_record", "table_name", "record_key"),
)


# Planned reconstruction, resettlement and energy projects, and the ground they need.
development_projects = Table(
    "development_projects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("external_id", String(100), nullable=False, unique=True),
    Column("country", String(2), nullable=False, index=True),
    Column("district_id", Integer, ForeignKey("admin_areas.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("owner", String(300)),
    Column("priority", Integer, nullable=False),
    Column("people_benefiting", Integer),
    Column("planned_start", Date),
    Column("buffer_m", Float, nullable=False),
    Column("notes", Text),
    Column("geometry", Geometry),
    *_bbox(),
    *_provenance(),
    *_review(),
)


SPATIAL_TABLES = (
    admin_areas,
    hazard_areas,
    activities,
    device_finds,
    accidents,
    minefield_records,
    minefield_rows,
    minefield_points,
    development_projects,
)

for _table in SPATIAL_TABLES:
    Index(f"ix_{_table.name}_bbox", _table.c.min_x, _table.c.min_y, _table.c.max_x, _table.c.max_y)
    Index(f"ix_{_table.name}_geometry", _table.c.geometry, postgresql_using="gist").ddl_if(
        dialect="postgresql"
    )
