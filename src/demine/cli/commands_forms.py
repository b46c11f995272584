"""``demine forms build``: the field forms of the register, as XLSForm and XForm files
for ODK Collect, KoboToolbox or ODK Central; ``demine forms pull``: the submissions
collected on ODK Central or KoboToolbox, received into the review queue."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from demine.cli.context import CliState, opened_store
from demine.errors import InvalidRequestError
from demine.fieldforms.model import BuiltForm
from demine.i18n import _, ngettext

if TYPE_CHECKING:
    from demine.submissions.importing import SubmissionsImported
    from demine.submissions.remote import RemoteForm

forms_app = typer.Typer(
    help="Field forms (XLSForm and XForm) built from the register.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add the ``forms`` group to ``demine``."""
    app.add_typer(forms_app, name="forms")


@forms_app.command("build")
def build_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the forms to.")],
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only the forms of this kind of record, or this form id (repeatable; "
            "default: every form).",
        ),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(help="Check each form with ODK Validate (needs Java; a few seconds each)."),
    ] = False,
) -> None:
    """Write each field form as NAME.xlsx (XLSForm) and NAME.xml (XForm), with its
    choice lists in NAME-media/ (CSV).

    Choice lists (districts, settlements, organisations, open hazard areas, device models)
    are read from the register now: build the forms again after the register changes. A
    form's version changes exactly when its content does.
    """
    from demine.fieldforms.build import build_forms

    state: CliState = ctx.obj
    if output.exists() and not output.is_dir():
        raise InvalidRequestError(
            _("{path} is a file: name a folder to write the forms to").format(path=output)
        )
    with opened_store(state, create=False) as store:
        built = build_forms(
            store, state.kinds(), state.country_code(), only=kinds or (), validate=validate
        )
    output.mkdir(parents=True, exist_ok=True)
    for form in built:
        _write(form, output)


def _write(form: BuiltForm, output: Path) -> None:
    xlsform, xform = output / f"{form.form_id}.xlsx", output / f"{form.form_id}.xml"
    xlsform.write_bytes(form.xlsform)
    xform.write_text(form.xform, encoding="utf-8")
    files = f"{xlsform}, {xform}"
    if not form.media:
        said = _("{form} (version {version}): {files}")
        typer.echo(said.format(form=form.form_id, version=form.version, files=files))
        return
    media = output / f"{form.form_id}-media"
    media.mkdir(exist_ok=True)
    for name, data in sorted(form.media.items()):
        (media / name).write_bytes(data)
    said = ngettext(
        "{form} (version {version}): {files} and {count} media file in {folder}",
        "{form} (version {version}): {files} and {count} media files in {folder}",
        len(form.media),
    )
    typer.echo(
        said.format(
            form=form.form_id,
            version=form.version,
            files=files,
            count=len(form.media),
            folder=media,
        ),
    )


@forms_app.command("pull")
def pull_command(
    ctx: typer.Context,
    form: Annotated[
        str,
        typer.Option(
            "--form",
            help="The field form the submissions are of (demine_clearance_progress …); on "
            "ODK Central also the form's id there.",
        ),
    ],
    central: Annotated[
        str | None, typer.Option(help="ODK Central's address (https://central.example.org).")
    ] = None,
    project: Annotated[
        int | None, typer.Option(help="ODK Central: the number of the project.")
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(envvar="DEMINE_CENTRAL_USER", help="ODK Central: the web user's email."),
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="DEMINE_CENTRAL_PASSWORD", help="ODK Central: the web user's password."
        ),
    ] = None,
    kobo: Annotated[
        str | None,
        typer.Option(help="KoboToolbox's address (https://kf.kobotoolbox.org)."),
    ] = None,
    asset: Annotated[
        str | None, typer.Option(help="KoboToolbox: the uid of the form's asset.")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="DEMINE_KOBO_TOKEN", help="KoboToolbox: the account's API token."),
    ] = None,
    progress: Annotated[
        bool,
        typer.Option(
            "--progress",
            help="Show a progress bar on standard error even when it is not a terminal.",
        ),
    ] = False,
) -> None:
    """Receive the submissions of a form on ODK Central or KoboToolbox into the review
    queue, as if they had been sent to Demine: pulling again adds only the new ones.

    Each submission is fetched whole (its instance and photos), stored raw and mapped into
    drafts in one transaction; one Demine refuses is listed and skipped. The drafts are the
    local operator's, as an information manager.
    """
    from demine.cli.commands_data import SUBMISSIONS_ROLE
    from demine.cli.context import console, progress_bar
    from demine.cli.principal import cli_principal
    from demine.editing.service import Editor
    from demine.submissions.catalogue import registered_forms
    from demine.submissions.pulling import pull_submissions

    state: CliState = ctx.obj
    # A retried connection is said by the final error, not by urllib3's warnings.
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    remote = _remote(form, central, project, user, password, kobo, asset, token)
    # The drafts are the operator's, made as an information manager (as those of
    # ``demine import submissions`` are by default).
    principal = cli_principal([SUBMISSIONS_ROLE], None)
    with opened_store(state) as store, progress_bar(always=progress) as bar:
        forms = registered_forms(store, state.kinds(), state.country_code())
        task = bar.add_task(_("Pulling {source}").format(source=remote.source), total=None)
        report = pull_submissions(
            store,
            forms,
            remote,
            form,
            Editor(principal),
            state.country_code(),
            state.kinds(),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(_pulled_said(report), markup=False)
    for problem in report.refused:
        console.print(f"  {problem}", markup=False)
    if report.refused:
        raise typer.Exit(InvalidRequestError.exit_code)


def _remote(
    form: str,
    central: str | None,
    project: int | None,
    user: str | None,
    password: str | None,
    kobo: str | None,
    asset: str | None,
    token: str | None,
) -> RemoteForm:
    """The server named by the options: ODK Central or KoboToolbox, not both."""
    from demine.submissions.remote import CentralForm, KoboAsset

    if (central is None) == (kobo is None):
        raise InvalidRequestError(_("name one server: --central URL or --kobo URL"))
    if central is not None:
        if project is None or not user or not password:
            raise InvalidRequestError(
                _("ODK Central needs --project, --user and --password (or DEMINE_CENTRAL_USER "
                  "and DEMINE_CENTRAL_PASSWORD)")
            )  # fmt: skip
        return CentralForm(central, project, form, user, password)
    assert kobo is not None
    if not asset or not token:
        raise InvalidRequestError(_("KoboToolbox needs --asset and --token (or DEMINE_KOBO_TOKEN)"))
    return KoboAsset(kobo, asset, token)


def _pulled_said(report: SubmissionsImported) -> str:
    """What a pull did, in one sentence."""
    from demine.i18n import format_list

    outcomes = report.outcomes
    received = outcomes["mapped"] + outcomes["problems"] + outcomes["rejected"]
    parts = [
        ngettext("{count} submission received", "{count} submissions received", received).format(
            count=received
        ),
        ngettext(
            "{count} with answers left out", "{count} with answers left out", outcomes["problems"]
        ).format(count=outcomes["problems"]),
        ngettext(
            "{count} kept without a record", "{count} kept without a record", outcomes["rejected"]
        ).format(count=outcomes["rejected"]),
        ngettext("{count} already here", "{count} already here", outcomes["again"]).format(
            count=outcomes["again"]
        ),
        ngettext("{count} refused", "{count} refused", len(report.refused)).format(
            count=len(report.refused)
        ),
    ]
    return _("{file}: {outcomes}").format(file=report.file_name, outcomes=format_list(parts))
