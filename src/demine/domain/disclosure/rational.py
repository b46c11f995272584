"""Exact linear algebra over the rationals, for the disclosure audit (no floating point).

Three questions only: a basis of the directions that keep every published sum unchanged
(:func:`null_space`), whether a vector is a non-negative combination of others
(:func:`in_cone`, by the first phase of the simplex method with Bland's rule, which
cannot cycle), and whether it is a combination of others at all (:class:`Span`). The
systems are small: one group of linked hidden cells at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

Vector = list[Fraction]


def null_space(rows: Sequence[Mapping[int, int]], width: int) -> list[Vector]:
    """A basis of ``{d : row · d = 0 for every row}``, each vector ``width`` long.

    ``rows`` are sparse: column index to coefficient.
    """
    matrix = [[Fraction(row.get(column, 0)) for column in range(width)] for row in rows]
    pivots: list[int] = []
    for column in range(width):
        rank = len(pivots)
        if rank == len(matrix):
            break
        found = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if found is None:
            continue
        matrix[rank], matrix[found] = matrix[found], matrix[rank]
        pivot = matrix[rank][column]
        matrix[rank] = [value / pivot for value in matrix[rank]]
        nonzero = [j for j, entry in enumerate(matrix[rank]) if entry != 0]
        for i, row in enumerate(matrix):
            factor = row[column]
            if i != rank and factor != 0:
                for j in nonzero:
                    row[j] -= factor * matrix[rank][j]
        pivots.append(column)
    pivot_set = set(pivots)
    basis = []
    for free in (column for column in range(width) if column not in pivot_set):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for row_index, column in enumerate(pivots):
            vector[column] = -matrix[row_index][free]
        basis.append(vector)
    return basis


def in_cone(target: Vector, generators: Sequence[Vector]) -> bool:
    """Whether ``target = sum(l_j * generators[j])`` for some ``l_j >= 0``.

    Phase one of the simplex method: one artificial variable per coordinate, minimise
    their sum; ``target`` is in the cone exactly when that minimum is zero.
    """
    # Coordinates where every vector is zero say nothing.
    used = [i for i in range(len(target)) if target[i] or any(g[i] for g in generators)]
    target = [target[i] for i in used]
    generators = [[g[i] for i in used] for g in generators]
    size, count = len(target), len(generators)
    if count == 0 or size == 0:
        return all(value == 0 for value in target)
    # Row i: sum_j g_j[i] * l_j + a_i = target[i], signs flipped so that the right side
    # is non-negative. Columns: the generators, then the artificials, then the right side.
    tableau: list[Vector] = []
    for i in range(size):
        sign = -1 if target[i] < 0 else 1
        row = [sign * generators[j][i] for j in range(count)]
        row += [Fraction(1 if k == i else 0) for k in range(size)]
        row.append(sign * target[i])
        tableau.append(row)
    basis = [count + i for i in range(size)]
    width = count + size
    # Reduced costs of "minimise the artificials' sum", and minus its current value.
    costs = [-sum((row[j] for row in tableau), Fraction(0)) for j in range(width)]
    for k in range(count, width):
        costs[k] = Fraction(0)
    value = -sum((row[-1] for row in tableau), Fraction(0))
    while True:
        entering = next((j for j in range(width) if costs[j] < 0), None)
        if entering is None:
            return value == 0
        candidates = [
            (row[-1] / row[entering], basis[i], i)
            for i, row in enumerate(tableau)
            if row[entering] > 0
        ]
        # Bounded below by zero, so some row always limits the step.
        _ratio, _variable, leaving = min(candidates)
        pivot_row = tableau[leaving]
        pivot = pivot_row[entering]
        pivot_row = [entry / pivot for entry in pivot_row]
        tableau[leaving] = pivot_row
        # Sparse updates: most entries are zero.
        nonzero = [j for j, entry in enumerate(pivot_row) if entry != 0]
        for i, row in enumerate(tableau):
            factor = row[entering]
            if i != leaving and factor != 0:
                for j in nonzero:
                    row[j] -= factor * pivot_row[j]
        factor = costs[entering]
        for j in nonzero:
            if j < width:
                costs[j] -= factor * pivot_row[j]
        value -= factor * pivot_row[-1]
        basis[leaving] = entering


class Span:
    """The linear span of some vectors, kept in reduced row echelon form."""

    def __init__(self, vectors: Sequence[Vector]) -> None:
        self.rows: list[tuple[int, Vector]] = []  # (pivot column, row with 1 there)
        for vector in vectors:
            reduced = self._reduce(vector)
            column = next((j for j, entry in enumerate(reduced) if entry != 0), None)
            if column is None:
                continue
            pivot = reduced[column]
            row = [entry / pivot for entry in reduced]
            self.rows = [
                (c, [a - r[column] * b for a, b in zip(r, row, strict=True)] if r[column] else r)
                for c, r in self.rows
            ]
            self.rows.append((column, row))

    def _reduce(self, vector: Vector) -> Vector:
        reduced = list(vector)
        for column, row in self.rows:
            factor = reduced[column]
            if factor != 0:
                reduced = [a - factor * b for a, b in zip(reduced, row, strict=True)]
        return reduced

    def __contains__(self, vector: Vector) -> bool:
        return not any(self._reduce(vector))
