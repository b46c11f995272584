"""Survivors reached by victim assistance, by service (distinct victims).

A survivor *reached* by a service received it or is receiving it (outcome ``provided``
or ``ongoing``); one *referred* has any record of it, whatever its outcome. One victim
counts once per service however many records they have, and once in the total however
many services. The public form hides small counts through the disclosure rule
(:mod:`demine.domain.disclosure`); the per-service counts add up to no total (a
survivor may receive several services), but those referred are those reached and those
not reached, a sum the rule is told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from demine.domain.disclosure import DEFAULT_THRESHOLD, LinkedCounts, protect
from demine.domain.vocab import AssistanceOutcome, AssistanceService

REACHED_OUTCOMES = frozenset({AssistanceOutcome.PROVIDED.value, AssistanceOutcome.ONGOING.value})
REACHED = "reached"
REFERRED = "referred"
NOT_REACHED = "not_reached"
#: The key of every survivor reached by any service.
ANY_SERVICE = "any"


@dataclass(frozen=True)
class AssistanceStatistics:
    """Distinct survivors referred to and reached by each service, and by any."""

    referred: dict[str, int]
    reached: dict[str, int]

    @property
    def not_reached(self) -> dict[str, int]:
        """Referred but not (yet) reached: declined, not available or still referred."""
        return {key: value - self.reached[key] for key, value in self.referred.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            REFERRED: dict(self.referred),
            REACHED: dict(self.reached),
            NOT_REACHED: self.not_reached,
            "public": False,
        }


def assistance_statistics(rows: Iterable[tuple[int, str, str]]) -> AssistanceStatistics:
    """Count distinct victims per service from (victim, service, outcome) rows."""
    referred: dict[str, set[int]] = defaultdict(set)
    reached: dict[str, set[int]] = defaultdict(set)
    for victim, service, outcome in rows:
        for key in (service, ANY_SERVICE):
            referred[key].add(victim)
            if outcome in REACHED_OUTCOMES:
                reached[key].add(victim)
    keys = [*(service.value for service in AssistanceService), ANY_SERVICE]
    return AssistanceStatistics(
        referred={key: len(referred[key]) for key in keys},
        reached={key: len(reached[key]) for key in keys},
    )


def public_assistance(
    statistics: AssistanceStatistics, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """The statistics as published: every small count hidden by the disclosure rule,
    and enough others that none hidden can be worked back (referred = reached + not)."""
    counts = LinkedCounts()
    for key, value in statistics.referred.items():
        counts.add_sum(
            counts.count((REFERRED, key), value),
            (
                counts.count((REACHED, key), statistics.reached[key]),
                counts.count((NOT_REACHED, key), statistics.not_reached[key]),
            ),
        )
    protection = protect(counts, threshold)
    published: dict[str, Any] = {
        measure: {key: protection.cell((measure, key)) for key in statistics.referred}
        for measure in (REFERRED, REACHED, NOT_REACHED)
    }
    return {**published, "public": True, "suppression_threshold": threshold}
