"""Every count the public outputs of one period show, and the sums a reader can write.

``demine report casualties --public``, ``demine export --public`` and
``/api/public/districts`` all show counts of the same victims and accidents. Hidden
counts must be chosen once for all of them (see :mod:`demine.domain.disclosure`), so
this module lists, for a period, every count any of them shows under one key, and every
relation between counts a reader could use:

* each victim breakdown (year, month, district, device, category, sex, age, outcome,
  activity) adds up to the victims; each accident breakdown to the accidents;
* the months of a year (and the year's victims dated only to the year) add up to it;
* a district's killed + injured + unknown outcome = its victims, and each outcome's
  districts add up to it; likewise inside + outside + unknown = a district's accidents;
* women are the female victims of the adult age groups: a sex × age table no output
  shows, but through which a reader can still reason;
* all-time figures are the published baseline plus the victims recorded after it, and
  those are the victims since the start date, or differ from them by the victims of the
  days between (never shown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from demine.analysis.casualties.breakdowns import (
    locations_by_district,
    month_of,
    outcomes_by_district,
)
from demine.analysis.casualties.count import ADULT_GROUPS, CHILD, UNKNOWN, VictimCounts
from demine.analysis.casualties.statistics import (
    ACCIDENT_BREAKDOWNS,
    VICTIM_BREAKDOWNS,
    CasualtyStatistics,
)
from demine.domain.disclosure import Key, LinkedCounts
from demine.domain.vocab import Sex

TOTAL: Key = ("since_total",)
ACCIDENTS: Key = ("since_accidents",)
WOMEN: Key = ("since_women",)
#: Counts shown alone (no sum goes through them).
STANDALONE = ("since_unplaced_victims", "since_unplaced_accidents")
#: The headline figures of a set of victims, as the after-baseline block names them.
HEADLINE = ("total", "killed", "injured", "unknown_outcome", "children", "women", "civilians")
#: All-time figures: the baseline's plus the recorded ones.
ALL_TIME = ("total", "killed", "injured", "children", "women")
#: The since-figures' keys of each headline figure.
SINCE = {
    "total": TOTAL,
    "killed": ("by_outcome", "killed"),
    "injured": ("by_outcome", "injured"),
    "unknown_outcome": ("by_outcome", UNKNOWN),
    "children": ("by_age_band", CHILD),
    "women": WOMEN,
    "civilians": ("by_victim_category", "civilian"),
}


def outcome_key(district: str, outcome: str) -> Key:
    return ("district_outcome", district, outcome)


def location_key(district: str, where: str) -> Key:
    return ("district_location", district, where)


def after_key(statistics: CasualtyStatistics, name: str) -> Key:
    """The key of a figure recorded after the baseline: the since-figure when both
    count from the same day."""
    all_time = statistics.all_time
    if all_time is not None and all_time.after_from == statistics.since:
        return SINCE[name]
    return ("after", name)


def all_time_key(statistics: CasualtyStatistics, name: str) -> Key:
    """The key of an all-time figure: the recorded one when there is no baseline."""
    all_time = statistics.all_time
    if all_time is not None and all_time.baseline is None:
        return after_key(statistics, name)
    return ("all_time", name)


def linked_counts(statistics: CasualtyStatistics) -> LinkedCounts:
    """The counts and sums of the public outputs of ``statistics``' period (national)."""
    counts = LinkedCounts()
    counts.count(TOTAL, statistics.since_counts.total, exact=True)
    counts.count(ACCIDENTS, statistics.since_accidents, exact=True)
    counts.count(WOMEN, statistics.since_counts.women)
    for name in STANDALONE:
        counts.count((name,), getattr(statistics, name))
    for breakdown in (*VICTIM_BREAKDOWNS, *ACCIDENT_BREAKDOWNS):
        total = TOTAL if breakdown in VICTIM_BREAKDOWNS else ACCIDENTS
        cells = statistics.breakdowns[breakdown]
        for cell, value in cells.items():
            counts.count((breakdown, cell), value)
        counts.add_sum(total, [(breakdown, cell) for cell in cells])
    _months_in_years(counts, statistics)
    _district_tables(counts, statistics)
    _sex_and_age(counts, statistics)
    if statistics.all_time is not None:
        _all_time(counts, statistics)
    return counts


def _months_in_years(counts: LinkedCounts, statistics: CasualtyStatistics) -> None:
    years, months = statistics.breakdowns["by_year"], statistics.breakdowns["by_month"]
    year_only = Counter(
        str(v.accident.occurred.earliest.year)
        for v in statistics.victims
        if month_of(v.accident.occurred) == UNKNOWN
    )
    months_of: dict[str, list[Key]] = {}
    for month in months:
        if month != UNKNOWN:
            months_of.setdefault(month[:4], []).append(("by_month", month))
    for year in years:
        counts.count(("month_unknown", year), year_only[year], published=False)
        counts.add_sum(("by_year", year), [*months_of.get(year, []), ("month_unknown", year)])
    counts.add_sum(("by_month", UNKNOWN), [("month_unknown", year) for year in years])


def _district_tables(counts: LinkedCounts, statistics: CasualtyStatistics) -> None:
    names = statistics.records.district_names
    _table(counts, "by_district", "by_outcome", outcome_key,
           outcomes_by_district(statistics.victims, names))  # fmt: skip
    _table(counts, "accidents_by_district", "inside_known_hazard", location_key,
           locations_by_district(statistics.accidents, names))  # fmt: skip


def _table(
    counts: LinkedCounts,
    rows_breakdown: str,
    columns_breakdown: str,
    key: Callable[[str, str], Key],
    table: dict[str, dict[str, int]],
) -> None:
    """A district × column table whose margins are two breakdowns."""
    columns: list[str] = list(next(iter(table.values()), {}))
    for district, row in table.items():
        for column, value in row.items():
            counts.count(key(district, column), value)
        counts.add_sum((rows_breakdown, district), [key(district, c) for c in columns])
    for column in columns:
        counts.add_sum((columns_breakdown, column), [key(d, column) for d in table])


def _sex_and_age(counts: LinkedCounts, statistics: CasualtyStatistics) -> None:
    sexes = list(statistics.breakdowns["by_sex"])
    ages = list(statistics.breakdowns["by_age_band"])
    both = Counter((v.sex.value, v.age_group) for v in statistics.victims)
    for sex in sexes:
        for age in ages:
            counts.count(("sex_age", sex, age), both[(sex, age)], published=False)
        counts.add_sum(("by_sex", sex), [("sex_age", sex, age) for age in ages])
    for age in ages:
        counts.add_sum(("by_age_band", age), [("sex_age", sex, age) for sex in sexes])
    adults = [age for age in ages if age in ADULT_GROUPS]
    counts.add_sum(WOMEN, [("sex_age", Sex.FEMALE.value, age) for age in adults])


def _all_time(counts: LinkedCounts, statistics: CasualtyStatistics) -> None:
    all_time = statistics.all_time
    assert all_time is not None
    if all_time.after_from != statistics.since:
        _after_baseline(counts, statistics, all_time.after)
    counts.count(("all_time_unplaced_victims",), all_time.unplaced)
    baseline = all_time.baseline
    if baseline is None:
        return
    for name in ALL_TIME:
        published = getattr(baseline, name)
        if published is None:
            continue  # no all-time figure without the baseline's
        counts.count(("baseline", name), published, fixed=True)
        figure = all_time.total if name == "total" else getattr(all_time, name)
        counts.count(("all_time", name), figure, exact=name == "total")
        counts.add_sum(("all_time", name), [("baseline", name), after_key(statistics, name)])


def _after_baseline(
    counts: LinkedCounts, statistics: CasualtyStatistics, after: VictimCounts
) -> None:
    """Victims recorded after the baseline, when they do not start on the since day."""
    for name in HEADLINE:
        counts.count(("after", name), getattr(after, name), exact=name == "total")
    outcomes: Sequence[Key] = [("after", n) for n in ("killed", "injured", "unknown_outcome")]
    counts.add_sum(("after", "total"), outcomes)
    # One period lies inside the other (both end on the as-of day): the longer one's
    # figures are the shorter one's plus the victims of the days between.
    all_time = statistics.all_time
    assert all_time is not None
    since_is_longer = statistics.since is None or (
        all_time.after_from is not None and statistics.since < all_time.after_from
    )
    for name in HEADLINE:
        longer, shorter = SINCE[name], ("after", name)
        if not since_is_longer:
            longer, shorter = shorter, longer
        between = counts.values[longer] - counts.values[shorter]
        counts.count(("between", name), between, published=False)
        counts.add_sum(longer, [shorter, ("between", name)])
