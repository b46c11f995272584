"""Typed settings, read once from the environment by the entry points (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from demine.errors import ConfigurationError

DEFAULT_DATABASE_FILE = "demine.db"

#: Every setting Demine reads from the environment, with its help text.
SETTINGS_HELP: dict[str, str] = {
    "DEMINE_DATABASE_URL": (
        "Database to use: a SQLAlchemy URL such as sqlite:///demine.db or "
        "postgresql+psycopg://user@host/dbname (PostGIS). Default: demine.db in the "
        "current folder."
    ),
    "DEMINE_COUNTRY": "ISO 3166 alpha-2 code of the country records belong to when a "
    "file does not say (default AZ).",
    "DEMINE_LOCALE": "Language and number format of texts people read (default en).",
    "DEMINE_SECRET_KEY": "Secret that signs web session cookies (at least 32 characters). "
    "Without it, demine serve makes a random one at start, so sessions end when it stops.",
}

MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Settings:
    """What an entry point needs to open a store and talk to people."""

    database_url: str
    country: str = "AZ"
    locale: str = "en"
    secret_key: str | None = None

    @classmethod
    def from_environment(
        cls, database_url: str | None = None, country: str | None = None
    ) -> Settings:
        """Build settings from the environment; an explicit URL or country wins."""
        url = (
            database_url
            or os.environ.get("DEMINE_DATABASE_URL")
            or sqlite_url(Path(DEFAULT_DATABASE_FILE))
        )
        return cls(
            database_url=normalise_database_url(url),
            country=(country or os.environ.get("DEMINE_COUNTRY", "AZ")).upper(),
            locale=os.environ.get("DEMINE_LOCALE", "en"),
            secret_key=_secret(os.environ.get("DEMINE_SECRET_KEY")),
        )


def _secret(value: str | None) -> str | None:
    if value is not None and len(value) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"DEMINE_SECRET_KEY must have at least {MIN_SECRET_LENGTH} characters"
        )
    return value


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Accept plain file paths and ``postgresql://`` URLs as well as SQLAlchemy URLs."""
    if "://" not in url:
        return sqlite_url(Path(url))
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
