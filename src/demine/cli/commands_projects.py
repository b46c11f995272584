"""``demine analyse projects`` and ``demine forecast``: planning on contaminated land."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from demine.analysis.forecast.defaults import DEFAULT_WEEKS
from demine.analysis.projects.defaults import (
    DEFAULT_DISTANCE_M,
    DEFAULT_RISK_THRESHOLD,
    DEFAULT_WINDOW_MONTHS,
)
from demine.cli.context import CliState, opened_store
from demine.cli.options import DistrictOption, LangOption, day_option, write_document
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.reports.formats import AnalysisFormat

if TYPE_CHECKING:
    from demine.store.reader import RegisterReader

FormatOption = Annotated[
    AnalysisFormat, typer.Option("--format", help="text, html, pdf, json or xlsx.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (PDF needs one).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Measure on this day (default: today, or the last day activities are recorded "
        "for if the register stops earlier).",
    ),
]


def register(app: typer.Typer, analyse_app: typer.Typer) -> None:
    """Add ``forecast`` to ``demine`` and ``projects`` to ``demine analyse``."""
    app.command("forecast")(forecast_command)
    analyse_app.command("projects")(projects_command)


def _as_of(reader: RegisterReader, text: str | None) -> date:
    from demine.analysis.landrelease import read as landrelease_read

    if text is not None:
        return day_option(text, "--as-of")
    return landrelease_read.default_as_of(reader, date.today())


def projects_command(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    weights: Annotated[
        str | None,
        typer.Option(
            help="Ranking weights, e.g. priority=2,people=1,contamination=1,effort=0.5 "
            "(each criterion is scaled 0-1; left out: 1)."
        ),
    ] = None,
    distance_m: Annotated[
        float,
        typer.Option(help="Metres around a footprint within which finds and accidents count."),
    ] = DEFAULT_DISTANCE_M,
    months: Annotated[
        int, typer.Option(help="Months of clearance that productivity and tasking are measured on.")
    ] = DEFAULT_WINDOW_MONTHS,
    risk: Annotated[
        Path | None,
        typer.Option(
            "--risk",
            help="A prediction file of 'demine risk predict': flag projects crossing "
            "high-risk cells that no hazard covers.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    risk_layer: Annotated[
        str | None,
        typer.Option(
            "--risk-layer",
            help="The register's stored risk layer of this model (stored by 'demine risk "
            "predict --store'), instead of a prediction file.",
        ),
    ] = None,
    risk_threshold: Annotated[
        float,
        typer.Option(help="Risk from which a cell counts as high.", min=0.0, max=1.0),
    ] = DEFAULT_RISK_THRESHOLD,
    report_format: FormatOption = AnalysisFormat.TEXT,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Development projects: hazardous area in each footprint, devices and accidents nearby,
    clearance effort and earliest clear date, ranked for tasking with each rank explained."""
    from demine.analysis.projects.analysis import analyse_projects
    from demine.analysis.projects.ranking import Weights
    from demine.reports.projects.document import render_projects
    from demine.store.reader import RegisterReader

    chosen = Weights.parse(weights)
    if risk is not None and risk_layer is not None:
        raise InvalidRequestError(_("give --risk FILE or --risk-layer MODEL, not both"))
    layer = None
    if risk is not None:
        from demine.analysis.projects.risk_layer import read_risk_layer

        layer = read_risk_layer(risk, risk_threshold)
    state: CliState = ctx.obj
    country = state.country_code()
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, country)
        if risk_layer is not None:
            from demine.analysis.projects.risk_layer import stored_risk_layer

            layer = stored_risk_layer(reader, risk_layer, risk_threshold)
        day = _as_of(reader, as_of)
        analysis = analyse_projects(reader, day, chosen, distance_m, months, risk_layer=layer)
    write_document(render_projects(analysis, report_format), output)


def _teams(text: str | None) -> int:
    if text is None or not text.strip():
        return 0
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidRequestError(
            _("--teams: '{text}' is not +N or -N (e.g. +10)").format(text=text)
        ) from None


def forecast_command(
    ctx: typer.Context,
    district: DistrictOption = None,
    teams: Annotated[
        str | None,
        typer.Option(help="A scenario with N more (+N) or fewer (-N) teams, e.g. +10."),
    ] = None,
    weeks: Annotated[
        int, typer.Option(help="Weeks of land release the rate is measured on.")
    ] = DEFAULT_WEEKS,
    as_of: AsOfOption = None,
    report_format: FormatOption = AnalysisFormat.TEXT,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """When each district's known hazardous area will be released at the recent rate, with
    a band and a scenario with more or fewer teams (unknown contamination is not in it)."""
    from demine.analysis.forecast.forecast import forecast_completion
    from demine.reports.forecast.document import render_forecast
    from demine.store.reader import RegisterReader

    change = _teams(teams)
    state: CliState = ctx.obj
    country = state.country_code()
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, country)
        day = _as_of(reader, as_of)
        forecast = forecast_completion(reader, day, district, weeks, change)
    write_document(render_forecast(forecast, report_format), output)
