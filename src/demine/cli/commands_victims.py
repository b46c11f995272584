"""``demine victims identifiers``: victims' personal data, read with the victim-data
permission and logged.

The command line has no login: it trusts the local operator's ``--as-role`` and
records it, with the operator's name, in the access log.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.cli.options import LangOption, ThresholdOption, write_document
from demine.cli.principal import cli_principal
from demine.domain.disclosure import DEFAULT_THRESHOLD
from demine.i18n import _
from demine.reports.formats import TableFormat

victims_app = typer.Typer(
    help="Victims' personal data (the victim-data permission is needed and every read is "
    "logged) and the statistics of victim assistance.",
    no_args_is_help=True,
)


class TextOrJson(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add the ``victims`` group to ``demine``."""
    app.add_typer(victims_app, name="victims")


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
    from demine.store.protected import read_victim_identifiers

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


@victims_app.command("assistance")
def assistance_command(
    ctx: typer.Context,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Fit to publish: small counts shown as <N, with complementary cells hidden "
            "(docs/disclosure.md).",
        ),
    ] = False,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    output_format: Annotated[
        TableFormat, typer.Option("--format", help="text, json or xlsx.")
    ] = TableFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (xlsx needs one).")
    ] = None,
    lang: LangOption = None,
) -> None:
    """Survivors referred to and reached by each assistance service (distinct victims).

    Reached: the service was provided or is ongoing. Counts only, no record: live
    victims of live accidents only. --public hides small counts (disclosure rule).
    """
    from demine.analysis.casualties.assistance import (
        assistance_statistics,
        public_assistance,
    )
    from demine.store.reader import RegisterReader
    from demine.store.reads.assistance import assistance_rows

    state: CliState = ctx.obj
    with opened_store(state, create=False) as store, store.read() as connection:
        rows = assistance_rows(RegisterReader(connection, state.country_code()))
    statistics = assistance_statistics(rows)
    figures = public_assistance(statistics, threshold) if public else statistics.to_json()
    if output_format is TableFormat.JSON:
        write_document(json.dumps(figures, indent=2, ensure_ascii=False), output)
        return
    if output_format is TableFormat.XLSX:
        from demine.reports.casualties.sheets import assistance_sheets
        from demine.reports.workbook import workbook_bytes

        write_document(workbook_bytes(assistance_sheets(figures)), output)
        return
    console.print(_("Survivors referred to and reached, by service"), highlight=False)
    for service, referred in figures["referred"].items():
        console.print(
            _("  {service}: {reached} reached of {referred} referred").format(
                service=service, reached=figures["reached"][service], referred=referred
            ),
            highlight=False,
        )
