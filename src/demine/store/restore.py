"""``demine db restore``: a backup archive back into an empty SQLite or PostGIS database.

All or nothing: the archive is checked whole first (every table's count and checksum,
every attachment's bytes, the schema revision), then the schema is created and every
row written in one transaction, which also recounts every restored table and compares
it with the manifest before it commits. A damaged archive, one from a newer schema, a
row the database refuses, or a database that already holds rows leave it untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy import table as table_named
from sqlalchemy.exc import DBAPIError

from demine.errors import IntegrityCheckFailed, InvalidRequestError
from demine.i18n import _, ngettext
from demine.store import migrate, schema
from demine.store.aggregates import AGGREGATES
from demine.store.archive import Archive, Manifest
from demine.store.backup import backed_up_tables, table_columns
from demine.store.canonical import decoder, is_binary, key_columns, table_digest
from demine.store.engine import Store
from demine.store.kept_hazard_tests import KEPT_TABLES
from demine.store.revision import HEAD_REVISION

#: Rows inserted per statement.
_BATCH = 1000
#: Tables PostGIS itself keeps in a schema.
_FOREIGN_TABLES = {"spatial_ref_sys"}
#: Tables a migrated database holds rows in before any record is stored: SQLite's
#: R*Trees (whose node tables hold their roots).
_MIGRATED_ROWS = ("rtree_",)


def restore_backup(store: Store, path: Path) -> Manifest:
    """Restore the archive at ``path`` into ``store``, which must hold no rows."""
    with Archive(path) as archive:
        _check_revision(archive)
        archive.verify(table_columns())
        with store.write() as connection:
            _prepare(connection, store)
            tables = backed_up_tables()
            kept = {aggregate.table for aggregate in AGGREGATES} | set(KEPT_TABLES)
            kept.add(schema.data_versions.name)
            for table in [t for t in tables if t.name not in kept]:
                _restore_table(connection, archive, table, store)
            # Restoring the records made the triggers count them; the archive's own
            # figures replace that count, so the restored tables equal the backup's.
            for table in [t for t in tables if t.name in kept]:
                connection.execute(delete(table))
                _restore_table(connection, archive, table, store)
            if store.is_postgis:
                _reset_sequences(connection, tables)
            _compare(connection, archive, tables)
        return archive.manifest


def _check_revision(archive: Archive) -> None:
    revision = archive.manifest.schema_revision
    if revision == HEAD_REVISION:
        return
    if revision not in migrate.known_revisions():
        raise archive.rejected(
            _(
                "{path} was written at schema revision {revision}, newer than this Demine "
                "knows ({head}); restore it with a newer Demine."
            ),
            revision=revision,
            head=HEAD_REVISION,
        )
    raise archive.rejected(
        _(
            "{path} was written at schema revision {revision}; this Demine restores "
            "revision {head} only: restore it with the Demine that wrote it, run "
            "'demine db upgrade', then back it up again."
        ),
        revision=revision,
        head=HEAD_REVISION,
    )


def _prepare(connection: Connection, store: Store) -> None:
    """Create the schema in an empty database; refuse one that holds anything."""
    inspector = inspect(connection)
    # The database's own schema only (PostgreSQL also shows what the search path sees).
    names = inspector.get_table_names(schema=inspector.default_schema_name)
    present = set(names) - _FOREIGN_TABLES
    if "alembic_version" in present:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision is not None and revision not in migrate.known_revisions():
            raise InvalidRequestError(
                _(
                    "The database {url} has schema revision {revision}, newer than this "
                    "Demine knows ({head})."
                ).format(url=store.describe(), revision=revision, head=HEAD_REVISION)
            )
        holding = {name for name in present if not name.startswith(_MIGRATED_ROWS)}
        _refuse_rows(connection, store, holding - {"alembic_version"})
    elif present:
        raise InvalidRequestError(
            _(
                "The database {url} holds tables ({tables}) but no Demine schema; "
                "a backup is restored only into an empty database."
            ).format(url=store.describe(), tables=", ".join(sorted(present)))
        )
    migrate.upgrade_in(connection)


def _refuse_rows(connection: Connection, store: Store, present: set[str]) -> None:
    holding = []
    for name in sorted(present):
        if connection.execute(select(func.count()).select_from(table_named(name))).scalar_one():
            holding.append(name)
    if holding:
        raise InvalidRequestError(
            _(
                "The database {url} is not empty ({count} tables hold rows, among them "
                "{table}); a backup is restored only into an empty database."
            ).format(url=store.describe(), count=len(holding), table=holding[0])
        )


def _restore_table(connection: Connection, archive: Archive, table: Table, store: Store) -> None:
    rows = _decoded_rows(archive, table)
    if _self_references(table):
        rows = iter(_parents_first(table, list(rows)))
    binary = any(is_binary(column) for column in table.c)
    batch: list[dict[str, Any]] = []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH or binary:
                connection.execute(insert(table), batch)
                batch = []
        if batch:
            connection.execute(insert(table), batch)
    except DBAPIError as exc:
        raise archive.rejected(
            _("{path}: table {table} cannot be restored into this {database} database: {detail}"),
            table=table.name,
            database=store.dialect,
            detail=str(exc.orig).strip(),
        ) from exc


def _decoded_rows(archive: Archive, table: Table) -> Iterator[dict[str, Any]]:
    columns = list(table.c)
    names = [column.name for column in columns]
    decoders = [decoder(column) for column in columns]
    binary = [is_binary(column) for column in columns]
    for number, row_line in archive.lines(table.name):
        try:
            values = json.loads(row_line)
            if not isinstance(values, list) or len(values) != len(columns):
                raise ValueError(
                    ngettext(
                        "not a list of {count} value", "not a list of {count} values", len(columns)
                    ).format(count=len(columns))
                )
            row: dict[str, Any] = {}
            for name, value, decode, is_bytes in zip(names, values, decoders, binary, strict=True):
                if value is None:
                    row[name] = None
                elif is_bytes:
                    row[name] = archive.attachment(str(value))
                else:
                    row[name] = decode(value)
        except IntegrityCheckFailed:
            raise
        except (ValueError, TypeError) as exc:
            raise archive.rejected(
                _("{path}: {member}, line {line}: {detail}"),
                member=f"tables/{table.name}.jsonl",
                line=number,
                detail=exc,
            ) from exc
        yield row


def _self_references(table: Table) -> list[tuple[str, str]]:
    """The (column, referred column) pairs of ``table``'s foreign keys to itself."""
    return [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` ordered so that a row another refers to comes before it (a district's
    province before the district); the foreign keys are checked as each row arrives."""
    references = _self_references(table)
    placed: set[tuple[str, Any]] = set()
    known = {(referred, row[referred]) for _, referred in references for row in rows}
    ordered: list[dict[str, Any]] = []
    pending = rows
    while pending:
        waiting = []
        for row in pending:
            needs = [(referred, row[column]) for column, referred in references]
            if all(v is None or (r, v) in placed or (r, v) not in known for r, v in needs):
                ordered.append(row)
                placed.update((referred, row[referred]) for _, referred in references)
            else:
                waiting.append(row)
        if len(waiting) == len(pending):
            return ordered + waiting  # a cycle: the database refuses it with its reason
        pending = waiting
    return ordered


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL hands out ids from sequences, which restored ids do not advance."""
    for table in tables:
        keys = key_columns(table)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0].name
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({column}), 0) + 1, false) FROM {table.name}"
            ),
            {"table": table.name, "column": column},
        )


def _compare(connection: Connection, archive: Archive, tables: list[Table]) -> None:
    problems = []
    for table in tables:
        expected = archive.manifest.tables[table.name]
        found = table_digest(connection, table)
        if (found.rows, found.sha256) != (expected.rows, expected.sha256):
            problems.append(
                _(
                    "table {table}: {rows} rows with checksum {sha256}, the manifest says "
                    "{expected_rows} rows with checksum {expected_sha256}"
                ).format(
                    table=table.name,
                    rows=found.rows,
                    sha256=found.sha256,
                    expected_rows=expected.rows,
                    expected_sha256=expected.sha256,
                )
            )
    if problems:
        raise IntegrityCheckFailed(
            _(
                "The restored database does not match the manifest of {path}; nothing was restored."
            ).format(path=archive.path),
            problems,
        )
