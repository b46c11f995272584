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

from demine.ingest.news_items.numbers import decimal_mark

_URL = re.compile(r"^url:\s*(\S+)\s*$", re.IGNORECASE)
_PUBLISHED = re.compile(r"^published:\s*(\d{4}-\d{2}-\d{2})?\s*$", re.IGNORECASE)
_STAMP = re.compile(r"\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
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


class Sentence(str):
    """A sentence as read (wrapped lines joined, spaces collapsed) that knows where it stands.

    ``offsets[i]`` is the position in the item's full text of the sentence's ``i``-th
    character, so a match in the sentence maps back to the text a reviewer sees.
    """

    offsets: tuple[int, ...]
    #: The decimal mark of the item's language (see :func:`numbers.decimal_mark`).
    decimal_mark: str | None

    def __new__(
        cls, text: str, offsets: tuple[int, ...], decimal_mark: str | None = None
    ) -> Sentence:
        sentence = super().__new__(cls, text)
        sentence.offsets = offsets
        sentence.decimal_mark = decimal_mark
        return sentence


def span_of(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The full-text span of ``sentence[start:end]`` (the same offsets for a plain string)."""
    if isinstance(sentence, Sentence) and end > start:
        return sentence.offsets[start], sentence.offsets[end - 1] + 1
    return start, end


def whole_span(sentence: str) -> tuple[int, int]:
    """The full-text span of the whole sentence."""
    return span_of(sentence, 0, len(sentence))


@dataclass(frozen=True)
class StoredItem:
    """A news item as stored: where it came from, when it appeared, and its text."""

    url: str | None
    published: date | None
    body: str
    #: Where ``body`` starts in the text that was read (after the header lines).
    body_offset: int = 0


def split_header(text: str) -> StoredItem:
    """Separate the ``url:``/``published:`` header and the `` date`` stamp from the body.

    The header's ``published`` wins over the stamp; either may be missing.
    """
    url: str | None = None
    published: date | None = None
    position = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        url_match = _URL.match(content)
        published_match = _PUBLISHED.match(content)
        if url_match:
            url = url_match.group(1)
        elif published_match:
            if published_match.group(1):
                published = _iso_day(published_match.group(1))
        else:
            break
        position += len(line)
    while position < len(text) and text[position] in "\r\n":
        position += 1
    stamp = _STAMP.match(text, position)
    if stamp:
        published = published or _iso_day(stamp.group(1))
        position = stamp.end()
    return StoredItem(url, published, text[position:], position)


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def sentences(body: str, offset: int = 0) -> list[Sentence]:
    """The sentences of ``body``, in order, with wrapped lines joined and clutter removed.

    ``offset`` is where ``body`` starts in the full text: each sentence's offsets count
    from the start of that text.
    """
    # Clutter is blanked, not cut, so that positions in the body stay those of the text.
    body = _IMAGE.sub(lambda match: " " * len(match.group(0)), body)
    result: list[Sentence] = []
    for paragraph in re.finditer(r"(?:[^\n]|\n(?![ \t\r]*\n))+", body):
        lines = [
            _collapse(line.group(0), offset + paragraph.start() + line.start())
            for line in re.finditer(r"[^\n]+", paragraph.group(0))
        ]
        for line in _join_wrapped([line for line in lines if line]):
            result.extend(_split_line(line))
    # The item's language decides "1,141" and "1.141", also in a sentence without cues.
    mark = decimal_mark(body)
    return [Sentence(sentence, sentence.offsets, mark) for sentence in result]


def _collapse(raw: str, offset: int) -> Sentence:
    """``raw`` with runs of spaces made one space and the ends trimmed."""
    text: list[str] = []
    offsets: list[int] = []
    for word in re.finditer(r"\S+", raw):
        if text:
            text.append(" ")
            offsets.append(offsets[-1] + 1)
        text.append(word.group(0))
        offsets.extend(range(offset + word.start(), offset + word.end()))
    return Sentence("".join(text), tuple(offsets))


def _concat(first: Sentence, second: Sentence) -> Sentence:
    joined = (*first.offsets, first.offsets[-1] + 1, *second.offsets)
    return Sentence(f"{first} {second}", joined)


def _slice(line: Sentence, start: int, end: int) -> Sentence:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return Sentence(line[start:end], line.offsets[start:end])


def _join_wrapped(lines: list[Sentence]) -> list[Sentence]:
    joined: list[Sentence] = []
    for line in lines:
        if joined and _continues(joined[-1], line):
            joined[-1] = _concat(joined[-1], line)
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str) -> bool:
    if previous[-1] in _TERMINAL:
        return False
    first = line[0]
    return first.islower() or first.isdigit() or bool(_OPEN_END.search(previous))


def _split_line(line: Sentence) -> list[Sentence]:
    parts: list[Sentence] = []
    start = 0
    for match in _SPLIT.finditer(line):
        before = line[start : match.start()].rstrip("\"”»’'")
        last_word = re.findall(r"[\w]+\.?$", before)
        if last_word and last_word[0].rstrip(".").lower() in _ABBREVIATIONS:
            continue
        if last_word and re.fullmatch(r"[A-Z]\.", last_word[0]):
            continue  # an initial: "H. Aliyev"
        parts.append(_slice(line, start, match.start()))
        start = match.end()
    parts.append(_slice(line, start, len(line)))
    return [p for p in parts if p]
