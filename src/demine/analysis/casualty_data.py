"""Temporary: :func:`has_casualty_data` moved to :mod:`demine.analysis.casualties` and
takes a reader. Kept only for ``analysis/bulletin.py``'s old import and call; delete
this module when that call becomes ``has_casualty_data(reader)``."""

from __future__ import annotations

from sqlalchemy import Connection

from demine.analysis.casualties import read
from demine.store.reader import RegisterReader


def has_casualty_data(connection: Connection, country: str) -> bool:
    """True when ``country`` has any live accident or a casualty baseline."""
    return read.has_casualty_data(RegisterReader(connection, country))
