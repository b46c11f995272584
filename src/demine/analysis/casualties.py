"""Casualty statistics since a reference date and of all time, with their breakdowns.

All-time figures are a published *baseline* (totals up to a date, for history that
exists only as aggregates) plus the victims recorded after the baseline's date; every
output shows that split. Figures "since" a date (by default the country's reference
date, e.g. the Second Garabagh War ceasefire for Azerbaijan) come from records only.
See :mod:`demine.analysis.casualty_counts` for how unknowns and rough dates are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection

from demine.analysis.casualty_counts import (
    AccidentFacts,
    Placement,
    VictimCounts,
    VictimFacts,
    accident_breakdowns,
    place,
    victim_breakdowns,
)
from demine.analysis.casualty_data import CasualtyRecords, load_casualty_records
from demine.domain.entities import CasualtyBaseline
from demine.domain.reference_dates import ReferenceDate, reference_date_for
from demine.errors import InvalidRequestError
from demine.i18n import _, format_day

#: Breakdowns of victims (their cells add up to ``since_total``).
VICTIM_BREAKDOWNS = (
    "by_year", "by_month", "by_district", "by_device_category", "by_victim_category",
    "by_sex", "by_age_band", "by_outcome", "by_activity",
)  # fmt: skip
#: Breakdowns of accidents (their cells add up to ``since_accidents``).
ACCIDENT_BREAKDOWNS = ("accidents_by_district", "inside_known_hazard")


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


@dataclass
class CasualtyStatistics:
    """Everything a casualty report shows (see :meth:`to_json` for the keys)."""

    records: CasualtyRecords
    as_of: date
    since: date | None
    reference: ReferenceDate | None
    since_counts: VictimCounts
    since_accidents: int
    since_unplaced_victims: int
    since_unplaced_accidents: int
    all_time: AllTime | None
    breakdowns: dict[str, dict[str, int]]
    #: The victims and accidents counted since the start date.
    victims: list[VictimFacts] = field(default_factory=list)
    accidents: list[AccidentFacts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def country_name(self) -> str:
        return self.records.country_name

    @property
    def district_name(self) -> str | None:
        code = self.records.district_filter
        return None if code is None else self.records.district_names.get(code, code)

    @property
    def district_shapes(self) -> dict[str, BaseGeometry]:
        return self.records.district_shapes

    def to_json(self) -> dict[str, Any]:
        """Exact figures (for people allowed to see the register; see casualty_public)."""
        counts, all_time = self.since_counts, self.all_time
        share = counts.civilian_share
        return {
            "country": self.records.country,
            "country_name": self.country_name,
            "district": self.district_name,
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "since_reference": self.reference.name if self.reference else None,
            "public": False,
            "suppression_threshold": None,
            "since_total": counts.total,
            "since_killed": counts.killed,
            "since_injured": counts.injured,
            "since_unknown_outcome": counts.unknown_outcome,
            "since_civilians": counts.civilians,
            "since_civilian_share": None if share is None else round(share, 4),
            "since_children": counts.children,
            "since_women": counts.women,
            "since_accidents": self.since_accidents,
            "since_unplaced_victims": self.since_unplaced_victims,
            "since_unplaced_accidents": self.since_unplaced_accidents,
            "all_time_total": all_time.total if all_time else None,
            "all_time_killed": all_time.killed if all_time else None,
            "all_time_injured": all_time.injured if all_time else None,
            "all_time_children": all_time.children if all_time else None,
            "all_time_women": all_time.women if all_time else None,
            "all_time_unplaced_victims": all_time.unplaced if all_time else None,
            "baseline": _baseline_json(all_time.baseline) if all_time else None,
            "after_baseline": _after_json(all_time, self.as_of) if all_time else None,
            **self.breakdowns,
            "warnings": self.warnings,
        }


def _baseline_json(baseline: CasualtyBaseline | None) -> dict[str, Any] | None:
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


def _after_json(all_time: AllTime, as_of: date) -> dict[str, Any]:
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


def casualty_statistics(
    connection: Connection,
    country: str,
    as_of: date,
    since: date | None = None,
    district: str | None = None,
) -> CasualtyStatistics:
    """Statistics as of ``as_of``: since ``since`` (default: the country's reference
    date if it is not later, else the first record) and of all time; of one
    ``district`` if given."""
    if since is not None and since > as_of:
        raise InvalidRequestError(
            _("--since {since} is after --as-of {as_of}").format(
                since=since.isoformat(), as_of=as_of.isoformat()
            )
        )
    reference = reference_date_for(country)
    if since is None and reference is not None and reference.day <= as_of:
        since = reference.day
    records = load_casualty_records(connection, country, district)
    return summarise_casualties(records, as_of, since, reference)


def summarise_casualties(
    records: CasualtyRecords, as_of: date, since: date | None, reference: ReferenceDate | None
) -> CasualtyStatistics:
    """The statistics of already loaded ``records`` (see :func:`casualty_statistics`)."""
    victims = _placed(records.victims, since, as_of)
    accidents = accidents_placed(records.accidents, since, as_of)
    unplaced_accidents = sum(
        1 for a in records.accidents if place(a.occurred, since, as_of) is Placement.UNPLACED
    )
    first_day = since or min((v.accident.occurred.earliest for v in victims), default=as_of)
    breakdowns = victim_breakdowns(victims, first_day, as_of, records.district_names)
    breakdowns.update(accident_breakdowns(accidents, records.district_names))
    warnings: list[str] = []
    all_time = _all_time(records, as_of, since, warnings)
    return CasualtyStatistics(
        records=records,
        as_of=as_of,
        since=since,
        reference=reference if reference is not None and reference.day == since else None,
        since_counts=VictimCounts.of(victims),
        since_accidents=len(accidents),
        since_unplaced_victims=sum(
            1
            for v in records.victims
            if place(v.accident.occurred, since, as_of) is Placement.UNPLACED
        ),
        since_unplaced_accidents=unplaced_accidents,
        all_time=all_time,
        breakdowns=breakdowns,
        victims=victims,
        accidents=accidents,
        warnings=warnings,
    )


def _placed(victims: list[VictimFacts], start: date | None, end: date) -> list[VictimFacts]:
    return [v for v in victims if place(v.accident.occurred, start, end) is Placement.INSIDE]


def _all_time(
    records: CasualtyRecords, as_of: date, since: date | None, warnings: list[str]
) -> AllTime | None:
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
    placements = [(v, place(v.accident.occurred, after_from, as_of)) for v in records.victims]
    return AllTime(
        baseline=baseline,
        after=VictimCounts.of(v for v, where in placements if where is Placement.INSIDE),
        after_from=after_from,
        unplaced=sum(1 for _v, where in placements if where is Placement.UNPLACED),
    )


def accidents_placed(
    accidents: list[AccidentFacts], since: date | None, as_of: date
) -> list[AccidentFacts]:
    """The accidents counted in ``since..as_of`` (whole date range inside)."""
    return [a for a in accidents if place(a.occurred, since, as_of) is Placement.INSIDE]
