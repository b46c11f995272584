"""The register as it was known at a past moment, rebuilt from ``record_history``.

Every change of a stored row keeps the row's previous values in ``record_history``
(with the moment it was superseded), and every row carries ``updated_at``. The version
of a record known at moment ``t`` is therefore:

- the stored row, if it was last written before ``t``;
- otherwise the earliest superseded version whose supersession came after ``t``,
  if that version itself was written before ``t``;
- otherwise none: the record was not known at ``t``.

:func:`snapshot_table` writes those versions of one table into a temporary table with
the same columns, so that every query of a :class:`~demine.store.reader.RegisterReader`
runs unchanged against the register as it stood (a bulletin published last week is
reproduced exactly, whatever was corrected since).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Column, Connection, Date, MetaData, Table, insert, select
from sqlalchemy.types import TypeDecorator

from demine.store import schema
from demine.store.geometry import Geometry
from demine.store.types import UtcDateTime

_names = itertools.count(1)


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` (UTC): "as known on" a day includes all of it."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def snapshot_table(connection: Connection, table: Table, before: datetime) -> Table:
    """A temporary copy of ``table`` holding each record as known just before ``before``."""
    copy = Table(
        f"asof_{table.name}_{next(_names)}",
        MetaData(),
        *(Column(column.name, column.type) for column in table.columns),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    copy.create(connection)
    names = [column.name for column in table.columns]
    connection.execute(
        insert(copy).from_select(names, select(table).where(table.c.updated_at < before))
    )
    earlier = _earlier_versions(connection, table, before)
    if earlier:
        connection.execute(insert(copy), earlier)
    return copy


def _earlier_versions(
    connection: Connection, table: Table, before: datetime
) -> list[dict[str, Any]]:
    """Superseded versions that were the current ones at ``before``."""
    history = schema.record_history
    first_after: dict[str, Mapping[str, Any]] = {}
    rows = connection.execute(
        select(history.c.record_key, history.c.data)
        .where(history.c.table_name == table.name, history.c.superseded_at >= before)
        .order_by(history.c.record_key, history.c.superseded_at, history.c.id)
    )
    for key, data in rows:
        first_after.setdefault(key, data)
    versions = []
    for data in first_after.values():
        row = {column.name: _value(column, data.get(column.name)) for column in table.columns}
        written = row.get("updated_at")
        if written is not None and written < before:
            versions.append(row)
    return versions


def _value(column: Column[Any], stored: Any) -> Any:
    """A value of ``column`` from its JSON form in ``record_history``."""
    if stored is None:
        return None
    kind = column.type
    if isinstance(kind, Geometry):
        import shapely

        return shapely.from_wkt(stored)
    if isinstance(kind, UtcDateTime):
        moment = datetime.fromisoformat(stored)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if isinstance(kind, Date) and not isinstance(kind, TypeDecorator):
        return date.fromisoformat(stored)
    return stored
