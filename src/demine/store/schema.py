"""The one schema definition, used by both SQLite and PostgreSQL/PostGIS.

Every register table carries a stable ``external_id`` (or ``code``) so that importing
the same file twice changes nothing, the ``import_batch_id`` of the import that last
wrote it (provenance), and a bounding box (``min_x`` … ``max_y``) so that SQLite can
filter by area without a spatial extension. Areas are stored in square metres.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
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

from demine.domain.kinds import KINDS
from demine.store.aggregates import AGGREGATES, aggregate_table
from demine.store.kind_tables import kind_table
from demine.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


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

admin_areas = kind_table(metadata, KINDS["admin-areas"], indexed=("country",))

admin_area_aliases = Table(
    "admin_area_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_id", Integer, ForeignKey("admin_areas.id", ondelete="CASCADE"), nullable=False),
    Column("alias", String(200), nullable=False),
    Column("alias_key", String(200), nullable=False, index=True),
    UniqueConstraint("area_id", "alias", name="uq_admin_area_aliases_area_alias"),
)

organisations = kind_table(metadata, KINDS["organisations"])

HAZARD_RECORDED_COLUMNS = ("country", "recorded_on", "district_id", "review_status", "deleted_at")

hazard_areas = kind_table(
    metadata,
    KINDS["hazards"],
    # The hazardous areas a bulletin's period recorded, by day and district, from the
    # index alone (not a scan of every polygon).
    Index("ix_hazard_areas_recorded", *HAZARD_RECORDED_COLUMNS),
    indexed=("country", "district_id"),
)

hazard_status_changes = kind_table(metadata, KINDS["hazard-changes"], indexed=("hazard_id",))

#: Rows dated only to a month or a year: a day-dated row is inside a period or outside it.
ROUGH_DATES = "date_precision != 'day'"
#: Every column the figures' aggregates and their provenance (the import that brought
#: each row) read: SQLite answers them from the index alone.
ACTIVITY_FIGURE_COLUMNS = (
    "country", "end_date", "district_id", "area_cleared_m2", "area_reduced_m2",
    "area_cancelled_m2", "review_status", "deleted_at", "import_batch_id",
)  # fmt: skip
FIND_FIGURE_COLUMNS = (
    "country", "found_earliest", "found_latest", "district_id", "category", "quantity",
    "review_status", "deleted_at", "import_batch_id",
)  # fmt: skip

activities = kind_table(
    metadata,
    KINDS["activities"],
    # Covers the land-release aggregates (bulletins, statistics): no table lookups.
    Index("ix_activities_figures", *ACTIVITY_FIGURE_COLUMNS),
    indexed=("district_id",),
)

device_finds = kind_table(
    metadata,
    KINDS["finds"],
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
    indexed=("district_id", "activity_id"),
)

reported_summaries = kind_table(
    metadata,
    KINDS["summaries"],
    Index("ix_reported_summaries_country_period", "country", "period_start", "period_end"),
)

accidents = kind_table(
    metadata,
    KINDS["accidents"],
    # The organisation whose work it happened in (demining accidents).
    Column("organisation_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Index("ix_accidents_country_occurred", "country", "occurred_earliest", "occurred_latest"),
    indexed=("district_id",),
)

victims = kind_table(metadata, KINDS["victims"], indexed=("accident_id",))

# Personal data, kept apart from the statistics: read only with the victim-data
# permission, and every read is written to access_log.
victim_identifiers = kind_table(metadata, KINDS["victim-identifiers"])

# Victim assistance: health data like the identifiers (the victim-data grant only).
assistance = kind_table(metadata, KINDS["assistance"], indexed=("victim_id",))

casualty_baselines = kind_table(metadata, KINDS["casualty-baselines"])

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
minefield_records = kind_table(
    metadata, KINDS["minefield-records"], indexed=("country", "district_id")
)

minefield_rows = kind_table(metadata, KINDS["minefield-rows"], indexed=("record_id",))

minefield_points = kind_table(metadata, KINDS["minefield-points"], indexed=("record_id",))

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
    # The language the user chose to read Demine in (None: their browser's).
    Column("language", String(8)),
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

# Server-side web sessions: the browser holds a random id, the database only its SHA-256,
# so that logging out, disabling a user or changing a password ends a session for good.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("id_sha256", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(100), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("succeeded", Boolean, nullable=False),
    # The caller's network address (None for attempts recorded before revision 0010).
    Column("address", String(100)),
    Index("ix_login_attempts_username_at", "username", "at"),
    Index("ix_login_attempts_address_at", "address", "at"),
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


# Background work (imports started from the web): one row per job, so that any server
# process answers for any job and a restart finds the jobs it interrupted.
jobs = Table(
    "jobs",
    metadata,
    # A random hex string: the URL of a job must not lead to the next one.
    Column("id", String(32), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("file_name", String(255)),
    Column("parameters", JSON, nullable=False),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime()),
    Column("finished_at", UtcDateTime()),
    Column("report", JSON),
    Column("errors", JSON, nullable=False),
    Column("message", Text),
    CheckConstraint(
        "state IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')",
        name="ck_jobs_state",
    ),
    Index("ix_jobs_state", "state"),
    Index("ix_jobs_kind_created_at", "kind", "created_at"),
)


# Planned reconstruction, resettlement and energy projects, and the ground they need.
development_projects = kind_table(metadata, KINDS["projects"], indexed=("country", "district_id"))

# Operators' accreditations per method, and the task orders issued to them.
accreditations = kind_table(metadata, KINDS["accreditations"], indexed=("organisation_id",))
tasks = kind_table(metadata, KINDS["tasks"], indexed=("country", "district_id", "organisation_id"))
# Quality management (IMAS 07.12): a failed QC of a clearance reopens its land, so the
# land-release figures look inspections up by the activity they sampled.
quality_inspections = kind_table(
    metadata, KINDS["quality-inspections"], indexed=("country", "activity_id")
)
non_conformities = kind_table(metadata, KINDS["non-conformities"], indexed=("inspection_id",))
# Explosive ordnance risk education sessions and the people they reached (IMAS 12.10).
eore_sessions = kind_table(
    metadata, KINDS["eore-sessions"], indexed=("country", "held_on", "district_id")
)

# The predictive risk layer (migration 0027, store/risk_layer.py): machine-made cells,
# security-sensitive like minefield records; a layer is replaced whole by country and
# model, so the two are indexed together.
risk_cells = kind_table(
    metadata,
    KINDS["risk-cells"],
    Index("ix_risk_cells_country_model", "country", "model"),
    indexed=("district_id",),
)


# Every version of a field form served over OpenRosa, so that a submission filled in an
# older version is still taken (migration 0020, demine.submissions).
field_form_versions = Table(
    "field_form_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", String(100), nullable=False),
    Column("version", String(100), nullable=False),
    Column("xform", Text, nullable=False),
    Column("served_at", UtcDateTime(), nullable=False),
    UniqueConstraint("form_id", "version", name="uq_field_form_versions_form_version"),
)
# Field submissions (OpenRosa, Kobo and ODK Central exports), kept raw with their files
# before they are mapped into draft records (migration 0020, demine.submissions).
field_submissions = Table(
    "field_submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("instance_id", String(200), nullable=False, unique=True),
    Column("deprecated_id", String(200), index=True),
    Column("form_id", String(100), nullable=False),
    Column("form_version", String(100), nullable=False),
    Column("submitter", String(100), nullable=False),
    # "openrosa", or the name of the export file it was read from.
    Column("source", String(400), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("xml", Text, nullable=False),
    Column("xml_sha256", String(64), nullable=False),
    Column("state", String(20), nullable=False),
    Column("problems", JSON, nullable=False),
    Column("records", JSON, nullable=False),
    CheckConstraint(
        "state IN ('received', 'mapped', 'problems', 'rejected')",
        name="ck_field_submissions_state",
    ),
)
field_submission_files = Table(
    "field_submission_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "submission_id", Integer, ForeignKey("field_submissions.id"), nullable=False, index=True
    ),
    Column("file_name", String(400), nullable=False),
    Column("media_type", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    UniqueConstraint(
        "submission_id", "file_name", name="uq_field_submission_files_submission_name"
    ),
)


# Published news items read by the reader, each waiting for review before its figures
# count (migration 0025, store/news_items.py): the source text, what the reader read
# per field (value, span, confidence, candidates, reason), and once reviewed, the
# values approved per field; the reader's accuracy is measured against those.
news_items = Table(
    "news_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text_sha256", String(64), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("source_name", String(400), nullable=False),
    Column("source_reference", String(1000), nullable=False),
    Column("source_text", Text, nullable=False),
    Column("reading", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("imported_at", UtcDateTime(), nullable=False),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", UtcDateTime()),
    Column("review_note", Text),
    Column("approved", JSON),
    Column("summaries", JSON, nullable=False),
    CheckConstraint("status IN ('submitted', 'approved', 'rejected')", name="ck_news_items_status"),
)

# Whether each live accident lay inside a known hazard area, kept per country and
# settled by the saving transaction when hazards or accidents changed (migration 0009,
# store/kept_hazard_tests.py): ``changes`` is counted by triggers, ``tested`` is the
# count the kept answers were decided at.
hazard_test_state = Table(
    "hazard_test_state",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("changes", Integer, nullable=False),
    Column("tested", Integer, nullable=True),
)
accident_hazard_tests = Table(
    "accident_hazard_tests",
    metadata,
    Column("accident_id", Integer, primary_key=True),
    Column("country", String(2), nullable=False, index=True),
    Column("inside", Boolean, nullable=True),
)

# A counter per table the OGC API serves, raised by triggers on every write (migration
# 0023, store/data_version.py): responses are tagged and cached by it.
data_versions = Table(
    "data_versions",
    metadata,
    Column("table_name", String(63), primary_key=True),
    Column("version", BigInteger, nullable=False),
)

# Figures kept by triggers (store/aggregates.py): live records by district, day, category.
for _aggregate in AGGREGATES:
    aggregate_table(metadata, _aggregate, metadata.tables[_aggregate.source])

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
    tasks,
    eore_sessions,
    risk_cells,
)

for _table in SPATIAL_TABLES:
    Index(f"ix_{_table.name}_bbox", _table.c.min_x, _table.c.min_y, _table.c.max_x, _table.c.max_y)
    Index(f"ix_{_table.name}_geometry", _table.c.geometry, postgresql_using="gist").ddl_if(
        dialect="postgresql"
    )
