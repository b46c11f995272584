"""Each request answered in its reader's language: the signed-in user's saved choice,
else the switcher's cookie, else the browser's Accept-Language, else DEMINE_LOCALE;
the switcher on every page; requests served at once never take each other's language."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.web_fixtures import PASSWORD, Web, web_on

from demine.i18n import LANGUAGE_NAMES
from demine.settings import Settings
from demine.store.engine import Store
from demine.store.users import get_user
from demine.web.app import create_app
from demine.web.language import COOKIE, accepted_languages

ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def web(store: Store) -> Web:
    return web_on(store, sample=False)


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', html)
    assert match, "every page names its language"
    return match.group(1)


def _log_in(client: TestClient, username: str) -> None:
    answer = client.post("/login", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", ["ru", "en"]),
        ("fr-FR, az;q=0.5, ru;q=0.7", ["ru", "az"]),
        ("en;q=0.1, az-Latn-AZ", ["az", "en"]),
        ("ru;q=0, az", ["az"]),
        ("de, fr;q=0.9, *;q=0.5", []),
        ("RU", ["ru"]),
        ("en;q=oops, ru", ["ru"]),
        ("", []),
    ],
)
def test_accept_language_is_read_with_its_quality_values(header: str, expected: list[str]) -> None:
    assert accepted_languages(header) == expected


def test_the_browser_language_is_used_when_nothing_was_chosen(web: Web) -> None:
    answer = web.client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert _lang(answer.text) == "ru"
    assert answer.headers["content-language"] == "ru"
    assert "Accept-Language" in answer.headers["vary"]
    answer = web.client.get("/login", headers={"Accept-Language": "fr, az;q=0.4, en;q=0.3"})
    assert _lang(answer.text) == "az"
    # A language Demine does not speak: the site's own (DEMINE_LOCALE, here English).
    assert _lang(web.client.get("/login", headers={"Accept-Language": "fr"}).text) == "en"


def test_the_site_language_answers_browsers_that_ask_for_none(store: Store) -> None:
    app = create_app(Settings(database_url="unused", country="AZ", locale="ru"), store)
    client = TestClient(app)
    assert _lang(client.get("/login").text) == "ru"
    assert _lang(client.get("/login", headers={"Accept-Language": "az"}).text) == "az"


def test_an_anonymous_reader_switches_with_a_cookie_and_returns_to_the_page(web: Web) -> None:
    answer = web.client.post(
        "/language",
        data={"language": "az", "next": "/login?next=/entry"},
        headers={"Accept-Language": "ru"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/entry"
    assert web.client.cookies[COOKIE] == "az"
    # The cookie wins over the browser's language.
    page = web.client.get("/login", headers={"Accept-Language": "ru"})
    assert _lang(page.text) == "az"


def test_the_switcher_never_sends_a_reader_to_another_site(web: Web) -> None:
    answer = web.client.post("/language", data={"language": "ru", "next": "//evil.example/"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_a_signed_in_user_keeps_the_choice_in_every_browser(web: Web) -> None:
    _log_in(web.client, "dora")
    answer = web.client.post("/language", data={"language": "ru", "next": "/entry"}, headers=ORIGIN)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/entry"
    with web.store.read() as connection:
        assert get_user(connection, "dora").language == "ru"
    # Without the language cookie, and a browser asking for Azerbaijani: still Russian.
    web.client.cookies.delete(COOKIE)
    page = web.client.get("/entry", headers={"Accept-Language": "az"})
    assert page.status_code == 200
    assert _lang(page.text) == "ru"
    # The saved choice wins over a cookie left by an earlier anonymous choice, too.
    web.client.cookies.set(COOKIE, "en")
    assert _lang(web.client.get("/", headers={"Accept-Language": "az"}).text) == "ru"
    # API tokens speak for the same user: their answers come in the user's language.
    me = web.client.get("/api/me", headers=web.as_("dora"))
    assert me.headers["content-language"] == "ru"


def test_the_switcher_sent_from_another_site_with_a_session_is_refused(web: Web) -> None:
    _log_in(web.client, "dora")
    answer = web.client.post(
        "/language", data={"language": "ru"}, headers={"Origin": "http://evil.example"}
    )
    assert answer.status_code == 403
    with web.store.read() as connection:
        assert get_user(connection, "dora").language is None


@pytest.mark.parametrize("asked", ["xx", "fr", "AZ", ""])
def test_an_unknown_language_is_a_clear_refusal(web: Web, asked: str) -> None:
    answer = web.client.post("/language", data={"language": asked, "next": "/"})
    assert answer.status_code in (400, 422)
    if answer.status_code == 400:
        assert "available: en, az, ru" in answer.text
        assert "Traceback" not in answer.text
        assert COOKIE not in answer.cookies


def test_every_page_carries_the_switcher_naming_each_language_in_its_own_words(
    web: Web,
) -> None:
    _log_in(web.client, "adam")
    for path in ("/", "/login", "/entry?kind=activities", "/review", "/users", "/audit"):
        page = web.client.get(path)
        assert page.status_code == 200, path
        assert 'action="/language"' in page.text, path
        for code, name in LANGUAGE_NAMES.items():
            assert f'value="{code}" lang="{code}"' in page.text, path
            assert f">{name}</button>" in page.text, path
    here = web.client.get("/entry?kind=activities").text
    assert 'name="next" value="/entry?kind=activities"' in here
    # A refusal page carries it too.
    _log_in(web.client, "vera")
    refused = web.client.get("/users")
    assert refused.status_code == 403
    assert 'action="/language"' in refused.text


def test_requests_served_at_once_keep_their_own_languages(web: Web) -> None:
    """The language is a context variable set per request: sixty requests in flight at
    once, in three languages, each answered in its own."""
    transport = httpx.ASGITransport(app=web.client.app)

    async def fetch_all() -> list[tuple[str, str]]:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:

            async def one(language: str) -> tuple[str, str]:
                answer = await c.get("/login", headers={"Accept-Language": language})
                return language, _lang(answer.text)

            return await asyncio.gather(*(one(("en", "az", "ru")[i % 3]) for i in range(60)))

    # In a thread of its own: the session's browser keeps an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        answers = thread.submit(asyncio.run, fetch_all()).result()
    for asked, answered in answers:
        assert answered == asked


def test_every_code_of_a_form_choice_has_a_label() -> None:
    """The data-entry form shows each code's label in the reader's language: the table
    of labels and the registry's vocabularies are the same codes."""
    from demine.domain.kinds import KINDS, FieldType
    from demine.domain.vocabulary_labels import CHOICE_WORDS

    vocabularies = {
        field.vocabulary.__name__: {code.value for code in field.vocabulary}
        for kind in KINDS.values()
        for field in kind.fields
        if field.type is FieldType.CODE and field.vocabulary is not None
    }
    assert {name: set(codes) for name, codes in CHOICE_WORDS.items()} == vocabularies


def test_the_entry_form_names_each_choice(web: Web) -> None:
    _log_in(web.client, "ines")
    page = web.client.get("/entry?kind=activities")
    assert '<option value="technical_survey">Technical survey</option>' in page.text
    assert '<option value="AP_MINE">AP mine</option>' in page.text
