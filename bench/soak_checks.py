"""What the kill soak checks after each kill: the database opens with Demine, it is
intact, and the import that was killed is there whole or not at all.

- **Opens**: :func:`demine.store.engine.open_store`, the schema at Demine's head
  revision, and the register readable through :class:`RegisterReader`.
- **Intact**: SQLite's ``PRAGMA integrity_check`` (``ok``) and ``PRAGMA
  foreign_key_check`` (no row); on PostgreSQL, every foreign key of the database
  checked by a query (no row pointing nowhere), no invalid index, and ``amcheck``'s
  ``bt_index_check`` on every B-tree index.
- **All or nothing**: the finds of the killed file (their ids share a prefix) are all
  there or none is; the finds table holds exactly the rows it held before, or those
  plus every row of the file; the file's import batch exists only with them, and then
  says it inserted every row.
- **Figures**: the aggregate tables the database keeps equal a recount from the
  records (:func:`demine.store.aggregates.rebuild`, in a transaction rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, inspect, select, text

from demine.store import schema
from demine.store.aggregates import AGGREGATES, rebuild
from demine.store.check import same_figures
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader
from demine.store.revision import HEAD_REVISION, stored_revision

COUNTRY = "XA"


@dataclass(frozen=True)
class Before:
    """What the database held before an import: its finds and its import batches."""

    finds: int
    batches: int


@dataclass(frozen=True)
class Imported:
    """The file being imported: the prefix its find ids share, its rows, its name."""

    prefix: str
    rows: int
    file_name: str


@dataclass
class Verdict:
    """What one check found: ``committed`` (the whole file is in), ``rolled back``
    (none of it is), ``torn`` (anything else); and every integrity problem."""

    outcome: str
    problems: list[str] = field(default_factory=list)
    finds: int = 0


def before(url: str) -> Before:
    """The finds and import batches ``url`` holds now."""
    store = open_store(url)
    try:
        with store.read() as connection:
            return Before(_count(connection, "device_finds"), _count(connection, "import_batches"))
    finally:
        store.dispose()


def check(url: str, was: Before, imported: Imported | None) -> Verdict:
    """Every check of this module on ``url``, after a kill during ``imported``'s import."""
    try:
        store = open_store(url)
    except Exception as exc:  # the first thing a kill could break: say so, keep going
        return Verdict("unopenable", [f"open_store: {type(exc).__name__}: {exc}"])
    try:
        problems = _opens(store)
        with store.read() as connection:
            problems += integrity_problems(connection)
            verdict = _all_or_nothing(connection, was, imported)
        problems += _figures_problems(store)
        verdict.problems = problems + verdict.problems
        return verdict
    finally:
        store.dispose()


def _opens(store: Store) -> list[str]:
    revision = stored_revision(store)
    if revision != HEAD_REVISION:
        return [f"schema revision {revision}, expected {HEAD_REVISION}"]
    with store.read() as connection:
        RegisterReader(connection, COUNTRY).count("finds")
    return []


def integrity_problems(connection: Connection) -> list[str]:
    """What is broken in the database's pages, indexes and foreign keys (nothing: [])."""
    if connection.dialect.name == "sqlite":
        integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        problems = [] if integrity == ["ok"] else [f"integrity_check: {integrity[:5]}"]
        orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        problems += [f"foreign_key_check: {tuple(row)}" for row in orphans[:5]]
        return problems
    return _postgres_foreign_key_problems(connection) + _postgres_index_problems(connection)


def _postgres_foreign_key_problems(connection: Connection) -> list[str]:
    """Rows whose foreign key points to no row, for every foreign key of the database
    (PostgreSQL enforces them; this checks nothing got past it)."""
    problems = []
    inspector = inspect(connection)
    quote = connection.dialect.identifier_preparer.quote
    for table in inspector.get_table_names():
        for key in inspector.get_foreign_keys(table):
            child = key["constrained_columns"]
            parent = key["referred_columns"]
            matches = " AND ".join(
                f"p.{quote(p)} = c.{quote(c)}" for c, p in zip(child, parent, strict=True)
            )
            present = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in child)
            orphans = connection.exec_driver_sql(
                f"SELECT count(*) FROM {quote(table)} c WHERE {present} AND NOT EXISTS "
                f"(SELECT 1 FROM {quote(key['referred_table'])} p WHERE {matches})"
            ).scalar_one()
            if orphans:
                problems.append(f"{table}.{','.join(child)}: {orphans} row(s) refer to nothing")
    return problems


def _postgres_index_problems(connection: Connection) -> list[str]:
    invalid = connection.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)"
        )
    ).scalars()
    problems = [f"index {name} is not valid" for name in invalid]
    btrees = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
            "WHERE n.nspname = current_schema() AND a.amname = 'btree'"
        )
    ).all()
    for oid, name in btrees:
        try:
            with connection.begin_nested():
                connection.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
        except Exception as exc:  # amcheck reports corruption as an error
            problems.append(f"bt_index_check({name}): {exc}")
    return problems


def _all_or_nothing(connection: Connection, was: Before, imported: Imported | None) -> Verdict:
    finds = _count(connection, "device_finds")
    batches = _count(connection, "import_batches")
    if imported is None:  # no import was running: nothing may have changed
        same = (finds, batches) == (was.finds, was.batches)
        problems = [] if same else [f"finds {was.finds} → {finds} with no import running"]
        return Verdict("no import", problems, finds)
    table = schema.device_finds
    of_file = connection.execute(
        select(func.count()).where(table.c.external_id.startswith(imported.prefix))
    ).scalar_one()
    batch = connection.execute(
        select(schema.import_batches.c.rows_total, schema.import_batches.c.rows_inserted).where(
            schema.import_batches.c.file_name == imported.file_name
        )
    ).all()
    seen = (finds, of_file, batches, [tuple(b) for b in batch])
    if seen == (was.finds, 0, was.batches, []):
        return Verdict("rolled back", [], finds)
    whole = [(imported.rows, imported.rows)]
    if seen == (was.finds + imported.rows, imported.rows, was.batches + 1, whole):
        return Verdict("committed", [], finds)
    return Verdict(
        "torn",
        [
            f"torn import of {imported.file_name}: finds {was.finds} → {finds} "
            f"({of_file} of its {imported.rows}), batches {was.batches} → {batches} {batch}"
        ],
        finds,
    )


def _figures_problems(store: Store) -> list[str]:
    with store.write(rollback=True) as connection:
        kept = {a.table: _rows(connection, a.table) for a in AGGREGATES}
        rebuild(connection)
        recounted = {a.table: _rows(connection, a.table) for a in AGGREGATES}
    return [
        f"{name}: {len(kept[name])} kept rows differ from the {len(recounted[name])} recounted"
        for name in kept
        if not _same_rows(kept[name], recounted[name])
    ]


def _same_rows(kept: list[tuple[Any, ...]], recounted: list[tuple[Any, ...]]) -> bool:
    """Row for row the same figures, as ``demine db check`` compares them (sums of
    decimals added in another order may differ in their last bits)."""
    return len(kept) == len(recounted) and all(
        same_figures(row, again) for row, again in zip(kept, recounted, strict=True)
    )


def _rows(connection: Connection, table: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in connection.execute(select(schema.metadata.tables[table])))


def _count(connection: Connection, table: str) -> int:
    return int(
        connection.execute(
            select(func.count()).select_from(schema.metadata.tables[table])
        ).scalar_one()
    )
