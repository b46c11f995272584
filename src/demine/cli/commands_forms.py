"""``demine forms build``: the field forms of the register, as XLSForm and XForm files
for ODK Collect, KoboToolbox or ODK Central."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, opened_store
from demine.errors import InvalidRequestError
from demine.fieldforms.model import BuiltForm
from demine.i18n import _, ngettext

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
