"""``demine db``: create and migrate the database."""

from __future__ import annotations

import typer

from demine.cli.context import CliState, console, open_database, opened_store
from demine.i18n import _, format_number

app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date."""
    from demine.store import migrate

    state: CliState = ctx.obj
    store = open_database(state, create=True)
    try:
        migrate.upgrade(store)
        console.print(_("Schema at revision {revision}.").format(revision=migrate.head_revision()))
    finally:
        store.dispose()


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is current."""
    from demine.store import migrate

    state: CliState = ctx.obj
    store = open_database(state)
    try:
        current = migrate.current_revision(store)
        head = migrate.head_revision()
        state_word = _("up to date") if current == head else _("needs 'demine db upgrade'")
        console.print(
            _("{dialect} database, revision {current} (newest {head}): {state}").format(
                dialect=store.dialect, current=current, head=head, state=state_word
            )
        )
    finally:
        store.dispose()


@app.command("rebuild-aggregates")
def rebuild_aggregates(ctx: typer.Context) -> None:
    """Recount the figures the database keeps by triggers (live finds, activities and
    accidents by district and day) from the records themselves."""
    from demine.store.aggregates import rebuild

    state: CliState = ctx.obj
    with opened_store(state, create=False) as store, store.write() as connection:
        rows = rebuild(connection)
    for table, count in rows.items():
        console.print(
            _("{table}: {rows} rows recounted").format(table=table, rows=format_number(count)),
            highlight=False,
        )
