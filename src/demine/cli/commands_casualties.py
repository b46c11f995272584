"""``demine report casualties`` and ``demine victims identifiers``.

There are no user accounts yet: until there are, the command line trusts the local
operator's ``--as-role`` and records it, with the operator's name, in the access log.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from demine.analysis.casualties import casualty_statistics
from demine.analysis.disclosure import DEFAULT_THRESHOLD
from demine.cli import commands_bulletin
from demine.cli.context import CliState, console, opened_store
from demine.cli.options import day_option, write_document
from demine.cli.principal import cli_principal
from demine.export.public import PublicFormat, export_public
from demine.i18n import _
from demine.reports.casualties.document import CasualtyFormat, render_casualties
from demine.store.protected import read_victim_identifiers
from demine.store.reader import RegisterReader

victims_app = typer.Typer(
    help="Victims' personal data: the victim-data permission is needed and every read is logged.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add ``report casualties`` to the report group, and the ``victims`` group to ``app``."""
    commands_bulletin.app.command("casualties")(casualties_command)
    app.add_typer(victims_app, name="victims")


def casualties_command(
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
        CasualtyFormat, typer.Option("--format", help="text, html, pdf or json.")
    ] = CasualtyFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Aggregates fit to publish: small counts shown as <N, with complementary "
            "cells hidden.",
        ),
    ] = False,
    threshold: Annotated[
        int,
        typer.Option(min=1, help="With --public: counts below this are hidden."),
    ] = DEFAULT_THRESHOLD,
) -> None:
    """Mine victims since a reference date and of all time, with breakdowns and a map.

    All-time figures are the published baseline plus the records after its date, and
    every format shows that split. Unknown outcomes are counted as unknown; accidents
    dated only to a month or year are counted only when that whole span is inside the
    period, and the others are reported as not placed. --public gives aggregates only,
    with counts from 1 to threshold-1 shown as <N.
    """
    state: CliState = ctx.obj
    last = day_option(as_of, "--as-of")
    first = day_option(since, "--since") if since else None
    with opened_store(state) as store, store.read() as connection:
        reader = RegisterReader(connection, state.country_code())
        statistics = casualty_statistics(reader, last, first, district)
    write_document(render_casualties(statistics, report_format, public, threshold), output)


class TextOrJson(StrEnum):
    TEXT = "text"
    JSON = "json"


def public_export(
    state: CliState, output: Path, as_of: str | None, since: str | None, threshold: int
) -> list[Path]:
    """``demine export --public``: the public aggregates as CSV and JSON in ``output``."""
    last = day_option(as_of, "--as-of") if as_of else date.today()
    first = day_option(since, "--since") if since else None
    with opened_store(state) as store:
        return [
            path
            for export_format in PublicFormat
            for path in export_public(
                store, output, export_format, state.country_code(), last, first, threshold
            )
        ]


@victims_app.command("identifiers")
def identifiers_command(
    ctx: typer.Context,
    victims: Annotated[
        list[str], typer.Option("--victim", help="Victim external id (repeatable).")
    ],
    purpose: Annotated[str, typer.Option(help="Why the data are needed (logged).")],
    as_role: Annotated[
        list[str] | None,
        typer.Option(
            "--as-role",
            help="Role(s) to act in (repeatable; default viewer, which is refused). "
            "Reading needs victim_data.",
        ),
    ] = None,
    as_user: Annotated[
        str | None, typer.Option(help="Name recorded in the access log (default: login name).")
    ] = None,
    output_format: Annotated[
        TextOrJson, typer.Option("--format", help="text or json.")
    ] = TextOrJson.TEXT,
) -> None:
    """Show victims' personal data (needs the victim_data role; every read is logged).

    Every read, and every refused attempt, is written to the access log with the actor,
    time, victims and purpose. The command line has no login: it trusts the local
    operator's --as-role (default viewer, which is refused).
    """
    state: CliState = ctx.obj
    principal = cli_principal(as_role, as_user)
    with opened_store(state) as store:
        records = read_victim_identifiers(store, principal, victims, purpose)
    if output_format is TextOrJson.JSON:
        typer.echo(json.dumps([asdict(r) for r in records], indent=2, ensure_ascii=False))
        return
    found = {r.victim for r in records}
    for record in records:
        console.print(f"{record.victim}", highlight=False, markup=False)
        for name, value in asdict(record).items():
            if name != "victim" and value:
                console.print(f"  {name}: {value}", highlight=False, markup=False)
    for key in victims:
        if key not in found:
            console.print(
                _("{victim}: no personal data recorded").format(victim=key), highlight=False
            )
    console.print(_("This read was logged ({purpose}).").format(purpose=purpose), highlight=False)
