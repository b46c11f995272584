"""Fixtures: a fresh, migrated store per test, on SQLite and on PostgreSQL/PostGIS.

PostGIS tests run against ``DEMINE_TEST_POSTGIS_URL`` (default: the local server's
``demine_test`` database), each in a schema of its own that is dropped afterwards. They
skip with a message when no PostGIS is reachable, except in CI (``CI=true``), where a
missing PostGIS is an error.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from tests.browser_session import launched_chromium
from tests.migrated_copies import MigratedSchemas, copy_sqlite_database

from demine.i18n import using_locale
from demine.store import users
from demine.store.engine import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> Iterator[None]:
    """A command run in-process with DEMINE_LOCALE or --lang sets the language for the
    rest of its context; each test starts in English and leaves no language behind."""
    with using_locale("en"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _statement_cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled statements (:mod:`demine.store.statement_cache`) are kept in a folder of
    the session, never in the user's own cache (commands run in subprocesses too)."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


#: The hasher the application uses (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes).
PRODUCTION_HASHER = users._hasher


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2 at its smallest cost in the tests' own process.

    A password hash at the application's cost takes a fifth of a CPU second, and the
    web fixtures make five accounts per test: minutes of the suite spent hashing. The
    hashes are still Argon2 (a server run by a test verifies them by the parameters
    each hash holds); tests/test_web_auth.py checks the application's own cost.
    """
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", cheap)
        users._dummy_hash.cache_clear()
        yield
    users._dummy_hash.cache_clear()


@pytest.fixture
def production_hashes(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """For one test, passwords hashed at the application's own cost."""
    monkeypatch.setattr(users, "_hasher", PRODUCTION_HASHER)
    users._dummy_hash.cache_clear()
    return PRODUCTION_HASHER


POSTGIS_URL = os.environ.get(
    "DEMINE_TEST_POSTGIS_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/demine_test"
)


def _postgis_unavailable_reason() -> str | None:
    try:
        engine = create_engine(POSTGIS_URL)
        with engine.connect() as connection:
            version = connection.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
        engine.dispose()
    except Exception as exc:  # any connection failure means: no PostGIS here
        return f"no PostgreSQL at {POSTGIS_URL}: {type(exc).__name__}"
    if version is None:
        return f"{POSTGIS_URL} has no PostGIS extension"
    return None


_POSTGIS_REASON: str | None = None
_POSTGIS_CHECKED = False


def postgis_reason() -> str | None:
    global _POSTGIS_REASON, _POSTGIS_CHECKED
    if not _POSTGIS_CHECKED:
        _POSTGIS_REASON = _postgis_unavailable_reason()
        _POSTGIS_CHECKED = True
    return _POSTGIS_REASON


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def postgis_url() -> Iterator[str]:
    """A PostGIS URL whose search path is a fresh schema, dropped after the test."""
    yield from _postgis_schema()


def _postgis_schema() -> Iterator[str]:
    reason = postgis_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostGIS is mandatory in CI: {reason}")
        pytest.skip(f"PostGIS tests skipped: {reason}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGIS_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGIS_URL else "?"
    yield f"{POSTGIS_URL}{separator}options=-csearch_path%3D{schema},public"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty database, once on SQLite and once on PostGIS."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgis_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture(scope="session")
def demo_database_url(
    request: pytest.FixtureRequest, migrated_schemas: MigratedSchemas
) -> Iterator[str]:
    """A database holding the demo register, built once per session and dialect.

    Tests that use it must only read (or re-import identical data); on SQLite it is a
    copy of the session's demo template.
    """
    if request.param == "sqlite":
        # A copy: what readers add (an API token) never reaches the template that
        # tests changing the register copy.
        template: Path = request.getfixturevalue("demo_sqlite_template")
        copy = template.with_name("demo-read.db")
        copy_sqlite_database(template, copy)
        yield f"sqlite:///{copy}"
        return
    from demine.demo.load import load_demo

    cleanup = _postgis_schema()
    url = next(cleanup)
    demo = migrated_schemas.fresh_store(url)
    load_demo(demo)
    demo.dispose()
    yield url
    next(cleanup, None)


@pytest.fixture(scope="session")
def demo_sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, migrated_schemas: MigratedSchemas
) -> Path:
    """The demo register in a SQLite file, built once per session: to read
    (``demo_database_url``) or to copy with ``copy_sqlite_database`` and change."""
    from demine.demo.load import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo = migrated_schemas.fresh_store(f"sqlite:///{path}")
    load_demo(demo)
    demo.dispose()
    return path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "demo_database_url" in metafunc.fixturenames:
        metafunc.parametrize(
            "demo_database_url",
            ["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)],
            indirect=True,
            scope="session",
        )


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """One Chromium for the session (see tests/browser_session.py); a test opens its own
    context in it."""
    yield from launched_chromium()


@pytest.fixture
def store(database_url: str, migrated_schemas: MigratedSchemas) -> Iterator[Store]:
    """A fresh, migrated store (SQLite and PostGIS)."""
    opened = migrated_schemas.fresh_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def migrated_schemas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedSchemas]:
    """Copies of a schema migrated once per session and dialect (see ``migrated_copies``)."""
    schemas = MigratedSchemas(tmp_path_factory.mktemp("migrated"), POSTGIS_URL)
    yield schemas
    schemas.close()
