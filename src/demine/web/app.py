"""The web application, built by a factory from settings and an open store."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from demine.errors import DemineError
from demine.jobs.runner import JobRunner
from demine.settings import Settings
from demine.store.engine import Store
from demine.store.jobs import default_jobs_directory
from demine.web import (
    auth,
    errors,
    route_guard,
    routes_api,
    routes_imports,
    routes_map,
    routes_ogc,
    routes_pages,
    routes_records,
    routes_users,
    routes_work,
)

STATIC = Path(__file__).parent / "static"
#: Threads serving requests at once in one process. Requests are mostly Python holding
#: the GIL, so more threads than this only wait for it, each holding a database
#: connection: past the connection pool's size, connections are opened and closed
#: request after request (and lose what they keep, see ``store.spatial.envelope_reach``).
REQUEST_THREADS = 4


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    yield


def create_app(settings: Settings, store: Store, *, interrupt_jobs: bool = True) -> FastAPI:
    """A FastAPI app serving ``store``; nothing is created at import time.

    A server starts by marking the jobs a stopped server left unfinished as interrupted
    (``interrupt_jobs``); the workers of a server started together leave that to the
    process that started them, or one would interrupt the jobs another just began.
    """
    app = FastAPI(
        title="Demine",
        description="Mine action register: REST API and OGC API – Features.",
        version="0.1.0",
        lifespan=_lifespan,
        # Every route's declared permission (demine.domain.permissions_table), checked first.
        dependencies=[Depends(route_guard.enforce)],
    )
    app.state.settings = settings
    app.state.store = store
    # Without a configured secret, a random one: sessions then end when the server stops.
    app.state.secret_key = settings.secret_key or secrets.token_urlsafe(48)
    app.state.jobs = JobRunner(store, settings.jobs_dir or default_jobs_directory(store))
    if interrupt_jobs:
        app.state.jobs.interrupt_unfinished()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    # Before the REST API, whose /api/{kind}/{key} would otherwise claim these paths.
    app.include_router(routes_map.router)
    app.include_router(routes_imports.router)
    app.include_router(routes_users.router)
    app.include_router(routes_api.router)
    app.include_router(routes_ogc.router, prefix="/ogc")
    app.include_router(routes_pages.router)
    app.include_router(routes_work.router)
    app.include_router(routes_records.router)
    errors.install(app)

    @app.middleware("http")
    async def authenticate_caller(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        try:
            await run_in_threadpool(auth.resolve_caller, request)
        except DemineError as error:
            return errors.error_response(error)
        return await call_next(request)

    return app
