"""Small-count suppression for published tables (statistical disclosure control).

Victim data are health data: a public table must not let a reader single out a person.
A count of 1 to ``threshold - 1`` is shown as ``"<threshold"`` (primary suppression).
Totals stay exact, so a line (a row or column whose total is shown) with exactly one
hidden cell would let a reader recompute it from the total and the other cells; the
smallest other cell of that line is hidden too (complementary suppression), repeated
until no line has a single hidden cell. A complement is shown as ``"<threshold"`` when
that is true of it, and otherwise as ``"withheld"`` (never as a false ``<5``). Zero
cells are shown: they describe no one, and may be hidden only as complements.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

#: Counts below this (and above zero) are hidden in public outputs, unless told otherwise.
DEFAULT_THRESHOLD = 5

#: A published cell: the count, or ``"<threshold"`` / :data:`WITHHELD` when hidden.
Cell = int | str
#: How a hidden complementary cell of ``threshold`` or more reads.
WITHHELD = "withheld"

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def hidden(threshold: int) -> str:
    """How a hidden count reads: ``<5``."""
    return f"<{threshold}"


def _shown_as(value: int, threshold: int) -> str:
    return hidden(threshold) if value < threshold else WITHHELD


def is_small(value: int, threshold: int) -> bool:
    """True for a count that would single people out (1 to ``threshold - 1``)."""
    return 0 < value < threshold


def suppressed_keys(
    values: Mapping[K, int], lines: Iterable[Sequence[K]], threshold: int
) -> set[K]:
    """The cells to hide: small ones, plus complements so that no line has only one."""
    chosen = {key for key, value in values.items() if is_small(value, threshold)}
    lines = [list(line) for line in lines]
    changed = bool(chosen)
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in chosen) != 1:
                continue
            others = [key for key in line if key not in chosen]
            if not others:
                continue
            # The smallest other cell: hiding it costs readers the least.
            complement = min(others, key=lambda key: values[key])
            chosen.add(complement)
            changed = True
    return chosen


def suppress_breakdown(values: Mapping[K, int], threshold: int) -> dict[K, Cell]:
    """A one-way breakdown (its cells add up to a shown total), with small cells hidden."""
    keys = list(values)
    chosen = suppressed_keys(values, [keys], threshold)
    return {
        key: _shown_as(values[key], threshold) if key in chosen else values[key] for key in keys
    }


def suppress_table(rows: Mapping[R, Mapping[C, int]], threshold: int) -> dict[R, dict[C, Cell]]:
    """A two-way table whose row and column totals are shown, with small cells hidden."""
    columns: list[C] = []
    for row in rows.values():
        columns.extend(column for column in row if column not in columns)
    values = {(r, c): row.get(c, 0) for r, row in rows.items() for c in columns}
    lines = [[(r, c) for c in columns] for r in rows]
    lines += [[(r, c) for r in rows] for c in columns]
    chosen = suppressed_keys(values, lines, threshold)
    return {
        r: {
            c: _shown_as(values[(r, c)], threshold) if (r, c) in chosen else values[(r, c)]
            for c in columns
        }
        for r in rows
    }


def suppress_count(value: int | None, threshold: int) -> Cell | None:
    """A single count of a subset of people (children, women, killed…), hidden when small."""
    if value is None:
        return None
    return hidden(threshold) if is_small(value, threshold) else value


def is_hidden(cell: Cell | None) -> bool:
    return isinstance(cell, str)
