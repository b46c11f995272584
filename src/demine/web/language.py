"""Which language each request is answered in, and the switcher every page carries.

A request is answered in its reader's language, chosen in this order: the signed-in
user's saved language (``users.language``, kept by the switcher or ``demine user
language``); else the ``demine_lang`` cookie the switcher leaves in an anonymous
reader's browser; else the browser's ``Accept-Language`` (quality values honoured,
``ru-RU`` is Russian); else the site's ``DEMINE_LOCALE``. The choice is set in
:mod:`demine.i18n`'s context variable for the request alone (see ``web/app.py``), so
requests served at the same time never take each other's language.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from babel.numbers import get_decimal_symbol, get_group_symbol
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from demine.i18n import LANGUAGES, _, current_locale, language_of
from demine.store.users import set_language
from demine.web.pages import PAGES, render, safe_next

#: The cookie keeping an anonymous reader's choice (a signed-in user's is kept in the
#: database, and follows them to every browser).
COOKIE = "demine_lang"
COOKIE_LIFETIME = timedelta(days=365)

router = APIRouter(tags=[PAGES], include_in_schema=False)


def accepted_languages(header: str) -> list[str]:
    """The languages Demine speaks that an ``Accept-Language`` header asks for, the
    most wanted first (``ru-RU,ru;q=0.9,en;q=0.8`` → ``["ru", "en"]``); a quality of 0
    refuses a language."""
    wanted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _semicolon, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _equals, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = language_of(tag) if tag.strip() not in ("", "*") else None
        if language is not None and quality > 0:
            wanted.append((-quality, position, language))
    chosen: list[str] = []
    for _quality, _position, language in sorted(wanted):
        if language not in chosen:
            chosen.append(language)
    return chosen


def reader_language(request: Request, default: str) -> str:
    """The language to answer ``request`` in (see the module's docstring for the order);
    the user counts once the authentication layer has set ``request.state.user``."""
    user = getattr(request.state, "user", None)
    saved = getattr(user, "language", None)
    if saved in LANGUAGES:
        return str(saved)
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    accepted = accepted_languages(request.headers.get("accept-language", ""))
    return accepted[0] if accepted else default


def mark_language(response: Response, chosen: str) -> None:
    """Say which language ``response`` is in, and that the language headers and the
    cookies chose it (every answer carries both)."""
    response.headers["Content-Language"] = chosen
    response.headers.append("Vary", "Accept-Language, Cookie")


def number_symbols() -> dict[str, str]:
    """How the current language groups thousands and marks decimals, for the pages'
    scripts to write numbers as the server's text does (``1.234,5`` in Azerbaijani)."""
    locale = current_locale()
    return {"group": get_group_symbol(locale), "decimal": get_decimal_symbol(locale)}


def unknown_language(language: str) -> str:
    """What a reader is told when asking for a language Demine does not speak."""
    return _("Demine does not speak '{language}' (available: {languages})").format(
        language=language, languages=", ".join(LANGUAGES)
    )


@router.post("/language", response_class=RedirectResponse, status_code=303)
def choose_language(
    request: Request,
    language: Annotated[str, Form()],
    next_page: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Keep the language chosen with the switcher (for the signed-in user, and in a
    cookie), then go back to the page it was chosen on."""
    if language not in LANGUAGES:
        return render(
            request, "message.html.j2", _("Unknown language"), status=400,
            reason=unknown_language(language),
        )  # fmt: skip
    user = getattr(request.state, "user", None)
    if user is not None:
        with request.app.state.store.write() as connection:
            set_language(connection, user.username, language)
    response = RedirectResponse(safe_next(next_page), status_code=303)
    response.set_cookie(
        COOKIE,
        language,
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=bool(request.app.state.settings.https) or request.url.scheme == "https",
    )
    return response
