"""Choosing which published totals answer a period, without double counting.

Published items overlap: a monthly total and the weekly totals inside it, or two news
items reporting the same week. Summing them all would count devices twice. For each
area, totals are taken longest period first, skipping any that overlaps one already
taken. Two totals for the same period and area that agree are one publication seen
twice; two that disagree are both kept in the register and reported as a conflict —
the first stored is used, and the disagreement is shown, never silently merged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from demine.i18n import _

Row = Mapping[str, Any]
FIGURES = ("ap_mines", "at_mines", "uxo", "other_devices", "area_cleared_m2")


@dataclass
class PublishedChoice:
    used: list[Row] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _reference(row: Row) -> str:
    return str(row["source_reference"] or row["external_id"])


def _describe(row: Row) -> str:
    figures = ", ".join(f"{name}={row[name]}" for name in FIGURES if row[name] is not None)
    return f"{_reference(row)} ({figures})"


def choose_published(rows: Sequence[Row]) -> PublishedChoice:
    """The rows to sum (no two overlapping for the same area) and any conflicts found.

    ``rows`` must come in the order they were stored (first stored first).
    """
    choice = PublishedChoice()
    first_of: dict[tuple[Any, Any, Any], Row] = {}
    distinct: list[Row] = []
    for row in rows:
        key = (row["district_id"], row["period_start"], row["period_end"])
        first = first_of.get(key)
        if first is None:
            first_of[key] = row
            distinct.append(row)
        elif any(first[name] != row[name] for name in FIGURES):
            choice.conflicts.append(
                _("{start}..{end}: {first} disagrees with {second}; the first is used").format(
                    start=row["period_start"],
                    end=row["period_end"],
                    first=_describe(first),
                    second=_describe(row),
                )
            )
    ordered = sorted(
        distinct, key=lambda r: (-(r["period_end"] - r["period_start"]).days, r["period_start"])
    )
    for row in ordered:
        overlaps = any(
            taken["district_id"] == row["district_id"]
            and taken["period_start"] <= row["period_end"]
            and row["period_start"] <= taken["period_end"]
            for taken in choice.used
        )
        if not overlaps:
            choice.used.append(row)
    choice.used.sort(key=lambda r: (r["period_start"], r["external_id"]))
    return choice
