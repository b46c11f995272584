"""Casualty statistics since a reference date and of all time, with their breakdowns.

All-time figures are a published *baseline* (totals up to a date, for history that
exists only as aggregates) plus the victims recorded after the baseline's date; every
output shows that split. Figures "since" a date (by default the country's reference
date, e.g. the Second Garabagh War ceasefire for Azerbaijan) come from records only.
See :mod:`demine.analysis.casualties.count` for how unknowns and rough dates are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from demine.analysis.casualties import counted
from demine.analysis.casualties.all_time import (
    AllTime,
    after_baseline_json,
    all_time_figures,
    baseline_json,
)
from demine.analysis.casualties.breakdowns import VICTIM_BREAKDOWNS as _VICTIM_BREAKDOWNS
from demine.analysis.casualties.breakdowns import (
    accident_breakdowns,
    ordered_accident_breakdowns,
    ordered_victim_breakdowns,
    victim_breakdowns,
)
from demine.analysis.casualties.count import (
    AccidentFacts,
    Placement,
    VictimCounts,
    VictimFacts,
    placer,
)
from demine.analysis.casualties.read import CasualtyRecords, country_of, load_casualty_records
from demine.domain.reference_dates import ReferenceDate, reference_date_for
from demine.errors import InvalidRequestError
from demine.i18n import _, format_day
from demine.store.reader import RegisterReader

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Breakdowns of victims (their cells add up to ``since_total``).
VICTIM_BREAKDOWNS = _VICTIM_BREAKDOWNS
#: Breakdowns of accidents (their cells add up to ``since_accidents``).
ACCIDENT_BREAKDOWNS = ("accidents_by_district", "inside_known_hazard")


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
    #: The victims and accidents counted since the start date (none when the database
    #: counted them: :func:`casualty_statistics` without ``with_facts``).
    victims: list[VictimFacts] = field(default_factory=list)
    accidents: list[AccidentFacts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The day the register was read as known on, from its history (None: as it stands,
    #: from the figures the database keeps).
    as_known_on: date | None = None

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
        """Exact figures (for people allowed to see the register; see :mod:`.public`)."""
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
            "baseline": baseline_json(all_time.baseline) if all_time else None,
            "after_baseline": after_baseline_json(all_time, self.as_of) if all_time else None,
            **self.breakdowns,
            "warnings": self.warnings,
            **_history_keys(self.as_known_on),
        }


def _history_keys(as_known_on: date | None) -> dict[str, str]:
    """``as_known_on`` and ``read_from: history`` for figures read as known on a past
    day (none otherwise: the keys of figures read as the register stands are unchanged)."""
    if as_known_on is None:
        return {}
    return {"as_known_on": as_known_on.isoformat(), "read_from": "history"}


def casualty_statistics(
    reader: RegisterReader,
    as_of: date,
    since: date | None = None,
    district: str | None = None,
    *,
    with_shapes: bool = True,
    with_facts: bool = True,
) -> CasualtyStatistics:
    """Statistics of the reader's country as of ``as_of``: since ``since`` (default:
    the country's reference date if it is not later, else the first record) and of all
    time; of one ``district`` if given. Only live accidents and victims count.
    ``with_shapes``: read the district shapes too (for maps). ``with_facts``: list the
    victims and accidents counted (public figures cross them); without, a reader of the
    register as it stands has the database count them, one grouped query per breakdown,
    and the lists are empty."""
    if since is not None and since > as_of:
        raise InvalidRequestError(
            _("--since {since} is after --as-of {as_of}").format(
                since=since.isoformat(), as_of=as_of.isoformat()
            )
        )
    reference = reference_date_for(country_of(reader))
    if since is None and reference is not None and reference.day <= as_of:
        since = reference.day
    by_database = not with_facts and reader.reads_kept_figures
    records = load_casualty_records(
        reader, district, with_shapes=with_shapes, with_facts=not by_database
    )
    if by_database:
        return count_casualties(reader, records, as_of, since, reference)
    return summarise_casualties(records, as_of, since, reference)


def read_from_history(statistics: CasualtyStatistics, as_known_on: date) -> None:
    """Say in ``statistics`` (a warning, and ``as_known_on``/``read_from`` in JSON) that
    they were read from the register's history as known on a past day."""
    statistics.as_known_on = as_known_on
    statistics.warnings.append(
        _("Read from the register's history as it was known on {day}, not from the "
          "figures the database keeps.").format(day=format_day(as_known_on))
    )  # fmt: skip


def summarise_casualties(
    records: CasualtyRecords, as_of: date, since: date | None, reference: ReferenceDate | None
) -> CasualtyStatistics:
    """The statistics of already loaded ``records`` (see :func:`casualty_statistics`)."""
    placed = placer(since, as_of)
    # Each victim and accident placed once (thousands of them, counted several ways).
    victim_places = [(v, placed(v.accident.occurred)) for v in records.victims]
    accident_places = [(a, placed(a.occurred)) for a in records.accidents]
    victims = [v for v, where in victim_places if where is Placement.INSIDE]
    accidents = [a for a, where in accident_places if where is Placement.INSIDE]
    unplaced_accidents = sum(1 for _a, where in accident_places if where is Placement.UNPLACED)
    first_day = since or min((v.accident.occurred.earliest for v in victims), default=as_of)
    breakdowns = victim_breakdowns(victims, first_day, as_of, records.district_names)
    breakdowns.update(accident_breakdowns(accidents, records.district_names))
    warnings: list[str] = []
    all_time = all_time_figures(records, as_of, since, warnings)
    return CasualtyStatistics(
        records=records,
        as_of=as_of,
        since=since,
        reference=reference if reference is not None and reference.day == since else None,
        since_counts=VictimCounts.of(victims),
        since_accidents=len(accidents),
        since_unplaced_victims=sum(1 for _v, where in victim_places if where is Placement.UNPLACED),
        since_unplaced_accidents=unplaced_accidents,
        all_time=all_time,
        breakdowns=breakdowns,
        victims=victims,
        accidents=accidents,
        warnings=warnings,
    )


def count_casualties(
    reader: RegisterReader,
    records: CasualtyRecords,
    as_of: date,
    since: date | None,
    reference: ReferenceDate | None,
) -> CasualtyStatistics:
    """The statistics of ``records`` (read without facts) counted by the database: the
    figures :func:`summarise_casualties` gives, with no victim or accident listed."""
    victims = counted.victim_figures(reader, records, since, as_of)
    accidents = counted.accident_cells(reader, records, since, as_of)
    since_counts, since_unplaced = victims.counts, victims.unplaced
    first_day = since or victims.first_month or as_of
    names = records.district_names
    breakdowns = ordered_victim_breakdowns(victims.cells, first_day, as_of, names)
    breakdowns.update(
        ordered_accident_breakdowns(accidents.by_district, accidents.by_location, names)
    )
    warnings: list[str] = []

    def count_after(start: date | None, end: date) -> tuple[VictimCounts, int]:
        # Often the statistics' own window (a baseline to the day before their start, or
        # neither a baseline nor a start): counted once.
        if start == since:
            return since_counts, since_unplaced
        return counted.counter(reader, records)(start, end)

    all_time = all_time_figures(records, as_of, since, warnings, count_after)
    return CasualtyStatistics(
        records=records,
        as_of=as_of,
        since=since,
        reference=reference if reference is not None and reference.day == since else None,
        since_counts=since_counts,
        since_accidents=accidents.placed,
        since_unplaced_victims=since_unplaced,
        since_unplaced_accidents=accidents.unplaced,
        all_time=all_time,
        breakdowns=breakdowns,
        warnings=warnings,
    )


def accidents_placed(
    accidents: list[AccidentFacts], since: date | None, as_of: date
) -> list[AccidentFacts]:
    """The accidents counted in ``since..as_of`` (whole date range inside)."""
    placed = placer(since, as_of)
    return [a for a in accidents if placed(a.occurred) is Placement.INSIDE]
