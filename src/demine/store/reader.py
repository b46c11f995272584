"""The one way to read the register: :class:`RegisterReader`.

A reader sees **live** records only — approved and not deleted — unless its caller
asks, with the permission to, for drafts and deleted rows too. Every figure, map,
layer, collection, public output and export reads through a reader, so the rule "only
approved, undeleted rows count" is applied here, once, instead of in each query.

Filters a reader applies: country, period (by the dates the registry of kinds names
for each kind), district, category and bounding box. Topic queries (figures,
casualties, records…) live in :mod:`demine.store.reads` and take a reader; SQLite
and PostGIS differences stay inside ``store/``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.kinds import KINDS, Kind, kind_named
from demine.domain.withheld import withhold
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.compiled import PlainConnection, Statement, run

if TYPE_CHECKING:
    from sqlalchemy import Column, Connection, Select, Table
    from sqlalchemy.sql.elements import ColumnElement

    from demine.store.spatial import BBox

# SQLAlchemy and the schema are imported where a statement is built: a reader on a
# plain connection (:mod:`demine.store.compiled`) runs compiled statements without them.

APPROVED = "approved"
#: The largest whole number both databases take in a query (a signed 64-bit integer):
#: a larger offset or row id is refused before it reaches the driver.
SQL_INTEGER_MAX = 2**63 - 1


class Visibility(StrEnum):
    """Which rows a reader sees."""

    #: Approved and not deleted: what every figure and public output counts.
    LIVE = "live"
    #: Drafts, submitted, rejected and deleted rows too (editors and reviewers only).
    ALL = "all"


#: The permission each visibility needs beyond reading the kind itself.
VISIBILITY_PERMISSION = {Visibility.LIVE: None, Visibility.ALL: Permission.EDIT}


def table_of(kind: Kind) -> Table:
    """The stored table of ``kind``."""
    from demine.store import schema

    return schema.metadata.tables[kind.table]


def live_condition(table: Table) -> ColumnElement[bool]:
    """The condition a row of ``table`` meets when it is live (counts in figures)."""
    from sqlalchemy import and_, true

    conditions: list[Any] = []
    if "review_status" in table.c:
        conditions.append(table.c.review_status == APPROVED)
    if "deleted_at" in table.c:
        conditions.append(table.c.deleted_at.is_(None))
    return and_(*conditions) if conditions else true()


@dataclass(frozen=True)
class RecordFilter:
    """What records to read; every part is optional.

    ``start``/``end`` select records whose dates overlap the period (a listing); what a
    period's figures count (records wholly inside it) is said by the figure queries in
    :mod:`demine.store.reads.figure_filters`.
    """

    district_id: int | None = None
    start: date | None = None
    end: date | None = None
    category: str | None = None
    bbox: BBox | None = None


def check_offset(offset: int) -> None:
    """Refuse an offset no database takes (a bad request, not a server error)."""
    if not 0 <= offset <= SQL_INTEGER_MAX:
        raise InvalidRequestError(
            _("offset {offset} is out of range (0 to {most})").format(
                offset=offset, most=SQL_INTEGER_MAX
            )
        )


@dataclass
class Page:
    """One page of rows and how many rows match in all."""

    rows: list[Mapping[str, Any]]
    total: int


class RegisterReader:
    """Reads one country's register (or every country's, with ``country=None``).

    ``visibility=Visibility.ALL`` needs a ``principal`` allowed to see drafts; the
    check is made here, so no caller can forget it.
    """

    def __init__(
        self,
        connection: Connection | PlainConnection,
        country: str | None,
        *,
        visibility: Visibility = Visibility.LIVE,
        principal: Principal | None = None,
        as_known_on: date | None = None,
        kinds: Mapping[str, Kind] = KINDS,
    ) -> None:
        needed = VISIBILITY_PERMISSION[visibility]
        if needed is not None:
            require(principal, needed, _("read drafts and deleted records"))
        #: Typed as SQLAlchemy's: a :class:`~demine.store.compiled.PlainConnection` serves
        #: compiled statements only (:func:`demine.store.compiled.run`), and the topics
        #: that use it read through nothing else.
        self.connection: Connection = cast("Connection", connection)
        self.country = country
        self.visibility = visibility
        self.principal = principal
        #: Read the register as it was known at the end of this day (from its history).
        self.as_known_on = as_known_on
        #: The registry's kinds as the programme's fields file extends them.
        self.kinds = kinds
        self._snapshots: dict[str, Table] = {}

    def statement_key(self) -> tuple[str, ...]:
        """What a statement built for this reader depends on besides its shape (part of
        its key in the cache of compiled statements, :mod:`demine.store.compiled`)."""
        if self.as_known_on is not None or self.kinds is not KINDS:
            # Temporary tables of a past day, or a programme's own fields: not kept.
            raise ValueError("compiled statements serve a reader of the register as it stands")
        return (str(self.country), self.visibility.value)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    @property
    def reads_kept_figures(self) -> bool:
        """Whether counts may come from the figures the database keeps by triggers
        (:mod:`demine.store.aggregates`): they count the live register as it stands, so
        not for a reader of drafts or of a past day."""
        return self.visibility is Visibility.LIVE and self.as_known_on is None

    # -- tables and conditions ------------------------------------------------------

    def table(self, kind: str | Kind) -> Table:
        """The table holding ``kind`` (a name or a :class:`Kind`).

        Reading as known on a past day, it is a temporary table holding each record's
        version of that day (see :mod:`demine.store.history`).
        """
        stored = table_of(kind if isinstance(kind, Kind) else kind_named(kind))
        if self.as_known_on is None:
            return stored
        if stored.name not in self._snapshots:
            from demine.store.history import end_of_day, snapshot_table

            self._snapshots[stored.name] = snapshot_table(
                self.connection, stored, end_of_day(self.as_known_on)
            )
        return self._snapshots[stored.name]

    def visible(self, table: Table) -> ColumnElement[bool]:
        """The condition of the rows of ``table`` this reader sees."""
        from sqlalchemy import true

        if self.visibility is Visibility.ALL:
            return true()
        return live_condition(table)

    def scope(self, table: Table) -> list[ColumnElement[bool]]:
        """Visibility and country conditions of ``table`` (country where it has one)."""
        conditions = [self.visible(table)]
        if self.country is not None and "country" in table.c:
            conditions.append(table.c.country == self.country)
        return conditions

    def select(self, kind: str | Kind, *columns: Any) -> Select[Any]:
        """SELECT ``columns`` (default: the whole row) of the visible rows of ``kind``."""
        from sqlalchemy import select

        table = self.table(kind)
        statement = select(*columns) if columns else select(table)
        if columns:
            statement = statement.select_from(table)
        return statement.where(*self.scope(table))

    # -- filters ----------------------------------------------------------------------

    def filtered(
        self, kind: str | Kind, statement: Select[Any], where: RecordFilter
    ) -> Select[Any]:
        """``statement`` over ``kind`` narrowed by ``where``; a filter the kind cannot
        apply is refused (never silently ignored)."""
        from sqlalchemy import func

        from demine.store.spatial import filter_bbox

        described = kind if isinstance(kind, Kind) else kind_named(kind)
        table = self.table(described)
        if where.district_id is not None:
            statement = statement.where(
                self._column(described, described.district, "district") == where.district_id
            )
        if where.start is not None or where.end is not None:
            earliest, latest = self.date_columns(described)
            if where.end is not None:
                statement = statement.where(earliest <= where.end)
            if where.start is not None:
                statement = statement.where(latest >= where.start)
        if where.category is not None:
            column = self._column(described, described.category, "category")
            # A compiled statement's category is a parameter, lowered by its caller.
            wanted = where.category.lower() if isinstance(where.category, str) else where.category
            statement = statement.where(func.lower(column) == wanted)
        if where.bbox is not None:
            if not described.spatial:
                raise InvalidRequestError(
                    _("{kind} records have no geometry to filter on").format(kind=described.name)
                )
            statement = filter_bbox(statement, table, where.bbox, self.dialect)
        return statement

    def date_columns(self, kind: Kind) -> tuple[Column[Any], Column[Any]]:
        """The earliest and latest date columns of ``kind`` (refused when it has none)."""
        if kind.dates is None:
            raise InvalidRequestError(
                _("{kind} records have no date to filter on").format(kind=kind.name)
            )
        table = self.table(kind)
        return table.c[kind.dates.earliest], table.c[kind.dates.latest]

    def _column(self, kind: Kind, name: str | None, what: str) -> Column[Any]:
        if name is None:
            raise InvalidRequestError(
                _("{kind} records have no {what} to filter on").format(kind=kind.name, what=what)
            )
        return self.table(kind).c[name]

    def shown(self, kind: Kind, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` of a ``kind`` record as this reader's principal may see them: free
        text withheld without the victim-data grant (see :mod:`demine.domain.withheld`)."""
        return withhold(kind, values, self.principal)

    # -- reading --------------------------------------------------------------------

    def page(
        self,
        kind: str | Kind,
        where: RecordFilter,
        *,
        limit: int,
        offset: int,
        extra: Sequence[ColumnElement[bool]] = (),
    ) -> Page:
        """One page of whole rows of ``kind`` (ordered by row id) and the total."""
        from sqlalchemy import func, select

        from demine.store.spatial import exactly_intersecting, needs_exact_check

        check_offset(offset)
        table = self.table(kind)
        statement = self.filtered(kind, self.select(kind), where).where(*extra).order_by(table.c.id)
        if where.bbox is not None and needs_exact_check(self.dialect):
            candidates = (dict(r._mapping) for r in self.connection.execute(statement))
            rows = list(exactly_intersecting(candidates, where.bbox))
            return Page(rows[offset : offset + limit], len(rows))
        total = self.connection.execute(
            select(func.count()).select_from(statement.order_by(None).subquery())
        ).scalar_one()
        rows = [
            dict(r._mapping) for r in self.connection.execute(statement.limit(limit).offset(offset))
        ]
        return Page(rows, int(total))

    def rows(self, kind: str | Kind, where: RecordFilter | None = None) -> Iterator[dict[str, Any]]:
        """Every visible row of ``kind`` matching ``where``, by row id."""
        table = self.table(kind)
        statement = self.filtered(kind, self.select(kind), where or RecordFilter())
        for row in self.connection.execute(statement.order_by(table.c.id)):
            yield dict(row._mapping)

    def count(self, kind: str | Kind, where: RecordFilter | None = None) -> int:
        from sqlalchemy import func

        statement = self.filtered(kind, self.select(kind, func.count()), where or RecordFilter())
        return int(self.connection.execute(statement).scalar_one())

    def grouped(
        self,
        kind: str | Kind,
        by: Sequence[str],
        sums: Sequence[str] = (),
        where: RecordFilter | None = None,
        extra: Sequence[ColumnElement[bool]] = (),
    ) -> list[tuple[Any, ...]]:
        """Rows of ``(*by values, count, *sums)`` grouped by the columns ``by``."""
        where = where or RecordFilter()
        if extra or where.bbox is not None:
            if isinstance(self.connection, PlainConnection):
                raise ValueError("a compiled grouped count takes no extra condition or box")
            return _grouped_rows(self, kind, by, sums, where, extra)
        name = kind if isinstance(kind, str) else kind.name
        shape = {
            "kind": name,
            "by": tuple(by),
            "sums": tuple(sums),
            **{part: getattr(where, part) is not None for part in _FILTER_VALUES},
        }
        values = {part: getattr(where, part) for part in _FILTER_VALUES}
        if where.category is not None:
            values["category"] = where.category.lower()
        return run(self, _GROUPED, shape, **{k: v for k, v in values.items() if v is not None})


#: The parts of a :class:`RecordFilter` given as values (its box is not: see above).
_FILTER_VALUES = ("district_id", "start", "end", "category")


def _grouped_rows(
    reader: RegisterReader,
    kind: str | Kind,
    by: Sequence[str],
    sums: Sequence[str],
    where: RecordFilter,
    extra: Sequence[ColumnElement[bool]],
) -> list[tuple[Any, ...]]:
    statement = _grouped_statement(reader, kind, by, sums, where).where(*extra)
    return [tuple(row) for row in reader.connection.execute(statement)]


def _grouped_statement(
    reader: RegisterReader,
    kind: str | Kind,
    by: Sequence[str],
    sums: Sequence[str],
    where: RecordFilter,
) -> Select[Any]:
    from sqlalchemy import func

    table = reader.table(kind)
    keys = [table.c[name] for name in by]
    statement = reader.select(kind, *keys, func.count(), *(func.sum(table.c[s]) for s in sums))
    return reader.filtered(kind, statement, where).group_by(*keys)


def _build_grouped(reader: RegisterReader, shape: Mapping[str, Any], values: Any) -> Any:
    where = RecordFilter(
        **{part: getattr(values, part) if shape[part] else None for part in _FILTER_VALUES}
    )
    return _grouped_statement(reader, shape["kind"], shape["by"], shape["sums"], where)


_GROUPED = Statement("reader.grouped", _build_grouped)
