"""inside a known hazard, kept: each live accident's answer, settled when hazards or
accidents change

Whether an accident lay inside a hazard area known on its date is a spatial test of
every accident against every hazard polygon. It used to run in every casualty report.
Now ``accident_hazard_tests`` keeps each live accident's answer, per country, and
``hazard_test_state`` says whether they are current: triggers on ``hazard_areas`` and
``accidents`` count the changes of each country (whoever writes), and the saving
transaction settles a country whose changes moved past its last test (see
``store/kept_hazard_tests.py``). Readers use the answers only when they are current.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SOURCES = ("hazard_areas", "accidents")
_EVENTS = {"insert": ("INSERT", ("NEW",)), "update": ("UPDATE", ("OLD", "NEW")),
           "delete": ("DELETE", ("OLD",))}  # fmt: skip


_UPSERT = "ON CONFLICT (country) DO UPDATE SET changes = hazard_test_state.changes + 1"


def _bump_row(row: str) -> str:
    """SQLite, per row: one more change in the row's country."""
    return f"INSERT INTO hazard_test_state (country, changes) VALUES ({row}.country, 1) {_UPSERT};"


def _bump_rows(rows: str) -> str:
    """PostgreSQL, per statement: one more change in each country the rows are of."""
    return (
        f"INSERT INTO hazard_test_state (country, changes) "
        f"SELECT DISTINCT country, 1 FROM {rows} {_UPSERT};"
    )


def upgrade() -> None:
    op.create_table(
        "hazard_test_state",
        sa.Column("country", sa.String(length=2), primary_key=True),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("tested", sa.Integer(), nullable=True),
    )
    op.create_table(
        "accident_hazard_tests",
        sa.Column("accident_id", sa.Integer(), primary_key=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("inside", sa.Boolean(), nullable=True),
    )
    op.create_index("ix_accident_hazard_tests_country", "accident_hazard_tests", ["country"])
    postgres = op.get_bind().dialect.name == "postgresql"
    for source in _SOURCES:
        for event, (verb, rows) in _EVENTS.items():
            name = f"{source}_hazard_test_{event}"
            if postgres:
                referencing = " ".join(f"{row} TABLE AS {row.lower()}_rows" for row in rows)
                body = " ".join(_bump_rows(f"{row.lower()}_rows") for row in rows)
                op.execute(
                    f"CREATE FUNCTION demine_{name}() RETURNS trigger AS $$ BEGIN "
                    f"{body} RETURN NULL; END $$ LANGUAGE plpgsql"
                )
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {verb} ON {source} REFERENCING {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION demine_{name}()"
                )
            else:
                body = " ".join(_bump_row(row) for row in rows)
                op.execute(f"CREATE TRIGGER {name} AFTER {verb} ON {source} BEGIN {body} END")
    # Every country with accidents starts untested: the next saving transaction (or
    # ``demine db upgrade`` itself, which ends with one) settles it.
    op.execute(
        "INSERT INTO hazard_test_state (country, changes) SELECT DISTINCT country, 1 FROM accidents"
    )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for source in _SOURCES:
        for event in _EVENTS:
            name = f"{source}_hazard_test_{event}"
            if postgres:
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {source}")
                op.execute(f"DROP FUNCTION IF EXISTS demine_{name}()")
            else:
                op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_accident_hazard_tests_country", table_name="accident_hazard_tests")
    op.drop_table("accident_hazard_tests")
    op.drop_table("hazard_test_state")
