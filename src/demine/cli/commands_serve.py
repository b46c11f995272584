"""``demine serve``: the web application on uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.i18n import _

DEMO_DATABASE = Path("demine-demo.db")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help=f"Serve the demo database ({DEMO_DATABASE}), building it if absent."
        ),
    ] = False,
) -> None:
    """Serve the dashboard, REST API and OGC API – Features."""
    import uvicorn

    from demine.web.app import create_app

    state: CliState = ctx.obj
    if demo and state.database_url is None:
        state.database_url = str(DEMO_DATABASE)
    with opened_store(state) as store:
        if demo:
            from demine.demo.load import load_demo

            report = load_demo(store)
            if report.counts.inserted:
                console.print(_("Demo database built."), highlight=False)
        console.print(
            _("Serving on http://{host}:{port}/ (Ctrl+C to stop)").format(host=host, port=port),
            highlight=False,
        )
        uvicorn.run(create_app(state.settings(), store), host=host, port=port, log_level="warning")
