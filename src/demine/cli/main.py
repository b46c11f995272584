"""Entry point: the ``demine`` application and its error handling."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, report_error
from demine.cli.lazy_tree import LazyGroup
from demine.errors import DemineError, StoreError
from demine.i18n import _

app = typer.Typer(
    name="demine",
    help="Demine: open information management for mine action.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Each command's code is loaded when it runs (``lazy_tree.TOP_LEVEL`` names them).
    cls=LazyGroup,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"demine {installed_version()}")
        raise typer.Exit()


def installed_version() -> str:
    """The installed package's version (``0+unknown`` when run from a bare source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("demine")
    except PackageNotFoundError:
        return "0+unknown"


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL or SQLite file (default: DEMINE_DATABASE_URL, else demine.db).",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="Country code records belong to (default: DEMINE_COUNTRY, else AZ)."),
    ] = None,
    create: Annotated[
        bool,
        typer.Option(
            "--create",
            help="Create the SQLite database if its file does not exist (without it only "
            "'demine demo' and 'demine db upgrade' create one; others say it is missing).",
        ),
    ] = False,
    fields: Annotated[
        Path | None,
        typer.Option(
            "--fields",
            help="The programme's fields file (TOML or YAML) adding fields to kinds "
            "(default: DEMINE_FIELDS_FILE).",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Demine: open information management for mine action."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    state = CliState(database_url=db, country=country, create=create, fields_file=fields)
    if fields is not None or os.environ.get("DEMINE_FIELDS_FILE", "").strip():
        state.kinds()  # checked at start: a bad fields file stops every command
    ctx.obj = state


#: Objects allocated between two collections of the youngest generation (Python's
#: default is 700): a command builds many objects and frees few, and a national weekly
#: bulletin was collected 400 times (a quarter of a second of its CPU) for nothing.
GC_THRESHOLD = 20_000


def run() -> None:
    """Run the CLI, turning Demine errors into messages and exit codes."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    try:
        app()
    except DemineError as error:
        report_error(error)
        sys.exit(error.exit_code)
    except Exception as error:
        if not _is_database_error(error):
            raise
        # An unexpected database failure: say so plainly instead of a traceback.
        detail = getattr(error, "orig", None) or error
        message = _("database error: {kind}: {detail}").format(
            kind=error.__class__.__name__, detail=detail
        )
        report_error(StoreError(message))
        sys.exit(StoreError.exit_code)


def _is_database_error(error: Exception) -> bool:
    # Imported only after a failure: the store is not loaded for ``--help``.
    from demine.store.engine import is_database_error

    return is_database_error(error)
