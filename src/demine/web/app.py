"""The web application, built by a factory from settings and an open store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.background import BackgroundTask

from demine.errors import DemineError
from demine.i18n import using_locale
from demine.ingest.fields_file import programme_kinds
from demine.jobs.runner import JobRunner
from demine.settings import MB, Settings
from demine.store.engine import Store
from demine.store.jobs import default_jobs_directory
from demine.submissions.catalogue import FormSource, registered_forms
from demine.web import (
    auth,
    csrf,
    dashboard_kept,
    docs,
    errors,
    language,
    route_guard,
    routes_api,
    routes_attachments,
    routes_fieldforms,
    routes_geometry,
    routes_imports,
    routes_map,
    routes_news_items,
    routes_ogc,
    routes_ogc_tiles,
    routes_openrosa,
    routes_pages,
    routes_records,
    routes_users,
    routes_work,
)
from demine.web.http_cache import ResponseCache
from demine.web.kept_answers import KeptAnswers
from demine.web.map_first_view import FirstViews
from demine.web.ogc.head import HeadAsGet
from demine.web.openapi_custom import with_custom_schemas
from demine.web.read_routing import ReplicaReads
from demine.web.request_limits import RequestSizeLimit
from demine.web.security import SecurityHeaders
from demine.web.static_assets import PREFIX, STATIC, VersionedStaticFiles
from demine.web.warm_up import warm_up

#: Threads serving requests at once in one process. Requests are mostly Python holding
#: the GIL, so more threads than this only wait for it, each holding a database
#: connection: past the connection pool's size, connections are opened and closed
#: request after request (and lose what they keep, see ``store.spatial.envelope_reach``).
REQUEST_THREADS = 4


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
    if app.state.warm:
        # Before the first request is answered (see demine.web.warm_up).
        await anyio.to_thread.run_sync(warm_up, app.state)
    yield


def create_app(
    settings: Settings,
    store: Store,
    *,
    interrupt_jobs: bool = True,
    field_forms: FormSource | None = None,
    warm: bool = False,
) -> FastAPI:
    """A FastAPI app serving ``store``; nothing is created at import time.

    A server starts by marking the jobs a stopped server left unfinished as interrupted
    (``interrupt_jobs``); the workers of a server started together leave that to the
    process that started them, or one would interrupt the jobs another just began.
    ``field_forms`` builds the forms served over OpenRosa (default: from the register).
    A server's process is warmed (``warm``) as it starts: it makes the dashboard's first view
    before answering anyone (:mod:`demine.web.warm_up`).
    """
    app = FastAPI(
        title="Demine",
        description="Mine action register: REST API and OGC API – Features.",
        version="0.1.0",
        lifespan=_lifespan,
        # Every route's declared permission (demine.domain.permissions_table), checked first.
        dependencies=[Depends(route_guard.enforce)],
        # Served from the vendored Swagger UI (see web/docs.py); ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    # The registry's kinds as the programme's fields file extends them, checked now.
    app.state.kinds = programme_kinds(settings.fields_file)
    # OGC answers recently sent, by data version, caller's roles and request.
    app.state.response_cache = ResponseCache()
    # The map's whole-country answers, made by the warm-up (see demine.web.map_first_view).
    app.state.first_map_views = FirstViews()
    # The dashboard's views and its weeks' figures, while the register is unchanged.
    dashboard_kept.new_caches(app.state)
    app.state.field_forms = field_forms or registered_forms
    app.state.warm = warm
    app.state.jobs = JobRunner(store, settings.jobs_dir or default_jobs_directory(store))
    if interrupt_jobs:
        app.state.jobs.interrupt_unfinished()
    app.mount("/static", VersionedStaticFiles(directory=STATIC), name="static")
    app.include_router(docs.router)
    app.include_router(auth.router)
    app.include_router(language.router)
    # Before the REST API, whose /api/{kind}/{key} would otherwise claim these paths.
    app.include_router(routes_map.router)
    app.include_router(routes_imports.router)
    app.include_router(routes_users.router)
    app.include_router(routes_attachments.router)
    app.include_router(routes_geometry.router)
    # Before the REST API's ``/api/{kind}/{key}/{action}``, which would take its paths.
    app.include_router(routes_news_items.api)
    app.include_router(routes_api.router)
    app.include_router(routes_ogc.router, prefix="/ogc")
    app.include_router(routes_ogc_tiles.router, prefix="/ogc")
    app.include_router(routes_pages.router)
    app.include_router(routes_work.router)
    app.include_router(routes_news_items.pages)
    app.include_router(routes_records.router)
    app.include_router(routes_openrosa.router)
    app.include_router(routes_fieldforms.router)
    errors.install(app)
    app.openapi = with_custom_schemas(app, app.state.kinds)  # type: ignore[method-assign]
    # Inside the authentication middleware (middleware added later wraps it), so that
    # the framework's body parsing meets the refusal itself, not wrapped in a task group.
    app.add_middleware(RequestSizeLimit, upload_bytes=settings.max_upload_mb * MB)

    @app.middleware("http")
    async def authenticate_caller(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(PREFIX):
            # The same files for everyone, in no language: no caller to resolve, and
            # nothing to vary on (a browser keeps them across logging in).
            return await call_next(request)
        # The reader's language for this request alone (a context variable): the
        # browser's until the caller is known, then the user's own, if saved.
        with using_locale(language.reader_language(request, settings.locale)):
            try:
                csrf.check_same_origin(request, https=settings.https)
                token_to_mark = (
                    None  # (by the kept answers' layer, which found no answer kept)
                    if auth.resolved_before(request)
                    else await run_in_threadpool(auth.resolve_caller, request)
                )
            except DemineError as error:
                return errors.error_response_to(request, error)
        chosen = language.reader_language(request, settings.locale)
        with using_locale(chosen):
            response = await call_next(request)
        language.mark_language(response, chosen)
        if token_to_mark is not None and response.background is None:
            response.background = BackgroundTask(auth.mark_used, request, token_to_mark)
        return response

    # Around authentication: an OGC answer kept for the caller's roles is sent from the
    # cache without the framework's round (the caller resolved as authentication does).
    app.add_middleware(
        KeptAnswers,
        store=store,
        cache=app.state.response_cache,
        default_locale=settings.locale,
        https=settings.https,
    )
    # (A store-less app, as the route listing builds, has no replica either.)
    if getattr(store, "replica", None) is not None:
        # Around authentication, which reads the session or token on the replica too.
        app.add_middleware(
            ReplicaReads,
            sticky_seconds=settings.read_replica_sticky_seconds,
            https=settings.https,
        )
    # Outermost: every response, refusals by the middleware inside included, gets them.
    app.add_middleware(SecurityHeaders, https=settings.https)
    # HEAD on the OGC API answers as GET does, headers only (authentication included).
    app.add_middleware(HeadAsGet, prefix="/ogc/")
    return app
