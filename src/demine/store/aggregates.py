"""Figures kept by the database itself: live records counted by country, district, day
and category, so that a bulletin reads thousands of rows instead of millions.

Each aggregate table is kept exact by triggers on its source table (migration 0008;
victims, who have no date or district of their own, by triggers on victims and on
their accidents, migration 0022):
a row that becomes live (inserted approved, approved, undeleted) adds its figures, a row
that stops being live (deleted, sent back, soft-deleted) takes them away, whatever
wrote it — an import, a web edit, an approval or plain SQL. :func:`rebuild` recounts
them from the records (``demine db rebuild-aggregates``); a test checks the two agree.
Readers of the register as known on a past day never use them: they read the history.

``figures_finds_by_year`` holds the finds' figures again at year grain (the years of
their earliest and latest dates), a few hundred rows: a summary of whole calendar years
reads it instead of some 20,000 day groups a year (``figures_activities_by_year`` the
same for land released, by the year the activity ended). A find counts in a window when its
whole date range lies inside it, so a window of whole years ``Y1..Y2`` holds exactly the
finds whose first year is at least ``Y1`` and last year at most ``Y2``, whatever their
precision (a find dated only to a year, or spanning two years, keeps both years).

``figures_<layer>_cells_<level>`` count the located live finds, hazard areas and
accidents by map cell (:mod:`demine.store.kept_cells`): the map's counted tiles sum them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Float,
    FromClause,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Select,
    Table,
    cast,
    delete,
    extract,
    func,
    insert,
    literal,
    select,
)

from demine.store.kept_cells import (
    CELL_KEYS,
    CELL_LEVELS,
    CELL_SOURCES,
    CENTRE_SUMS,
    cell_of,
    cells_table,
    centre_of,
    counted_rows,
)


@dataclass(frozen=True)
class Aggregate:
    """An aggregate table: its source, the columns it groups by and the sums it keeps
    (``(aggregate column, source column)``); ``records`` counts the rows."""

    table: str
    source: str
    keys: tuple[str, ...]
    sums: tuple[tuple[str, str], ...]
    #: Keys that hold the calendar year of a source date column: ``(key, column)``.
    years: tuple[tuple[str, str], ...] = ()
    #: A table of map cells (:mod:`demine.store.kept_cells`): 2**grid cells across 360°.
    grid: int | None = None

    def year_of(self, key: str) -> str | None:
        """The source date column whose year ``key`` holds, if it holds one."""
        return dict(self.years).get(key)

    @property
    def by_date(self) -> tuple[str, ...]:
        """The columns of its index by date: readers group a span by date (and then
        district), so the database reads the span in order with no sort and no table
        lookup (5 times faster than the primary key's district-first order). A table of
        map cells is read by a range of cells instead, in the same way."""
        if self.grid is not None:
            return (*self.keys, *(name for name, _ in self.sums), "records")
        grouped = tuple(key for key in self.keys if key not in ("country", "district_id"))
        district = ("district_id",) if "district_id" in self.keys else ()
        return ("country", *grouped, *district, *(name for name, _ in self.sums), "records")


def _map_cells() -> tuple[Aggregate, ...]:
    """The map's cells kept per level (:mod:`demine.store.kept_cells`)."""
    return tuple(
        Aggregate(
            cells_table(source, level),
            source,
            (*CELL_KEYS, "country"),
            (*cells.sums, *((name, name) for name in CENTRE_SUMS)),
            grid=level,
        )
        for source, cells in CELL_SOURCES.items()
        for level in CELL_LEVELS
    )


AGGREGATES = (
    Aggregate(
        "figures_finds",
        "device_finds",
        ("country", "district_id", "found_earliest", "found_latest", "category"),
        (("devices", "quantity"),),
    ),
    Aggregate(
        "figures_finds_by_year",
        "device_finds",
        ("country", "district_id", "first_year", "last_year", "category"),
        (("devices", "quantity"),),
        (("first_year", "found_earliest"), ("last_year", "found_latest")),
    ),
    Aggregate(
        "figures_activities",
        "activities",
        ("country", "district_id", "end_date"),
        (
            ("cleared_m2", "area_cleared_m2"),
            ("reduced_m2", "area_reduced_m2"),
            ("cancelled_m2", "area_cancelled_m2"),
        ),
    ),
    Aggregate(
        "figures_activities_by_year",
        "activities",
        ("country", "district_id", "end_year"),
        (
            ("cleared_m2", "area_cleared_m2"),
            ("reduced_m2", "area_reduced_m2"),
            ("cancelled_m2", "area_cancelled_m2"),
        ),
        (("end_year", "end_date"),),
    ),
    Aggregate(
        "figures_accidents",
        "accidents",
        ("country", "district_id", "occurred_earliest", "occurred_latest"),
        (),
    ),
    *_map_cells(),
    Aggregate(
        "figures_victims",
        "victims",
        (
            "country", "district_id", "occurred_earliest", "occurred_latest", "date_precision",
            "device_category", "activity", "sex", "category", "outcome", "age", "age_band",
        ),
        (),
    ),
)  # fmt: skip

#: Where each key of ``figures_victims`` comes from: (table, column, stored when unknown).
#: A key holds no NULL, so an unknown text is ``''`` and an unknown age ``-1``.
VICTIM_KEYS: dict[str, tuple[str, str, str | int | None]] = {
    "country": ("accidents", "country", None),
    "district_id": ("accidents", "district_id", None),
    "occurred_earliest": ("accidents", "occurred_earliest", None),
    "occurred_latest": ("accidents", "occurred_latest", None),
    "date_precision": ("accidents", "date_precision", None),
    "device_category": ("accidents", "device_category", ""),
    "activity": ("accidents", "activity_at_time", ""),
    "sex": ("victims", "sex", None),
    "category": ("victims", "category", None),
    "outcome": ("victims", "outcome", None),
    "age": ("victims", "age", -1),
    "age_band": ("victims", "age_band", ""),
}


def aggregate_table(metadata: MetaData, aggregate: Aggregate, source: Table) -> Table:
    """The table of ``aggregate``, its key columns typed like the source's."""
    if aggregate.table == "figures_victims":
        keys = [
            Column(name, metadata.tables[table].c[column].type, nullable=False)
            for name, (table, column, _unknown) in VICTIM_KEYS.items()
        ]
    else:
        keys = [
            Column(name, Integer if aggregate.year_of(name) or name in CELL_KEYS
                   else source.c[name].type, nullable=False)
            for name in aggregate.keys
        ]  # fmt: skip
    sums = [Column(name, _sum_type(source, of), nullable=False) for name, of in aggregate.sums]
    return Table(
        aggregate.table,
        metadata,
        *keys,
        *sums,
        Column("records", Integer, nullable=False),
        PrimaryKeyConstraint(*aggregate.keys, name=f"pk_{aggregate.table}"),
        Index(f"ix_{aggregate.table}_by_date", *aggregate.by_date),
    )


def _sum_type(source: Table, of: str) -> type[Integer] | type[Float[Any]]:
    if of in CENTRE_SUMS:
        return BigInteger
    return Integer if isinstance(source.c[of].type, Integer) else Float


def columns(aggregate: Aggregate) -> list[str]:
    """The columns of ``aggregate``'s table: its keys, its sums, then ``records``."""
    return [*aggregate.keys, *(name for name, _ in aggregate.sums), "records"]


def recount(aggregate: Aggregate) -> Select[Any]:
    """The rows ``aggregate``'s table should hold, counted from the live records (in the
    order of :func:`columns`)."""
    from demine.store import schema
    from demine.store.reader import live_condition

    if aggregate.table == "figures_victims":
        return _recount_victims()
    source = schema.metadata.tables[aggregate.source]
    keys = [_key(aggregate, source, name) for name in aggregate.keys]
    sums = [func.sum(_summed(source, of)).label(name) for name, of in aggregate.sums]
    counted = select(*keys, *sums, func.count().label("records")).where(live_condition(source))
    if aggregate.grid is not None:
        counted = counted.where(*counted_rows(source))
    return counted.group_by(*keys)


def _key(aggregate: Aggregate, source: Table, name: str) -> ColumnElement[Any]:
    """The source's value of ``aggregate``'s key ``name`` (a date's year, a map cell, or
    a column)."""
    if aggregate.grid is not None and name in CELL_KEYS:
        return cell_of(source, name, aggregate.grid).label(name)
    dated = aggregate.year_of(name)
    if dated is None:
        return source.c[name]
    return cast(extract("year", source.c[dated]), Integer).label(name)


def _summed(source: Table, of: str) -> ColumnElement[Any]:
    """What a sum adds of each source row: a column, or the row's box centre in fine
    cells (:data:`~demine.store.kept_cells.CENTRE_SUMS`)."""
    if of in CENTRE_SUMS:
        return centre_of(source, of)
    return source.c[of]


def regrouped(coarse: Aggregate, fine: Aggregate, rows: FromClause) -> Select[Any] | None:
    """``coarse``'s rows summed from ``rows`` holding ``fine``'s rows (its table, or the
    groups of a load staged in a table of its columns), when each of ``coarse``'s groups
    is a union of ``fine``'s and its sums are whole numbers; else None.

    A year is the year of a kept date; a map cell of a coarser level is the cell of a
    finer one shifted right (both levels cut the same positions by powers of two, so
    the coarse cell of a record is exactly its fine cell's), as :func:`recount` would
    count them from the records.
    """
    from demine.store import schema

    if (
        "figures_victims" in (coarse.table, fine.table)
        or coarse is fine
        or coarse.source != fine.source
        or coarse.sums != fine.sums
        or (coarse.grid is None) != (fine.grid is None)
        or (coarse.grid or 0) > (fine.grid or 0)
        or any(
            _sum_type(schema.metadata.tables[coarse.source], of) is Float for _, of in coarse.sums
        )
    ):
        return None
    keys: list[ColumnElement[Any]] = []
    for name in coarse.keys:
        dated = coarse.year_of(name)
        if coarse.grid is not None and fine.grid is not None and name in CELL_KEYS:
            shift = fine.grid - coarse.grid
            column = rows.c[name]
            keys.append((column.op(">>")(literal(shift)) if shift else column).label(name))
        elif dated is not None and dated in fine.keys and fine.year_of(dated) is None:
            keys.append(cast(extract("year", rows.c[dated]), Integer).label(name))
        elif dated is None and name in fine.keys and fine.year_of(name) is None:
            keys.append(rows.c[name])
        else:
            return None
    sums = [func.sum(rows.c[name]).label(name) for name, _ in coarse.sums]
    return select(*keys, *sums, func.sum(rows.c.records).label("records")).group_by(*keys)


def _recount_victims() -> Select[Any]:
    """Live victims of live accidents by the keys of :data:`VICTIM_KEYS`."""
    from demine.store import schema
    from demine.store.reader import live_condition

    victims, accidents = schema.victims, schema.accidents
    keys = []
    for table, column, unknown in VICTIM_KEYS.values():
        value = (victims if table == "victims" else accidents).c[column]
        keys.append(value if unknown is None else func.coalesce(value, unknown))
    return (
        select(*keys, func.count())
        .select_from(victims.join(accidents, accidents.c.id == victims.c.accident_id))
        .where(live_condition(victims), live_condition(accidents))
        .group_by(*keys)
    )


def rebuild(connection: Connection) -> dict[str, int]:
    """Recount every aggregate from the live records; the rows each now holds."""
    from demine.store import schema

    rows: dict[str, int] = {}
    for aggregate in AGGREGATES:
        target = schema.metadata.tables[aggregate.table]
        connection.execute(delete(target))
        connection.execute(insert(target).from_select(columns(aggregate), recount(aggregate)))
        rows[aggregate.table] = int(
            connection.execute(select(func.count()).select_from(target)).scalar_one()
        )
    rows[schema.accident_hazard_tests.name] = _redecide_hazard_tests(connection)
    return rows


def _redecide_hazard_tests(connection: Connection) -> int:
    """Decide again whether each live accident lay inside a known hazard area, for every
    country with accidents (:mod:`demine.store.kept_hazard_tests`); the answers kept."""
    from demine.store import schema
    from demine.store.kept_hazard_tests import settle

    state, answers, accidents = (
        schema.hazard_test_state,
        schema.accident_hazard_tests,
        schema.accidents,
    )
    connection.execute(delete(answers))
    connection.execute(delete(state))
    connection.execute(
        insert(state).from_select(
            ["country", "changes"], select(accidents.c.country, literal(1)).distinct()
        )
    )
    settle(connection)
    return int(connection.execute(select(func.count()).select_from(answers)).scalar_one())
