"""What the disclosure rule works on: the counts of one period and the sums linking them.

A :class:`LinkedCounts` holds every count that any public output of a period shows
(and a few that none shows but that a reader can still reason about, such as the
victims of each sex *and* age group behind the count of women), with every sum a reader
can write between them (:class:`Sum`: a total and the parts it adds up to). The same
count shown by two outputs is one key here, so it is hidden in both or in neither.
A :class:`Protection` is the outcome: which counts are hidden, and how each one reads.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from demine.errors import InvalidRequestError
from demine.i18n import _

Key = Hashable
#: A published count: the number, or how a hidden one reads (``"<5"`` or :data:`WITHHELD`).
Cell = int | str

#: Counts below this (and above zero) are hidden in public outputs, unless told otherwise.
DEFAULT_THRESHOLD = 5
#: How a hidden count of ``threshold`` or more reads.
WITHHELD = "withheld"


def hidden(threshold: int) -> str:
    """How a hidden count below the threshold reads: ``<5``."""
    return f"<{threshold}"


def is_hidden(cell: Cell | None) -> bool:
    return isinstance(cell, str)


def check_threshold(threshold: int) -> None:
    """Refuse a threshold that would hide nothing while claiming to (``<2`` can only be 1)."""
    if threshold < 1 or threshold == 2:
        raise InvalidRequestError(
            _("the suppression threshold must be 1 (nothing hidden) or 3 or more, not "
              "{threshold}: '<2' could only mean 1").format(threshold=threshold)
        )  # fmt: skip


@dataclass(frozen=True)
class Sum:
    """``total = sum(parts)``: a relation a reader of the published counts can use."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass
class LinkedCounts:
    """The counts of one period that public outputs show, and the sums between them."""

    values: dict[Key, int] = field(default_factory=dict)
    sums: list[Sum] = field(default_factory=list)
    #: Counts no output shows, kept because sums go through them (always hidden).
    unpublished: set[Key] = field(default_factory=set)
    #: Counts shown even when small (national totals); hidden only if nothing else can be.
    exact: set[Key] = field(default_factory=set)
    #: Counts never hidden: published by someone else (a baseline), describing no record.
    fixed: set[Key] = field(default_factory=set)

    def count(
        self,
        key: Key,
        value: int,
        *,
        published: bool = True,
        exact: bool = False,
        fixed: bool = False,
    ) -> Key:
        """Add (or confirm) a count; the same key given twice must have the same value."""
        if value < 0:
            raise ValueError(f"{key!r}: a count cannot be negative ({value})")
        if self.values.setdefault(key, value) != value:
            raise ValueError(f"{key!r} is {self.values[key]} and {value}")
        if not published:
            self.unpublished.add(key)
        if exact:
            self.exact.add(key)
        if fixed:
            self.fixed.add(key)
        return key

    def add_sum(self, total: Key, parts: Iterable[Key]) -> None:
        """Record that ``total`` is the sum of ``parts`` (all already counted)."""
        relation = Sum(total, tuple(parts))
        missing = [key for key in relation.members if key not in self.values]
        if missing:
            raise ValueError(f"not counted: {missing!r}")
        added = sum(self.values[key] for key in relation.parts)
        if added != self.values[total]:
            raise ValueError(f"{total!r} is {self.values[total]}, its parts add up to {added}")
        self.sums.append(relation)


@dataclass(frozen=True)
class Protection:
    """The counts to hide and how every count reads (see :func:`.rule.protect`)."""

    threshold: int
    values: Mapping[Key, int]
    #: Hidden for being small (1 to threshold - 1).
    primary: frozenset[Key]
    #: Hidden so that no hidden count can be worked out (complementary suppression).
    secondary: frozenset[Key]

    def is_hidden(self, key: Key) -> bool:
        return key in self.primary or key in self.secondary

    def cell(self, key: Key) -> Cell:
        """The count as published: the number, ``"<threshold"`` or ``"withheld"``.

        A hidden count reads ``<threshold`` when it is below the threshold (a zero hidden
        to protect another reads so too, truly) and ``withheld`` otherwise.
        """
        value = self.values[key]
        if not self.is_hidden(key):
            return value
        return hidden(self.threshold) if value < self.threshold else WITHHELD
