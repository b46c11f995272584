"""``demine records``: scanned attachments of minefield records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.i18n import _, format_number

app = typer.Typer(
    help="Minefield records handed over: scans and photos kept with each record.",
    no_args_is_help=True,
)

RecordArgument = Annotated[str, typer.Argument(help="The record's external_id.")]


@app.command("attach")
def attach(
    ctx: typer.Context,
    record: RecordArgument,
    files: Annotated[list[Path], typer.Argument(help="Scans, photos or documents to keep.")],
) -> None:
    """Store files with a record, checksummed; the same bytes are never stored twice."""
    from demine.store.attachments import attach_files

    state: CliState = ctx.obj
    with opened_store(state) as store:
        results = attach_files(store, record, files)
    for result in results:
        item = result.attachment
        message = (
            _("{name}: attached ({size} bytes, sha256 {sha256})")
            if result.added
            else _("{name}: already attached ({size} bytes, sha256 {sha256})")
        )
        console.print(
            message.format(name=item.file_name, size=format_number(item.size), sha256=item.sha256),
            highlight=False,
            markup=False,
        )


@app.command("attachments")
def attachments(ctx: typer.Context, record: RecordArgument) -> None:
    """List a record's attachments: name, media type, size and sha256."""
    from demine.store.attachments import list_attachments

    state: CliState = ctx.obj
    with opened_store(state) as store:
        items = list_attachments(store, record)
    if not items:
        console.print(_("{record} has no attachments.").format(record=record), highlight=False)
    for item in items:
        typer.echo(f"{item.file_name}\t{item.media_type}\t{item.size}\t{item.sha256}")
