"""Translatable words and locale-aware formatting.

Every sentence a user reads goes through :func:`gettext` (imported as ``_``) with
English as the source language, so that Azerbaijani and Russian catalogues can be added
without touching the code. Machine outputs (JSON, CSV) never go through here: they use
ISO 8601 dates and ``.`` decimals.
"""

from __future__ import annotations

import gettext as _gettext
from datetime import date
from pathlib import Path

from babel.dates import format_date as _format_date
from babel.lists import format_list as _format_list
from babel.numbers import format_decimal

#: The languages Demine speaks: English (the source), Azerbaijani (Latin script), Russian.
LANGUAGES = ("en", "az", "ru")

_LOCALE_DIR = Path(__file__).parent / "locale"
_DOMAIN = "demine"
_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_locale = "en"


def language_of(setting: str) -> str | None:
    """The language a locale setting names (``ru``, ``ru_RU``, ``az-Latn-AZ`` …), or
    None when Demine does not speak it."""
    language = setting.strip().replace("-", "_").split("_")[0].lower()
    return language if language in LANGUAGES else None


def set_locale(locale: str) -> None:
    """Use ``locale`` (one of :data:`LANGUAGES`) for messages and number formats."""
    global _translations, _locale
    if locale not in LANGUAGES:
        raise ValueError(f"no language '{locale}' (available: {', '.join(LANGUAGES)})")
    _locale = locale
    _translations = _gettext.translation(
        _DOMAIN, localedir=_LOCALE_DIR, languages=[locale], fallback=True
    )


def gettext(message: str) -> str:
    """Translate ``message`` into the current locale (English is the source)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with the plural form that fits ``n``."""
    return _translations.ngettext(singular, plural, n)


_ = gettext


def format_number(value: float, decimals: int = 0) -> str:
    """Format a number for people, per the current locale."""
    if decimals == 0:
        return format_decimal(round(value), format="#,##0", locale=_locale)
    pattern = "#,##0." + "0" * decimals
    return format_decimal(value, format=pattern, locale=_locale)


def format_day(day: date) -> str:
    """Format a date for people, per the current locale."""
    return _format_date(day, format="medium", locale=_locale)


def format_list(items: list[str]) -> str:
    """Join ``items`` as the locale does ("A, B, and C" in English)."""
    return _format_list(items, style="standard", locale=_locale) if items else ""


def current_locale() -> str:
    return _locale
