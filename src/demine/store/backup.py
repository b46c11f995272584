"""``demine db backup``: a consistent, portable snapshot of the whole database.

Every table is read inside one snapshot transaction (:meth:`Store.snapshot`), so the
archive shows the database at one moment while the server goes on writing: a find and
the figures counting it, a record and its history, always agree. The archive (see
:mod:`demine.store.archive`) restores into SQLite or PostGIS alike, keeping what an
export would lose: drafts, deleted records, users and their password hashes, tokens,
the audit log, the record history, victims' identifiers and attachments.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Table, text

from demine import __version__
from demine.errors import InvalidRequestError, StoreError
from demine.i18n import _
from demine.store import schema
from demine.store.archive import Manifest, TableEntry, attachment_member, table_member
from demine.store.canonical import Digest, table_lines
from demine.store.engine import Store
from demine.store.revision import HEAD_REVISION

log = logging.getLogger(__name__)

#: Called after each table is read, still inside the snapshot (progress, tests).
TableDone = Callable[[str, TableEntry], None]
#: Lines kept in memory before a table's file spills to a temporary file.
_SPOOL_BYTES = 16 * 1024 * 1024


def backed_up_tables() -> list[Table]:
    """Every table of the schema, parents before the tables referring to them."""
    return list(schema.metadata.sorted_tables)


def table_columns() -> dict[str, tuple[str, ...]]:
    """Each table's column names, in the order of its rows' values."""
    return {table.name: tuple(column.name for column in table.c) for table in backed_up_tables()}


def write_backup(
    store: Store, path: Path, *, on_table: TableDone | None = None, now: datetime | None = None
) -> Manifest:
    """Write a backup archive of ``store`` to ``path`` (replaced only once complete)."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise InvalidRequestError(_("{folder}: no such folder").format(folder=path.parent))
    descriptor, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(descriptor)
    partial = Path(partial_name)
    try:
        manifest = _write(store, partial, on_table, now or datetime.now(UTC))
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _write(store: Store, path: Path, on_table: TableDone | None, now: datetime) -> Manifest:
    entries: dict[str, TableEntry] = {}
    attachments: dict[str, int] = {}
    with (
        store.snapshot() as connection,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive,
    ):
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision != HEAD_REVISION:
            raise StoreError(
                _(
                    "The database schema is out of date ({current}); run 'demine db upgrade'."
                ).format(current=revision)
            )

        def keep_attachment(sha256: str, content: bytes) -> None:
            if sha256 not in attachments:
                # Scans and photos are compressed already.
                archive.writestr(attachment_member(sha256), content, zipfile.ZIP_STORED)
                attachments[sha256] = len(content)

        for table in backed_up_tables():
            digest = Digest()
            # Spooled: a table's attachments are written to the zip while it is read.
            with tempfile.SpooledTemporaryFile(_SPOOL_BYTES) as lines:
                for row_line in table_lines(connection, table, keep_attachment):
                    digest.add(row_line)
                    lines.write(row_line)
                lines.seek(0)
                with archive.open(table_member(table.name), "w", force_zip64=True) as member:
                    shutil.copyfileobj(lines, member)
            entry = TableEntry(tuple(c.name for c in table.c), digest.rows, digest.sha256)
            entries[table.name] = entry
            log.info("%s: %d rows", table.name, digest.rows)
            if on_table is not None:
                on_table(table.name, entry)
        manifest = Manifest(
            schema_revision=str(revision),
            created_at=now.astimezone(UTC).isoformat(timespec="seconds"),
            database=store.dialect,
            demine_version=__version__,
            tables=entries,
            attachment_files=len(attachments),
            attachment_bytes=sum(attachments.values()),
        )
        archive.writestr("manifest.json", manifest.to_json())
    return manifest
