"""``demine analyse``: analyses of the register beyond period totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from demine.analysis.records.thresholds import DEFAULT_ACCIDENTS_FROM, Thresholds
from demine.cli.context import CliState, opened_store
from demine.cli.options import LangOption, day_option, write_document
from demine.errors import InvalidRequestError
from demine.reports.formats import RecordsFormat

app = typer.Typer(help="Analyses of the register.", no_args_is_help=True)

_DEFAULTS = Thresholds()


@app.command("records")
def records(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Judge on what was known on this day (default today)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help=f"First day of accidents counted (default {DEFAULT_ACCIDENTS_FROM})."
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day of accidents counted (default --as-of).")
    ] = None,
    tolerance_m: Annotated[
        float,
        typer.Option(
            help="Metres a find may lie from a declared row or edge (or the stated uncertainty).",
            min=0.0,
        ),
    ] = _DEFAULTS.tolerance_m,
    nearby_m: Annotated[
        float,
        typer.Option(
            help="Metres outside a record within which finds and accidents count against it.",
            min=0.0,
        ),
    ] = _DEFAULTS.nearby_m,
    min_coverage: Annotated[
        float,
        typer.Option(
            help="Share of the declared area that must be worked for a verdict.", min=0.0, max=1.0
        ),
    ] = _DEFAULTS.min_coverage,
    accurate_found_share: Annotated[
        float,
        typer.Option(
            help="Accurate: at least this share of expected mines found where declared.",
            min=0.0,
            max=1.0,
        ),
    ] = _DEFAULTS.accurate_found_share,
    accurate_max_outside_share: Annotated[
        float,
        typer.Option(
            help="Accurate: at most this share of the evidence nearby outside.", min=0.0, max=1.0
        ),
    ] = _DEFAULTS.accurate_max_outside_share,
    inaccurate_found_share: Annotated[
        float,
        typer.Option(
            help="Inaccurate: less than this share of expected mines found where declared.",
            min=0.0,
            max=1.0,
        ),
    ] = _DEFAULTS.inaccurate_found_share,
    inaccurate_outside_share: Annotated[
        float,
        typer.Option(
            help="Inaccurate: more than this share of the evidence nearby outside.",
            min=0.0,
            max=1.0,
        ),
    ] = _DEFAULTS.inaccurate_outside_share,
    report_format: Annotated[
        RecordsFormat, typer.Option("--format", help="text, html, pdf, json or xlsx.")
    ] = RecordsFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (PDF needs one).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Verify minefield records against clearance results and accidents (see
    docs/records-verification.md): a verdict and its reason per record, programme figures."""
    from demine.analysis.records.verify import verify_records
    from demine.reports.records.document import render_records
    from demine.store.reader import RegisterReader

    day = day_option(as_of, "--as-of", date.today())
    try:
        thresholds = Thresholds(
            tolerance_m=tolerance_m,
            nearby_m=nearby_m,
            min_coverage=min_coverage,
            accurate_found_share=accurate_found_share,
            accurate_max_outside_share=accurate_max_outside_share,
            inaccurate_found_share=inaccurate_found_share,
            inaccurate_outside_share=inaccurate_outside_share,
        )
    except ValueError as exc:
        raise InvalidRequestError(str(exc)) from exc
    first = day_option(start, "--from", DEFAULT_ACCIDENTS_FROM)
    last = day_option(end, "--to", day)
    state: CliState = ctx.obj
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, state.country_code())
        verification = verify_records(reader, day, thresholds, first, last)
    write_document(render_records(verification, report_format), output)
