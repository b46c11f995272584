"""What the row triggers keep, kept once per bulk load instead of once per row.

On SQLite the triggers of migrations 0008, 0023, 0026 and 0028 fire for each inserted row:
the find's figures added to ``figures_finds`` and ``figures_finds_by_year``, its box to
the table's R*Tree, one more change to ``data_versions``. For a million rows they cost
thirty times the insert itself. Around a bulk insert, :func:`kept_in_bulk` drops the
insert triggers it knows how to replace, and after the load writes what they would have
written in one set-based statement each (the rows added are those past the table's
last id), then creates the triggers again. SQLite's DDL is transactional: if the load fails, the
rollback brings the triggers back with everything else, so the import stays all or
nothing. An insert trigger it does not know keeps firing row by row.

On PostgreSQL the figures and data-version triggers are per statement already (they
read a ``COPY``'s rows as a whole); what costs is the foreign-key check the server runs
for each row (three quarters of a load's time in the server). When the role may
(a superuser: ``session_replication_role``), and every insert trigger of the table is
one this module can replace, the load runs with triggers off for this transaction only;
then each foreign key is checked for all new rows at once (their parents locked as the
per-row check locks them), and the figures and data version written as the triggers
would have for the one statement.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    CreateTableAs,
    DropTable,
    Select,
    Table,
    and_,
    any_,
    bindparam,
    distinct,
    exists,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from demine.errors import StoreError
from demine.i18n import _
from demine.store import schema
from demine.store.aggregates import AGGREGATES, Aggregate, columns, recount, regrouped

#: Groups of a load from which they are merged into their table by an update and an
#: insert rather than upserted one by one (PostgreSQL).
MERGED_AFTER = 10_000
#: The spatial box as the R*Tree orders its columns (migration 0023).
_BOX = "min_x, max_x, min_y, max_y"


@dataclass(frozen=True)
class _Kept:
    """An insert trigger of a table, and what replaces it for the rows past ``last_id``."""

    trigger: str
    write: Callable[[Connection, Table, int], None]


@contextmanager
def kept_in_bulk(
    connection: Connection, table: Table, referred: Mapping[str, Collection[Any]] | None = None
) -> Iterator[None]:
    """Around a bulk insert into ``table``: the insert triggers this module can replace
    suspended, and their work done once for the whole load (SQLite always; PostgreSQL
    when the role may, see the module's description).

    ``referred``: for a foreign-key column, the values the loaded rows hold in it (or
    more), when the caller knows them: its parents are then checked and locked without
    reading the new rows again. It is read when the load ends (a caller streaming the
    rows fills it as they come)."""
    if connection.dialect.name == "postgresql":
        with _postgres_kept(connection, table, {} if referred is None else referred):
            yield
        return
    present = _triggers(connection, table)
    suspended = [
        (kept, present[kept.trigger]) for kept in _replaceable(table) if kept.trigger in present
    ]
    last_id = int(connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    for kept, _definition in suspended:
        connection.exec_driver_sql(f'DROP TRIGGER "{kept.trigger}"')
    yield
    for kept, definition in suspended:
        kept.write(connection, table, last_id)
        connection.exec_driver_sql(definition)


@contextmanager
def _postgres_kept(
    connection: Connection, table: Table, referred: Mapping[str, Collection[Any]]
) -> Iterator[None]:
    if not _may_suspend_on_postgres(connection, table):
        yield
        return
    last_id = int(connection.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
    yield
    connection.exec_driver_sql("SET LOCAL session_replication_role = origin")
    _check_references(connection, table, last_id, referred)
    _add_all_figures(connection, table, last_id)
    versions = schema.data_versions
    statement = postgres_insert(versions).values(table_name=table.name, version=1)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[versions.c.table_name],
            set_={"version": versions.c.version + 1},
        )
    )


def _may_suspend_on_postgres(connection: Connection, table: Table) -> bool:
    """Whether the role may turn triggers off, and every trigger an insert into
    ``table`` fires is one replaced here (or one that fires even then)."""
    superuser = connection.exec_driver_sql("SELECT current_setting('is_superuser')").scalar()
    if superuser != "on" or any(
        key.constraint is None or len(key.constraint.columns) != 1 for key in table.foreign_keys
    ):
        return False
    # tgtype bit 4: fired by INSERT; 'D' disabled, 'A' fires always (left to fire).
    fired = connection.execute(
        text(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = CAST(:table AS regclass)"
            " AND NOT tgisinternal AND (tgtype & 4) <> 0 AND tgenabled <> 'D'"
        ),
        {"table": connection.dialect.identifier_preparer.format_table(table)},
    ).all()
    known = {f"{aggregate.table}_insert" for aggregate in _simple_aggregates(table)}
    known.add(f"{table.name}_data_version")
    return all(name in known and enabled == "O" for name, enabled in fired)


def _check_references(
    connection: Connection, table: Table, last_id: int, referred: Mapping[str, Collection[Any]]
) -> None:
    """Each foreign key of the new rows, checked for all of them at once; the parents
    they refer to are locked against deletion as the per-row check locks them
    (``FOR KEY SHARE``). The values the caller says the rows hold are taken as they
    are (no scan of a million new rows; a million keys fit one array parameter)."""
    for key in table.foreign_keys:
        child, parent = key.parent, key.column
        known = referred.get(child.name)
        if known is not None:
            values = sorted({value for value in known if value is not None})
            wanted = len(values)
            wanted_parents: Any = parent == any_(bindparam("referred", values, ARRAY(parent.type)))
        else:
            new_rows = (table.c.id > last_id, child.is_not(None))
            wanted = connection.execute(
                select(func.count(distinct(child))).where(*new_rows)
            ).scalar_one()
            wanted_parents = parent.in_(select(child).where(*new_rows).distinct())
        if not wanted:
            continue
        locked = select(parent).where(wanted_parents).with_for_update(read=True, key_share=True)
        found = connection.execute(select(func.count()).select_from(locked.subquery())).scalar_one()
        if found != wanted:
            raise StoreError(
                _(
                    "{table}: {count} records of {parent} the new rows refer to were removed "
                    "while the import ran; nothing was saved"
                ).format(table=table.name, count=wanted - found, parent=parent.table.name)
            )


def _triggers(connection: Connection, table: Table) -> dict[str, str]:
    """Name → SQL of the triggers on ``table``."""
    rows = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table"),
        {"table": table.name},
    )
    return {str(name): str(sql) for name, sql in rows}


def _replaceable(table: Table) -> list[_Kept]:
    """The insert triggers of ``table`` whose work a set-based statement does."""
    kept = [
        _Kept(f"{aggregate.table}_add", _figures_adder(aggregate))
        for aggregate in _simple_aggregates(table)
    ]
    kept.append(_Kept(f"rtree_{table.name}_insert", _add_boxes))
    kept.append(_Kept(f"{table.name}_data_version_insert", _add_versions))
    return kept


def _simple_aggregates(table: Table) -> list[Aggregate]:
    """The aggregates of ``table``'s rows alone (victims' figures need their accident's
    row: a victim has no date or district of its own)."""
    return [a for a in AGGREGATES if a.source == table.name and a.table != "figures_victims"]


def _add_all_figures(connection: Connection, table: Table, last_id: int) -> None:
    """The new live rows' figures added to every aggregate of ``table``: an aggregate
    whose groups are unions of another's (a year of days, a map cell of finer cells) is
    summed from that one's new groups, staged once, instead of from the rows again."""
    aggregates = _simple_aggregates(table)

    def summed_from(coarse: Aggregate, fine: Aggregate) -> bool:
        return regrouped(coarse, fine, schema.metadata.tables[fine.table]) is not None

    finest = [a for a in aggregates if not any(summed_from(a, other) for other in aggregates)]
    left = list(aggregates)
    for fine in finest:
        coarser = [a for a in left if a is not fine and summed_from(a, fine)]
        if not coarser:
            continue
        left = [a for a in left if a is not fine and a not in coarser]
        counted = recount(fine).where(table.c.id > last_id)
        staged = CreateTableAs(counted, f"new_{fine.table}", temporary=True)
        connection.execute(staged)
        rows = staged.table
        if connection.execute(select(func.count()).select_from(rows)).scalar_one() < MERGED_AFTER:
            _add_groups(connection, fine, select(rows), postgres_insert)
        else:
            _merge_groups(connection, fine, rows)
        for coarse in coarser:
            summed = regrouped(coarse, fine, rows)
            assert summed is not None
            _add_groups(connection, coarse, summed, postgres_insert)
        connection.execute(DropTable(rows))
    for aggregate in left:  # from the rows themselves
        _add_figures(connection, table, last_id, aggregate, postgres_insert)


def _merge_groups(connection: Connection, aggregate: Aggregate, rows: Table) -> None:
    """Many staged groups (rows of ``aggregate``'s columns) added to its table: the
    groups it holds already summed by one ``UPDATE``, the others inserted by one
    ``INSERT`` in the order of its key; half the time of an upsert of each (372,304 new
    map cells: 2.4 s against 5.0 s at load 6). The table is locked against other
    writers until the transaction ends (``SHARE ROW EXCLUSIVE``: readers go on), or
    one could add a group between the two statements."""
    target = schema.metadata.tables[aggregate.table]
    keys = aggregate.keys
    sums = columns(aggregate)[len(keys) :]
    quoted = connection.dialect.identifier_preparer.format_table(target)
    connection.exec_driver_sql(f"LOCK TABLE {quoted} IN SHARE ROW EXCLUSIVE MODE")
    same_group = and_(*(target.c[key] == rows.c[key] for key in keys))
    connection.execute(
        update(target)
        .where(same_group)
        .values({name: target.c[name] + rows.c[name] for name in sums})
    )
    missing = ~exists().where(same_group)
    new_groups = select(*(rows.c[name] for name in columns(aggregate))).where(missing)
    new_groups = new_groups.order_by(*(rows.c[key] for key in keys))
    connection.execute(insert(target).from_select(columns(aggregate), new_groups))


def _figures_adder(aggregate: Aggregate) -> Callable[[Connection, Table, int], None]:
    def add(connection: Connection, table: Table, last_id: int) -> None:
        _add_figures(connection, table, last_id, aggregate, sqlite_insert)

    return add


def _add_figures(
    connection: Connection,
    table: Table,
    last_id: int,
    aggregate: Aggregate,
    dialect_insert: Callable[[Table], Any],
) -> None:
    """The new live rows' figures added to their groups, as the insert triggers add them."""
    counted = recount(aggregate).where(table.c.id > last_id)
    _add_groups(connection, aggregate, counted, dialect_insert)


def _add_groups(
    connection: Connection,
    aggregate: Aggregate,
    counted: Select[Any],
    dialect_insert: Callable[[Table], Any],
) -> None:
    """Groups (rows of ``aggregate``'s columns) added to its table's."""
    target = schema.metadata.tables[aggregate.table]
    names = columns(aggregate)
    if connection.dialect.name == "postgresql":
        # The groups in the order of the table's key: PostgreSQL's hashed groups come
        # in no order, and a few hundred thousand new map cells inserted at random
        # places of the key's index took twice as long (16 s against 8 s).
        selected = counted.selected_columns
        counted = counted.order_by(*(selected[key] for key in aggregate.keys))
    statement = dialect_insert(target).from_select(names, counted)
    sums = names[len(aggregate.keys) :]
    added = {name: target.c[name] + statement.excluded[name] for name in sums}
    connection.execute(
        statement.on_conflict_do_update(index_elements=list(aggregate.keys), set_=added)
    )


def _add_boxes(connection: Connection, table: Table, last_id: int) -> None:
    """The new rows' boxes into the table's R*Tree (as ``rtree_<table>_insert``)."""
    connection.execute(
        text(
            f'INSERT INTO "rtree_{table.name}" (id, {_BOX}) SELECT id, {_BOX} '
            f'FROM "{table.name}" WHERE id > :last_id AND min_x IS NOT NULL'
        ),
        {"last_id": last_id},
    )


def _add_versions(connection: Connection, table: Table, last_id: int) -> None:
    """One change per new row in ``data_versions`` (as ``<table>_data_version_insert``)."""
    added = connection.execute(
        select(func.count()).select_from(table).where(table.c.id > last_id)
    ).scalar_one()
    if not added:
        return
    versions = schema.data_versions
    statement = sqlite_insert(versions).values(table_name=table.name, version=added)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[versions.c.table_name],
            set_={"version": versions.c.version + statement.excluded.version},
        )
    )
