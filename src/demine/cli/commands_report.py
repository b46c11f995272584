"""Report commands: summary (bulletins and statistics follow)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from demine.analysis.summary import summarise_period
from demine.cli.context import CliState, opened_store
from demine.cli.options import day_option
from demine.reports.bulletin.summary_text import render_summary_text
from demine.store.reader import RegisterReader


class TextOrJson(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("summary")(summary_command)


def summary_command(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    district: Annotated[str | None, typer.Option(help="One district, by name or code.")] = None,
    output_format: Annotated[
        TextOrJson, typer.Option("--format", help="text or json.")
    ] = TextOrJson.TEXT,
) -> None:
    """Devices found and land released in a period, by district in reporting order."""
    state: CliState = ctx.obj
    country = state.country_code()
    with opened_store(state) as store, store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, country),
            day_option(start, "--from"),
            day_option(end, "--to"),
            district,
        )
    if output_format is TextOrJson.JSON:
        typer.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_summary_text(summary))
