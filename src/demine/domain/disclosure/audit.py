"""Which hidden counts a reader could still work out: an exact audit.

A reader knows every shown count, every sum between counts (:class:`.model.Sum`), that
no count is negative, and what each hidden one reads: ``<N`` is 0 to N-1 (a zero may be
hidden to protect another, see :mod:`.rule`) and ``withheld`` is N or more. Those are linear
constraints; a hidden count is *worked out* when they leave it a single possible value,
i.e. when linear programming would find its minimum equal to its maximum.

The audit decides that exactly, without solving one programme per count. The true
counts satisfy every constraint. A hidden count can take another value exactly when some
direction ``d`` keeps every sum unchanged (``d`` in the null space of the sums, over
hidden counts only), changes that count, and moves no count past a bound it already
sits on (a hidden zero may only go up, a ``<5`` count of 4 only down, a ``withheld`` 5
only up); every other bound has room for a small step. With the null space spanned by
``B``, ``d = B y``, and ``G`` the rows of ``B`` of the counts on a bound (signed so that
``g . y >= 0`` is allowed), Farkas' lemma says the count ``x`` cannot go up exactly when
``-b_x`` is in the cone of ``G``, nor down when ``b_x`` is: it is worked out exactly
when ``b_x`` lies in that cone's lineality space, the span of the generators whose
opposite is in the cone too (:func:`.rational.in_cone`, :class:`.rational.Span`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from demine.domain.disclosure.model import Key, LinkedCounts
from demine.domain.disclosure.rational import Span, Vector, in_cone, null_space


def _bounds(value: int, published: bool, threshold: int) -> tuple[int, int | None]:
    """What a reader knows of a hidden count: its least and greatest possible value."""
    if not published:
        return 0, None
    if value < threshold:
        return 0, threshold - 1
    return threshold, None


def _components(keys: Sequence[Key], relations: Sequence[Sequence[Key]]) -> list[list[Key]]:
    """Groups of hidden counts linked through sums (in the order of ``keys``)."""
    parent = {key: key for key in keys}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for members in relations:
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[Key, list[Key]] = {}
    for key in keys:
        groups.setdefault(root(key), []).append(key)
    return list(groups.values())


def _coefficients(counts: LinkedCounts, hidden: set[Key]) -> list[dict[Key, int]]:
    """Each sum as ``{hidden key: coefficient}`` (parts +1, total -1); shown counts are
    constants and drop out of the directions."""
    rows = []
    for relation in counts.sums:
        row: dict[Key, int] = {}
        for key in relation.parts:
            if key in hidden:
                row[key] = row.get(key, 0) + 1
        if relation.total in hidden:
            row[relation.total] = row.get(relation.total, 0) - 1
        if any(row.values()):
            rows.append(row)
    return rows


def _peel(counts: LinkedCounts, hidden: set[Key]) -> set[Key]:
    """The hidden counts a sum gives away on its own (every other member known), again
    and again as each one found becomes known: the total minus the parts."""
    determined: set[Key] = set()
    changed = True
    while changed:
        changed = False
        for relation in counts.sums:
            unknown = {key for key in relation.members if key in hidden and key not in determined}
            if len(unknown) == 1:
                determined |= unknown
                changed = True
    return determined


def worked_out(counts: LinkedCounts, hidden: Iterable[Key], threshold: int) -> list[Key]:
    """The hidden published counts whose value the published figures leave no doubt about."""
    hidden_set = set(hidden)
    # Counts a single sum gives away are worked out; the rest are solved for together.
    found = _peel(counts, hidden_set)
    unknown = hidden_set - found
    order = [key for key in counts.values if key in unknown]
    rows = _coefficients(counts, unknown)
    for component in _components(order, [list(row) for row in rows]):
        found.update(_worked_out_in(counts, component, rows, threshold))
    return [key for key in counts.values if key in found and key not in counts.unpublished]


def _worked_out_in(
    counts: LinkedCounts, component: list[Key], rows: Sequence[Mapping[Key, int]], threshold: int
) -> list[Key]:
    index = {key: i for i, key in enumerate(component)}
    local = [{index[key]: c for key, c in row.items()} for row in rows if next(iter(row)) in index]
    basis = null_space(local, len(component))
    # Row of B for each count: how the free parameters move it.
    moves: list[Vector] = [[vector[i] for vector in basis] for i in range(len(component))]
    signed: dict[tuple[Fraction, ...], None] = {}  # distinct, in order
    for key, move in zip(component, moves, strict=True):
        if not any(move):
            continue
        low, high = _bounds(counts.values[key], key not in counts.unpublished, threshold)
        if counts.values[key] == low:
            signed[tuple(move)] = None  # may only go up: b . y >= 0
        if counts.values[key] == high:
            signed[tuple(-entry for entry in move)] = None  # may only go down
    generators: list[Vector] = [list(g) for g in signed]
    # A count cannot move either way exactly when its row lies in the lineality space of
    # the cone of those rows (the directions blocked both ways); that space is spanned
    # by the generators whose opposite is in the cone too.
    both_ways = Span([g for g in generators if in_cone([-entry for entry in g], generators)])
    return [
        key
        for key, move in zip(component, moves, strict=True)
        if key not in counts.unpublished and move in both_ways
    ]
