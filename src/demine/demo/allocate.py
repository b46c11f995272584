"""Splitting whole numbers into parts that add up exactly (no floating-point drift)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def split_integer(total: int, weights: Sequence[float] | np.ndarray) -> list[int]:
    """``total`` split in proportion to ``weights`` by largest remainder; sums exactly.

    Ties go to the earlier part, so the result depends only on the inputs.
    """
    if total < 0:
        raise ValueError(f"cannot split a negative total ({total})")
    w = np.asarray(weights, dtype=float)
    if w.size == 0:
        if total:
            raise ValueError("cannot split a positive total into no parts")
        return []
    if w.sum() <= 0:
        w = np.ones_like(w)
    exact = total * w / w.sum()
    parts = np.floor(exact).astype(np.int64)
    short = total - int(parts.sum())
    # Stable sort on the negated remainder: largest remainders first, ties by position.
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[:short]] += 1
    return [int(p) for p in parts]


def split_with_minimum(
    total: int, weights: Sequence[float] | np.ndarray, minimum: int = 1
) -> list[int]:
    """Like :func:`split_integer`, but every part gets at least ``minimum``.

    Raises ``ValueError`` when ``total`` is too small to give every part its minimum.
    """
    count = len(weights)
    if total < minimum * count:
        raise ValueError(f"{total} is too small for {count} parts of at least {minimum}")
    rest = split_integer(total - minimum * count, weights)
    return [minimum + part for part in rest]


def split_in_units(total: int, weights: Sequence[float] | np.ndarray, unit: int) -> list[int]:
    """Split ``total`` into multiples of ``unit`` (when it divides ``total``) by weight."""
    if unit <= 0 or total % unit:
        unit = 1
    return [part * unit for part in split_integer(total // unit, weights)]


def weighted_indices(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """``size`` indices drawn with replacement in proportion to ``weights``.

    Same draws as an inverse-CDF sample, without ``Generator.choice``'s per-call checks,
    which dominate when called tens of thousands of times on short lists.
    """
    cumulative = np.cumsum(weights, dtype=float)
    draws = rng.random(size) * cumulative[-1]
    indices: np.ndarray = np.searchsorted(cumulative, draws, side="right")
    return indices
