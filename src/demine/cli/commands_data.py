"""Data commands: import, export, template, demo."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from demine.cli.context import CliState, console, opened_store, progress_bar, report_error
from demine.cli.options import ThresholdOption, day_option
from demine.cli.principal import cli_principal
from demine.domain.disclosure import DEFAULT_THRESHOLD
from demine.errors import ImportRejected, InvalidRequestError
from demine.i18n import _
from demine.reports.formats import (
    DEFAULT_GPKG_VERSION,
    ExportFormat,
    GeoPackageVersion,
    PublicFormat,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from demine.domain.access import Principal
    from demine.ingest.importer import ImportReport
    from demine.submissions.importing import SubmissionsImported

#: The kinds ``demine import`` and ``demine template`` take: the registry's
#: (``demine.domain.kinds.KINDS``, which tests/test_cli.py checks this against), named
#: here so that ``--help`` need not load the registry and its geometry libraries.
RECORD_KINDS = (
    "admin-areas", "organisations", "hazards", "hazard-changes", "activities", "finds",
    "summaries", "accidents", "victims", "victim-identifiers", "assistance",
    "casualty-baselines",
    "minefield-records", "minefield-rows", "minefield-points", "projects", "accreditations",
    "tasks", "quality-inspections", "non-conformities", "eore-sessions",
)  # fmt: skip
IMPORT_KINDS = ", ".join([*RECORD_KINDS, "colombia", "bulletin", "submissions"])
#: What ``demine import submissions`` acts as unless ``--as-role`` says otherwise.
SUBMISSIONS_ROLE = "information_manager"

ProgressOption = Annotated[
    bool,
    typer.Option(
        "--progress",
        help="Show a progress bar on standard error even when it is not a terminal.",
    ),
]


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("template")(template_command)
    app.command("demo")(demo_command)
    app.command("parse-bulletin")(parse_bulletin_command)


def import_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"What the file holds: {IMPORT_KINDS}.")],
    files: Annotated[
        list[Path], typer.Argument(help="CSV, XLSX, GeoPackage, GeoJSON, Shapefile or KML.")
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            help="Validate and count, write nothing (the database is opened read-only; a "
            "SQLite one is tried on a temporary copy)."
        ),
    ] = False,
    layer: Annotated[
        str | None,
        typer.Option(
            help="Layer or sheet to read (default: every layer of the kind in a GeoPackage)."
        ),
    ] = None,
    crs: Annotated[
        str | None, typer.Option(help="CRS of coordinate columns in CSV/XLSX (default WGS84).")
    ] = None,
    all_problems: Annotated[
        bool,
        typer.Option(
            "--all-problems", help="List every problem of a rejected file (default: the first 20)."
        ),
    ] = False,
    progress: ProgressOption = False,
    as_role: Annotated[
        list[str] | None,
        typer.Option(
            "--as-role",
            help="Role(s) to act in; victim-identifiers needs victim_data (the import is logged).",
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            help="submissions: the id of the field form the Kobo or ODK Central export is "
            "of (demine_clearance_progress …)."
        ),
    ] = None,
) -> None:
    """Import records from files: all or nothing, and re-importing changes nothing."""
    principal = cli_principal(as_role, None) if as_role else None
    if kind == "submissions":
        _import_submissions(
            ctx.obj, files, form, cli_principal(as_role or [SUBMISSIONS_ROLE], None)
        )
        return
    try:
        _import(ctx.obj, kind, files, dry_run, layer, crs, progress, principal)
    except ImportRejected as error:
        if not all_problems:
            raise
        report_error(error, all_problems=True)
        raise typer.Exit(error.exit_code) from error


def _import(
    state: CliState,
    kind: str,
    files: list[Path],
    dry_run: bool,
    layer: str | None,
    crs: str | None,
    progress: bool,
    principal: Principal | None,
) -> None:
    from demine.ingest.adapters import import_colombia
    from demine.ingest.gazetteers import gazetteer
    from demine.ingest.importer import import_file
    from demine.ingest.news_items.summaries import import_news_items

    # A dry run never writes: the database is opened read-only (it may be a read-only file).
    with opened_store(state, read_only=dry_run) as store:
        if kind == "bulletin":
            country = state.country_code()
            importer = principal or cli_principal(None, None)
            _print_report(
                import_news_items(
                    store, files, country=country, gazetteer=gazetteer(country),
                    dry_run=dry_run, imported_by=importer.name,
                )
            )  # fmt: skip
            return
        if kind == "colombia":
            with progress_bar(always=progress) as bar:
                bar.add_task(_("Importing Colombia's event register"), total=None)
                report = import_colombia(store, files, dry_run=dry_run)
            _print_report(report)
            return
        for path in files:
            with progress_bar(always=progress) as bar:
                task = bar.add_task(_("Checking {name}").format(name=path.name), total=None)
                report = import_file(
                    store,
                    kind,
                    path,
                    country=state.country_code(),
                    dry_run=dry_run,
                    layer=layer,
                    crs=crs,
                    progress=_progress_of(bar, task),
                    principal=principal,
                    kinds=state.kinds(),
                )
            _print_report(report)


def _import_submissions(
    state: CliState, files: list[Path], form: str | None, principal: Principal
) -> None:
    """Receive a Kobo or ODK Central export's submissions into the review queue."""
    from demine.editing.service import Editor
    from demine.submissions.catalogue import registered_forms
    from demine.submissions.importing import import_submissions

    if form is None:
        raise InvalidRequestError(_("--form: name the field form the export is of"))
    refused = 0
    with opened_store(state) as store:
        forms = registered_forms(store, state.kinds(), state.country_code())
        for path in files:
            report = import_submissions(
                store, forms, path, form, Editor(principal), state.country_code(), state.kinds()
            )
            console.print(_submissions_said(report))
            for problem in report.refused:
                console.print(f"  {problem}", markup=False)
            refused += len(report.refused)
    if refused:
        raise typer.Exit(InvalidRequestError.exit_code)


def _submissions_said(report: SubmissionsImported) -> str:
    """What importing an export did, in one sentence."""
    from demine.i18n import format_list, ngettext

    outcomes = report.outcomes
    into_review = outcomes["mapped"] + outcomes["problems"]
    parts = [
        ngettext(
            "{count} submission into review", "{count} submissions into review", into_review
        ).format(count=into_review),
        ngettext(
            "{count} with answers left out", "{count} with answers left out", outcomes["problems"]
        ).format(count=outcomes["problems"]),
        ngettext(
            "{count} kept without a record", "{count} kept without a record", outcomes["rejected"]
        ).format(count=outcomes["rejected"]),
        ngettext("{count} received before", "{count} received before", outcomes["again"]).format(
            count=outcomes["again"]
        ),
        ngettext("{count} row refused", "{count} rows refused", len(report.refused)).format(
            count=len(report.refused)
        ),
    ]
    return _("{file}: {outcomes}").format(file=report.file_name, outcomes=format_list(parts))


def _progress_of(bar: Progress, task: TaskID) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update


def _print_report(report: ImportReport) -> None:
    if report.dry_run:
        sentence = _(
            "{file}: {rows} rows; {inserted} new, {updated} changed, "
            "{unchanged} unchanged records would be saved."
        )
    else:
        sentence = _(
            "{file}: {rows} rows; {inserted} new, {updated} changed, "
            "{unchanged} unchanged records were saved."
        )
    console.print(
        sentence.format(
            file=report.file_name,
            rows=report.rows,
            inserted=report.counts.inserted,
            updated=report.counts.updated,
            unchanged=report.counts.unchanged,
        ),
        highlight=False,
    )
    for note in report.notes:
        console.print(f"  {note}", highlight=False, markup=False)


def export_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="GeoPackage or XLSX file, or folder for GeoJSON/CSV."),
    ],
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="gpkg, geojson, csv or xlsx.")
    ] = ExportFormat.GPKG,
    kind: Annotated[
        list[str] | None, typer.Option(help="Kinds to export (repeatable; default all).")
    ] = None,
    all_countries: Annotated[
        bool, typer.Option(help="Export every country, not just --country.")
    ] = False,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Only district-level casualty and operations aggregates, small counts "
            "hidden: public-aggregates.csv, public-aggregates-national.csv and "
            "public-aggregates.json in the --output folder.",
        ),
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="With --public: last day (default today).")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="With --public: first day (default: the country's reference date)."),
    ] = None,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    as_role: Annotated[
        list[str] | None,
        typer.Option(
            "--as-role",
            help="Role(s) to act in; victim-identifiers and free text (narratives, notes: "
            "withheld otherwise) need victim_data, --include-drafts information_manager or "
            "administrator.",
        ),
    ] = None,
    purpose: Annotated[
        str | None, typer.Option(help="Why protected data are exported (logged).")
    ] = None,
    include_drafts: Annotated[
        bool,
        typer.Option(
            "--include-drafts",
            help="Add drafts, reports under review and deleted records, with review_status "
            "and deleted columns (logged).",
        ),
    ] = False,
    hxl: Annotated[
        bool,
        typer.Option(
            "--hxl",
            help="Add the HXL hashtag row under the header of every CSV file (--format csv, "
            "or the CSV files of --public).",
        ),
    ] = False,
    gpkg_version: Annotated[
        GeoPackageVersion,
        typer.Option(
            "--gpkg-version",
            help="GeoPackage version written (1.2: read by GDAL 3.4+ and QGIS 3.22+ "
            "without a warning).",
        ),
    ] = DEFAULT_GPKG_VERSION,
) -> None:
    """Export the register: GeoPackage (one layer per kind and geometry type), GeoJSON
    (one RFC 7946 file per layer), CSV (one file per kind, geometry as WKT) or XLSX (one
    sheet per layer).

    Only live records are written (approved, not deleted), unless --include-drafts.
    Victims' personal data (--kind victim-identifiers) need --as-role victim_data and a
    --purpose, and the export is logged. Free text (narratives, notes, evidence) is
    written only with --as-role victim_data; without it its cells say {"withheld": true}.
    --public writes aggregates only.
    """
    from demine.export.writer import export_register

    state: CliState = ctx.obj
    if hxl and not public and export_format is not ExportFormat.CSV:
        raise InvalidRequestError(_("--hxl tags CSV files only: add --format csv"))
    if public:
        if kind or all_countries:
            raise InvalidRequestError(_("--public exports aggregates only: no --kind"))
        if include_drafts:
            raise InvalidRequestError(_("--public exports aggregates only: no --include-drafts"))
        written = public_export(state, output, as_of, since, threshold, hxl=hxl)
    else:
        principal = cli_principal(as_role, None) if as_role or include_drafts else None
        with opened_store(state) as store, progress_bar() as bar:
            bar.add_task(_("Exporting"), total=None)
            country = None if all_countries else state.country_code()
            written = export_register(
                store, output, export_format, kind, country,
                principal=principal, purpose=purpose, include_drafts=include_drafts,
                programme=state.kinds(), hxl=hxl, gpkg_version=gpkg_version,
            )  # fmt: skip
    for path in written:
        console.print(_("Wrote {path}").format(path=path), highlight=False)


def template_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(RECORD_KINDS)}.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (.csv or .xlsx).")
    ] = None,
) -> None:
    """Write an empty import file with every column and one example row.

    The example row is marked 'yes' in the last column, 'example': the importer skips
    rows so marked, so write your records in rows of their own.
    """
    from demine.export.templates import write_template

    state: CliState = ctx.obj
    path = output or Path(f"{kind}-template.csv")
    write_template(kind, path, state.kinds())
    console.print(_("Wrote {path}").format(path=path), highlight=False)


def demo_command(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same database).")] = 2024,
    progress: ProgressOption = False,
) -> None:
    """Build the demo database: Azerbaijan's liberated territories, 2021-2025."""
    from demine.demo.load import load_demo

    state: CliState = ctx.obj
    with opened_store(state, create_file=True) as store, progress_bar(always=progress) as bar:
        task = bar.add_task(_("Building the demo register"), total=None)
        saving = _("Saving the demo register")

        def saved(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=saving)

        report = load_demo(store, seed, progress=saved)
    _print_report(report)
    console.print(
        _("Demo database ready. Try: demine summary --from 2024-07-01 --to 2024-07-07"),
        highlight=False,
    )


class ParsedFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


def parse_bulletin_command(
    files: Annotated[list[Path], typer.Argument(help="News items (text files).")],
    output_format: Annotated[
        ParsedFormat, typer.Option("--format", help="json or text.")
    ] = ParsedFormat.JSON,
) -> None:
    """Read published bulletins and print what they say (nothing is stored)."""
    from demine.ingest.news_items import parse_news_item_file

    parsed = [parse_news_item_file(path).to_json() for path in files]
    if output_format is ParsedFormat.JSON:
        typer.echo(json.dumps(parsed, indent=2, ensure_ascii=False))
        return
    for item in parsed:
        typer.echo(f"{item['file']}: {item['kind']}{_period_text(item)}")
        for name in ("ap_mines", "at_mines", "uxo", "hectares", "area_sq_m"):
            if item[name] is not None:
                typer.echo(f"  {name}: {item[name]}  <- {item['evidence'].get(name, '')}")
        if item["districts"]:
            typer.echo("  " + _("districts: {names}").format(names=", ".join(item["districts"])))
        for warning in item["warnings"]:
            typer.echo("  " + _("warning: {warning}").format(warning=warning))


def _period_text(item: dict[str, Any]) -> str:
    """`` 2024-07-01..2024-07-07``, or what is known of a period the item does not state."""
    start, end = item["period_start"], item["period_end"]
    if start is not None and end is not None:
        return f" {start}..{end}"
    if start is not None:
        return ", " + _("from {start} (end not stated)").format(start=start)
    if end is not None:
        return ", " + _("until {end} (start not stated)").format(end=end)
    return ", " + _("period not stated")


def public_export(
    state: CliState,
    output: Path,
    as_of: str | None,
    since: str | None,
    threshold: int,
    *,
    hxl: bool = False,
) -> list[Path]:
    """``demine export --public``: the public aggregates as CSV (``hxl``: with the HXL
    hashtag row) and JSON in ``output``."""
    from demine.export.public import export_public

    last = day_option(as_of, "--as-of") if as_of else date.today()
    first = day_option(since, "--since") if since else None
    with opened_store(state) as store:
        return [
            path
            for export_format in PublicFormat
            for path in export_public(
                store, output, export_format, state.country_code(), last, first, threshold, hxl=hxl
            )
        ]
