"""figures kept by triggers: live finds, activities and accidents by district and day

Three aggregate tables count the live records (approved, not deleted) of their source
table by country, district, dates (and category for finds), and sum their devices or
released square metres. Triggers on the source tables keep them exact on every insert,
update and delete, whoever writes; the tables are filled from the records here.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: (aggregate table, source table, key columns and their types, (sum, source column, type))
_AGGREGATES = (
    (
        "figures_finds",
        "device_finds",
        (
            ("country", sa.String(length=2)),
            ("district_id", sa.Integer()),
            ("found_earliest", sa.Date()),
            ("found_latest", sa.Date()),
            ("category", sa.String(length=20)),
        ),
        (("devices", "quantity", sa.Integer()),),
    ),
    (
        "figures_activities",
        "activities",
        (("country", sa.String(length=2)), ("district_id", sa.Integer()), ("end_date", sa.Date())),
        (
            ("cleared_m2", "area_cleared_m2", sa.Float()),
            ("reduced_m2", "area_reduced_m2", sa.Float()),
            ("cancelled_m2", "area_cancelled_m2", sa.Float()),
        ),
    ),
    (
        "figures_accidents",
        "accidents",
        (
            ("country", sa.String(length=2)),
            ("district_id", sa.Integer()),
            ("occurred_earliest", sa.Date()),
            ("occurred_latest", sa.Date()),
        ),
        (),
    ),
)

_LIVE = "{row}.review_status = 'approved' AND {row}.deleted_at IS NULL"


def _statements(
    table: str, keys: list[str], sums: list[tuple[str, str]], row: str
) -> tuple[str, str, str]:
    """The SQL adding ``row``'s figures, taking them away, and dropping emptied groups."""
    key_list = ", ".join(keys)
    names = ", ".join([*keys, *(name for name, _ in sums), "records"])
    values = ", ".join([*(f"{row}.{k}" for k in keys), *(f"{row}.{of}" for _, of in sums), "1"])
    added = ", ".join([*(f"{n} = {table}.{n} + excluded.{n}" for n, _ in sums),
                      f"records = {table}.records + 1"])  # fmt: skip
    add = (
        f"INSERT INTO {table} ({names}) VALUES ({values}) "
        f"ON CONFLICT ({key_list}) DO UPDATE SET {added}"
    )
    match = " AND ".join(f"{k} = {row}.{k}" for k in keys)
    taken = ", ".join([*(f"{n} = {n} - {row}.{of}" for n, of in sums), "records = records - 1"])
    take = f"UPDATE {table} SET {taken} WHERE {match}"
    drop = f"DELETE FROM {table} WHERE records = 0 AND {match}"
    return add, take, drop


def _statement_triggers(
    table: str, source: str, keys: list[str], sums: list[tuple[str, str]]
) -> None:
    """PostgreSQL: one trigger per statement, reading the rows it changed as a whole
    (transition tables), so that a COPY of a million rows updates each group once."""
    key_list = ", ".join(keys)
    grouped = ", ".join([key_list, *(f"SUM({of}) AS {name}" for name, of in sums),
                         "COUNT(*) AS records"])  # fmt: skip
    names = ", ".join([*keys, *(name for name, _ in sums), "records"])
    added = ", ".join([*(f"{n} = {table}.{n} + EXCLUDED.{n}" for n, _ in sums),
                       f"records = {table}.records + EXCLUDED.records"])  # fmt: skip
    taken = ", ".join([*(f"{n} = {table}.{n} - gone.{n}" for n, _ in sums),
                       f"records = {table}.records - gone.records"])  # fmt: skip
    match = " AND ".join(f"{table}.{k} = gone.{k}" for k in keys)

    def add(rows: str) -> str:
        return (
            f"INSERT INTO {table} ({names}) SELECT {grouped} FROM {rows} "
            f"WHERE {_LIVE.format(row=rows)} GROUP BY {key_list} "
            f"ON CONFLICT ({key_list}) DO UPDATE SET {added};"
        )

    def take(rows: str) -> str:
        return (
            f"UPDATE {table} SET {taken} FROM (SELECT {grouped} FROM {rows} "
            f"WHERE {_LIVE.format(row=rows)} GROUP BY {key_list}) AS gone WHERE {match}; "
            f"DELETE FROM {table} USING (SELECT DISTINCT {key_list} FROM {rows}) AS gone "
            f"WHERE {table}.records = 0 AND {match};"
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
            f"CREATE TRIGGER {table}_{event} AFTER {verb} ON {source} {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION demine_{table}_{event}()"
        )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, source, keys, sums in _AGGREGATES:
        op.create_table(
            table,
            *(sa.Column(name, kind, nullable=False) for name, kind in keys),
            *(sa.Column(name, kind, nullable=False) for name, _, kind in sums),
            sa.Column("records", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(*(name for name, _ in keys), name=f"pk_{table}"),
        )
        key_names = [name for name, _ in keys]
        sum_pairs = [(name, of) for name, of, _ in sums]
        new_add, _, _ = _statements(table, key_names, sum_pairs, "NEW")
        _, old_take, old_drop = _statements(table, key_names, sum_pairs, "OLD")
        if postgres:
            _statement_triggers(table, source, key_names, sum_pairs)
        else:
            op.execute(
                f"CREATE TRIGGER {table}_take AFTER UPDATE ON {source} "
                f"WHEN {_LIVE.format(row='OLD')} BEGIN {old_take}; {old_drop}; END"
            )
            op.execute(
                f"CREATE TRIGGER {table}_add_updated AFTER UPDATE ON {source} "
                f"WHEN {_LIVE.format(row='NEW')} BEGIN {new_add}; END"
            )
            op.execute(
                f"CREATE TRIGGER {table}_add AFTER INSERT ON {source} "
                f"WHEN {_LIVE.format(row='NEW')} BEGIN {new_add}; END"
            )
            op.execute(
                f"CREATE TRIGGER {table}_remove AFTER DELETE ON {source} "
                f"WHEN {_LIVE.format(row='OLD')} BEGIN {old_take}; {old_drop}; END"
            )
        key_list = ", ".join(key_names)
        sum_names = ", ".join(name for name, _ in sum_pairs)
        sum_values = ", ".join(f"SUM({of})" for _, of in sum_pairs)
        op.execute(
            f"INSERT INTO {table} ({key_list}{', ' if sum_pairs else ''}{sum_names}, records) "
            f"SELECT {key_list}{', ' if sum_pairs else ''}{sum_values}, COUNT(*) FROM {source} "
            f"WHERE {_LIVE.format(row=source)} GROUP BY {key_list}"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, source, _keys, _sums in _AGGREGATES:
        if postgres:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event} ON {source}")
                op.execute(f"DROP FUNCTION IF EXISTS demine_{table}_{event}()")
        else:
            for name in ("take", "add_updated", "add", "remove"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
        op.drop_table(table)
