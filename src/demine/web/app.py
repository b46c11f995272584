"""The web application, built by a factory from settings and an open store."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from demine.errors import DemineError
from demine.settings import Settings
from demine.store.engine import Store
from demine.web import routes_ogc

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, store: Store) -> FastAPI:
    """A FastAPI app serving ``store``; nothing is created at import time."""
    app = FastAPI(
        title="Demine",
        description="Mine action register: REST API and OGC API – Features.",
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.store = store
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(routes_ogc.router, prefix="/ogc")

    @app.exception_handler(DemineError)
    async def demine_error(request: Request, error: DemineError) -> JSONResponse:
        return JSONResponse(
            status_code=error.http_status, content={"code": error.code, "message": error.message}
        )

    return app
