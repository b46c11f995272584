"""Columns of import files: what each holds, how it is read and how it is written back.

One :class:`FieldSpec` per column drives validation, the template files
(``demine template KIND``), the documentation and the exports, so that an exported file
imports again unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from demine.domain.dates import EventDate, parse_day, parse_event_date
from demine.domain.names import name_key
from demine.domain.places import PlaceIndex
from demine.domain.rules import RegisterLookup
from demine.domain.vocab import AdminLevel, parse_code
from demine.i18n import _


@dataclass
class ParseContext:
    """What reading a row needs to know: the country, its places and known records."""

    country: str
    places: PlaceIndex
    organisations: dict[str, str] = field(default_factory=dict)  # name key -> code
    hazards: set[str] = field(default_factory=set)
    activities: set[str] = field(default_factory=set)
    accidents: set[str] = field(default_factory=set)
    victims: set[str] = field(default_factory=set)
    minefield_records: set[str] = field(default_factory=set)
    #: The register that rules needing other records ask (None: those rules are not run).
    register: RegisterLookup | None = None
    #: Keys of the stored records of every kind others refer to, by kind name.
    known: dict[str, set[str]] = field(default_factory=dict)


Parser = Callable[[Any, ParseContext], Any]
Formatter = Callable[[Any], Any]


@dataclass(frozen=True)
class FieldSpec:
    """One column of an import file."""

    name: str
    parse: Parser
    help: str
    example: str
    required: bool = False
    format: Formatter = lambda value: value


def text(value: Any, _context: ParseContext) -> str:
    return str(value).strip()


def integer(value: Any, _context: ParseContext) -> int:
    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not a whole number").format(value=value))
    if isinstance(value, int):
        return value
    try:
        as_float = value if isinstance(value, float) else float(str(value).strip())
    except ValueError:
        raise ValueError(_("'{value}' is not a whole number").format(value=value)) from None
    if math.isnan(as_float) or math.isinf(as_float) or as_float != int(as_float):
        raise ValueError(_("'{value}' is not a whole number").format(value=value))
    return int(as_float)


def number(value: Any, _context: ParseContext) -> float:
    if isinstance(value, bool):
        raise ValueError(_("'{value}' is not a number").format(value=value))
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            _("'{value}' is not a number (use . for decimals)").format(value=value)
        ) from None
    if math.isnan(result) or math.isinf(result):
        raise ValueError(_("'{value}' is not a number").format(value=value))
    return result


def day(value: Any, _context: ParseContext) -> date:
    return parse_day(value)


def event_date(value: Any, _context: ParseContext) -> EventDate:
    return parse_event_date(value)


def boolean(value: Any, _context: ParseContext) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().casefold()
    if key in {"true", "yes", "y", "1", "t"}:
        return True
    if key in {"false", "no", "n", "0", "f"}:
        return False
    raise ValueError(_("'{value}' is not yes/no (use true or false)").format(value=value))


def code_of(vocabulary: type[StrEnum]) -> Parser:
    def parse(value: Any, _context: ParseContext) -> StrEnum:
        return parse_code(vocabulary, str(value))

    return parse


def codes_of(vocabulary: type[StrEnum]) -> Parser:
    def parse(value: Any, _context: ParseContext) -> tuple[StrEnum, ...]:
        parts = [p for p in str(value).replace(",", ";").split(";") if p.strip()]
        return tuple(parse_code(vocabulary, p) for p in parts)

    return parse


def district(value: Any, context: ParseContext) -> str:
    return context.places.resolve(str(value), AdminLevel.DISTRICT)


def districts(value: Any, context: ParseContext) -> tuple[str, ...]:
    names = [p.strip() for p in str(value).split(";") if p.strip()]
    return tuple(context.places.resolve(name, AdminLevel.DISTRICT) for name in names)


def format_list(values: Any) -> str | None:
    return ";".join(values) if values else None


def settlement(value: Any, context: ParseContext) -> str:
    return context.places.resolve(str(value), AdminLevel.SETTLEMENT)


def organisation(value: Any, context: ParseContext) -> str:
    code = context.organisations.get(name_key(str(value)))
    if code is None:
        raise ValueError(
            _("unknown organisation '{value}' (import organisations first)").format(value=value)
        )
    return code


def hazard(value: Any, context: ParseContext) -> str:
    key = str(value).strip()
    if key not in context.hazards:
        raise ValueError(_("unknown hazard area '{key}'").format(key=key))
    return key


def activity(value: Any, context: ParseContext) -> str:
    key = str(value).strip()
    if key not in context.activities:
        raise ValueError(_("unknown activity '{key}'").format(key=key))
    return key


def accident(value: Any, context: ParseContext) -> str:
    key = str(value).strip()
    if key not in context.accidents:
        raise ValueError(_("unknown accident '{key}'").format(key=key))
    return key


def victim(value: Any, context: ParseContext) -> str:
    key = str(value).strip()
    if key not in context.victims:
        raise ValueError(_("unknown victim '{key}'").format(key=key))
    return key


def minefield_record(value: Any, context: ParseContext) -> str:
    key = str(value).strip()
    if key not in context.minefield_records:
        raise ValueError(
            _("unknown minefield record '{key}' (import minefield-records first)").format(key=key)
        )
    return key


def record_of(kind: str) -> Parser:
    """Reads the key of a stored ``kind`` record (any kind without a reader of its own)."""

    def parse(value: Any, context: ParseContext) -> str:
        key = str(value).strip()
        if key not in context.known.get(kind, set()):
            raise ValueError(
                _("unknown {kind} record '{key}' (import {kind} first)").format(kind=kind, key=key)
            )
        return key

    return parse


def format_code(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


def format_codes(values: Any) -> str | None:
    return ";".join(v.value for v in values) if values else None


def format_day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def format_bool(value: Any) -> str | None:
    return None if value is None else ("true" if value else "false")
