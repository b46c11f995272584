"""Entry point: the ``demine`` application and its error handling."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from demine.cli import (
    commands_analyse,
    commands_bulletin,
    commands_casualties,
    commands_data,
    commands_db,
    commands_landrelease,
    commands_projects,
    commands_records,
    commands_report,
    commands_serve,
    commands_users,
)
from demine.cli.context import CliState, errors
from demine.errors import DemineError, ImportRejected, StoreError
from demine.i18n import _

app = typer.Typer(
    name="demine",
    help="Demine: open information management for mine action.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(commands_db.app, name="db")
app.add_typer(commands_users.app, name="user")
app.add_typer(commands_bulletin.app, name="report")
app.add_typer(commands_records.app, name="records")
app.add_typer(commands_analyse.app, name="analyse")
commands_data.register(app)
commands_report.register(app)
commands_serve.register(app)
commands_casualties.register(app)
commands_landrelease.register(commands_bulletin.app)
commands_projects.register(app, commands_analyse.app)


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
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Demine: open information management for mine action."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    ctx.obj = CliState(database_url=db, country=country)


def run() -> None:
    """Run the CLI, turning Demine errors into messages and exit codes."""
    try:
        app()
    except DemineError as error:
        report_error(error)
        sys.exit(error.exit_code)
    except SQLAlchemyError as error:
        # An unexpected database failure: say so plainly instead of a traceback.
        detail = getattr(error, "orig", None) or error
        report_error(StoreError(f"database error: {error.__class__.__name__}: {detail}"))
        sys.exit(StoreError.exit_code)


def report_error(error: DemineError) -> None:
    errors.print(f"[bold red]{_('Error')}:[/] {error.message}", highlight=False)
    if isinstance(error, ImportRejected):
        for problem in error.problems:
            errors.print(f"  {problem}", highlight=False, markup=False)
