"""Typed settings, read once from the environment by the entry points (never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from demine.errors import ConfigurationError
from demine.i18n import LANGUAGES, _, language_of

DEFAULT_DATABASE_FILE = "demine.db"

#: Every setting Demine reads from the environment, with its help text.
SETTINGS_HELP: dict[str, str] = {
    "DEMINE_DATABASE_URL": (
        "Database to use: a SQLAlchemy URL such as sqlite:///demine.db or "
        "postgresql+psycopg://user@host/dbname (PostGIS). Default: demine.db in the "
        "current folder."
    ),
    "DEMINE_READ_REPLICA_URL": (
        "A read replica of the database (a PostgreSQL hot standby fed by streaming "
        "replication): the web application answers GET and HEAD requests from it and "
        "writes to DEMINE_DATABASE_URL (see docs/design/global-scale.md). "
        "'demine serve --read-replica URL' wins over it. Default: none, every read on "
        "the database itself."
    ),
    "DEMINE_READ_REPLICA_STICKY_SECONDS": "For how long, in seconds, a client that changed "
    "something reads the database itself rather than the replica, so that it sees its own "
    "change whatever the replication lag (default 10).",
    "DEMINE_COUNTRY": "ISO 3166 alpha-2 code of the country records belong to when a "
    "file does not say (default AZ).",
    "DEMINE_LOCALE": "Language and number format of texts people read: en, az or ru (default en).",
    "DEMINE_JOBS_DIR": "Folder where files uploaded for import wait until their job ends "
    "(shared by every worker of a server). Default: beside a SQLite database "
    "(demine.db-jobs), else demine-jobs in the system's temporary folder.",
    "DEMINE_HTTPS": "Set to 1 when people reach the web application over HTTPS (usually "
    "through a reverse proxy): session cookies are then sent over HTTPS only (Secure), and "
    "state-changing requests must come from the https:// origin.",
    "DEMINE_MAX_UPLOAD_MB": "Largest file accepted by a web upload, in MB (default 100); a "
    "larger one is refused as it arrives, before it is stored.",
    "DEMINE_MAX_UNPACKED_MB": "Largest size an uploaded XLSX workbook or zip archive may "
    "unpack to, in MB (default 500).",
    "DEMINE_MAX_IMPORT_ROWS": "Most rows (or features) a file imported over the web may hold "
    "(default 1000000).",
    "DEMINE_FIELDS_FILE": "The programme's fields file (TOML, or YAML): fields it adds to "
    "kinds without code (see docs/kinds.md). Checked when a command or the web application "
    "starts; 'demine --fields FILE' wins over it.",
}

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What an entry point needs to open a store and talk to people."""

    database_url: str
    country: str = "AZ"
    locale: str = "en"
    #: Where uploads wait for their jobs (None: ``store.jobs.default_jobs_directory``).
    jobs_dir: Path | None = None
    #: The site is served over HTTPS (cookies Secure, origins https://).
    https: bool = False
    max_upload_mb: int = 100
    max_unpacked_mb: int = 500
    max_import_rows: int = 1_000_000
    #: The programme's fields file (None: the kinds as the registry describes them).
    fields_file: Path | None = None
    #: A read replica serving the web's GET and HEAD requests (None: reads on the primary).
    read_replica_url: str | None = None
    #: How long a client that wrote reads the primary (read your own writes).
    read_replica_sticky_seconds: int = 10

    @classmethod
    def from_environment(
        cls,
        database_url: str | None = None,
        country: str | None = None,
        fields_file: Path | None = None,
        locale: str | None = None,
        read_replica_url: str | None = None,
    ) -> Settings:
        """Build settings from the environment; an explicit URL, country, fields file,
        language (``--lang``, already checked) or read replica wins."""
        url = (
            database_url
            or os.environ.get("DEMINE_DATABASE_URL")
            or sqlite_url(Path(DEFAULT_DATABASE_FILE))
        )
        return cls(
            database_url=normalise_database_url(url),
            country=(country or os.environ.get("DEMINE_COUNTRY", "AZ")).upper(),
            locale=locale or _language("DEMINE_LOCALE"),
            jobs_dir=_path("DEMINE_JOBS_DIR"),
            https=_flag("DEMINE_HTTPS"),
            max_upload_mb=_positive("DEMINE_MAX_UPLOAD_MB", cls.max_upload_mb),
            max_unpacked_mb=_positive("DEMINE_MAX_UNPACKED_MB", cls.max_unpacked_mb),
            max_import_rows=_positive("DEMINE_MAX_IMPORT_ROWS", cls.max_import_rows),
            fields_file=fields_file or _path("DEMINE_FIELDS_FILE"),
            read_replica_url=_replica_url(read_replica_url),
            read_replica_sticky_seconds=_positive(
                "DEMINE_READ_REPLICA_STICKY_SECONDS", cls.read_replica_sticky_seconds
            ),
        )


def _replica_url(explicit: str | None) -> str | None:
    url = (explicit or os.environ.get("DEMINE_READ_REPLICA_URL", "")).strip()
    return normalise_database_url(url) if url else None


def _language(name: str) -> str:
    """The language the variable names (default English); one Demine lacks is an error
    listing those it has (never a traceback from the locale library)."""
    value = os.environ.get(name, "").strip()
    return chosen_language(value, name) if value else "en"


def chosen_language(value: str, source: str) -> str:
    """The language ``value`` names (``ru``, ``ru_RU.UTF-8`` …), given by ``source`` (a
    variable or option); one Demine lacks is an error listing those it has."""
    language = language_of(value)
    if language is None:
        raise ConfigurationError(
            _(
                "{source}={value}: Demine does not speak that language (available: {languages})"
            ).format(source=source, value=value, languages=", ".join(LANGUAGES))
        )
    return language


def _path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigurationError(
        _("{name} must be 1 or 0 (true or false), not '{value}'").format(name=name, value=value)
    )


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ConfigurationError(
            _("{name} must be a whole number above 0, not '{value}'").format(name=name, value=value)
        )
    return number


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
