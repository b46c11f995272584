"""Translatable words and locale-aware formatting.

Every sentence a user reads goes through :func:`gettext` (imported as ``_``) with
English as the source language; the Azerbaijani and Russian catalogues live in
``demine/locale/<language>/LC_MESSAGES/demine.po``. A built package carries them
compiled (``.mo``, made by the build); a source checkout compiles the ``.po`` in
memory on first use. Machine outputs (JSON, CSV) never go through here: they use
ISO 8601 dates and ``.`` decimals.

The language in use is a context variable, so that a web server answers each request
in its reader's language while other requests run.
"""

from __future__ import annotations

import gettext as _gettext
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

#: The languages Demine speaks: English (the source), Azerbaijani (Latin script), Russian.
LANGUAGES = ("en", "az", "ru")

#: Each language named in its own words (the page switcher shows these).
LANGUAGE_NAMES = {"en": "English", "az": "Azərbaycanca", "ru": "Русский"}

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "demine"
_locale: ContextVar[str] = ContextVar("demine_locale", default="en")


def language_of(setting: str) -> str | None:
    """The language a locale setting names (``ru``, ``ru_RU``, ``az-Latn-AZ`` …), or
    None when Demine does not speak it."""
    language = setting.strip().replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else None


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The catalogue of ``locale``: compiled by the build, else compiled here from the
    ``.po`` source (read once per process)."""
    if locale == "en":
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.exists() and (
        not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime
    ):
        with compiled.open("rb") as stream:
            return _gettext.GNUTranslations(stream)
    if not source.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as stream:
        catalog = read_po(stream, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_locale(locale: str) -> None:
    """Use ``locale`` (one of :data:`LANGUAGES`) for messages and number formats in the
    current context (the whole command, or one web request)."""
    if locale not in LANGUAGES:
        raise ValueError(f"no language '{locale}' (available: {', '.join(LANGUAGES)})")
    _locale.set(locale)


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Speak ``locale`` inside the ``with`` block, and the earlier language after it."""
    if locale not in LANGUAGES:
        raise ValueError(f"no language '{locale}' (available: {', '.join(LANGUAGES)})")
    token = _locale.set(locale)
    try:
        yield
    finally:
        _locale.reset(token)


def gettext(message: str) -> str:
    """Translate ``message`` into the current locale (English is the source)."""
    return translations(_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form that fits ``n``."""
    return translations(_locale.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined; translate it where it is
    shown (``_(WORDS[key])``)."""
    return message


_ = gettext


# Babel's formatting is imported where it is used: a command printing JSON never loads it.


def format_number(value: float, decimals: int = 0) -> str:
    """Format a number for people, per the current locale."""
    # The sign is part of the key: -0.0 equals 0.0 but is written "-0.0".
    return _formatted_number(value, decimals, _locale.get(), math.copysign(1, value) < 0)


@lru_cache(maxsize=4096)
def _formatted_number(value: float, decimals: int, locale: str, _negative: bool) -> str:
    # Remembered: a chart asks for the same few tick labels hundreds of times while
    # it lays itself out, and Babel reads its pattern again at each call.
    from babel.numbers import format_decimal

    if decimals == 0:
        return format_decimal(round(value), format="#,##0", locale=locale)
    pattern = "#,##0." + "0" * decimals
    return format_decimal(value, format=pattern, locale=locale)


def format_day(day: date) -> str:
    """Format a date for people, per the current locale."""
    from babel.dates import format_date

    return format_date(day, format="medium", locale=_locale.get())


def format_list(items: list[str]) -> str:
    """Join ``items`` as the locale does ("A, B, and C" in English)."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, style="standard", locale=_locale.get()) if items else ""


def current_locale() -> str:
    return _locale.get()
