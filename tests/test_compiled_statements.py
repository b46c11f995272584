"""Read statements compiled once and run on plain DB-API connections
(:mod:`demine.store.compiled`): the same figures as through SQLAlchemy, never from a
stale cache, and a warm weekly report that does not load SQLAlchemy at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from demine.analysis.bulletin import bulletin_figures
from demine.domain.periods import Period, parse_iso_week
from demine.reports.bulletin.document import ReportFormat, render
from demine.store import compiled, engine, plain_store
from demine.store.compiled import NotCompilable, Parameters, Statement, compile_statement
from demine.store.engine import open_store
from demine.store.plain_store import plain_read
from demine.store.reader import RegisterReader
from demine.store.revision import HEAD_REVISION
from demine.store.statement_cache import StatementCache

NOW = datetime(2026, 1, 1, tzinfo=UTC)
#: Weeks, the same week of one district, a month: different parameters and shapes.
CASES = [
    (parse_iso_week("2024-W27"), None),
    (parse_iso_week("2024-W10"), None),
    (parse_iso_week("2024-W27"), "Aghdam"),
]


def _sqlalchemy_figures(url: str, period: Period, district: str | None) -> Any:
    store = open_store(url)
    try:
        with store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            return bulletin_figures(reader, period, district, NOW, with_map=False).to_json()
    finally:
        store.dispose()


def _plain_figures(url: str, folder: Path, period: Period, district: str | None) -> Any:
    with plain_read(url, folder) as connection:
        assert connection is not None
        reader = RegisterReader(connection, "AZ")
        return bulletin_figures(reader, period, district, NOW, with_map=False).to_json()


def test_cold_and_warm_cache_give_sqlalchemys_figures(
    demo_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = [_sqlalchemy_figures(demo_database_url, *case) for case in CASES]
    cold = [_plain_figures(demo_database_url, tmp_path, *case) for case in CASES]
    assert cold == expected
    assert list((tmp_path / "statements").glob("*.json")), "the cache was not written"

    def refuse(*_args: Any) -> Any:
        raise AssertionError("compiled again although the cache holds the statement")

    monkeypatch.setattr(compiled, "compile_statement", refuse)
    warm = [_plain_figures(demo_database_url, tmp_path, *case) for case in CASES]
    assert warm == expected


def test_the_drawn_bulletin_is_the_same_read_plainly(
    demo_database_url: str, tmp_path: Path
) -> None:
    """The HTML bulletin, its map's finds and released land included (the PDF draws the
    same document), read on a plain connection and through SQLAlchemy."""
    period, district = CASES[0]
    store = open_store(demo_database_url)
    try:
        with store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            expected = render(
                bulletin_figures(reader, period, district, NOW, with_map=True), ReportFormat.HTML
            )
    finally:
        store.dispose()
    with plain_read(demo_database_url, tmp_path) as connection:
        assert connection is not None
        figures = bulletin_figures(RegisterReader(connection, "AZ"), period, district, NOW,
                                   with_map=True)  # fmt: skip
    assert figures.map.finds and figures.map.released, "the week's map has finds and land"
    assert render(figures, ReportFormat.HTML) == expected


def test_a_cache_of_another_revision_or_code_is_not_read(tmp_path: Path) -> None:
    kept = StatementCache("sqlite", HEAD_REVISION, tmp_path)
    kept.put("a statement", compiled.Compiled("SELECT 1", {}, ["none"], ["one"]))
    kept.save()
    assert StatementCache("sqlite", HEAD_REVISION, tmp_path).get("a statement") is not None
    # Another schema revision or dialect: another file, never this one.
    assert StatementCache("sqlite", "0001", tmp_path).get("a statement") is None
    assert StatementCache("postgresql", HEAD_REVISION, tmp_path).get("a statement") is None
    # A file whose identity inside is not its name's (copied, or half of an old one).
    document = json.loads(kept.path.read_text(encoding="utf-8"))
    document["identity"] = "sqlite-0001-0123456789abcdef01234567"
    kept.path.write_text(json.dumps(document), encoding="utf-8")
    assert StatementCache("sqlite", HEAD_REVISION, tmp_path).get("a statement") is None


def test_a_database_at_another_revision_is_not_read_plainly(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A register behind the code's schema is left to the usual path, which refuses it
    in the usual words."""
    store = open_store(sqlite_url, create=True)
    try:
        with store.write() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            connection.execute(text("INSERT INTO alembic_version VALUES ('0001')"))
    finally:
        store.dispose()
    with plain_read(sqlite_url, tmp_path) as connection:
        assert connection is None


def test_a_value_written_as_a_constant_is_refused(sqlite_url: str) -> None:
    """A builder that writes a day into the statement instead of a parameter would be
    kept with that day: compiling refuses it."""

    def with_a_day(reader: RegisterReader, _shape: Any, _values: Parameters) -> Any:
        finds = reader.table("finds")
        return reader.select("finds", finds.c.id).where(finds.c.found_earliest >= NOW.date())

    store = open_store(sqlite_url, create=True)
    try:
        with store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            with pytest.raises(NotCompilable):
                compile_statement(reader, Statement("day", with_a_day), {}, "sqlite")
    finally:
        store.dispose()


def test_plain_connections_are_set_up_as_the_engines() -> None:
    assert plain_store.BUSY_SECONDS == engine.BUSY_SECONDS


_WARM_RUN = """
import sys
from demine.cli.main import run
sys.argv = ["demine", *sys.argv[1:]]
try:
    run()
except SystemExit as stop:
    assert not stop.code, stop.code
print("SQLALCHEMY" if "sqlalchemy" in sys.modules else "NO SQLALCHEMY", file=sys.stderr)
"""


def test_a_warm_weekly_report_does_not_load_sqlalchemy(
    demo_database_url: str, tmp_path: Path
) -> None:
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-c", _WARM_RUN, "--db", demo_database_url, "--country", "AZ",
               "report", "weekly", "--week", "2024-W27", "--format", "json"]  # fmt: skip
    outputs = []
    for _ in range(2):
        done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
        outputs.append((json.loads(done.stdout), done.stderr.strip().splitlines()[-1]))
    (cold, cold_imports), (warm, warm_imports) = outputs
    assert cold_imports == "SQLALCHEMY"  # it compiled the statements
    assert warm_imports == "NO SQLALCHEMY"
    for figures in (cold, warm):
        figures["provenance"].pop("generated_at")
    assert warm == cold
    # The drawn bulletin reads the same way (its map's finds and released land too).
    html = [*command[:-1], "html"]
    for _ in range(2):  # the first run compiles the map's statements
        done = subprocess.run(html, capture_output=True, text=True, env=environment, check=True)
    assert done.stderr.strip().splitlines()[-1] == "NO SQLALCHEMY"
    assert done.stdout.count('<img src="data:image/svg+xml;base64,') == 3  # charts and map
