"""What the row triggers keep, kept once per bulk load instead of once per row.

On SQLite the triggers of migrations 0008 and 0023 fire for each inserted row: the
find's figures added to ``figures_finds``, its box to the table's R*Tree, one more
change to ``data_versions``. For a million rows they cost thirty times the insert
itself. Around a bulk insert, :func:`kept_in_bulk` drops the insert triggers it knows
how to replace, and after the load writes what they would have written in one
set-based statement each (the rows added are those past the table's last id), then
creates the triggers again. SQLite's DDL is transactional: if the load fails, the
rollback brings the triggers back with everything else, so the import stays all or
nothing. An insert trigger it does not know keeps firing row by row.

PostgreSQL needs none of this: its triggers are per statement and read the rows a
statement added as a whole (transition tables), so one ``COPY`` updates each group once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from demine.store import schema
from demine.store.aggregates import AGGREGATES, Aggregate, columns, recount

#: The spatial box as the R*Tree orders its columns (migration 0023).
_BOX = "min_x, max_x, min_y, max_y"


@dataclass(frozen=True)
class _Kept:
    """An insert trigger of a table, and what replaces it for the rows past ``last_id``."""

    trigger: str
    write: Callable[[Connection, Table, int], None]


@contextmanager
def kept_in_bulk(connection: Connection, table: Table) -> Iterator[None]:
    """Around a bulk insert into ``table`` on SQLite: its known insert triggers
    suspended, and their work done once for the whole load. Elsewhere, nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    present = _insert_triggers(connection, table)
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


def _insert_triggers(connection: Connection, table: Table) -> dict[str, str]:
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
        for aggregate in AGGREGATES
        # Victims' figures need their accident's row: a victim has no key of its own.
        if aggregate.source == table.name and aggregate.table != "figures_victims"
    ]
    kept.append(_Kept(f"rtree_{table.name}_insert", _add_boxes))
    kept.append(_Kept(f"{table.name}_data_version_insert", _add_versions))
    return kept


def _figures_adder(aggregate: Aggregate) -> Callable[[Connection, Table, int], None]:
    def add(connection: Connection, table: Table, last_id: int) -> None:
        """The new live rows' figures added to their groups (as ``<aggregate>_add``)."""
        target = schema.metadata.tables[aggregate.table]
        names = columns(aggregate)
        counted = recount(aggregate).where(table.c.id > last_id)
        statement = sqlite_insert(target).from_select(names, counted)
        added = {
            name: target.c[name] + statement.excluded[name] for name in names[len(aggregate.keys) :]
        }
        connection.execute(
            statement.on_conflict_do_update(index_elements=list(aggregate.keys), set_=added)
        )

    return add


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
