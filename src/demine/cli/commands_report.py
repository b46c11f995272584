"""``demine summary`` and every ``demine report …`` command: bulletins, the weekly
series, casualty statistics and land release.

Each reads the register through one reader — as it stands, or ``--as-known-on`` a past
day (every record's version of that day, from its history), so that a published report
can be produced again exactly. Report code is imported inside each command, so that
``demine --help`` starts at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from demine.cli.context import CliState, opened_store
from demine.cli.options import (
    DistrictOption,
    LangOption,
    OutputOption,
    ThresholdOption,
    day_option,
    parsed_option,
    write_document,
)
from demine.domain.disclosure import DEFAULT_THRESHOLD
from demine.domain.periods import Period, PeriodKind, parse_iso_week, parse_month, year
from demine.errors import InvalidRequestError
from demine.i18n import _, format_day
from demine.reports.formats import (
    AnalysisFormat,
    AnnualFormat,
    CasualtyFormat,
    MeasureFormat,
    ReportFormat,
    SeriesFormat,
    TableFormat,
)

if TYPE_CHECKING:
    from demine.store.reader import RegisterReader

app = typer.Typer(
    help="Operations bulletins and statistics from the register.", no_args_is_help=True
)

FormatOption = Annotated[
    ReportFormat, typer.Option("--format", help="text, markdown, html, pdf, json or xlsx.")
]
AnalysisFormatOption = Annotated[
    AnalysisFormat, typer.Option("--format", help="text, html, pdf, json or xlsx.")
]
AsKnownOnOption = Annotated[
    str | None,
    typer.Option(
        "--as-known-on",
        help="Read the register as it was known at the end of this day (YYYY-MM-DD), "
        "from its history: a report published then comes out again unchanged.",
    ),
]

YearOption = Annotated[
    int, typer.Option("--year", min=1900, max=2100, help="Calendar year, e.g. 2024.")
]


def register(main_app: typer.Typer) -> None:
    """Add ``summary`` and the ``report`` group to ``demine``."""
    main_app.command("summary")(summary_command)
    main_app.add_typer(app, name="report")


@contextmanager
def register_reader(
    state: CliState, as_known_on: str | None, *, compiled: bool = False
) -> Iterator[RegisterReader]:
    """A reader of the country's live register (as known on a day, when asked).

    ``compiled``: the command reads only through compiled statements, so the register
    as it stands is read on a plain connection, without loading SQLAlchemy, where the
    database allows it (:mod:`demine.store.plain_store`).
    """
    from demine.store.reader import RegisterReader

    day = day_option(as_known_on, "--as-known-on") if as_known_on else None
    if compiled and day is None:
        with _plain_reader(state) as reader:
            if reader is not None:
                yield reader
                return
    with opened_store(state, create=False) as store, store.read() as connection:
        yield RegisterReader(connection, state.country_code(), as_known_on=day)


@contextmanager
def _plain_reader(state: CliState) -> Iterator[RegisterReader | None]:
    from demine.store.plain_store import plain_read
    from demine.store.reader import RegisterReader

    settings = state.settings()
    with plain_read(settings.database_url) as connection:
        yield None if connection is None else RegisterReader(connection, settings.country)


def summary_command(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    district: Annotated[str | None, typer.Option(help="One district, by name or code.")] = None,
    output_format: Annotated[
        TableFormat, typer.Option("--format", help="text, json or xlsx.")
    ] = TableFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (xlsx needs one).")
    ] = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """Devices found and land released in a period, by district in reporting order."""
    from demine.analysis.summary import summarise_period
    from demine.reports.bulletin.summary_text import render_summary_text

    first, last = day_option(start, "--from"), day_option(end, "--to")
    with register_reader(ctx.obj, as_known_on) as reader:
        summary = summarise_period(reader, first, last, district)
    figures = summary.to_json()
    if output_format is TableFormat.XLSX:
        from demine.reports.bulletin.sheets import summary_sheets
        from demine.reports.workbook import workbook_bytes

        write_document(workbook_bytes(summary_sheets(figures)), output)
    elif output_format is TableFormat.JSON:
        if as_known_on:
            figures["as_known_on"] = as_known_on
            figures["read_from"] = "history"
        write_document(json.dumps(figures, indent=2, ensure_ascii=False), output)
    elif reader.as_known_on is not None:
        known = _(
            "Read from the register's history as it was known on {day}, not from the "
            "figures the database keeps."
        ).format(day=format_day(reader.as_known_on))
        write_document(f"{render_summary_text(summary).rstrip()}\n{known}\n", output)
    else:
        write_document(render_summary_text(summary), output)


def _bulletin(
    state: CliState,
    period: Period,
    district: str | None,
    report_format: ReportFormat,
    output: Path | None,
    as_known_on: str | None,
) -> None:
    from demine.analysis.bulletin import bulletin_figures
    from demine.reports.bulletin.document import render
    from demine.reports.templating import pdf_engine_loading

    drawn = report_format in (ReportFormat.HTML, ReportFormat.PDF)
    # The PDF engine loads while the figures are read (it is waited for in the block).
    loading = pdf_engine_loading() if report_format is ReportFormat.PDF else nullcontext()
    # Every read of a bulletin, its map's included, is a compiled statement.
    with loading, register_reader(state, as_known_on, compiled=True) as reader:
        figures = bulletin_figures(reader, period, district, with_map=drawn)
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
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """The weekly operations bulletin (an ISO week, or --from/--to)."""
    if week is not None and (start or end):
        raise InvalidRequestError(_("give either --week or --from/--to, not both"))
    if week is not None:
        period = parsed_option(parse_iso_week, week, "--week")
    elif start and end:
        first, last = day_option(start, "--from"), day_option(end, "--to")
        if last < first:
            raise InvalidRequestError(
                _("--to: the period ends ({last}) before it starts ({first})").format(
                    last=last, first=first
                )
            )
        kind = (
            PeriodKind.WEEK
            if (last - first).days == 6 and first.weekday() == 0
            else PeriodKind.CUSTOM
        )
        period = Period(first, last, kind)
    else:
        raise InvalidRequestError(_("give --week YYYY-Www, or --from and --to"))
    _bulletin(ctx.obj, period, district, report_format, output, as_known_on)


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="Calendar month, e.g. 2024-07.")],
    district: DistrictOption = None,
    report_format: FormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """The monthly operations bulletin."""
    period = parsed_option(parse_month, month, "--month")
    _bulletin(ctx.obj, period, district, report_format, output, as_known_on)


@app.command("annual")
def annual(
    ctx: typer.Context,
    year_number: YearOption,
    district: DistrictOption = None,
    report_format: FormatOption = ReportFormat.TEXT,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """The annual operations report."""
    _bulletin(ctx.obj, year(year_number), district, report_format, output, as_known_on)


@app.command("series")
def series(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First month (YYYY-MM).")],
    end: Annotated[str, typer.Option("--to", help="Last month (YYYY-MM).")],
    district: DistrictOption = None,
    series_format: Annotated[
        SeriesFormat, typer.Option("--format", help="json, csv, html, pdf or xlsx.")
    ] = SeriesFormat.JSON,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """Weekly finds and hectares over time, marking each week's source and missing weeks."""
    from demine.analysis.series import weekly_series
    from demine.reports.bulletin.series_document import render_series

    first = parsed_option(parse_month, start, "--from")
    last = parsed_option(parse_month, end, "--to")
    if last.end < first.start:
        raise InvalidRequestError(
            _("--to: {end} is before --from {start}").format(end=end, start=start)
        )
    with register_reader(ctx.obj, as_known_on) as reader:
        weekly_figures = weekly_series(reader, first.start, last.end, district)
    write_document(render_series(weekly_figures, series_format), output)


@app.command("casualties")
def casualties(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="Last day counted (YYYY-MM-DD).")],
    since: Annotated[
        str | None,
        typer.Option(
            help="First day of the 'since' figures (default: the country's reference date, "
            "for AZ 2020-11-10, the Second Garabagh War ceasefire; else the first record)."
        ),
    ] = None,
    district: Annotated[str | None, typer.Option(help="One district, by name or code.")] = None,
    report_format: Annotated[
        CasualtyFormat, typer.Option("--format", help="text, html, pdf, json or xlsx.")
    ] = CasualtyFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="National aggregates fit to publish: small counts shown as <N, with "
            "complementary cells hidden (docs/disclosure.md); not with --district.",
        ),
    ] = False,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """Mine victims since a reference date and of all time, with breakdowns and a map.

    All-time figures are the published baseline plus the records after its date, and
    every format shows that split. Unknown outcomes are counted as unknown; accidents
    dated only to a month or year are counted only when that whole span is inside the
    period, and the others are reported as not placed. --public gives aggregates only,
    with counts from 1 to threshold-1 shown as <N.
    """
    from demine.analysis.casualties import casualty_statistics
    from demine.analysis.casualties.statistics import read_from_history
    from demine.reports.casualties.document import render_casualties

    last = day_option(as_of, "--as-of")
    first = day_option(since, "--since") if since else None
    with register_reader(ctx.obj, as_known_on) as reader:
        # Public figures cross the victims counted; exact ones the database counts.
        # Only the HTML and PDF documents draw the districts.
        statistics = casualty_statistics(
            reader, last, first, district, with_facts=public,
            with_shapes=report_format in (CasualtyFormat.HTML, CasualtyFormat.PDF),
        )  # fmt: skip
    if reader.as_known_on is not None:
        read_from_history(statistics, reader.as_known_on)
    write_document(render_casualties(statistics, report_format, public, threshold), output)


@app.command("landrelease")
def landrelease(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    district: DistrictOption = None,
    report_format: AnalysisFormatOption = AnalysisFormat.TEXT,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """Land released by method, known hazardous area remaining by district and hazard type,
    clearance efficiency, with charts and a map of hazard status (see docs/forecast.md)."""
    from demine.analysis.landrelease.figures import land_release_figures
    from demine.reports.landrelease.document import render_landrelease

    first, last = day_option(start, "--from"), day_option(end, "--to")
    with register_reader(ctx.obj, as_known_on) as reader:
        figures = land_release_figures(reader, first, last, district)
    write_document(render_landrelease(figures, report_format), output)


@app.command("quality")
def quality(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    report_format: AnalysisFormatOption = AnalysisFormat.TEXT,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """Quality management by operator (IMAS 07.12): inspections, passed and failed,
    non-conformities by grade and per 100 ha cleared, and land failed QC reopened."""
    from demine.analysis.quality import quality_figures
    from demine.reports.quality.document import render_quality

    first, last = day_option(start, "--from"), day_option(end, "--to")
    with register_reader(ctx.obj, as_known_on) as reader:
        figures = quality_figures(reader, first, last)
    write_document(render_quality(figures, report_format), output)


@app.command("reader-accuracy")
def reader_accuracy(
    ctx: typer.Context,
    report_format: Annotated[
        MeasureFormat, typer.Option("--format", help="text or json.")
    ] = MeasureFormat.TEXT,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """How the news-item reader did on the items reviewed: per field, the values it read
    right, wrong (with each mistake), and abstained on (and those the reviewer filled in)."""
    from demine.domain.news_review import reader_accuracy as tally
    from demine.editing.news_items import reviewed_readings
    from demine.reports.reader_accuracy import render_reader_accuracy

    with register_reader(ctx.obj, None) as reader:
        reviewed = reviewed_readings(reader.connection, ctx.obj.country_code())
    write_document(render_reader_accuracy(tally(reviewed), len(reviewed), report_format), output)


@app.command("article7")
def article7(
    ctx: typer.Context,
    year_number: YearOption,
    report_format: Annotated[
        AnnualFormat, typer.Option("--format", help="text, html, pdf, json or xlsx.")
    ] = AnnualFormat.TEXT,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """The annual profile as Article 7 reports file it: hazardous areas known at the start
    and end of the year, land released by method, devices destroyed by type, risk
    education beneficiaries by sex and age, casualties by sex, age, category and device."""
    from demine.analysis.annual_profile import annual_profile
    from demine.reports.article7.document import render_profile

    with register_reader(ctx.obj, as_known_on) as reader:
        profile = annual_profile(reader, year_number)
    write_document(render_profile(profile, report_format), output)
