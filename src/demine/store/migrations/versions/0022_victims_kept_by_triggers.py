"""victims kept by triggers: live victims by their accident's district, dates and kind

An aggregate table counts the live victims (approved, not deleted) of live accidents by
the accident's country, district, dates and precision, device category and activity,
and by the victim's sex, category, outcome, age and age band: every breakdown casualty
statistics print. A victim has no date or district of its own, so triggers on victims
AND on accidents keep it exact: changing an accident's date, district or status moves
its victims. Unknowns are stored as ``''`` (texts) and ``-1`` (age), since a key has no
NULL. The table is filled from the records here.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_TABLE = "figures_victims"

#: (column, type, expression over an accident ``a`` and a victim ``v``).
_KEYS = (
    ("country", sa.String(length=2), "a.country"),
    ("district_id", sa.Integer(), "a.district_id"),
    ("occurred_earliest", sa.Date(), "a.occurred_earliest"),
    ("occurred_latest", sa.Date(), "a.occurred_latest"),
    ("date_precision", sa.String(length=10), "a.date_precision"),
    ("device_category", sa.String(length=20), "COALESCE(a.device_category, '')"),
    ("activity", sa.String(length=200), "COALESCE(a.activity_at_time, '')"),
    ("sex", sa.String(length=10), "v.sex"),
    ("category", sa.String(length=20), "v.category"),
    ("outcome", sa.String(length=10), "v.outcome"),
    ("age", sa.Integer(), "COALESCE(v.age, -1)"),
    ("age_band", sa.String(length=10), "COALESCE(v.age_band, '')"),
)
_NAMES = [name for name, _type, _expression in _KEYS]
_KEY_LIST = ", ".join(_NAMES)
#: The index readers use: by country and date first (as the other aggregates').
_BY_DATE = ["country", *_NAMES[2:], "district_id", "records"]

_LIVE = "{row}.review_status = 'approved' AND {row}.deleted_at IS NULL"


def _grouped(accidents: str, victims: str) -> str:
    """The live victims of live accidents, counted by key: ``accidents`` and
    ``victims`` are the tables (or transition tables) to read."""
    keys = ", ".join(f"{expression} AS {name}" for name, _type, expression in _KEYS)
    groups = ", ".join(expression for _name, _type, expression in _KEYS)
    return (
        f"SELECT {keys}, COUNT(*) AS records FROM {victims} AS v "
        f"JOIN {accidents} AS a ON a.id = v.accident_id "
        f"WHERE {_LIVE.format(row='v')} AND {_LIVE.format(row='a')} GROUP BY {groups}"
    )


def _add(accidents: str, victims: str) -> str:
    return (
        f"INSERT INTO {_TABLE} ({_KEY_LIST}, records) {_grouped(accidents, victims)} "
        f"ON CONFLICT ({_KEY_LIST}) DO UPDATE SET records = {_TABLE}.records + EXCLUDED.records;"
    )


def _take(accidents: str, victims: str) -> str:
    match = " AND ".join(f"{_TABLE}.{name} = gone.{name}" for name in _NAMES)
    keys = ", ".join(f"{expression} AS {name}" for name, _type, expression in _KEYS)
    return (
        f"UPDATE {_TABLE} SET records = {_TABLE}.records - gone.records "
        f"FROM ({_grouped(accidents, victims)}) AS gone WHERE {match}; "
        f"DELETE FROM {_TABLE} USING (SELECT DISTINCT {keys} FROM {victims} AS v "
        f"JOIN {accidents} AS a ON a.id = v.accident_id) AS gone "
        f"WHERE {_TABLE}.records = 0 AND {match};"
    )


def _postgres_triggers() -> None:
    """One trigger per statement reading the changed rows as a whole (transition
    tables), as migration 0008's: a COPY of victims updates each group once."""
    bodies = {
        ("victims", "insert"): ("INSERT", "NEW TABLE AS new_rows", _add("accidents", "new_rows")),
        ("victims", "update"): (
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            _take("accidents", "old_rows") + " " + _add("accidents", "new_rows"),
        ),
        ("victims", "delete"): ("DELETE", "OLD TABLE AS old_rows", _take("accidents", "old_rows")),
        ("accidents", "update"): (
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            _take("old_rows", "victims") + " " + _add("new_rows", "victims"),
        ),
        ("accidents", "delete"): ("DELETE", "OLD TABLE AS old_rows", _take("old_rows", "victims")),
    }
    for (source, event), (verb, referencing, body) in bodies.items():
        name = f"{_TABLE}_{source}_{event}"
        op.execute(
            f"CREATE FUNCTION demine_{name}() RETURNS trigger AS $$ BEGIN "
            f"{body} RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {verb} ON {source} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION demine_{name}()"
        )


def _one_victim(victim: str) -> tuple[str, str]:
    """SQLite: the SQL adding one ``victim`` (NEW or OLD) to its group and taking it
    away (with the group dropped once empty), its accident read by id."""
    values = ", ".join(expression.replace("v.", f"{victim}.") for _name, _type, expression in _KEYS)
    accident = f"accidents AS a WHERE a.id = {victim}.accident_id AND {_LIVE.format(row='a')}"
    add = (
        f"INSERT INTO {_TABLE} ({_KEY_LIST}, records) SELECT {values}, 1 FROM {accident} "
        f"ON CONFLICT ({_KEY_LIST}) DO UPDATE SET records = {_TABLE}.records + 1"
    )
    # Each key compared with a constant (one lookup of the accident per key), so that
    # the database finds the group by its primary key instead of testing every group.
    match = " AND ".join(
        f"{name} = (SELECT {expression.replace('v.', f'{victim}.')} FROM {accident})"
        for name, _type, expression in _KEYS
    )
    take = (
        f"UPDATE {_TABLE} SET records = records - 1 WHERE {match}; "
        f"DELETE FROM {_TABLE} WHERE records = 0 AND {match}"
    )
    return add, take


def _one_accident(accident: str) -> tuple[str, str]:
    """SQLite: the SQL adding the live victims of one ``accident`` (NEW or OLD) to
    their groups and taking them away (with groups dropped once empty)."""
    accident_keys = _KEYS[:7]
    victim_keys = _KEYS[7:]
    values = ", ".join(
        [
            *(expression.replace("a.", f"{accident}.") for _n, _t, expression in accident_keys),
            *(expression for _n, _t, expression in victim_keys),
        ]
    )
    victims = f"victims AS v WHERE v.accident_id = {accident}.id AND {_LIVE.format(row='v')}"
    groups = ", ".join(expression for _n, _t, expression in victim_keys)
    add = (
        f"INSERT INTO {_TABLE} ({_KEY_LIST}, records) SELECT {values}, COUNT(*) "
        f"FROM {victims} GROUP BY {groups} "
        f"ON CONFLICT ({_KEY_LIST}) DO UPDATE SET records = {_TABLE}.records + EXCLUDED.records"
    )
    prefix = " AND ".join(
        f"{name} = {expression.replace('a.', f'{accident}.')}"
        for name, _type, expression in accident_keys
    )
    same = " AND ".join(f"{expression} = {_TABLE}.{name}" for name, _t, expression in victim_keys)
    take = (
        f"UPDATE {_TABLE} SET records = records - "
        f"(SELECT COUNT(*) FROM {victims} AND {same}) WHERE {prefix}; "
        f"DELETE FROM {_TABLE} WHERE records = 0 AND {prefix}"
    )
    return add, take


def _sqlite_triggers() -> None:
    new_add, _ = _one_victim("NEW")
    _, old_take = _one_victim("OLD")
    accident_add, _ = _one_accident("NEW")
    _, accident_take = _one_accident("OLD")
    old_live, new_live = _LIVE.format(row="OLD"), _LIVE.format(row="NEW")
    triggers = (
        ("victims_take", "UPDATE", "victims", old_live, old_take),
        ("victims_add_updated", "UPDATE", "victims", new_live, new_add),
        ("victims_add", "INSERT", "victims", new_live, new_add),
        ("victims_remove", "DELETE", "victims", old_live, old_take),
        ("accidents_take", "UPDATE", "accidents", old_live, accident_take),
        ("accidents_add_updated", "UPDATE", "accidents", new_live, accident_add),
        ("accidents_remove", "DELETE", "accidents", old_live, accident_take),
    )
    for name, verb, source, when, body in triggers:
        op.execute(
            f"CREATE TRIGGER {_TABLE}_{name} AFTER {verb} ON {source} WHEN {when} BEGIN {body}; END"
        )


def upgrade() -> None:
    op.create_table(
        _TABLE,
        *(sa.Column(name, kind, nullable=False) for name, kind, _expression in _KEYS),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_NAMES, name=f"pk_{_TABLE}"),
    )
    op.create_index(f"ix_{_TABLE}_by_date", _TABLE, _BY_DATE)
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()
    op.execute(f"INSERT INTO {_TABLE} ({_KEY_LIST}, records) {_grouped('accidents', 'victims')}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for source, event in (
            ("victims", "insert"),
            ("victims", "update"),
            ("victims", "delete"),
            ("accidents", "update"),
            ("accidents", "delete"),
        ):
            name = f"{_TABLE}_{source}_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {source}")
            op.execute(f"DROP FUNCTION IF EXISTS demine_{name}()")
    else:
        for name in (
            "victims_take",
            "victims_add_updated",
            "victims_add",
            "victims_remove",
            "accidents_take",
            "accidents_add_updated",
            "accidents_remove",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {_TABLE}_{name}")
    op.drop_index(f"ix_{_TABLE}_by_date", table_name=_TABLE)
    op.drop_table(_TABLE)
