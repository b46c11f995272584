"""``demine audit``: who changed which record and when, and who read victims' data."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.cli.options import day_option
from demine.cli.principal import cli_principal
from demine.i18n import _


class AuditFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Log(StrEnum):
    #: Changes of records (the append-only audit log).
    CHANGES = "changes"
    #: Reads, refusals and exports of victims' personal data.
    ACCESS = "access"


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)


def audit_command(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only records of this kind.")] = None,
    record: Annotated[
        str | None, typer.Option(help="Only this record (external id or code).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only what this user did.")] = None,
    since: Annotated[str | None, typer.Option(help="From this day on (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 100,
    log: Annotated[Log, typer.Option(help="changes (records) or access (victims' data).")] = (
        Log.CHANGES
    ),
    report_format: Annotated[
        AuditFormat, typer.Option("--format", help="text or json.")
    ] = AuditFormat.TEXT,
    as_role: Annotated[
        list[str] | None,
        typer.Option("--as-role", help="Role to act in: reading the logs needs administrator."),
    ] = None,
) -> None:
    """The audit log, newest first: administrators only."""
    from demine.store.reads.audit_log import AuditFilter, access_entries, audit_entries

    state: CliState = ctx.obj
    principal = cli_principal(as_role, None)
    where = AuditFilter(
        kind=kind,
        record=record,
        actor=actor,
        since=day_option(since, "--since") if since else None,
        limit=limit,
    )
    with opened_store(state, create=False) as store, store.read() as connection:
        if log is Log.ACCESS:
            entries = [e.to_json() for e in access_entries(connection, principal, where)]
        else:
            entries = [e.to_json() for e in audit_entries(connection, principal, where)]
    if report_format is AuditFormat.JSON:
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    if not entries:
        console.print(_("Nothing in the log matches."))
    for entry in entries:
        console.print(_line(entry, log), highlight=False, markup=False)


def _line(entry: dict[str, object], log: Log) -> str:
    if log is Log.ACCESS:
        return _("{at}  {actor}  {action}  {records}  ({purpose})").format(**entry)
    changes = entry["changes"]
    assert isinstance(changes, dict)
    described = "; ".join(
        _("{field}: {before} → {after}").format(field=name, **values)
        for name, values in changes.items()
    )
    return _("{at}  {actor}  {action} {kind} {record}  {changes}").format(
        **{**entry, "changes": described or "—"}
    )
