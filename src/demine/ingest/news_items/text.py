"""From a stored news item to clean sentences.

Stored items start with ``url:`` and ``published:`` lines; some bodies start with a
`` date YYYY-MM-DD`` stamp added when the page was saved. Bodies carry page clutter
(inline images, bylines, sidebars) and some sites wrap lines in the middle of sentences,
so wrapped lines are joined before the text is cut into sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_URL = re.compile(r"^url:\s*(\S+)\s*$", re.IGNORECASE)
_PUBLISHED = re.compile(r"^published:\s*(\d{4}-\d{2}-\d{2})?\s*$", re.IGNORECASE)
_STAMP = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_IMAGE = re.compile(r"<image>.*?</image>", re.DOTALL | re.IGNORECASE)
_TERMINAL = ".!?…"
# A line ending like this continues on the next line even when that starts in capitals.
_OPEN_END = re.compile(
    r"(?:,|\b(?:of|the|a|an|and|or|in|on|at|from|to|by|for|with|as|than))\s*$", re.IGNORECASE
)
_SPLIT = re.compile(r"(?<=[.!?…])[\"”»’']?\s+(?=[\"“«‘']?[A-ZА-ЯЁƏÖÜĞİŞÇ0-9])")
_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "approx",
        "incl",
        "sq",
        "km",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
    ]
)


@dataclass(frozen=True)
class StoredItem:
    """A news item as stored: where it came from, when it appeared, and its text."""

    url: str | None
    published: date | None
    body: str


def split_header(text: str) -> StoredItem:
    """Separate the ``url:``/``published:`` header and the `` date`` stamp from the body.

    The header's ``published`` wins over the stamp; either may be missing.
    """
    lines = text.splitlines()
    url: str | None = None
    published: date | None = None
    while lines:
        url_match = _URL.match(lines[0])
        published_match = _PUBLISHED.match(lines[0])
        if url_match:
            url = url_match.group(1)
        elif published_match:
            if published_match.group(1):
                published = _iso_day(published_match.group(1))
        else:
            break
        lines.pop(0)
    body = "\n".join(lines).lstrip("\n")
    stamp = _STAMP.match(body)
    if stamp:
        published = published or _iso_day(stamp.group(1))
        body = body[stamp.end() :]
    return StoredItem(url, published, body)


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def sentences(body: str) -> list[str]:
    """The sentences of ``body``, in order, with wrapped lines joined and clutter removed."""
    body = _IMAGE.sub(" ", body).replace("\r", "")
    result: list[str] = []
    for paragraph in re.split(r"\n\s*\n", body):
        for line in _join_wrapped(paragraph.split("\n")):
            result.extend(_split_line(line))
    return result


def _join_wrapped(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if joined and _continues(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str) -> bool:
    if previous[-1] in _TERMINAL:
        return False
    first = line[0]
    return first.islower() or first.isdigit() or bool(_OPEN_END.search(previous))


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SPLIT.finditer(line):
        before = line[start : match.start()].rstrip("\"”»’'")
        last_word = re.findall(r"[\w]+\.?$", before)
        if last_word and last_word[0].rstrip(".").lower() in _ABBREVIATIONS:
            continue
        if last_word and re.fullmatch(r"[A-Z]\.", last_word[0]):
            continue  # an initial: "H. Aliyev"
        parts.append(line[start : match.start()].strip())
        start = match.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]
