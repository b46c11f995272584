"""The disclosure rule: which counts of a period's public outputs are hidden.

1. **Primary suppression.** A published count from 1 to ``threshold - 1`` is hidden
   (national totals marked *exact* excepted: they are what authorities publish).
2. **Complementary suppression, sum by sum.** In every sum (a total and its parts: the
   months of a year, the districts of the country, killed + injured + unknown = victims,
   inside + outside + unknown = accidents…), a hidden count must not be the only hidden
   one, or the total minus the shown parts would give it back. The complement is the
   smallest non-zero shown part, else the sum's total, else a zero part, else an exact
   total; repeated until no sum has a single hidden count. The sums of every output of
   the period are worked on together, so a count shown by two outputs is hidden in
   both or in neither.
3. **Zeros.** A zero describes no one and is shown, unless it must be hidden to protect
   another count (last but one in step 2's order, since a hidden zero can only be
   thought larger, never smaller). A hidden count reads ``<5`` when it is below the
   threshold, zeros included, and ``withheld`` when it is not: a reader learns 0-4 or
   5 or more, never which hidden counts are small and which are complements.
4. **Audit.** Sums chain (a district's victims are a total in one sum and a part in
   another), so step 3 alone can leave a count pinned by several sums at once or by
   the bounds ``<5`` and ``withheld`` imply. :func:`.audit.worked_out` finds every such
   count exactly; for each, the shown count that frees it most cheaply is hidden (in the
   sum where it has the fewest hidden partners), and steps 3 and 4 run again until no
   hidden count can be worked out. If nothing is left to hide, publishing is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from demine.domain.disclosure.audit import worked_out
from demine.domain.disclosure.model import Key, LinkedCounts, Protection, Sum, check_threshold
from demine.errors import DemineError
from demine.i18n import _


class _State:
    """The counts hidden so far, and which sums each count belongs to."""

    def __init__(self, counts: LinkedCounts, threshold: int) -> None:
        self.counts = counts
        self.threshold = threshold
        self.order = {key: i for i, key in enumerate(counts.values)}
        self.primary = {
            key
            for key, value in counts.values.items()
            if 0 < value < threshold
            and key not in counts.unpublished
            and key not in counts.exact
            and key not in counts.fixed
        }
        self.hidden = self.primary | set(counts.unpublished)
        self.sums_of: dict[Key, list[Sum]] = {}
        for relation in counts.sums:
            for key in relation.members:
                self.sums_of.setdefault(key, []).append(relation)

    def _rank(self, key: Key, relation: Sum) -> tuple[bool, bool, bool, int, int]:
        # Non-zero parts, the total, zeros, exact totals; the smallest count first.
        counts = self.counts
        value = counts.values[key]
        return (key in counts.exact, value == 0, key == relation.total, value, self.order[key])

    def candidate(self, relation: Sum) -> Key | None:
        """The shown count of ``relation`` best hidden to protect another."""
        shown = [
            key
            for key in relation.members
            if key not in self.hidden and key not in self.counts.fixed
        ]
        return min(shown, key=lambda key: self._rank(key, relation), default=None)

    def hidden_partners(self, relation: Sum, key: Key) -> int:
        """Hidden non-zero counts of ``relation`` other than ``key``."""
        return sum(
            1
            for other in relation.members
            if other != key and other in self.hidden and self.counts.values[other] != 0
        )

    def close_sums(self) -> None:
        """Step 2: until no sum has a single hidden count (a count no output shows
        protects only when it is not zero)."""
        unpublished = self.counts.unpublished
        changed = True
        while changed:
            changed = False
            for relation in self.counts.sums:
                alone = [
                    key
                    for key in relation.members
                    if key in self.hidden
                    and (key not in unpublished or self.counts.values[key] != 0)
                ]
                if len(alone) != 1 or alone[0] in unpublished:
                    continue
                complement = self.candidate(relation)
                if complement is not None:
                    self.hidden.add(complement)
                    changed = True

    def free(self, key: Key) -> Key | None:
        """Step 4: a shown count whose hiding gives ``key`` room to move, or None."""
        relations = sorted(
            self.sums_of.get(key, []), key=lambda relation: self.hidden_partners(relation, key)
        )
        seen: set[Key] = {key}
        while relations:
            for relation in relations:
                complement = self.candidate(relation)
                if complement is not None:
                    return complement
            # Nothing left to hide next to it: look one sum further.
            reached = {
                member
                for relation in relations
                for member in relation.members
                if member in self.hidden and member not in seen
            }
            seen |= reached
            relations = [r for member in sorted(reached, key=self.order.__getitem__)
                         for r in self.sums_of.get(member, [])]  # fmt: skip
        return None

    def protect_worked_out(self, found: Sequence[Key]) -> None:
        """Hide a count next to each worked-out one (one per neighbourhood per round)."""
        touched: set[Key] = set()
        for key in found:
            if any(member in touched for r in self.sums_of.get(key, []) for member in r.members):
                continue  # a complement was just hidden next to it: audit again first
            complement = self.free(key)
            if complement is None:
                raise DemineError(
                    _("the public figures cannot be published: the count {key} could be "
                      "worked out whatever else is hidden").format(key=key)
                )  # fmt: skip
            self.hidden.add(complement)
            touched.add(complement)


def protect(counts: LinkedCounts, threshold: int) -> Protection:
    """Which counts to hide so that none hidden can be worked out (see the module's rule)."""
    check_threshold(threshold)
    state = _State(counts, threshold)
    while True:
        state.close_sums()
        found = worked_out(counts, state.hidden, threshold)
        if not found:
            break
        state.protect_worked_out(found)
    published_hidden = state.hidden - counts.unpublished
    return Protection(
        threshold=threshold,
        values=counts.values,
        primary=frozenset(state.primary),
        secondary=frozenset(published_hidden - state.primary),
    )
