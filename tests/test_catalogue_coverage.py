"""Every string a user reads in Azerbaijani went through the catalogue.

Extraction (``tests/test_catalogues.py``) finds the strings the code marks; it cannot see
a string translated from a variable (``_(label)``) that was never marked, nor one that
never goes through ``gettext`` at all. Here a broad set of outputs is produced in
Azerbaijani — the summary, reports as HTML, command-line errors, the web pages — while
every message asked of the catalogue is recorded:

- each must be in the template (``demine.pot``): else it is shown untranslated;
- no English word of the catalogue's vocabulary may be left in the output (a sentence
  built outside ``gettext``, or not yet translated).

The second check needs the Azerbaijani catalogue filled (``scripts/catalogues.py fill``).
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy import Connection, MetaData, String, create_engine, select
from tests.english_leftovers import english_leftovers
from tests.web_fixtures import Web, web_on

from demine import i18n
from demine.cli.main import run
from demine.domain import vocab
from demine.domain.access import Role
from demine.domain.kinds import KINDS
from demine.i18n import using_locale
from demine.store.engine import Store

LANGUAGE = "az"
TEMPLATE = Path(__file__).resolve().parents[1] / "src" / "demine" / "locale" / "demine.pot"
SEED_WEEK = ("--from", "2024-07-01", "--to", "2024-07-07")
#: A browser asking for Azerbaijani (for an application that reads the header).
IN_AZERBAIJANI = {"Accept-Language": LANGUAGE}


@cache
def template_ids() -> frozenset[str]:
    """Every msgid of the template (a plural entry by its singular)."""
    with TEMPLATE.open("rb") as stream:
        template = read_po(stream)
    return frozenset(
        str(message.id[0]) if isinstance(message.id, tuple | list) else str(message.id)
        for message in template
        if message.id
    )


@dataclass
class Asked:
    """The messages asked of the catalogue, by output."""

    output: str = ""
    messages: dict[str, set[str]] = field(default_factory=dict)

    def missing(self) -> dict[str, list[str]]:
        known = template_ids()
        found = {
            output: sorted(message for message in messages if message not in known)
            for output, messages in self.messages.items()
        }
        return {output: messages for output, messages in found.items() if messages}


class _Recording(_gettext.NullTranslations):
    """Answers as the real catalogue does, noting each message asked."""

    def __init__(self, inner: _gettext.NullTranslations, asked: Asked) -> None:
        super().__init__()
        self.inner, self.asked = inner, asked

    def _note(self, message: str) -> None:
        self.asked.messages.setdefault(self.asked.output, set()).add(message)

    def gettext(self, message: str) -> str:
        self._note(message)
        return self.inner.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self._note(singular)
        return self.inner.ngettext(singular, plural, n)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    """Record every message translated (``gettext``, ``ngettext``, templates' ``_()``)."""
    record = Asked()
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda locale: _Recording(real(locale), record))
    return record


def _in_language(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``function`` in a context of its own, so that a command setting the language
    leaves this test's language as it was."""
    return contextvars.copy_context().run(function, *args, **kwargs)


@dataclass
class Cli:
    """``demine ARGS`` run as the installed command runs it (errors become messages and
    exit codes), with ``DEMINE_LOCALE=az``."""

    asked: Asked
    capsys: pytest.CaptureFixture[str]

    def __call__(self, name: str, *args: str, exit_code: int = 0) -> str:
        """What the command prints (both streams); ``name`` labels what it asks."""
        self.asked.output = name
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "argv", ["demine", *args])
            patch.setenv("DEMINE_LOCALE", LANGUAGE)
            patch.setenv("COLUMNS", "200")
            with pytest.raises(SystemExit) as exited:
                _in_language(run)
        printed = self.capsys.readouterr()
        assert (exited.value.code or 0) == exit_code, printed.err[-3000:]
        return printed.out + printed.err


@pytest.fixture
def cli(asked: Asked, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(asked, capsys)


class _ReadText(HTMLParser):
    """The words of a page a reader sees: text outside scripts and styles, and the
    attributes shown (title, placeholder, alt, aria-label)."""

    SHOWN = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def read_text(page: str) -> str:
    """What a reader sees of ``page`` (HTML, or plain text as it is)."""
    if "<" not in page:
        return page
    reader = _ReadText()
    reader.feed(page)
    return "\n".join(reader.parts)


def _leftovers(outputs: dict[str, str]) -> dict[str, list[str]]:
    found = {name: english_leftovers(read_text(text), LANGUAGE) for name, text in outputs.items()}
    return {name: words for name, words in found.items() if words}


def test_summaries_and_reports_in_azerbaijani_ask_only_for_catalogued_strings(
    demo_database_url: str, tmp_path: Path, asked: Asked, cli: Cli
) -> None:
    db = ("--db", demo_database_url)
    outputs = {"summary": cli("summary", *db, "summary", *SEED_WEEK)}
    for name, command in (
        ("weekly", ("report", "weekly", "--week", "2024-W27")),
        ("landrelease", ("report", "landrelease", *SEED_WEEK)),
        ("quality", ("report", "quality", *SEED_WEEK)),
        ("casualties", ("report", "casualties", "--as-of", "2024-07-07")),
    ):
        page = tmp_path / f"{name}.html"
        cli(name, *db, *command, "--format", "html", "--output", str(page))
        outputs[name] = page.read_text(encoding="utf-8")
    outputs["weekly text"] = cli("weekly text", *db, "report", "weekly", "--week", "2024-W27")

    # The register's own words (organisation names, what victims were doing, a source
    # quoted) are its data, shown as entered: not Demine's English.
    data = _register_words(demo_database_url)
    missing, left = asked.missing(), _leftovers(outputs)
    left = {name: [w for w in words if w not in data] for name, words in left.items()}
    left = {name: words for name, words in left.items() if words}
    # Translated but not in the catalogue (mark them), and English left in the outputs.
    assert (missing, left) == ({}, {}), f"not catalogued: {missing}; English left: {left}"


def _register_words(url: str) -> set[str]:
    """Every word of every text the register stores (lower case)."""
    engine = create_engine(url)
    words: set[str] = set()
    try:
        with engine.connect() as connection:
            for table in reflected(connection).sorted_tables:
                for column in table.columns:
                    if not isinstance(column.type, String):
                        continue
                    for (value,) in connection.execute(select(column).distinct()):
                        if isinstance(value, str):
                            words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", value)}
    finally:
        engine.dispose()
    return words


def reflected(connection: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(connection)
    return metadata


def test_command_line_errors_in_azerbaijani_ask_only_for_catalogued_strings(
    tmp_path: Path, asked: Asked, cli: Cli
) -> None:
    db = ("--db", str(tmp_path / "t.db"), "--create")
    bad = tmp_path / "orgs.csv"
    # Problems Demine words itself (a domain rule's message, such as an unknown code, is
    # English still: the domain imports nothing of ours).
    bad.write_text("code,name,kind\nX1,,ngo\nX1,Some NGO,ngo\n", encoding="utf-8")
    outputs = {
        "rejected import": cli(
            "rejected import", *db, "import", "organisations", str(bad), exit_code=6
        ),
        "missing file": cli(
            "missing file",
            *db,
            "import",
            "organisations",
            str(tmp_path / "nowhere.csv"),
            exit_code=2,
        ),
        "unsupported file": cli(
            "unsupported file",
            *db,
            "import",
            "organisations",
            str(tmp_path / "t.db"),
            exit_code=2,
        ),
        "period backwards": cli(
            "period backwards",
            *db,
            "summary",
            "--from",
            "2024-07-07",
            "--to",
            "2024-07-01",
            exit_code=2,
        ),
        "unknown kind": cli("unknown kind", "template", "nothing", exit_code=2),
    }

    # The user's own words: the paths, and the names and values quoted ('name'); the
    # names of kinds are typed as they are (``demine template finds``).
    kinds = re.compile(r"\b(" + "|".join(map(re.escape, KINDS)) + r")\b")
    outputs = {
        name: kinds.sub("", re.sub(r"'[^']*'", "", text.replace(str(tmp_path), "")))
        for name, text in outputs.items()
    }
    missing, left = asked.missing(), _leftovers(outputs)
    # Translated but not in the catalogue (mark them), and English left in the outputs.
    assert (missing, left) == ({}, {}), f"not catalogued: {missing}; English left: {left}"


def _vocabulary_codes() -> list[str]:
    enums: list[type[StrEnum]] = [Role]
    enums += [v for v in vars(vocab).values() if isinstance(v, type) and issubclass(v, StrEnum)]
    codes = {member.value for enum in enums for member in enum}
    return sorted(codes, key=len, reverse=True)


@pytest.fixture
def web(store: Store) -> Web:
    """The sample register's web application, answering every request in Azerbaijani
    (however the application itself picks a reader's language)."""
    served = web_on(store)
    inner = served.client.app

    async def in_azerbaijani(scope: Any, receive: Any, send: Any) -> None:
        with using_locale(LANGUAGE):
            await inner(scope, receive, send)

    client = TestClient(in_azerbaijani, follow_redirects=False)
    return Web(client, served.headers, served.store)


def test_web_pages_in_azerbaijani_ask_only_for_catalogued_strings(web: Web, asked: Asked) -> None:
    outputs: dict[str, str] = {}
    for path in ("/", "/bulletin", "/entry", "/review", "/import", "/users", "/audit"):
        asked.output = path
        answer = web.client.get(path, headers={**web.as_("adam"), **IN_AZERBAIJANI})
        assert answer.status_code == 200, (path, answer.text[:300])
        outputs[path] = answer.text
    asked.output = "refused"
    refused = web.client.get("/users", headers={**web.as_("vera"), **IN_AZERBAIJANI})
    assert refused.status_code == 403
    outputs["refused"] = refused.text

    # The form's pick lists show the vocabularies' codes as they are (EOD_SPOT_TASK,
    # technical_survey), and a refusal names the caller's role by its code (viewer): the
    # vocabularies have no labels per language yet.
    codes = re.compile(r"\b(" + "|".join(map(re.escape, _vocabulary_codes())) + r")\b")
    outputs = {path: codes.sub("", read_text(page)) for path, page in outputs.items()}
    missing, left = asked.missing(), _leftovers(outputs)
    # Translated but not in the catalogue (mark them), and English left in the outputs.
    assert (missing, left) == ({}, {}), f"not catalogued: {missing}; English left: {left}"
