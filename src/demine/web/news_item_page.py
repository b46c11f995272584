"""What the review page of a read news item shows: the text with every figure's span
marked, and a row per field with what the reader read, or why it abstained and the
candidates it left unchosen.

Pure presentation: the template escapes every piece of the text; spans only decide
where a ``<mark>`` starts and ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from demine.domain.news_review import VICTIM_FIELDS, VICTIMS_AS_OF, report_of, shown_value
from demine.i18n import N_, _

#: Labels of a report's fields and the districts, as the form writes them.
_LABELS = {
    "period_start": N_("First day (YYYY-MM-DD)"),
    "period_end": N_("Last day (YYYY-MM-DD)"),
    "ap_mines": N_("Anti-personnel mines"),
    "at_mines": N_("Anti-tank mines"),
    "uxo": N_("Unexploded ordnance"),
    "hectares": N_("Hectares cleared"),
    "area_sq_m": N_("Area cleared (m²)"),
    "districts": N_("Districts of the finds and clearance, separated by ;"),
}
_VICTIM_LABELS = {
    "total_since_war": N_("Victims since the war"),
    "killed_since_war": N_("Killed since the war"),
    "injured_since_war": N_("Injured since the war"),
    "total_all_time": N_("Victims of all time"),
    "children": N_("Children among all victims"),
    "women": N_("Women among all victims"),
    "killed_all_time": N_("Killed of all time"),
    "civilians_since_war": N_("Civilian victims since the war"),
    "civilians_killed_since_war": N_("Civilians killed since the war"),
    "civilians_injured_since_war": N_("Civilians injured since the war"),
    VICTIMS_AS_OF: N_("Victim figures as of (YYYY-MM-DD)"),
}
assert set(_VICTIM_LABELS) == {*VICTIM_FIELDS, VICTIMS_AS_OF}


def field_label(name: str) -> str:
    """A field's label in the reader's language (its name when it has none)."""
    place = report_of(name)
    if place is not None:
        label = _(_LABELS[place[1]])
        if place[0] == 0:
            return label
        return _("Further period {number}: {label}").format(number=place[0], label=label)
    if name in _LABELS:
        return _(_LABELS[name])
    if name.startswith("victims.") and name[8:] in _VICTIM_LABELS:
        return _(_VICTIM_LABELS[name[8:]])
    return name


@dataclass(frozen=True)
class Piece:
    """A stretch of the text: plain, or marked for the fields whose span covers it."""

    text: str
    mark_id: str | None = None
    fields: tuple[str, ...] = ()
    #: Fields this stretch is a candidate of (the reader abstained on them).
    candidate_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    """A candidate value offered as a quick pick."""

    value: str
    mark_id: str | None


@dataclass
class FieldRow:
    """One field of the form."""

    name: str
    label: str
    value: str
    #: The reader gave a value.
    read: bool
    #: The reader saw the field but left it empty (with its reason and candidates).
    abstained: bool
    reason: str = ""
    mark_id: str | None = None
    candidates: list[Choice] = field(default_factory=list)


def _span(value: Any, length: int) -> tuple[int, int] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = int(value[0]), int(value[1])
    return (start, end) if 0 <= start < end <= length else None


def marked_text(
    text: str, readings: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Piece], dict[tuple[int, int], str]]:
    """The text cut where any span starts or ends; each marked piece has an id, and
    each span the id of the first piece it covers."""
    spans: list[tuple[tuple[int, int], str, bool]] = []
    for name, reading in readings.items():
        span = _span(reading.get("span"), len(text))
        if span is not None and reading.get("value") is not None:
            spans.append((span, name, False))
        for candidate in reading.get("candidates") or ():
            span = _span(candidate.get("span"), len(text))
            if span is not None:
                spans.append((span, name, True))
    cuts = sorted({0, len(text), *(edge for span, _n, _c in spans for edge in span)})
    pieces: list[Piece] = []
    first_piece: dict[tuple[int, int], str] = {}
    for start, end in pairwise(cuts):
        covering = [(span, name, is_candidate) for span, name, is_candidate in spans
                    if span[0] <= start and end <= span[1]]  # fmt: skip
        if not covering:
            pieces.append(Piece(text[start:end]))
            continue
        mark_id = f"mark-{len(pieces)}"
        for span, _name, _candidate in covering:
            first_piece.setdefault(span, mark_id)
        pieces.append(
            Piece(
                text[start:end],
                mark_id,
                tuple(sorted({name for _s, name, candidate in covering if not candidate})),
                tuple(sorted({name for _s, name, candidate in covering if candidate})),
            )
        )
    return pieces, first_piece


def field_rows(
    names: Sequence[str],
    readings: Mapping[str, Mapping[str, Any]],
    first_piece: Mapping[tuple[int, int], str],
    text_length: int,
) -> list[FieldRow]:
    """A row per field, filled with what the reader read (empty where it abstained)."""
    rows = []
    for name in names:
        reading = readings.get(name)
        value = None if reading is None else reading.get("value")
        span = _span(reading.get("span"), text_length) if reading else None
        row = FieldRow(
            name=name,
            label=field_label(name),
            value=shown_value(value),
            read=value is not None,
            abstained=reading is not None and value is None,
            reason=str(reading.get("reason") or "") if reading else _("not read"),
            mark_id=first_piece.get(span) if span else None,
        )
        for candidate in (reading or {}).get("candidates") or ():
            where = _span(candidate.get("span"), text_length)
            mark_id = first_piece.get(where) if where else None
            row.candidates.append(Choice(shown_value(candidate.get("value")), mark_id))
        rows.append(row)
    return rows
