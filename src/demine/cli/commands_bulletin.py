"""``demine report weekly|monthly|annual``: operations bulletins from the register."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.analysis.bulletin import bulletin_figures
from demine.analysis.series import weekly_series
from demine.cli.context import CliState, opened_store
from demine.cli.options import (
    DistrictOption,
    OutputOption,
    day_option,
    parsed_option,
    write_document,
)
from demine.domain.periods import Period, PeriodKind, parse_iso_week, parse_month, year
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.reports.bulletin.document import ReportFormat, render
from demine.reports.bulletin.series_document import SeriesFormat, render_series
from demine.store.reader import RegisterReader

app = typer.Typer(
    help="Operations bulletins and statistics from the register.", no_args_is_help=True
)

FormatOption = Annotated[
    ReportFormat, typer.Option("--format", help="text, markdown, html, pdf or json.")
]


def _emit(
    state: CliState,
    period: Period,
    district: str | None,
    report_format: ReportFormat,
    output: Path | None,
) -> None:
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, state.country_code())
        figures = bulletin_figures(reader, period, district)
    write_document(render(figures, report_format), output)


@app.command("weekly")
def weekly(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2024-W27.")] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day, instead of --week.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, with --from.")] = None,
    district: DistrictOption = None,
    report_format: FormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
) -> None:
    """The weekly operations bulletin (an ISO week, or --from/--to)."""
    if week is not None and (start or end):
        raise InvalidRequestError(_("give either --week or --from/--to, not both"))
    if week is not None:
        period = parsed_option(parse_iso_week, week, "--week")
    elif start and end:
        first, last = day_option(start, "--from"), day_option(end, "--to")
        if last < first:
            raise InvalidRequestError(f"--to: the period ends ({last}) before it starts ({first})")
        kind = (
            PeriodKind.WEEK
            if (last - first).days == 6 and first.weekday() == 0
            else PeriodKind.CUSTOM
        )
        period = Period(first, last, kind)
    else:
        raise InvalidRequestError(_("give --week YYYY-Www, or --from and --to"))
    _emit(ctx.obj, period, district, report_format, output)


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="Calendar month, e.g. 2024-07.")],
    district: DistrictOption = None,
    report_format: FormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
) -> None:
    """The monthly operations bulletin."""
    _emit(ctx.obj, parsed_option(parse_month, month, "--month"), district, report_format, output)


@app.command("annual")
def annual(
    ctx: typer.Context,
    year_number: Annotated[int, typer.Option("--year", help="Calendar year, e.g. 2023.")],
    district: DistrictOption = None,
    report_format: FormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
) -> None:
    """The annual operations report."""
    _emit(ctx.obj, year(year_number), district, report_format, output)


@app.command("series")
def series(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First month (YYYY-MM).")],
    end: Annotated[str, typer.Option("--to", help="Last month (YYYY-MM).")],
    district: DistrictOption = None,
    series_format: Annotated[
        SeriesFormat, typer.Option("--format", help="json, csv, html or pdf.")
    ] = SeriesFormat.JSON,
    output: OutputOption = None,
) -> None:
    """Weekly finds and hectares over time, marking each week's source and missing weeks."""
    first = parsed_option(parse_month, start, "--from")
    last = parsed_option(parse_month, end, "--to")
    if last.end < first.start:
        raise InvalidRequestError(f"--to: {end} is before --from {start}")
    state: CliState = ctx.obj
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, state.country_code())
        weekly = weekly_series(reader, first.start, last.end, district)
    write_document(render_series(weekly, series_format), output)
