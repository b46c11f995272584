"""The former, connection-taking names of :mod:`demine.analysis.landrelease.read`.

Kept only for callers that do not read through a :class:`RegisterReader` yet
(``analysis/projects``, the ``demine analyse projects`` command); remove it once they do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from demine.analysis.landrelease import read
from demine.analysis.landrelease.ledger import HazardLedger
from demine.analysis.landrelease.read import Register
from demine.store.reader import RegisterReader

#: An SQLAlchemy connection (not imported: no SQLAlchemy outside ``store/``).
Connection = Any

__all__ = ["Register", "default_as_of", "load_ledgers", "load_register"]


def load_register(connection: Connection, country: str) -> Register:
    return read.load_register(RegisterReader(connection, country))


def load_ledgers(connection: Connection, register: Register) -> list[HazardLedger]:
    return read.load_ledgers(RegisterReader(connection, register.country), register)


def default_as_of(connection: Connection, country: str, today: date) -> date:
    return read.default_as_of(RegisterReader(connection, country), today)
