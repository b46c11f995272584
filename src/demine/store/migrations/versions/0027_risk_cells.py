"""risk cells: the predictive risk layer stored in the register

One row per cell of a prediction stored by ``demine risk predict --store``: the cell's
square, its risk and three strongest factors, the model (name, file digest, scorer) and
its events cut-off. Security-sensitive like minefield records. Like every geometry table
it has a bounding-box index (GiST on PostGIS, an R*Tree kept by triggers on SQLite) and
like every table the OGC API serves, a data version raised by triggers (as 0023's).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import demine.store.geometry
import demine.store.types

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TABLE = "risk_cells"
_BOX = "min_x, max_x, min_y, max_y"


def _columns() -> list[sa.Column[object]]:
    factors: list[sa.Column[object]] = []
    for rank in (1, 2, 3):
        factors += [
            sa.Column(f"factor_{rank}", sa.String(length=100), nullable=True),
            sa.Column(f"factor_{rank}_contribution", sa.Float(), nullable=True),
        ]
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("cell", sa.String(length=100), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("model_sha256", sa.String(length=64), nullable=False),
        sa.Column("scorer", sa.String(length=20), nullable=False),
        sa.Column("events_before", sa.Date(), nullable=False),
        sa.Column("predicted_on", sa.Date(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        *factors,
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("geometry", demine.store.geometry.Geometry(), nullable=True),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", demine.store.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("custom", sa.JSON(none_as_null=True), nullable=True),
    ]


def _sqlite_triggers() -> None:
    """The R*Tree of the cells' boxes and the data version, as 0023 keeps them."""
    tree = f"rtree_{TABLE}"
    op.execute(f"CREATE VIRTUAL TABLE {tree} USING rtree(id, {_BOX})")
    insert = (
        f"INSERT INTO {tree} (id, {_BOX}) SELECT NEW.id, NEW.min_x, NEW.max_x, NEW.min_y, "
        "NEW.max_y WHERE NEW.min_x IS NOT NULL"
    )
    op.execute(f"CREATE TRIGGER {tree}_insert AFTER INSERT ON {TABLE} BEGIN {insert}; END")
    op.execute(
        f"CREATE TRIGGER {tree}_update AFTER UPDATE OF id, {_BOX} ON {TABLE} "
        f"BEGIN DELETE FROM {tree} WHERE id = OLD.id; {insert}; END"
    )
    op.execute(
        f"CREATE TRIGGER {tree}_delete AFTER DELETE ON {TABLE} "
        f"BEGIN DELETE FROM {tree} WHERE id = OLD.id; END"
    )
    bump = (
        f"INSERT INTO data_versions (table_name, version) VALUES ('{TABLE}', 1) "
        "ON CONFLICT (table_name) DO UPDATE SET version = version + 1"
    )
    for event in ("INSERT", "UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {TABLE}_data_version_{event.lower()} AFTER {event} ON {TABLE} "
            f"BEGIN {bump}; END"
        )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        TABLE,
        *_columns(),
        sa.ForeignKeyConstraint(
            ["district_id"], ["admin_areas.id"], name=op.f("fk_risk_cells_district_id_admin_areas")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batches.id"],
            name=op.f("fk_risk_cells_import_batch_id_import_batches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_cells")),
        sa.UniqueConstraint("external_id", name=op.f("uq_risk_cells_external_id")),
    )
    op.create_index("ix_risk_cells_bbox", TABLE, ["min_x", "min_y", "max_x", "max_y"])
    op.create_index("ix_risk_cells_district_id", TABLE, ["district_id"])
    op.create_index("ix_risk_cells_country_model", TABLE, ["country", "model"])
    if postgres:
        op.create_index("ix_risk_cells_geometry", TABLE, ["geometry"], postgresql_using="gist")
        op.execute(
            f"CREATE TRIGGER {TABLE}_data_version AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {TABLE} FOR EACH STATEMENT "
            "EXECUTE FUNCTION demine_bump_data_version()"
        )
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_data_version ON {TABLE}")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_data_version_{event}")
            op.execute(f"DROP TRIGGER IF EXISTS rtree_{TABLE}_{event}")
        op.execute(f"DROP TABLE IF EXISTS rtree_{TABLE}")
    op.drop_table(TABLE)
