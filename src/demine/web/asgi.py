"""An ASGI application factory for servers that start their own worker processes.

``demine serve`` runs one process. To use several cores, run uvicorn (or gunicorn's
uvicorn worker) on this factory, each worker opening its own store from the
environment (see :mod:`demine.settings`)::

    DEMINE_DATABASE_URL=... uvicorn --factory demine.web.asgi:app_from_environment --workers 2
"""

from __future__ import annotations

from fastapi import FastAPI

from demine.settings import Settings
from demine.store.engine import open_store
from demine.web.app import create_app


def app_from_environment() -> FastAPI:
    """The web application on the store ``DEMINE_DATABASE_URL`` names."""
    settings = Settings.from_environment()
    return create_app(settings, open_store(settings.database_url))
