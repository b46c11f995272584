"""finds kept by year: live finds by district, the years of their dates and category

``figures_finds`` counts the live finds by day; a summary of whole calendar years read
from it groups some 20,000 day rows a year. ``figures_finds_by_year`` counts the same
finds by the years of their earliest and latest dates (a few hundred rows): a find
dated only to a year keeps that year at both ends, and one whose dates span two years
keeps both, so that a window of whole years selects exactly the finds whose whole date
range lies inside it, as the day table does. Kept by triggers on ``device_finds`` named
as migration 0008's (the columnar import replaces them by name), filled here.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_TABLE = "figures_finds_by_year"
_SOURCE = "device_finds"
_KEYS = ("country", "district_id", "first_year", "last_year", "category")
#: The keys that are the year of a date column of the find.
_YEARS = {"first_year": "found_earliest", "last_year": "found_latest"}
#: The index readers use: by country and years first (as the other aggregates').
_BY_DATE = ["country", "first_year", "last_year", "category", "district_id", "devices", "records"]

_LIVE = "{row}.review_status = 'approved' AND {row}.deleted_at IS NULL"


def _year(postgres: bool, column: str) -> str:
    """The calendar year of a date ``column``, as an integer (as the recount reads it)."""
    if postgres:
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(STRFTIME('%Y', {column}) AS INTEGER)"


def _value(postgres: bool, row: str, key: str) -> str:
    """``row``'s value of ``key`` (``row`` a table, its alias, NEW or OLD)."""
    dated = _YEARS.get(key)
    return _year(postgres, f"{row}.{dated}") if dated else f"{row}.{key}"


def _grouped(rows: str) -> str:
    """PostgreSQL: the live ``rows``' figures by key (``rows`` a table or transition table)."""
    keys = ", ".join(f"{_value(True, 'r', key)} AS {key}" for key in _KEYS)
    groups = ", ".join(_value(True, "r", key) for key in _KEYS)
    return (
        f"SELECT {keys}, SUM(r.quantity) AS devices, COUNT(*) AS records FROM {rows} AS r "
        f"WHERE {_LIVE.format(row='r')} GROUP BY {groups}"
    )


def _postgres_triggers() -> None:
    """One trigger per statement reading the changed rows as a whole, as 0008's."""
    key_list = ", ".join(_KEYS)
    match = " AND ".join(f"{_TABLE}.{key} = gone.{key}" for key in _KEYS)

    def add(rows: str) -> str:
        return (
            f"INSERT INTO {_TABLE} ({key_list}, devices, records) {_grouped(rows)} "
            f"ON CONFLICT ({key_list}) DO UPDATE SET "
            f"devices = {_TABLE}.devices + EXCLUDED.devices, "
            f"records = {_TABLE}.records + EXCLUDED.records;"
        )

    def take(rows: str) -> str:
        return (
            f"UPDATE {_TABLE} SET devices = {_TABLE}.devices - gone.devices, "
            f"records = {_TABLE}.records - gone.records FROM ({_grouped(rows)}) AS gone "
            f"WHERE {match}; DELETE FROM {_TABLE} WHERE records = 0;"
        )

    bodies = {
        "insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows", add("new_rows")),
        "update": (
            "UPDATE",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            take("old_rows") + " " + add("new_rows"),
        ),
        "delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows", take("old_rows")),
    }
    for event, (verb, referencing, body) in bodies.items():
        op.execute(
            f"CREATE FUNCTION demine_{_TABLE}_{event}() RETURNS trigger AS $$ BEGIN "
            f"{body} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {_TABLE}_{event} AFTER {verb} ON {_SOURCE} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION demine_{_TABLE}_{event}()"
        )


def _sqlite_triggers() -> None:
    """One trigger per changed row, as 0008's."""
    key_list = ", ".join(_KEYS)
    new_values = ", ".join(_value(False, "NEW", key) for key in _KEYS)
    add = (
        f"INSERT INTO {_TABLE} ({key_list}, devices, records) "
        f"VALUES ({new_values}, NEW.quantity, 1) ON CONFLICT ({key_list}) DO UPDATE SET "
        f"devices = {_TABLE}.devices + excluded.devices, records = {_TABLE}.records + 1"
    )
    match = " AND ".join(f"{key} = {_value(False, 'OLD', key)}" for key in _KEYS)
    take = (
        f"UPDATE {_TABLE} SET devices = devices - OLD.quantity, records = records - 1 "
        f"WHERE {match}; DELETE FROM {_TABLE} WHERE records = 0 AND {match}"
    )
    old_live, new_live = _LIVE.format(row="OLD"), _LIVE.format(row="NEW")
    for name, verb, when, body in (
        ("take", "UPDATE", old_live, take),
        ("add_updated", "UPDATE", new_live, add),
        ("add", "INSERT", new_live, add),
        ("remove", "DELETE", old_live, take),
    ):
        op.execute(
            f"CREATE TRIGGER {_TABLE}_{name} AFTER {verb} ON {_SOURCE} "
            f"WHEN {when} BEGIN {body}; END"
        )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        _TABLE,
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("devices", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_KEYS, name=f"pk_{_TABLE}"),
    )
    op.create_index(f"ix_{_TABLE}_by_date", _TABLE, _BY_DATE)
    if postgres:
        _postgres_triggers()
    else:
        _sqlite_triggers()
    key_list = ", ".join(_KEYS)
    keys = ", ".join(_value(postgres, _SOURCE, key) for key in _KEYS)
    op.execute(
        f"INSERT INTO {_TABLE} ({key_list}, devices, records) "
        f"SELECT {keys}, SUM(quantity), COUNT(*) FROM {_SOURCE} "
        f"WHERE {_LIVE.format(row=_SOURCE)} GROUP BY {keys}"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {_TABLE}_{event} ON {_SOURCE}")
            op.execute(f"DROP FUNCTION IF EXISTS demine_{_TABLE}_{event}()")
    else:
        for name in ("take", "add_updated", "add", "remove"):
            op.execute(f"DROP TRIGGER IF EXISTS {_TABLE}_{name}")
    op.drop_index(f"ix_{_TABLE}_by_date", table_name=_TABLE)
    op.drop_table(_TABLE)
