"""map cells kept by triggers: live located finds, hazard areas and accidents counted by
country and map cell, at two grid levels

A counted vector tile of a national register read a large share of the finds table
for each tile (a parallel scan per tile on PostGIS, a million rows looked up through
the box index on SQLite). ``figures_<layer>_cells_<level>`` keep, per country and cell
of WebMercatorQuad's tiles of zoom ``level`` (``demine.store.kept_cells``; the row from
SQLite's math functions, built in since 3.35), the live records whose
box's south-west corner lies in the cell, the finds' devices, and the sums of the box
centres in whole cells of level 24. Kept by triggers named as migration 0008's (so the
columnar import replaces them by name), filled here.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_LIVE = "{row}.review_status = 'approved' AND {row}.deleted_at IS NULL AND {row}.min_x IS NOT NULL"
_LEVELS = (13, 16)
_CENTRE_LEVEL = 24
_MAX_LATITUDE = 85.0511287798066
_KEYS = ("cell_x", "cell_y", "country")


class _Kept(NamedTuple):
    """A cells table: its source, its level, its plain sums ``(name, source column)``.
    (A named tuple: Alembic loads a revision outside ``sys.modules``.)"""

    table: str
    source: str
    level: int
    sums: tuple[tuple[str, str], ...]
    #: The geometry types counted (None: every type).
    types: tuple[str, ...] | None

    def counted(self, postgres: bool, row: str) -> str:
        """The condition that ``row`` counts: live, located, of the table's types."""
        live = _LIVE.format(row=row)
        if self.types is None:
            return live
        if postgres:
            names = ", ".join(f"'{name.upper()}'" for name in self.types)
            return f"{live} AND GeometryType({row}.geometry) IN ({names})"
        headers = ", ".join(
            f"'{header}'"
            for name in self.types
            for header in (f"01{_WKB_CODES[name]:02X}000000", f"00000000{_WKB_CODES[name]:02X}")
        )
        return f"{live} AND hex(substr({row}.geometry, 1, 5)) IN ({headers})"

    @property
    def sum_names(self) -> list[str]:
        return [*(name for name, _of in self.sums), "centre_x", "centre_y"]


_WKB_CODES = {"Polygon": 3, "MultiPolygon": 6}
# Hazard areas: their polygons only (the map's ``hazards-areas`` layer).
_TABLES = tuple(
    _Kept(f"figures_{layer}_cells_{level}", source, level, sums, types)
    for source, layer, sums, types in (
        ("device_finds", "finds", (("devices", "quantity"),), None),
        ("hazard_areas", "hazards", (), ("Polygon", "MultiPolygon")),
        ("accidents", "accidents", (), None),
    )
    for level in _LEVELS
)


def _number(postgres: bool, value: float) -> str:
    return f"CAST({value!r} AS DOUBLE PRECISION)" if postgres else repr(value)


def _whole(postgres: bool, position: str, integer: str) -> str:
    """The whole number at or below a non-negative ``position`` (as
    ``kept_cells.whole_below`` writes it, then cast as the recount casts it)."""
    if postgres:
        return f"CAST(CAST(FLOOR({position}) AS BIGINT) AS {integer})"
    return f"CAST(CAST({position} AS INTEGER) AS INTEGER)"


def _mercator_row(latitude: str, level: int, postgres: bool) -> str:
    """The WebMercatorQuad row (of 2**level, from the top) holding ``latitude``, as
    ``demine.store.kept_cells.mercator_sql`` writes it."""
    most = repr(_MAX_LATITUDE)
    if postgres:
        clamped = f"radians(LEAST(GREATEST({latitude}, -{most}), {most}))"
    else:
        clamped = f"radians(MIN(MAX({latitude}, -{most}), {most}))"
    fraction = f"(1.0 - ln(tan({clamped}) + 1.0 / cos({clamped})) / pi()) / 2.0 * {2**level}"
    if postgres:
        return f"CAST(FLOOR({fraction}) AS BIGINT)"
    return f"CAST({fraction} AS INTEGER)"


def _values(kept: _Kept, postgres: bool, row: str) -> dict[str, str]:
    """``row``'s value of each key and sum of ``kept`` (``row`` a table alias, NEW or OLD)."""
    cell = _number(postgres, 360.0 / 2**kept.level)
    fine = _number(postgres, 360.0 / 2**_CENTRE_LEVEL)
    two, east, north = (_number(postgres, v) for v in (2.0, -180.0, -90.0))
    values = {
        "cell_x": _whole(postgres, f"({row}.min_x - {east}) / {cell}", "INTEGER"),
        "cell_y": f"CAST({_mercator_row(f'{row}.min_y', kept.level, postgres)} AS INTEGER)",
        "country": f"{row}.country",
    }
    for name, of in kept.sums:
        values[name] = f"{row}.{of}"
    for axis, origin in (("x", east), ("y", north)):
        centre = f"(({row}.min_{axis} + {row}.max_{axis}) / {two} - {origin}) / {fine}"
        values[f"centre_{axis}"] = (
            f"CAST(FLOOR({centre}) AS BIGINT)" if postgres else f"CAST({centre} AS INTEGER)"
        )
    return values


def _grouped(kept: _Kept, postgres: bool, rows: str) -> str:
    """The live located ``rows`` counted by cell (``rows`` a table or transition table)."""
    values = _values(kept, postgres, "r")
    keys = ", ".join(f"{values[key]} AS {key}" for key in _KEYS)
    groups = ", ".join(values[key] for key in _KEYS)
    sums = "".join(f"SUM({values[name]}) AS {name}, " for name in kept.sum_names)
    return (
        f"SELECT {keys}, {sums}COUNT(*) AS records FROM {rows} AS r "
        f"WHERE {kept.counted(postgres, 'r')} GROUP BY {groups}"
    )


def _postgres_triggers(kept: _Kept) -> None:
    """One trigger per statement reading the changed rows as a whole, as 0008's."""
    table, key_list = kept.table, ", ".join(_KEYS)
    names = [*kept.sum_names, "records"]
    match = " AND ".join(f"{table}.{key} = gone.{key}" for key in _KEYS)
    added = ", ".join(f"{n} = {table}.{n} + EXCLUDED.{n}" for n in names)
    taken = ", ".join(f"{n} = {table}.{n} - gone.{n}" for n in names)

    def add(rows: str) -> str:
        return (
            f"INSERT INTO {table} ({key_list}, {', '.join(names)}) "
            f"{_grouped(kept, True, rows)} ON CONFLICT ({key_list}) DO UPDATE SET {added};"
        )

    def take(rows: str) -> str:
        # Only the cells the changed rows were in can have emptied.
        return (
            f"UPDATE {table} SET {taken} FROM ({_grouped(kept, True, rows)}) AS gone "
            f"WHERE {match}; DELETE FROM {table} USING ({_grouped(kept, True, rows)}) AS gone "
            f"WHERE {match} AND {table}.records = 0;"
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
    table, key_list = kept.table, ", ".join(_KEYS)
    new, old = _values(kept, False, "NEW"), _values(kept, False, "OLD")
    sum_list = "".join(f"{name}, " for name in kept.sum_names)
    added = "".join(f"{n} = {table}.{n} + excluded.{n}, " for n in kept.sum_names)
    add = (
        f"INSERT INTO {table} ({key_list}, {sum_list}records) "
        f"VALUES ({', '.join(new[k] for k in _KEYS)}, "
        f"{''.join(new[n] + ', ' for n in kept.sum_names)}1) "
        f"ON CONFLICT ({key_list}) DO UPDATE SET {added}records = {table}.records + 1"
    )
    match = " AND ".join(f"{key} = {old[key]}" for key in _KEYS)
    taken = "".join(f"{n} = {n} - {old[n]}, " for n in kept.sum_names)
    take = (
        f"UPDATE {table} SET {taken}records = records - 1 WHERE {match}; "
        f"DELETE FROM {table} WHERE records = 0 AND {match}"
    )
    old_live, new_live = kept.counted(False, "OLD"), kept.counted(False, "NEW")
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
        plain = [sa.Column(name, sa.Integer(), nullable=False) for name, _of in kept.sums]
        op.create_table(
            kept.table,
            sa.Column("cell_x", sa.Integer(), nullable=False),
            sa.Column("cell_y", sa.Integer(), nullable=False),
            sa.Column("country", sa.String(length=2), nullable=False),
            *plain,
            sa.Column("centre_x", sa.BigInteger(), nullable=False),
            sa.Column("centre_y", sa.BigInteger(), nullable=False),
            sa.Column("records", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint(*_KEYS, name=f"pk_{kept.table}"),
        )
        op.create_index(
            f"ix_{kept.table}_by_date", kept.table, [*_KEYS, *kept.sum_names, "records"]
        )
        if postgres:
            _postgres_triggers(kept)
        else:
            _sqlite_triggers(kept)
        op.execute(
            f"INSERT INTO {kept.table} ({', '.join(_KEYS)}, "
            f"{''.join(n + ', ' for n in kept.sum_names)}records) "
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
