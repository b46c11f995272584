"""``demine db check``: is a live database sound?

Inside one snapshot it checks the database's own structures (SQLite's
``integrity_check``; on PostgreSQL, constraints left unvalidated and, where the
``amcheck`` extension is installed, every B-tree index), every foreign key, every stored
geometry (valid, and inside the bounding box SQLite filters by), the figures kept by
triggers against a recount of the records, and, given a backup's manifest, every
table's row count and checksum against it. Each problem is one sentence naming the
table and row.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import shapely
from sqlalchemy import Connection, Table, select, text

from demine.domain.kinds import KINDS
from demine.i18n import _
from demine.store import schema
from demine.store.aggregates import AGGREGATES, columns, recount
from demine.store.archive import Manifest
from demine.store.backup import backed_up_tables
from demine.store.canonical import table_digest
from demine.store.engine import Store
from demine.store.revision import HEAD_REVISION

_BATCH = 2000
_BBOX = ("min_x", "min_y", "max_x", "max_y")


@dataclass
class CheckReport:
    """What was checked (one line per check) and every problem found."""

    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, summary: str, problems: list[str]) -> None:
        if problems:
            self.problems += problems
        else:
            self.passed.append(summary)


def check_database(store: Store, manifest: Manifest | None = None) -> CheckReport:
    """Check ``store`` (and compare it with ``manifest`` when given)."""
    report = CheckReport()
    with store.snapshot() as connection:
        if store.is_postgis:
            summary, problems = _postgres_integrity(connection)
            report.add(summary, problems)
            foreign = list(_broken_references(connection))
        else:
            report.add(_("integrity: ok"), list(_sqlite_integrity(connection)))
            foreign = list(_sqlite_broken_references(connection))
        report.add(_("foreign keys: ok"), foreign)
        checked, problems = _geometries(connection)
        report.add(_("geometries: {count} checked, all valid").format(count=checked), problems)
        groups, problems = _kept_figures(connection)
        report.add(_("kept figures: {count} groups equal a recount").format(count=groups), problems)
        if manifest is not None:
            problems = list(_against_manifest(connection, manifest))
            report.add(
                _("manifest: {count} tables equal").format(count=len(manifest.tables)), problems
            )
    return report


def _sqlite_integrity(connection: Connection) -> Iterator[str]:
    for (message,) in connection.exec_driver_sql("PRAGMA integrity_check"):
        if message != "ok":
            yield _("integrity_check: {message}").format(message=message)


def _postgres_integrity(connection: Connection) -> tuple[str, list[str]]:
    """Constraints left unvalidated, and every B-tree index where amcheck is installed."""
    unvalidated = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE NOT convalidated AND connamespace = current_schema()::regnamespace "
            "ORDER BY 1, 2"
        )
    )
    problems = [
        _("{table}: constraint {constraint} is not validated").format(
            table=table, constraint=constraint
        )
        for table, constraint in unvalidated
    ]
    installed = connection.execute(
        text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")
    ).scalar()
    if not installed:
        return _("integrity: ok (amcheck is not installed: indexes not checked)"), problems
    indexes = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' "
            "AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname"
        )
    ).all()
    for oid, name in indexes:
        try:
            with connection.begin_nested():
                connection.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
        except Exception as exc:  # amcheck reports a damaged index as an error
            detail = getattr(exc, "orig", exc)
            problems.append(_("index {index}: {detail}").format(index=name, detail=detail))
    summary = _("integrity: ok ({count} B-tree indexes checked by amcheck)")
    return summary.format(count=len(indexes)), problems


def _broken(table: str, row_id: Any, column: str, value: Any, parent: str) -> str:
    return _("{table} row {id}: {column} = {value} refers to no {parent} row").format(
        table=table, id=row_id, column=column, value=value, parent=parent
    )


def _sqlite_broken_references(connection: Connection) -> Iterator[str]:
    for table, rowid, parent, fkid in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        keys = connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all()
        column = next(key[3] for key in keys if key[0] == fkid)
        value = connection.exec_driver_sql(
            f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)
        ).scalar()
        yield _broken(table, rowid, column, value, parent)


def _broken_references(connection: Connection) -> Iterator[str]:
    """Rows whose foreign key names no row (PostgreSQL enforces them, unless someone
    switched the checks off)."""
    for table in backed_up_tables():
        for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
            parent = key.column.table.alias("parent")
            referred = parent.c[key.column.name]
            orphans = (
                select(table.c.id, key.parent)
                .select_from(table.outerjoin(parent, referred == key.parent))
                .where(key.parent.is_not(None), referred.is_(None))
                .order_by(table.c.id)
            )
            for row_id, value in connection.execute(orphans):
                yield _broken(table.name, row_id, key.parent.name, value, key.column.table.name)


def _geometries(connection: Connection) -> tuple[int, list[str]]:
    keys = {kind.table: kind.key for kind in KINDS.values()}
    checked = 0
    problems: list[str] = []
    for table in schema.SPATIAL_TABLES:
        key = table.c[keys.get(table.name, "id")]
        query = select(table.c.id, key, table.c.geometry, *(table.c[c] for c in _BBOX))
        rows = connection.execution_options(yield_per=_BATCH).execute(query.order_by(table.c.id))
        for row_id, record, geometry, *bbox in rows:
            where = _("{table} {record} (row {id})").format(
                table=table.name, record=record, id=row_id
            )
            checked += geometry is not None
            if geometry is not None and not shapely.is_valid(geometry):
                reason = shapely.is_valid_reason(geometry)
                problems.append(
                    _("{where}: invalid geometry: {reason}").format(where=where, reason=reason)
                )
            expected = list(geometry.bounds) if geometry is not None else [None] * 4
            if not all(_same(a, b) for a, b in zip(bbox, expected, strict=True)):
                problems.append(
                    _(
                        "{where}: bounding box {stored} differs from its geometry's {expected}"
                    ).format(where=where, stored=_numbers(bbox), expected=_numbers(expected))
                )
    return checked, problems


def _same(stored: float | None, expected: float | None) -> bool:
    if stored is None or expected is None:
        return stored is expected
    return stored == expected or (math.isnan(stored) and math.isnan(expected))


def _numbers(values: list[Any]) -> str:
    return "(" + ", ".join("NULL" if v is None else repr(v) for v in values) + ")"


def _kept_figures(connection: Connection) -> tuple[int, list[str]]:
    groups = 0
    problems: list[str] = []
    for aggregate in AGGREGATES:
        table = schema.metadata.tables[aggregate.table]
        names = columns(aggregate)
        width = len(aggregate.keys)
        kept = {tuple(row[:width]): tuple(row[width:]) for row in connection.execute(
            select(*(table.c[name] for name in names)))}  # fmt: skip
        counted = {tuple(row[:width]): tuple(row[width:]) for row in connection.execute(
            recount(aggregate))}  # fmt: skip
        groups += len(kept)
        for group in sorted(set(kept) | set(counted), key=repr):
            found, expected = kept.get(group), counted.get(group)
            if found is not None and expected is not None and same_figures(found, expected):
                continue
            problems.append(
                _("{table}: group {group} holds {found}; a recount gives {expected}").format(
                    table=aggregate.table,
                    group=", ".join(str(value) for value in group),
                    found=_figures(names[width:], found),
                    expected=_figures(names[width:], expected),
                )
            )
    return groups, problems


def same_figures(found: tuple[Any, ...], expected: tuple[Any, ...]) -> bool:
    """Equal, but for the last bits of sums of decimals added in another order."""
    return all(
        a == b or (isinstance(a, float) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6))
        for a, b in zip(found, expected, strict=True)
    )


def _figures(names: list[str], values: tuple[Any, ...] | None) -> str:
    if values is None:
        return _("nothing")
    return ", ".join(f"{name} {value!r}" for name, value in zip(names, values, strict=True))


def _against_manifest(connection: Connection, manifest: Manifest) -> Iterator[str]:
    if manifest.schema_revision != HEAD_REVISION:
        yield _("schema revision {revision}, the manifest says {expected}").format(
            revision=HEAD_REVISION, expected=manifest.schema_revision
        )
    tables: dict[str, Table] = {table.name: table for table in backed_up_tables()}
    for name in sorted(set(manifest.tables) - set(tables)):
        yield _("table {table} of the manifest is unknown to this Demine").format(table=name)
    for name, table in tables.items():
        expected = manifest.tables.get(name)
        if expected is None:
            yield _("table {table} is not in the manifest").format(table=name)
            continue
        found = table_digest(connection, table)
        if (found.rows, found.sha256) != (expected.rows, expected.sha256):
            yield _(
                "table {table}: {rows} rows with checksum {sha256}, the manifest says "
                "{expected_rows} rows with checksum {expected_sha256}"
            ).format(
                table=name,
                rows=found.rows,
                sha256=found.sha256,
                expected_rows=expected.rows,
                expected_sha256=expected.sha256,
            )
