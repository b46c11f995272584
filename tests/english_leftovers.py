"""Find English left in a text meant for another language.

The vocabulary is every English word of the catalogue's source strings (the words Demine
itself writes), less the words the translations keep as they are (ANAMA, GeoJSON, OGC …)
and a few that are the same in every language. A translated page or bulletin that still
contains one of them has a string that was never translated or never went through the
catalogue.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "demine" / "locale"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|<[^>]*>|`[^`]*`|--[a-z-]+|[A-Z_]{3,}=?")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text)) if len(w) >= 3}


@cache
def english_vocabulary(language: str) -> frozenset[str]:
    with (LOCALE_DIR / "demine.pot").open("rb") as stream:
        template = read_po(stream)
    with (LOCALE_DIR / language / "LC_MESSAGES" / "demine.po").open("rb") as stream:
        catalogue = read_po(stream, locale=language)
    english: set[str] = set()
    for message in template:
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            english |= _words(source)
    kept: set[str] = set()
    for message in catalogue:
        for translation in (
            message.string if isinstance(message.string, tuple) else (message.string,)
        ):
            kept |= _words(translation or "")
    return frozenset(english - kept)


def english_leftovers(text: str, language: str) -> list[str]:
    """The English words of Demine's catalogue found in ``text`` (sorted, each once).

    Words in capitals are codes and keywords (WKT's POLYGON, AP_MINE), not prose."""
    vocabulary = english_vocabulary(language)
    words = {w.lower() for w in _WORD.findall(text) if not w.isupper()}
    return sorted(words & vocabulary)
