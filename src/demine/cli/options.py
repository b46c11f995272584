"""Options and output shared by the report and analysis commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from demine.cli.context import CliState, console
from demine.domain.dates import parse_day
from demine.errors import InvalidRequestError
from demine.i18n import _, set_locale
from demine.settings import chosen_language

T = TypeVar("T")

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (PDF needs one).")
]
DistrictOption = Annotated[str | None, typer.Option(help="One district, by name or code.")]
#: The disclosure threshold of public outputs (docs/disclosure.md).
ThresholdOption = Annotated[
    int,
    typer.Option(
        min=1,
        help="With --public: counts below this are hidden (1: none; 2 is refused, as '<2' "
        "would give 1 away); use the same for every public output of a period.",
    ),
]


def _use_language(ctx: typer.Context, value: str | None) -> str | None:
    """``--lang``: speak that language from now on, whatever DEMINE_LOCALE says."""
    if value is not None:
        language = chosen_language(value, "--lang")
        if isinstance(ctx.obj, CliState):
            ctx.obj.language = language
        set_locale(language)
    return value


LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        callback=_use_language,
        is_eager=True,
        help="Language of the text: en, az or ru (default: DEMINE_LOCALE, else en).",
    ),
]


def parsed_option(parse: Callable[[str], T], text: str, option: str) -> T:
    """``parse(text)``, with a parse failure reported against ``option``."""
    try:
        return parse(text)
    except ValueError as exc:
        raise InvalidRequestError(f"{option}: {exc}") from exc


def day_option(text: str | None, option: str, default: date | None = None) -> date:
    """The day an option gives (YYYY-MM-DD), or ``default`` when it was not given."""
    if text is None:
        if default is None:
            raise InvalidRequestError(_("{option}: a date is required").format(option=option))
        return default
    return parsed_option(parse_day, text, option)


def write_document(document: str | bytes, output: Path | None) -> None:
    """Write a document to ``output``, or to standard output."""
    if output is not None:
        if isinstance(document, bytes):
            output.write_bytes(document)
        else:
            output.write_text(document, encoding="utf-8")
        console.print(_("Wrote {path}").format(path=output), highlight=False)
    elif isinstance(document, bytes):
        sys.stdout.buffer.write(document)
    else:
        typer.echo(document, nl=not document.endswith("\n"))
