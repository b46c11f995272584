"""``demine db``: create, migrate, back up, restore and check the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, console, open_database, opened_store
from demine.errors import IntegrityCheckFailed
from demine.i18n import _, format_number

app = typer.Typer(
    help="Create, migrate, back up, restore and check the database.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date."""
    from demine.store import migrate

    state: CliState = ctx.obj
    store = open_database(state, create=True)
    try:
        migrate.upgrade(store)
        console.print(_("Schema at revision {revision}.").format(revision=migrate.head_revision()))
    finally:
        store.dispose()


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is current."""
    from demine.store import migrate

    state: CliState = ctx.obj
    store = open_database(state)
    try:
        current = migrate.current_revision(store)
        head = migrate.head_revision()
        state_word = _("up to date") if current == head else _("needs 'demine db upgrade'")
        console.print(
            _("{dialect} database, revision {current} (newest {head}): {state}").format(
                dialect=store.dialect, current=current, head=head, state=state_word
            )
        )
    finally:
        store.dispose()


@app.command("rebuild-aggregates")
def rebuild_aggregates(ctx: typer.Context) -> None:
    """Recount the figures the database keeps by triggers (live finds, activities and
    accidents by district and day) from the records themselves."""
    from demine.store.aggregates import rebuild

    state: CliState = ctx.obj
    with opened_store(state, create=False) as store, store.write() as connection:
        rows = rebuild(connection)
    for table, count in rows.items():
        console.print(
            _("{table}: {rows} rows recounted").format(table=table, rows=format_number(count)),
            highlight=False,
        )


@app.command("backup")
def backup(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The backup archive to write (a zip file).")
    ],
) -> None:
    """Back up the whole database while it stays in use, into one portable archive.

    One consistent snapshot of every table and attachment, with a manifest of each
    table's row count and checksum; it restores into SQLite or PostGIS (docs/backup.md).
    """
    from demine.store.backup import write_backup

    state: CliState = ctx.obj
    with opened_store(state, create=False) as store:
        manifest = write_backup(store, output)
    rows = sum(entry.rows for entry in manifest.tables.values())
    console.print(
        _(
            "{path}: {rows} rows in {tables} tables and {files} attachments ({size} bytes), "
            "schema revision {revision}."
        ).format(
            path=output,
            rows=format_number(rows),
            tables=len(manifest.tables),
            files=format_number(manifest.attachment_files),
            size=format_number(manifest.attachment_bytes),
            revision=manifest.schema_revision,
        ),
        highlight=False,
        markup=False,
    )


@app.command("restore")
def restore(
    ctx: typer.Context,
    archive: Annotated[Path, typer.Argument(help="A backup archive of 'demine db backup'.")],
) -> None:
    """Restore a backup into an empty database (SQLite or PostGIS), all or nothing.

    A damaged archive, one from a newer schema or a database holding rows is refused;
    every restored table is checked against the manifest before anything is kept.
    """
    from demine.store.engine import open_store
    from demine.store.restore import restore_backup

    state: CliState = ctx.obj
    store = open_store(state.settings().database_url, create=True)
    created = store.file_path if store.file_path and not store.file_path.exists() else None
    try:
        manifest = restore_backup(store, archive)
    except BaseException:
        store.dispose()
        if created is not None:  # leave no empty database behind a refused restore
            for suffix in ("", "-wal", "-shm", "-journal"):
                created.with_name(created.name + suffix).unlink(missing_ok=True)
        raise
    store.dispose()
    rows = sum(entry.rows for entry in manifest.tables.values())
    console.print(
        _(
            "Restored {rows} rows in {tables} tables and {files} attachments from {path}; "
            "every table matches the manifest."
        ).format(
            rows=format_number(rows),
            tables=len(manifest.tables),
            files=format_number(manifest.attachment_files),
            path=archive,
        ),
        highlight=False,
        markup=False,
    )


@app.command("check")
def check(
    ctx: typer.Context,
    manifest: Annotated[
        Path | None,
        typer.Option(
            help="Also compare every table with this backup's manifest (the archive, or "
            "its manifest.json)."
        ),
    ] = None,
) -> None:
    """Check the database: integrity, foreign keys, geometries and kept figures.

    The kept figures are compared with a recount of the records; with --manifest, every
    table's row count and checksum with a backup's. Each problem is listed (exit 11).
    """
    from demine.store.archive import read_manifest
    from demine.store.check import check_database

    state: CliState = ctx.obj
    expected = read_manifest(manifest) if manifest is not None else None
    with opened_store(state, create=False) as store:
        report = check_database(store, expected)
        where = store.describe()
    for line in report.passed:
        console.print(line, highlight=False, markup=False)
    if report.problems:
        raise IntegrityCheckFailed(
            _("{count} problem(s) found in {database}:").format(
                count=len(report.problems), database=where
            ),
            report.problems,
        )
