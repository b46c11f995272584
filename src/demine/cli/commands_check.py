"""``demine check geometry``: faults in the register's geometries, with repairs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, opened_store
from demine.cli.options import write_document
from demine.cli.principal import cli_principal
from demine.reports.formats import GeometryFormat

app = typer.Typer(help="Check the register's data.", no_args_is_help=True)


def register(main_app: typer.Typer) -> None:
    """Add the ``check`` group to ``demine``."""
    main_app.add_typer(app, name="check")


@app.command("geometry")
def geometry_command(
    ctx: typer.Context,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Kind of record to check (repeatable; default: every kind with geometry "
            "the role may read).",
        ),
    ] = None,
    overlap: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Hazards sharing more than this share of the smaller one are reported.",
        ),
    ] = 0.10,
    max_gap_km: Annotated[
        float,
        typer.Option(min=0.0, help="Consecutive vertices of an area further apart are reported."),
    ] = 5.0,
    output_format: Annotated[
        GeometryFormat, typer.Option("--format", help="text, json, html (with maps) or xlsx.")
    ] = GeometryFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    as_role: Annotated[
        list[str] | None,
        typer.Option(
            "--as-role",
            help="Role(s) to act in (default viewer); each kind needs the permission to "
            "read its records.",
        ),
    ] = None,
) -> None:
    """Invalid or self-intersecting shapes, fewer than three distinct vertices,
    duplicates, overlapping hazards, vertex gaps, shapes outside the country or their
    district, and points on a district's centre (placeholders), each with a suggested
    repair; HTML adds a small map of each. Only live records are checked.
    """  # fmt: skip
    from demine.analysis.geometry import Limits
    from demine.analysis.geometry.run import check_register, readable_kinds
    from demine.ingest.geometry_warnings import gazetteer_centres
    from demine.reports.geometry.document import render_geometry_check
    from demine.store.reader import RegisterReader

    state: CliState = ctx.obj
    principal = cli_principal(as_role, None)
    chosen = readable_kinds(principal, kinds or [])
    limits = Limits(max_gap_m=max_gap_km * 1000, overlap_share=overlap)
    country = state.country_code()
    with opened_store(state, create=False) as store, store.read() as connection:
        reader = RegisterReader(connection, country, principal=principal)
        check = check_register(reader, chosen, limits, gazetteer_centres(country))
    write_document(render_geometry_check(check, output_format), output)
