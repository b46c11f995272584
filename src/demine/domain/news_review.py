"""Reviewing a read news item: the fields a reviewer confirms, their values, and how
the reader's readings compare with the values approved.

Field names are the labels' (``period_start``, ``hectares``, ``districts``,
``extra_periods[0].uxo``, ``victims.children`` …). A value is kept as plain JSON: an
ISO date, a count, hectares, a list of district names, or ``None`` when the item does
not give it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from demine.domain.bounds import integer_problem
from demine.i18n import _

#: The fields of one report (the item's own period, or one of its extra periods).
REPORT_FIELDS = ("period_start", "period_end", "ap_mines", "at_mines", "uxo", "hectares",
                 "area_sq_m")  # fmt: skip
#: The item's own report and the districts its finds and clearance are assigned to.
MAIN_FIELDS = (*REPORT_FIELDS, "districts")
VICTIM_FIELDS = ("total_since_war", "killed_since_war", "injured_since_war", "total_all_time",
                 "children", "women", "killed_all_time", "civilians_since_war",
                 "civilians_killed_since_war", "civilians_injured_since_war")  # fmt: skip
#: The day the victim figures are stated as of.
VICTIMS_AS_OF = "as_of"
#: Fields holding a count.
COUNT_FIELDS = frozenset({"ap_mines", "at_mines", "uxo", "area_sq_m", *VICTIM_FIELDS})
_EXTRA = re.compile(r"^extra_periods\[(\d+)\]\.(\w+)$")
#: Hectares read and approved within this are the same figure (a printed 0.05 ha).
_HECTARE_TOLERANCE = 0.005

JsonValue = int | float | str | list[str] | None


class Outcome(StrEnum):
    """How the reader did on one field, against the approved value."""

    RIGHT = "right"
    WRONG = "wrong"
    ABSTAINED = "abstained"


def extra_field(index: int, name: str) -> str:
    """``extra_periods[index].name``."""
    return f"extra_periods[{index}].{name}"


def report_of(name: str) -> tuple[int, str] | None:
    """Which report a field belongs to (0: the item's own, n: extra period n-1) and the
    field's name in it; None for districts and victims."""
    if name in REPORT_FIELDS:
        return 0, name
    match = _EXTRA.match(name)
    if match is not None and match.group(2) in REPORT_FIELDS:
        return int(match.group(1)) + 1, match.group(2)
    return None


def family(name: str) -> str:
    """The field's family for counting: ``extra_periods[2].uxo`` is ``extra_periods[].uxo``."""
    return _EXTRA.sub(r"extra_periods[].\2", name)


def review_fields(names: Iterable[str], extra_periods: int, victims: bool) -> list[str]:
    """The fields a reviewer confirms, in the form's order: the item's own report and
    districts, each extra period's report, the victims (when the item has any), then any
    other field the reader read."""
    ordered = [*MAIN_FIELDS]
    for index in range(extra_periods):
        ordered.extend(extra_field(index, name) for name in REPORT_FIELDS)
    if victims:
        ordered.extend(f"victims.{name}" for name in (*VICTIM_FIELDS, VICTIMS_AS_OF))
    return [*ordered, *sorted(set(names) - set(ordered))]


def _base(name: str) -> str:
    return name.rpartition(".")[2]


def parse_value(name: str, text: str) -> JsonValue:
    """The value a reviewer wrote for field ``name`` (empty: the item does not give it).

    Raises ``ValueError`` with the reason in words.
    """
    text = text.strip()
    if not text:
        return None
    base = _base(name)
    if base in ("period_start", "period_end", VICTIMS_AS_OF):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(_("'{text}' is not a date (YYYY-MM-DD)").format(text=text)) from None
    if base == "districts":
        return [part.strip() for part in text.split(";") if part.strip()]
    if base == "hectares":
        try:
            hectares = float(text)
        except ValueError:
            raise ValueError(
                _("'{text}' is not a number (write decimals with a point)").format(text=text)
            ) from None
        if not math.isfinite(hectares) or hectares < 0:
            raise ValueError(_("'{text}' is not a number of hectares").format(text=text))
        return hectares
    if base not in COUNT_FIELDS:
        return text  # a field of the reader's this form does not know: kept as written
    if not re.fullmatch(r"\d+", text):
        raise ValueError(_("'{text}' is not a whole number").format(text=text))
    problem = integer_problem(int(text))
    if problem is not None:
        raise ValueError(problem)
    return int(text)


def shown_value(value: Any) -> str:
    """A value as the review form writes it (``;`` between districts)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(part) for part in value)
    return str(value)


def same_value(read: Any, approved: Any) -> bool:
    """Whether the reader's value is the approved one (districts in any order and case)."""
    if isinstance(read, list | tuple) or isinstance(approved, list | tuple):
        return {str(v).casefold() for v in read or ()} == {
            str(v).casefold() for v in approved or ()
        }
    if isinstance(read, int | float) and isinstance(approved, int | float):
        return abs(float(read) - float(approved)) <= _HECTARE_TOLERANCE
    return bool(read == approved)


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ()


def outcome(read: Any, approved: Any, *, read_on: bool = False) -> Outcome | None:
    """Right, wrong or abstained; None when the reader did not read the field
    (``read_on`` false) and the reviewer gave it no value either."""
    if _empty(read):
        return Outcome.ABSTAINED if read_on or not _empty(approved) else None
    return Outcome.RIGHT if same_value(read, approved) else Outcome.WRONG


@dataclass
class FieldTally:
    """One field family's counts over the reviewed items."""

    right: int = 0
    wrong: int = 0
    abstained: int = 0
    #: Abstentions the reviewer completed with a value (counted in ``abstained`` too).
    filled_in: int = 0
    #: Wrong values' (item, field, read, approved), so a reader's mistake can be found.
    mistakes: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "right": self.right,
            "wrong": self.wrong,
            "abstained": self.abstained,
            "filled_in": self.filled_in,
            "mistakes": [
                {"item": item, "field": name, "read": read, "approved": approved}
                for item, name, read, approved in self.mistakes
            ],
        }


@dataclass(frozen=True)
class ReviewedReading:
    """One approved item: the values the reader read and the values approved."""

    item: str
    read: Mapping[str, Any]
    approved: Mapping[str, Any]


def reader_accuracy(items: Sequence[ReviewedReading]) -> dict[str, FieldTally]:
    """Right / wrong / abstained counts per field family, against the approved values.

    A field the reader left empty (or did not read) that the reviewer filled in is
    abstained and filled in; a value the reviewer emptied is wrong.
    """
    tallies: dict[str, FieldTally] = {}
    for item in items:
        for name in sorted({*item.read, *item.approved}):
            approved = item.approved.get(name)
            result = outcome(item.read.get(name), approved, read_on=name in item.read)
            if result is None:
                continue
            tally = tallies.setdefault(family(name), FieldTally())
            setattr(tally, result.value, getattr(tally, result.value) + 1)
            if result is Outcome.ABSTAINED and not _empty(approved):
                tally.filled_in += 1
            if result is Outcome.WRONG:
                tally.mistakes.append(
                    (item.item, name, item.read.get(name), item.approved.get(name))
                )
    return dict(sorted(tallies.items()))
