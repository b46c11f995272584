"""Classes for a choropleth map: natural breaks over the positive values, zero apart.

A map of a week's figures by district has few values (one per district), often several
zeros and a long tail. Quantiles would put equal values in different classes and leave
classes empty; natural breaks (Fisher's exact optimisation of Jenks' method) group the
values that lie close together and never split equal ones. Zero is a class of its own
("none"), told apart from a district with no data at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: As many classes as a reader tells apart on a sequential palette.
DEFAULT_CLASSES = 5


@dataclass(frozen=True)
class ValueClass:
    """The values from ``lowest`` to ``highest`` (both held by some district)."""

    lowest: float
    highest: float

    def holds(self, value: float) -> bool:
        return self.lowest <= value <= self.highest


def _squared_deviation(sums: list[float], squares: list[float], start: int, end: int) -> float:
    """The sum of squared deviations from their mean of the sorted values[start:end]."""
    count = end - start
    total = sums[end] - sums[start]
    return squares[end] - squares[start] - total * total / count


def natural_breaks(values: Sequence[float], classes: int = DEFAULT_CLASSES) -> list[ValueClass]:
    """At most ``classes`` classes of the positive ``values`` (zeros and negatives left
    out), lowest first, minimising the spread inside each class; equal values always
    share a class, so there are never more classes than distinct values."""
    if classes < 1:
        raise ValueError(f"a map needs at least one class, not {classes}")
    data = sorted(value for value in values if value > 0)
    if not data:
        return []
    count = min(classes, len(set(data)))
    size = len(data)
    sums, squares = [0.0], [0.0]
    for value in data:
        sums.append(sums[-1] + value)
        squares.append(squares[-1] + value * value)
    # A class may start at i only where the value changes, so equal values stay together.
    starts = [i for i in range(1, size) if data[i - 1] < data[i]]
    infinite = float("inf")
    # cost[c][j]: the least spread of the first j values in c + 1 classes; start[c][j]
    # the first value of the last of those classes.
    cost = [[infinite] * (size + 1) for _ in range(count)]
    start = [[0] * (size + 1) for _ in range(count)]
    ends = [*starts, size]
    for j in ends:
        cost[0][j] = _squared_deviation(sums, squares, 0, j)
    for c in range(1, count):
        for j in ends:
            for i in starts:
                if i >= j or cost[c - 1][i] == infinite:
                    continue
                spread = cost[c - 1][i] + _squared_deviation(sums, squares, i, j)
                if spread < cost[c][j]:
                    cost[c][j], start[c][j] = spread, i
    bounds: list[ValueClass] = []
    end = size
    for c in range(count - 1, -1, -1):
        first = start[c][end] if c else 0
        bounds.append(ValueClass(data[first], data[end - 1]))
        end = first
    return bounds[::-1]


def class_of(value: float, classes: Sequence[ValueClass]) -> int | None:
    """The index of the class holding ``value``, None for zero (or less)."""
    if value <= 0:
        return None
    for index, value_class in enumerate(classes):
        if value_class.holds(value):
            return index
    raise ValueError(f"{value} is in none of the classes")
