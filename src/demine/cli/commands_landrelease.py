"""``demine report landrelease``: land released, remaining contamination and efficiency."""

from __future__ import annotations

from typing import Annotated

import typer

from demine.analysis.landrelease.figures import land_release_figures
from demine.cli.context import CliState, opened_store
from demine.cli.options import DistrictOption, OutputOption, day_option, write_document
from demine.reports.analysis_format import AnalysisFormat
from demine.reports.landrelease.document import render_landrelease
from demine.store.reader import RegisterReader

FormatOption = Annotated[AnalysisFormat, typer.Option("--format", help="text, html, pdf or json.")]


def register(report_app: typer.Typer) -> None:
    """Add ``landrelease`` to the ``demine report`` commands."""
    report_app.command("landrelease")(landrelease_command)


def landrelease_command(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    district: DistrictOption = None,
    report_format: FormatOption = AnalysisFormat.TEXT,
    output: OutputOption = None,
) -> None:
    """Land released by method, known hazardous area remaining by district and hazard type,
    clearance efficiency, with charts and a map of hazard status (see docs/forecast.md)."""
    first, last = day_option(start, "--from"), day_option(end, "--to")
    state: CliState = ctx.obj
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, state.country_code())
        figures = land_release_figures(reader, first, last, district)
    write_document(render_landrelease(figures, report_format), output)
