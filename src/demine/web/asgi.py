"""An ASGI application factory for servers that start their own worker processes.

``demine serve`` runs one process. To use several cores, run uvicorn (or gunicorn's
uvicorn worker) on this factory, each worker opening its own store from the
environment (see :mod:`demine.settings`)::

    DEMINE_DATABASE_URL=... uvicorn --factory demine.web.asgi:app_from_environment --workers 2
"""

from __future__ import annotations

from fastapi import FastAPI

from demine.settings import Settings
from demine.store.engine import Store, open_store
from demine.web.app import create_app


def app_from_environment() -> FastAPI:
    """The web application on the store ``DEMINE_DATABASE_URL`` names.

    Each process built by it marks the jobs left unfinished as interrupted when it
    starts: with several workers, prefer ``demine serve --workers N``, which does that
    once before its workers start (see :func:`worker_app_from_environment`).
    """
    settings = Settings.from_environment()
    return create_app(settings, _opened(settings), warm=True)


def worker_app_from_environment() -> FastAPI:
    """The application of one of several workers, whose parent process has already
    marked the jobs a stopped server left unfinished (see :func:`create_app`)."""
    settings = Settings.from_environment()
    return create_app(settings, _opened(settings), interrupt_jobs=False, warm=True)


def _opened(settings: Settings) -> Store:
    return open_store(settings.database_url, read_replica_url=settings.read_replica_url)
