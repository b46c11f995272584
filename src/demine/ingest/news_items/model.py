"""What reading a news item gives: figures per reporting period, victims, and evidence.

Every value may be ``None``: the reader leaves a value out, with a warning, rather than
guess. ``evidence`` maps each value that is set to the sentence it was read from, so a
person can check any figure against its source in one look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class ReportKind(StrEnum):
    """What an item, or one report inside it, covers."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    OTHER_PERIOD = "other-period"
    #: Totals up to a date ("since 10 November 2020", "up to now"); only in extra periods.
    CUMULATIVE = "cumulative"
    VICTIMS = "victims"
    #: Several reports in one item: demining results and victim statistics, or two periods.
    MIXED = "mixed"


#: The figures a report can give, in the order they are written out.
FIGURE_FIELDS = ("ap_mines", "at_mines", "uxo", "hectares", "area_sq_m")
VICTIM_FIELDS = (
    "total_since_war",
    "killed_since_war",
    "injured_since_war",
    "total_all_time",
    "children",
    "women",
    "killed_all_time",
)


#: Civilian victims since the war, when stated apart (not in the hand labels).
CIVILIAN_FIELDS = (
    "civilians_since_war",
    "civilians_killed_since_war",
    "civilians_injured_since_war",
)


@dataclass(frozen=True)
class ReportFigures:
    """Demining results for one period: counts by category and the area cleared."""

    kind: ReportKind
    period_start: date | None = None
    period_end: date | None = None
    ap_mines: int | None = None
    at_mines: int | None = None
    uxo: int | None = None
    hectares: float | None = None
    area_sq_m: int | None = None

    @property
    def has_figures(self) -> bool:
        """True when at least one count or area is known."""
        return any(getattr(self, name) is not None for name in FIGURE_FIELDS)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values: ISO dates, numbers or ``null``."""
        return {
            "kind": self.kind.value,
            "period_start": _iso(self.period_start),
            "period_end": _iso(self.period_end),
            **{name: getattr(self, name) for name in FIGURE_FIELDS},
        }


@dataclass(frozen=True)
class VictimFigures:
    """Casualty statistics an item quotes, by the span of time they cover.

    ``*_since_war`` count from the end of the Second Karabakh War (10 November 2020);
    ``*_all_time`` (and ``children``, ``women``) are the national totals since records
    began. Figures for a single year are not recorded here.
    """

    total_since_war: int | None = None
    killed_since_war: int | None = None
    injured_since_war: int | None = None
    total_all_time: int | None = None
    children: int | None = None
    women: int | None = None
    killed_all_time: int | None = None
    #: Civilians among the victims since the war, where the item counts them apart.
    civilians_since_war: int | None = None
    civilians_killed_since_war: int | None = None
    civilians_injured_since_war: int | None = None
    #: The day the figures are stated as of ("as of 1 July 2024", "so far").
    as_of: date | None = None

    def to_json(self) -> dict[str, int | str | None]:
        """Every victims field, ``null`` when the item does not give it, and ``as_of``."""
        names = (*VICTIM_FIELDS, *CIVILIAN_FIELDS)
        counts: dict[str, int | str | None] = {name: getattr(self, name) for name in names}
        return {**counts, "as_of": _iso(self.as_of)}


#: A value a field can take: a count, an area, a date or a district name.
ReadValue = int | float | date | str


@dataclass(frozen=True)
class Candidate:
    """A value the reader saw for a field but did not choose, with where it stands."""

    value: ReadValue
    #: Character offsets ``(start, end)`` into the item's full text (header included).
    span: tuple[int, int]

    def to_json(self) -> dict[str, Any]:
        """``{"value": …, "span": [start, end]}``."""
        return {"value": _plain(self.value), "span": list(self.span)}


@dataclass(frozen=True)
class FieldReading:
    """One field as read: a value with the span it came from, or empty with candidates.

    Keys of :attr:`ParsedNewsItem.readings` name the field as the labels do:
    ``period_start``, ``ap_mines``, ``hectares``, ``districts``, ``victims.children``,
    ``extra_periods[0].hectares`` … A value that is set always has a ``span`` whose text
    contains the value as written; an empty value has a ``reason`` and, when the item
    was ambiguous, the ``candidates`` it left unchosen.
    """

    value: ReadValue | tuple[str, ...] | None
    span: tuple[int, int] | None = None
    #: 0–1: how sure the reader is (1.0 for an unambiguous phrase it knows).
    confidence: float = 0.0
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    #: For a list (districts): where each name of the value is written; ``span`` covers
    #: them all.
    parts: tuple[Candidate, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Value, span, confidence, candidates, reason and parts as plain JSON values."""
        value = self.value
        return {
            "value": list(value) if isinstance(value, tuple) else _plain(value),
            "span": list(self.span) if self.span is not None else None,
            "confidence": self.confidence,
            "candidates": [candidate.to_json() for candidate in self.candidates],
            "reason": self.reason,
            "parts": [part.to_json() for part in self.parts],
        }


@dataclass(frozen=True)
class ParsedNewsItem:
    """One news item read into figures, with the sentences they came from."""

    file: str | None
    kind: ReportKind
    main: ReportFigures
    districts: tuple[str, ...] = ()
    victims: VictimFigures | None = None
    extra_periods: tuple[ReportFigures, ...] = ()
    evidence: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    warnings: tuple[str, ...] = ()
    #: Every field the reader set or abstained on, by the labels' field name.
    readings: Mapping[str, FieldReading] = field(default_factory=lambda: MappingProxyType({}))

    def to_json(self) -> dict[str, Any]:
        """The item as plain JSON values, with the keys the labels and exports use."""
        main = self.main.to_json()
        return {
            "file": self.file,
            "period_start": main["period_start"],
            "period_end": main["period_end"],
            "kind": self.kind.value,
            **{name: main[name] for name in FIGURE_FIELDS},
            "districts": list(self.districts),
            "victims": self.victims.to_json() if self.victims is not None else None,
            "extra_periods": [extra.to_json() for extra in self.extra_periods],
            "evidence": dict(self.evidence),
            "warnings": list(self.warnings),
            "fields": {name: reading.to_json() for name, reading in self.readings.items()},
        }


def _plain(value: ReadValue | None) -> int | float | str | None:
    return value.isoformat() if isinstance(value, date) else value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
