"""``demine report task-dossier`` and ``demine report release-certificate``: the
documents of a task order."""

from __future__ import annotations

from typing import Annotated

import typer

from demine.cli.commands_report import AsKnownOnOption, register_reader
from demine.cli.options import LangOption, OutputOption, write_document
from demine.domain.tasks import DEFAULT_NEARBY_M
from demine.reports.formats import DocumentFormat

TaskArgument = Annotated[str, typer.Argument(help="The task's external id.")]


def register(report_app: typer.Typer) -> None:
    """Add ``task-dossier`` and ``release-certificate`` to ``demine report``."""
    report_app.command("task-dossier")(task_dossier_command)
    report_app.command("release-certificate")(release_certificate_command)


def task_dossier_command(
    ctx: typer.Context,
    task: TaskArgument,
    document_format: Annotated[
        DocumentFormat, typer.Option("--format", help="html or pdf.")
    ] = DocumentFormat.HTML,
    output: OutputOption = None,
    nearby_m: Annotated[
        float,
        typer.Option(
            "--nearby-m", min=0, help="Show earlier activities and accidents this close (m)."
        ),
    ] = DEFAULT_NEARBY_M,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """A task's dossier: the map of its hazards, their evidence and history, earlier
    activities and accidents nearby, the minefield records over them and safety notes
    (operational: no victim data; free text withheld)."""
    from demine.analysis.tasks.dossier import task_dossier
    from demine.reports.tasks.dossier import render_dossier

    with register_reader(ctx.obj, as_known_on) as reader:
        dossier = task_dossier(reader, task, nearby_m)
    write_document(render_dossier(dossier, document_format), output)


def release_certificate_command(
    ctx: typer.Context,
    task: TaskArgument,
    document_format: Annotated[
        DocumentFormat, typer.Option("--format", help="pdf or html.")
    ] = DocumentFormat.PDF,
    output: OutputOption = None,
    as_known_on: AsKnownOnOption = None,
    lang: LangOption = None,
) -> None:
    """The land release certificate of a completed task, for the district authority and
    the land users: the area its approved activities released, by method, in hectares."""
    from demine.analysis.tasks.certificate import release_certificate
    from demine.reports.tasks.certificate import render_certificate

    with register_reader(ctx.obj, as_known_on) as reader:
        certificate = release_certificate(reader, task)
    write_document(render_certificate(certificate, document_format), output)
