"""All-time casualty figures: a published baseline plus the victims recorded after it.

History that exists only as aggregates is published as a *baseline* (totals up to a
date); recorded victims after that date are added to it, and every output shows the
split. Baselines are national, so a district report has no all-time figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from demine.analysis.casualties.count import Placement, VictimCounts, VictimFacts, placer
from demine.analysis.casualties.read import CasualtyRecords
from demine.domain.entities import CasualtyBaseline
from demine.i18n import _, format_day


@dataclass(frozen=True)
class AllTime:
    """All-time figures: the baseline plus the victims recorded after its date."""

    baseline: CasualtyBaseline | None
    #: Victims recorded after the baseline's date (all recorded victims without one).
    after: VictimCounts
    after_from: date | None
    #: Victims whose rough date straddles the baseline's date or the as-of date.
    unplaced: int

    def _plus(self, published: int | None, recorded: int) -> int | None:
        if self.baseline is None:
            return recorded
        return None if published is None else published + recorded

    @property
    def total(self) -> int:
        return self.after.total + (self.baseline.total if self.baseline else 0)

    @property
    def killed(self) -> int | None:
        return self._plus(self.baseline.killed if self.baseline else 0, self.after.killed)

    @property
    def injured(self) -> int | None:
        return self._plus(self.baseline.injured if self.baseline else 0, self.after.injured)

    @property
    def children(self) -> int | None:
        return self._plus(self.baseline.children if self.baseline else 0, self.after.children)

    @property
    def women(self) -> int | None:
        return self._plus(self.baseline.women if self.baseline else 0, self.after.women)


#: Victims of a window ``start..end`` (no start: up to ``end``): their figures and how
#: many have a rough date straddling its edges.
CountWindow = Callable[[date | None, date], tuple[VictimCounts, int]]


def count_facts(victims: Sequence[VictimFacts]) -> CountWindow:
    """:data:`CountWindow` over victims already read."""

    def count(start: date | None, end: date) -> tuple[VictimCounts, int]:
        placed = placer(start, end)
        placements = [(v, placed(v.accident.occurred)) for v in victims]
        return (
            VictimCounts.of(v for v, where in placements if where is Placement.INSIDE),
            sum(1 for _v, where in placements if where is Placement.UNPLACED),
        )

    return count


def all_time_figures(
    records: CasualtyRecords,
    as_of: date,
    since: date | None,
    warnings: list[str],
    count: CountWindow | None = None,
) -> AllTime | None:
    """The all-time figures as of ``as_of`` (None for one district), adding to
    ``warnings`` what a reader must know about the baseline used; the victims after the
    baseline counted by ``count`` (default: over ``records.victims``)."""
    usable = [b for b in records.baselines if b.as_of <= as_of]
    if records.baselines and not usable:
        warnings.append(
            _("No published baseline is dated {as_of} or earlier; all-time figures are "
              "recorded victims only.").format(as_of=format_day(as_of))
        )  # fmt: skip
    baseline = usable[-1] if usable else None
    if baseline is not None and records.district_filter is not None:
        warnings.append(
            _("Published baselines are national: no all-time figures are given for one district.")
        )
        return None
    after_from = baseline.as_of + timedelta(days=1) if baseline else None
    if baseline is not None and since is not None and since <= baseline.as_of:
        warnings.append(
            _("The published baseline (to {day}) covers part of the period since {since}; "
              "victims it counts are in the all-time figures only.").format(
                day=format_day(baseline.as_of), since=format_day(since)
            )
        )  # fmt: skip
    after, unplaced = (count or count_facts(records.victims))(after_from, as_of)
    return AllTime(baseline=baseline, after=after, after_from=after_from, unplaced=unplaced)


def baseline_json(baseline: CasualtyBaseline | None) -> dict[str, Any] | None:
    """The baseline's figures and source, as the JSON output gives them."""
    if baseline is None:
        return None
    return {
        "external_id": baseline.external_id,
        "date": baseline.as_of.isoformat(),
        "figures": {
            "total": baseline.total,
            "killed": baseline.killed,
            "injured": baseline.injured,
            "children": baseline.children,
            "women": baseline.women,
            "civilians": baseline.civilians,
        },
        "source": baseline.source_reference,
        "source_text": baseline.source_text,
    }


def after_baseline_json(all_time: AllTime, as_of: date) -> dict[str, Any]:
    """The victims recorded after the baseline, as the JSON output gives them."""
    after = all_time.after
    return {
        "from": all_time.after_from.isoformat() if all_time.after_from else None,
        "to": as_of.isoformat(),
        "total": after.total,
        "killed": after.killed,
        "injured": after.injured,
        "unknown_outcome": after.unknown_outcome,
        "children": after.children,
        "women": after.women,
        "civilians": after.civilians,
    }
