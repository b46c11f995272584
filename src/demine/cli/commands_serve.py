"""``demine serve``: the web application on uvicorn."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from demine.cli.context import CliState, console, opened_store
from demine.i18n import _
from demine.settings import normalise_database_url

if TYPE_CHECKING:
    from demine.settings import Settings
    from demine.store.engine import Store


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def prepare_demo(store: Store) -> None:
    """Build the demo register into a database that holds none; ensure the demo accounts.

    A database that already holds a register (the demo built before, or a real one) is
    left as it is: building the demo takes long and would mix it into a real register.
    """
    from demine.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
    from demine.store.reader import RegisterReader
    from demine.store.reads.presence import holds_register

    with store.read() as connection:
        has_register = holds_register(RegisterReader(connection, None))
    if not has_register:
        from demine.demo.load import load_demo

        load_demo(store)
        console.print(_("Demo register built."), highlight=False)
    with store.write() as connection:
        accounts = ensure_demo_accounts(connection)
    roles = {name: role for name, role, _o, _v in DEMO_ACCOUNTS}
    names = ", ".join(f"{name} ({roles[name]})" for name in accounts)
    console.print(
        _("Demo accounts: {names}; password: {password}").format(
            names=names, password=DEMO_PASSWORD
        ),
        highlight=False,
    )


def interrupt_unfinished_jobs(settings: Settings, store: Store) -> None:
    """Mark the jobs a stopped server left queued or running as interrupted."""
    from demine.jobs.runner import JobRunner
    from demine.store.jobs import default_jobs_directory

    runner = JobRunner(store, settings.jobs_dir or default_jobs_directory(store))
    interrupted = runner.interrupt_unfinished()
    runner.close()
    if interrupted:
        console.print(
            _("Jobs interrupted when the server last stopped: {count}").format(
                count=len(interrupted)
            ),
            highlight=False,
        )


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Serve the demo register (built into the database if absent) with demo "
            "accounts for every role.",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (one per core on a server; each opens its own "
            "connections to the database).",
        ),
    ] = 1,
    read_replica: Annotated[
        str | None,
        typer.Option(
            "--read-replica",
            metavar="URL",
            help="A read replica of the database (a PostgreSQL hot standby): GET and HEAD "
            "requests read it, changes go to the database itself (wins over "
            "DEMINE_READ_REPLICA_URL).",
        ),
    ] = None,
) -> None:
    """Serve the dashboard, REST API and OGC API – Features."""
    import uvicorn

    state: CliState = ctx.obj
    settings = state.settings()
    if read_replica is not None:
        settings = replace(settings, read_replica_url=normalise_database_url(read_replica))
    replica_url = settings.read_replica_url
    with opened_store(state, create_file=demo, read_replica_url=replica_url) as store:
        if demo:
            prepare_demo(store)
        console.print(
            _("Serving on http://{host}:{port}/ (Ctrl+C to stop)").format(host=host, port=port),
            highlight=False,
        )
        if workers == 1:
            from demine.web.app import create_app

            app = create_app(settings, store, warm=True)
            uvicorn.run(app, host=host, port=port, log_level="warning")
            return
        # Once, before any worker can start a job (see create_app).
        interrupt_unfinished_jobs(settings, store)
    # Each worker builds the application from the environment (sessions live in the
    # database, so any worker answers for a session started on another).
    os.environ.update(
        DEMINE_DATABASE_URL=settings.database_url,
        DEMINE_COUNTRY=settings.country,
        DEMINE_LOCALE=settings.locale,
    )
    if settings.jobs_dir is not None:
        os.environ["DEMINE_JOBS_DIR"] = str(settings.jobs_dir)
    if replica_url is not None:
        os.environ["DEMINE_READ_REPLICA_URL"] = replica_url
    if settings.fields_file is not None:
        os.environ["DEMINE_FIELDS_FILE"] = str(settings.fields_file.resolve())
    from demine.web.workers import can_share_port, serve_workers

    if can_share_port():
        serve_workers(host, port, workers)
        return
    uvicorn.run(
        "demine.web.asgi:worker_app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )
