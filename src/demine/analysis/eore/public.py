"""Risk education figures anyone may see: sessions and beneficiaries by district.

Sessions are events and are shown exactly. Beneficiaries are people, and small groups
(five girls of one village, two persons with disabilities) may single someone out, so
their counts go through the one disclosure rule (:mod:`demine.domain.disclosure`) with
every sum a reader can write between them: a district's girls, boys, women and men add
up to its beneficiaries, and the districts' counts of each group to the national one.
The public export and the public district figures read their cells from the same
:class:`PublicReach`, so a count hidden in one is hidden in the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from demine.analysis.eore.reach import Reach
from demine.domain.disclosure import DEFAULT_THRESHOLD, Cell, LinkedCounts, Protection, protect
from demine.domain.eore import BENEFICIARY_GROUPS

#: The key of the national counts (district keys are codes).
NATIONAL = "national"
#: Counted groups of people: the four that add up to the beneficiaries, and these.
PEOPLE = (*BENEFICIARY_GROUPS, "beneficiaries", "persons_with_disabilities")


def _value(reach: Reach, group: str) -> int:
    return reach.beneficiaries if group == "beneficiaries" else int(getattr(reach, group))


@dataclass(frozen=True)
class PublicReach:
    """Sessions and beneficiaries of a period by district, as public outputs show them."""

    by_district: Mapping[str, Reach]
    national: Reach
    protection: Protection

    def cells(self, place: str) -> dict[str, Cell]:
        """A district's (or, with :data:`NATIONAL`, the country's) sessions and people."""
        reach = self.national if place == NATIONAL else self.by_district.get(place, Reach())
        people = {group: self.protection.cell((place, group)) for group in PEOPLE}
        return {"sessions": reach.sessions, **people}


def linked_reach(by_district: Mapping[str, Reach], national: Reach) -> LinkedCounts:
    """Every public count of people reached, and the sums between them."""
    counts = LinkedCounts()
    for group in PEOPLE:
        # The national totals are what an authority publishes: shown even when small.
        counts.count((NATIONAL, group), _value(national, group), exact=True)
    for code, reach in by_district.items():
        for group in PEOPLE:
            counts.count((code, group), _value(reach, group))
        counts.add_sum((code, "beneficiaries"), [(code, g) for g in BENEFICIARY_GROUPS])
    counts.add_sum((NATIONAL, "beneficiaries"), [(NATIONAL, g) for g in BENEFICIARY_GROUPS])
    for group in PEOPLE:
        counts.add_sum((NATIONAL, group), [(code, group) for code in by_district])
    return counts


def public_reach(
    by_district: Mapping[str, Reach],
    districts: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> PublicReach:
    """The public view of the reach of every one of ``districts`` (codes; those with no
    session count zeros)."""
    every = {code: by_district.get(code, Reach()) for code in districts}
    national = sum(every.values(), Reach())
    protection = protect(linked_reach(every, national), threshold)
    return PublicReach(every, national, protection)


def public_json(reach: PublicReach, names: Mapping[str, str]) -> dict[str, Any]:
    """Districts by name, then the national row."""
    return {
        "districts": {names.get(code, code): reach.cells(code) for code in reach.by_district},
        "national": reach.cells(NATIONAL),
    }
