"""finds and activities kept by year: live finds by district, the years of their dates
and category; land released by district and the year the activity ended

``figures_finds`` counts the live finds by day; a summary of whole calendar years read
from it groups some 20,000 day rows a year. ``figures_finds_by_year`` counts the same
finds by the years of their earliest and latest dates (a few hundred rows): a find
dated only to a year keeps that year at both ends, and one whose dates span two years
keeps both, so that a window of whole years selects exactly the finds whose whole date
range lies inside it, as the day table does. ``figures_activities_by_year`` sums land
released by the year the activity ended. Kept by triggers on the source tables named as
migration 0008's (the columnar import replaces them by name), filled here.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_LIVE = "{row}.review_status = 'approved' AND {row}.deleted_at IS NULL"


class _Kept(NamedTuple):
    """A table kept by year: its source, its keys (with the source date column whose
    year a key holds), its sums ``(name, source column, type)``. (A named tuple: Alembic
    loads a revision outside ``sys.modules``, where a dataclass cannot be made.)"""

    table: str
    source: str
    keys: tuple[tuple[str, sa.types.TypeEngine[Any], str | None], ...]
    sums: tuple[tuple[str, str, sa.types.TypeEngine[Any]], ...]

    @property
    def names(self) -> list[str]:
        return [name for name, _kind, _dated in self.keys]

    @property
    def by_date(self) -> list[str]:
        """The index readers use: by country and years first (as the other aggregates')."""
        years = [name for name, _kind, dated in self.keys if dated]
        others = [n for n in self.names if n not in ("country", "district_id", *years)]
        sums = [name for name, _of, _kind in self.sums]
        return ["country", *years, *others, "district_id", *sums, "records"]

    def value(self, postgres: bool, row: str, key: str) -> str:
        """``row``'s value of ``key`` (``row`` a table, its alias, NEW or OLD)."""
        dated = {name: of for name, _kind, of in self.keys}[key]
        return _year(postgres, f"{row}.{dated}") if dated else f"{row}.{key}"


_TABLES = (
    _Kept(
        "figures_finds_by_year",
        "device_finds",
        (
            ("country", sa.String(length=2), None),
            ("district_id", sa.Integer(), None),
            ("first_year", sa.Integer(), "found_earliest"),
            ("last_year", sa.Integer(), "found_latest"),
            ("category", sa.String(length=20), None),
        ),
        (("devices", "quantity", sa.Integer()),),
    ),
    _Kept(
        "figures_activities_by_year",
        "activities",
        (
            ("country", sa.String(length=2), None),
            ("district_id", sa.Integer(), None),
            ("end_year", sa.Integer(), "end_date"),
        ),
        (
            ("cleared_m2", "area_cleared_m2", sa.Float()),
            ("reduced_m2", "area_reduced_m2", sa.Float()),
            ("cancelled_m2", "area_cancelled_m2", sa.Float()),
        ),
    ),
)


def _year(postgres: bool, column: str) -> str:
    """The calendar year of a date ``column``, as an integer (as the recount reads it)."""
    if postgres:
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(STRFTIME('%Y', {column}) AS INTEGER)"


def _grouped(kept: _Kept, postgres: bool, rows: str) -> str:
    """The live ``rows``' figures by key (``rows`` a table or transition table)."""
    keys = ", ".join(f"{kept.value(postgres, 'r', key)} AS {key}" for key in kept.names)
    groups = ", ".join(kept.value(postgres, "r", key) for key in kept.names)
    sums = "".join(f"SUM(r.{of}) AS {name}, " for name, of, _kind in kept.sums)
    return (
        f"SELECT {keys}, {sums}COUNT(*) AS records FROM {rows} AS r "
        f"WHERE {_LIVE.format(row='r')} GROUP BY {groups}"
    )


def _postgres_triggers(kept: _Kept) -> None:
    """One trigger per statement reading the changed rows as a whole, as 0008's."""
    table, key_list = kept.table, ", ".join(kept.names)
    names = [*(name for name, _of, _kind in kept.sums), "records"]
    match = " AND ".join(f"{table}.{key} = gone.{key}" for key in kept.names)
    added = ", ".join(f"{n} = {table}.{n} + EXCLUDED.{n}" for n in names)
    taken = ", ".join(f"{n} = {table}.{n} - gone.{n}" for n in names)

    def add(rows: str) -> str:
        return (
            f"INSERT INTO {table} ({key_list}, {', '.join(names)}) "
            f"{_grouped(kept, True, rows)} ON CONFLICT ({key_list}) DO UPDATE SET {added};"
        )

    def take(rows: str) -> str:
        # A kept table holds a few hundred rows: the emptied ones are found by scan.
        return (
            f"UPDATE {table} SET {taken} FROM ({_grouped(kept, True, rows)}) AS gone "
            f"WHERE {match}; DELETE FROM {table} WHERE records = 0;"
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
            f"CREATE FUNCTION demine_{table}_{event}() RETURNS trigger AS $$ BEGIN "
            f"{body} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_{event} AFTER {verb} ON {kept.source} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION demine_{table}_{event}()"
        )


def _sqlite_triggers(kept: _Kept) -> None:
    """One trigger per changed row, as 0008's."""
    table, key_list = kept.table, ", ".join(kept.names)
    sum_names = "".join(f"{name}, " for name, _of, _kind in kept.sums)
    new_values = ", ".join(kept.value(False, "NEW", key) for key in kept.names)
    new_sums = "".join(f"NEW.{of}, " for _name, of, _kind in kept.sums)
    added = "".join(f"{n} = {table}.{n} + excluded.{n}, " for n, _of, _kind in kept.sums)
    add = (
        f"INSERT INTO {table} ({key_list}, {sum_names}records) "
        f"VALUES ({new_values}, {new_sums}1) ON CONFLICT ({key_list}) DO UPDATE SET "
        f"{added}records = {table}.records + 1"
    )
    match = " AND ".join(f"{key} = {kept.value(False, 'OLD', key)}" for key in kept.names)
    taken = "".join(f"{n} = {n} - OLD.{of}, " for n, of, _kind in kept.sums)
    take = (
        f"UPDATE {table} SET {taken}records = records - 1 WHERE {match}; "
        f"DELETE FROM {table} WHERE records = 0 AND {match}"
    )
    old_live, new_live = _LIVE.format(row="OLD"), _LIVE.format(row="NEW")
    for name, verb, when, body in (
        ("take", "UPDATE", old_live, take),
        ("add_updated", "UPDATE", new_live, add),
        ("add", "INSERT", new_live, add),
        ("remove", "DELETE", old_live, take),
    ):
        op.execute(
            f"CREATE TRIGGER {table}_{name} AFTER {verb} ON {kept.source} "
            f"WHEN {when} BEGIN {body}; END"
        )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for kept in _TABLES:
        op.create_table(
            kept.table,
            *(sa.Column(name, kind, nullable=False) for name, kind, _dated in kept.keys),
            *(sa.Column(name, kind, nullable=False) for name, _of, kind in kept.sums),
            sa.Column("records", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(*kept.names, name=f"pk_{kept.table}"),
        )
        op.create_index(f"ix_{kept.table}_by_date", kept.table, kept.by_date)
        if postgres:
            _postgres_triggers(kept)
        else:
            _sqlite_triggers(kept)
        sums = "".join(f"{name}, " for name, _of, _kind in kept.sums)
        op.execute(
            f"INSERT INTO {kept.table} ({', '.join(kept.names)}, {sums}records) "
            f"{_grouped(kept, postgres, kept.source)}"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for kept in _TABLES:
        if postgres:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {kept.table}_{event} ON {kept.source}")
                op.execute(f"DROP FUNCTION IF EXISTS demine_{kept.table}_{event}()")
        else:
            for name in ("take", "add_updated", "add", "remove"):
                op.execute(f"DROP TRIGGER IF EXISTS {kept.table}_{name}")
        op.drop_index(f"ix_{kept.table}_by_date", table_name=kept.table)
        op.drop_table(kept.table)
