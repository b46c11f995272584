"""The language of the command line: DEMINE_LOCALE, and ``--lang`` on the report
commands winning over it; a language Demine does not speak is one clear error.

Run in a child process: the language is a context variable of the process, and a
command run in process would leave it set for the tests after it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.permissions_table import COMMANDS
from demine.store.engine import open_store
from demine.store.users import add_user, get_user

YEAR = ("--from", "2024-01-01", "--to", "2024-12-31")
#: AP mines found in the demo register in 2024, as each language groups thousands.
# Not a published figure: it follows the demo's random stream, which the districts'
# shapes steer (it moved from 2,743 when the real boundaries came in).
AP_MINES_2024 = {"en": "2,740", "az": "2.740", "ru": "2\u00a0740"}


def _demine(*args: str, locale: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("DEMINE_LOCALE", None)
    if locale is not None:
        env["DEMINE_LOCALE"] = locale
    return subprocess.run(
        [sys.executable, "-c", "from demine.cli.main import run; run()", *args],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_summary_speaks_demine_locale(demo_database_url: str, language: str) -> None:
    done = _demine("--db", demo_database_url, "summary", *YEAR, locale=language)
    assert done.returncode == 0, done.stderr
    assert AP_MINES_2024[language] in done.stdout
    others = [grouped for code, grouped in AP_MINES_2024.items() if code != language]
    assert not any(grouped in done.stdout for grouped in others)


def test_lang_wins_over_demine_locale(demo_database_url: str) -> None:
    done = _demine("--db", demo_database_url, "summary", *YEAR, "--lang", "ru", locale="az")
    assert done.returncode == 0, done.stderr
    assert AP_MINES_2024["ru"] in done.stdout
    # Even over a DEMINE_LOCALE Demine does not speak: the option is what counts.
    done = _demine("--db", demo_database_url, "summary", *YEAR, "--lang", "az", locale="xx")
    assert done.returncode == 0, done.stderr
    assert AP_MINES_2024["az"] in done.stdout


def test_the_weekly_bulletin_takes_lang(demo_database_url: str) -> None:
    english = _demine("--db", demo_database_url, "report", "weekly", "--week", "2024-W27")
    russian = _demine(
        "--db", demo_database_url, "report", "weekly", "--week", "2024-W27", "--lang", "ru_RU"
    )
    assert english.returncode == russian.returncode == 0, russian.stderr
    assert "3,429" in english.stdout
    assert "3\u00a0429" in russian.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["summary", *YEAR],
        ["report", "weekly", "--week", "2024-W27"],
        ["report", "casualties", "--as-of", "2024-12-31"],
        ["victims", "assistance"],
    ],
)
def test_a_language_demine_does_not_speak_is_one_clear_error(
    demo_database_url: str, command: list[str]
) -> None:
    done = _demine("--db", demo_database_url, *command, "--lang", "xx")
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr == (
        "Error: --lang=xx: Demine does not speak that language (available: en, az, ru)\n"
    )


def test_every_report_command_takes_lang() -> None:
    """The commands that write text people read (reports, statistics, analyses)."""
    with_lang = {
        "demine summary", "demine report weekly", "demine report monthly",
        "demine report annual", "demine report series", "demine report casualties",
        "demine report landrelease", "demine report quality", "demine report article7",
        "demine report task-dossier", "demine report release-certificate",
        "demine forecast", "demine analyse records", "demine analyse projects",
        "demine victims assistance",
    }  # fmt: skip
    assert with_lang <= set(COMMANDS)
    runner = CliRunner()
    for command in sorted(with_lang):
        words = command.split()[1:]
        shown = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0, command
        assert "--lang" in shown.output, command


def test_demine_user_language_shows_and_sets_the_web_language(sqlite_url: str) -> None:
    store = open_store(sqlite_url, create=True)
    from demine.store import migrate

    migrate.upgrade(store)
    with store.write() as connection:
        add_user(connection, "dora", "a long enough password", "data_entry")
    store.dispose()
    shown = _demine("--db", sqlite_url, "user", "language", "dora")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == "none kept (the browser's language)\n"
    done = _demine("--db", sqlite_url, "user", "language", "dora", "az")
    assert done.returncode == 0, done.stderr
    assert "Language of the web pages for dora: Azərbaycanca." in done.stdout
    assert _demine("--db", sqlite_url, "user", "language", "dora").stdout == "az\n"
    assert "dora\tdata_entry, lang=az" in _demine("--db", sqlite_url, "user", "list").stdout
    refused = _demine("--db", sqlite_url, "user", "language", "dora", "xx")
    assert refused.returncode == 3
    assert "(available: en, az, ru)" in refused.stderr
    forgotten = _demine("--db", sqlite_url, "user", "language", "dora", "--browser")
    assert forgotten.returncode == 0, forgotten.stderr
    store = open_store(sqlite_url)
    with store.read() as connection:
        assert get_user(connection, "dora").language is None
    store.dispose()
