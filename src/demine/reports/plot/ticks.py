"""Where an axis's ticks go and how a value maps to a position: matplotlib's defaults
(``MaxNLocator`` with steps 1, 2, 2.5, 5, 10 and 5 % margins), so that a chart drawn
here has the ticks the same chart drawn by matplotlib had."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

#: Nice steps, from a tenth to ten times a power of ten.
_STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0)
#: The most tick intervals an axis gets, however long.
_MOST_BINS = 9
#: Share of the data's range added on each side of an axis (matplotlib's margins).
MARGIN = 0.05


def tick_bins(length_pt: float, label_size_pt: float, *, horizontal: bool) -> int:
    """How many tick intervals fit an axis ``length_pt`` long: a label needs three
    times its size across an axis, twice its size up one."""
    space = math.floor(length_pt / (label_size_pt * (3 if horizontal else 2)))
    return max(1, min(_MOST_BINS, space))


def nice_ticks(low: float, high: float, bins: int) -> list[float]:
    """Ticks at a nice step inside ``[low, high]``: the smallest step giving at most
    ``bins`` intervals, smaller if it leaves fewer than two ticks inside."""
    if high - low <= 0:
        low, high = low - 1, high + 1
    middle = (high + low) / 2
    spread = high - low
    offset = 0.0
    if abs(middle) / spread >= 100:
        offset = math.copysign(10 ** (math.log10(abs(middle)) // 1), middle)
    scale = 10 ** (math.log10(spread / bins) // 1)
    first, last = low - offset, high - offset
    steps = [step * scale for step in _STEPS]
    raw = (last - first) / bins
    largest = next((i for i, step in enumerate(steps) if step >= raw), len(steps) - 1)
    inside: list[float] = []
    for step in reversed(steps[: largest + 1]):
        start = (first // step) * step
        low_n = _multiples_below(first - start, step)
        high_n = _multiples_above(last - start, step)
        ticks = [n * step + start for n in range(int(low_n), int(high_n) + 1)]
        inside = [t + offset for t in ticks if first - 1e-10 * step <= t <= last + 1e-10 * step]
        if len(inside) >= 2:
            break
    return [round(t, 12) for t in inside]


def _multiples_below(x: float, step: float) -> float:
    whole, rest = divmod(x, step)
    return whole + 1 if abs(rest / step - 1) < 1e-10 else whole


def _multiples_above(x: float, step: float) -> float:
    whole, rest = divmod(x, step)
    return whole if abs(rest / step) < 1e-10 else whole + 1


def data_range(
    values: Iterable[float], *, sticky_low: float | None = None, margin: float = MARGIN
) -> tuple[float, float]:
    """The axis range showing ``values`` with ``margin`` on each side, except a side
    at ``sticky_low`` (a bar's or an area's base), which the axis starts at exactly."""
    shown = list(values)
    if sticky_low is not None:
        shown.append(sticky_low)
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    if high == low:
        low, high = low - 0.05 * abs(low or 1), high + 0.05 * abs(high or 1)
    pad = (high - low) * margin
    start = low - pad
    if sticky_low is not None and low >= sticky_low > start:
        start = sticky_low
    return start, high + pad


@dataclass(frozen=True)
class Scale:
    """A linear map from data ``[low, high]`` to positions ``[start, end]`` (points)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)
