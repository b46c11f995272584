"""Matching place names across spellings (Xankəndi, Khankandi, Khankendi…)."""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans({"ə": "a", "Ə": "a", "ı": "i", "İ": "i"})


def name_key(name: str) -> str:
    """A spelling-insensitive key: lower case, no accents, letters and digits only.

    ``Xankəndi`` and ``xankandi`` share a key; transliterations that change letters
    (``Khankendi``) are matched through stored aliases, not guessed. Letters of any
    script are kept (``Ханкенди`` is a name, not an empty key).
    """
    text = name.translate(_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]", "", text.casefold())
