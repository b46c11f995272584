"""Reading and changing single records, for record-by-record editing (web and API).

Reads go through a :class:`RegisterReader`, so a caller who may not see drafts (a
viewer) does not find them; an editor's reader sees every row. Every change of a
stored row keeps its previous version in ``record_history`` with who changed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, update

from demine.domain.access import Permission, Principal
from demine.domain.kinds import KINDS, Kind
from demine.store import schema
from demine.store.audit import keep_version
from demine.store.engine import is_write
from demine.store.mapping import TableMapping, mapping_for
from demine.store.reader import RegisterReader, Visibility
from demine.store.refs import REFERRED_KINDS, Refs

#: The tables other records refer to, by the :class:`Refs` map holding their keys.


def editing_reader(
    connection: Connection,
    country: str | None,
    principal: Principal,
    kinds: Mapping[str, Kind] = KINDS,
) -> RegisterReader:
    """The reader of someone working on records: drafts and deleted rows too for those
    who may edit; live records only for everyone else (``kinds``: as the programme's
    fields file extends them)."""
    visibility = Visibility.ALL if principal.can(Permission.EDIT) else Visibility.LIVE
    return RegisterReader(
        connection, country, visibility=visibility, principal=principal, kinds=kinds
    )


def record_row(reader: RegisterReader, kind: Kind, key: str) -> dict[str, Any] | None:
    """The stored row of ``kind`` keyed ``key``, if ``reader`` sees it.

    In a write transaction the row is locked until it ends (PostgreSQL; SQLite's
    writers already take turns), so that the version a change is checked against
    is still the row's when the change is written: two writers holding one ETag
    cannot both succeed, the second waits and gets 412.
    """
    table = reader.table(kind)
    statement = reader.select(kind).where(table.c[kind.key] == key)
    if is_write(reader.connection):
        statement = statement.with_for_update(of=table)
    row = reader.connection.execute(statement).first()
    return None if row is None else dict(row._mapping)


def key_taken(reader: RegisterReader, kind: Kind, key: str) -> bool:
    """Whether any row of ``kind`` (any country, any status) has the key ``key``.

    In a PostgreSQL write transaction the key is locked until it ends (a transaction
    advisory lock), so that two writers creating one record take turns: the second
    sees the first's row instead of failing on the unique index.
    """
    table = reader.table(kind)
    connection = reader.connection
    if is_write(connection) and connection.dialect.name == "postgresql":
        name = f"{table.name}:{key}"
        connection.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))
    statement = select(func.count()).select_from(table).where(table.c[kind.key] == key)
    return bool(reader.connection.execute(statement).scalar_one())


def mark_draft(reader: RegisterReader, kind: Kind, key: str, created_by: str) -> None:
    """Make the just-created record ``key`` a draft of ``created_by``."""
    table = reader.table(kind)
    reader.connection.execute(
        update(table)
        .where(table.c[kind.key] == key)
        .values(review_status="draft", created_by=created_by)
    )


def change_row(
    reader: RegisterReader,
    kind: Kind,
    row: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    changed_by: str,
    action: str,
    now: datetime,
) -> None:
    """Set ``values`` in the stored ``row`` (a new version), keeping the old one."""
    table = reader.table(kind)
    keep_version(
        reader.connection, table.name, str(row[kind.key]), row, now,
        changed_by=changed_by, action=action,
    )  # fmt: skip
    reader.connection.execute(
        update(table)
        .where(table.c.id == row["id"])
        .values(**values, version=table.c.version + 1, updated_at=now)
    )


def organisation_of_activity(reader: RegisterReader, activity_key: str) -> str | None:
    """The code of the organisation that carried out the activity ``activity_key``."""
    activities, organisations = reader.table("activities"), schema.organisations
    return reader.connection.execute(
        select(organisations.c.code)
        .join(activities, activities.c.organisation_id == organisations.c.id)
        .where(activities.c.external_id == activity_key)
    ).scalar()


def organisation_of_user(reader: RegisterReader, username: str) -> str | None:
    """The code of the organisation the account ``username`` belongs to."""
    users, organisations = schema.users, schema.organisations
    return reader.connection.execute(
        select(organisations.c.code)
        .join(users, users.c.organisation_id == organisations.c.id)
        .where(users.c.username == username)
    ).scalar()


def refs_of_rows(reader: RegisterReader, table: Table, rows: Sequence[Mapping[str, Any]]) -> Refs:
    """Key maps holding just the records ``rows`` refer to (one query per referred
    table), instead of every key of the register."""
    refs = Refs()
    for name in REFERRED_KINDS:
        referred, key_column = schema.metadata.tables[KINDS[name].table], KINDS[name].key
        ids = {
            row[column.name]
            for column in table.c
            for foreign_key in column.foreign_keys
            if foreign_key.column.table is referred
            for row in rows
            if row.get(column.name) is not None
        }
        if not ids:
            continue
        found = reader.connection.execute(
            select(referred.c.id, referred.c[key_column]).where(referred.c.id.in_(sorted(ids)))
        )
        for row_id, key in found:
            refs.of(name).add(key, row_id)
    return refs


def entities_of_rows(
    reader: RegisterReader, kind: Kind, rows: Sequence[Mapping[str, Any]]
) -> list[Any]:
    """The entities stored in ``rows`` of ``kind``."""
    mapping: TableMapping[Any] = mapping_for(kind.entity)
    refs = refs_of_rows(reader, mapping.table, rows)
    return [mapping.from_row(row, refs) for row in rows]
