"""How many risk education sessions were held in a period and whom they reached.

Only live sessions count (the reader applies it); a session counts in the period of the
day it was held. Beneficiaries are girls, boys, women and men (their sum); persons with
disabilities are among them, not a further group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from demine.domain.eore import BENEFICIARY_GROUPS
from demine.store.reader import RecordFilter, RegisterReader

KIND = "eore-sessions"
#: The summed columns, in the order :class:`Reach` holds them.
SUMMED = (*BENEFICIARY_GROUPS, "persons_with_disabilities")


@dataclass(frozen=True)
class Reach:
    """Sessions held and beneficiaries reached."""

    sessions: int = 0
    girls: int = 0
    boys: int = 0
    women: int = 0
    men: int = 0
    persons_with_disabilities: int = 0

    @property
    def beneficiaries(self) -> int:
        return self.girls + self.boys + self.women + self.men

    def __add__(self, other: Reach) -> Reach:
        return Reach(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Reach)))

    def to_json(self) -> dict[str, int]:
        return {
            "sessions": self.sessions,
            "beneficiaries": self.beneficiaries,
            **{name: getattr(self, name) for name in SUMMED},
        }


def _reach(count: Any, sums: tuple[Any, ...]) -> Reach:
    return Reach(int(count), *(int(value or 0) for value in sums))


def reach_by(
    reader: RegisterReader,
    start: date,
    end: date,
    by: str,
    district_id: int | None = None,
) -> dict[Any, Reach]:
    """The reach of the sessions held from ``start`` to ``end``, by the stored column
    ``by`` (``district_id``, ``method``, ``target_group``…)."""
    where = RecordFilter(district_id=district_id, start=start, end=end)
    rows = reader.grouped(KIND, (by,), SUMMED, where)
    return {key: _reach(count, tuple(sums)) for key, count, *sums in rows}


def reach(reader: RegisterReader, start: date, end: date, district_id: int | None = None) -> Reach:
    """The reach of every session held from ``start`` to ``end`` (in one district)."""
    return sum(reach_by(reader, start, end, "country", district_id).values(), Reach())


def reach_by_district(
    reader: RegisterReader, start: date, end: date, code_of: Mapping[int, str]
) -> dict[str, Reach]:
    """The reach of the sessions held from ``start`` to ``end`` by district code
    (``code_of``: district row id → code)."""
    by_id = reach_by(reader, start, end, "district_id")
    return {code_of[key]: value for key, value in by_id.items()}
