"""The public view of casualty statistics: aggregates only, no hidden count recoverable.

Victim data are health data. A public output carries no record, identifier or
coordinate, only counts, and every count of a period goes through one disclosure rule
(:mod:`demine.domain.disclosure`, ``docs/disclosure.md``) applied once to every count
that any public output of the period shows (:mod:`.linked`): the casualty report, the
public export and the public district figures read their cells from the same
:class:`PublicFigures`, so a count hidden in one is hidden in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demine.analysis.casualties.count import UNKNOWN
from demine.analysis.casualties.linked import (
    ACCIDENTS,
    ALL_TIME,
    HEADLINE,
    SINCE,
    STANDALONE,
    TOTAL,
    after_key,
    all_time_key,
    linked_counts,
    location_key,
    outcome_key,
)
from demine.analysis.casualties.statistics import (
    ACCIDENT_BREAKDOWNS,
    VICTIM_BREAKDOWNS,
    CasualtyStatistics,
)
from demine.domain.disclosure import DEFAULT_THRESHOLD, Cell, Key, Protection, is_hidden, protect
from demine.errors import InvalidRequestError
from demine.i18n import _


@dataclass(frozen=True)
class PublicFigures:
    """The counts of a period as every public output shows them."""

    statistics: CasualtyStatistics
    protection: Protection

    @property
    def threshold(self) -> int:
        return self.protection.threshold

    def cell(self, key: Key) -> Cell:
        return self.protection.cell(key)

    def to_json(self) -> dict[str, Any]:
        """The keys of :meth:`CasualtyStatistics.to_json`, with hidden counts as they read."""
        statistics = self.statistics
        figures = statistics.to_json()
        public = dict(figures)
        public["public"] = True
        public["suppression_threshold"] = self.threshold
        for breakdown in (*VICTIM_BREAKDOWNS, *ACCIDENT_BREAKDOWNS):
            public[breakdown] = {cell: self.cell((breakdown, cell)) for cell in figures[breakdown]}
        public["since_accidents"] = self.cell(ACCIDENTS)
        for name in HEADLINE:
            public[f"since_{name}"] = self.cell(SINCE[name])
        if is_hidden(public["since_civilians"]) or is_hidden(public["since_total"]):
            # The share times the total would give the hidden count back.
            public["since_civilian_share"] = None
        for name in STANDALONE:
            public[name] = self.cell((name,))
        if statistics.all_time is not None:
            public["all_time_unplaced_victims"] = self.cell(("all_time_unplaced_victims",))
            for name in ALL_TIME:
                if figures[f"all_time_{name}"] is not None:
                    public[f"all_time_{name}"] = self.cell(all_time_key(statistics, name))
            after = dict(figures["after_baseline"])
            for name in HEADLINE:
                after[name] = self.cell(after_key(statistics, name))
            public["after_baseline"] = after
        return public

    def district(self, name: str) -> dict[str, Cell]:
        """A district's victims by outcome and accidents by place, as the export shows them."""
        return {
            "victims": self.cell(("by_district", name)),
            "killed": self.cell(outcome_key(name, "killed")),
            "injured": self.cell(outcome_key(name, "injured")),
            "unknown_outcome": self.cell(outcome_key(name, UNKNOWN)),
            "accidents": self.cell(("accidents_by_district", name)),
            "accidents_inside_known_hazard": self.cell(location_key(name, "inside")),
            "accidents_outside_known_hazard": self.cell(location_key(name, "outside")),
            "accidents_location_unknown": self.cell(location_key(name, UNKNOWN)),
        }

    def national(self) -> dict[str, Cell]:
        """The national counts in the columns of :meth:`district`."""
        return {
            "victims": self.cell(TOTAL),
            "killed": self.cell(SINCE["killed"]),
            "injured": self.cell(SINCE["injured"]),
            "unknown_outcome": self.cell(SINCE["unknown_outcome"]),
            "accidents": self.cell(ACCIDENTS),
            "accidents_inside_known_hazard": self.cell(("inside_known_hazard", "inside")),
            "accidents_outside_known_hazard": self.cell(("inside_known_hazard", "outside")),
            "accidents_location_unknown": self.cell(("inside_known_hazard", UNKNOWN)),
        }

    def accidents(self, district: str) -> Cell:
        """A district's accidents (a district with no casualty data has none)."""
        key = ("accidents_by_district", district)
        return self.cell(key) if key in self.protection.values else 0


def public_figures(
    statistics: CasualtyStatistics, threshold: int = DEFAULT_THRESHOLD
) -> PublicFigures:
    """The public view of ``statistics`` (national: a district's alone is refused, since
    with the national figures it would give hidden counts back)."""
    if statistics.records.district_filter is not None:
        raise InvalidRequestError(
            _("public casualty figures are national only: one district's breakdowns would "
              "let hidden counts be worked out; 'demine export --public' gives every "
              "district's figures")
        )  # fmt: skip
    return PublicFigures(statistics, protect(linked_counts(statistics), threshold))


def public_json(
    statistics: CasualtyStatistics, threshold: int = DEFAULT_THRESHOLD
) -> dict[str, Any]:
    """The national figures of ``statistics`` as they may be published."""
    return public_figures(statistics, threshold).to_json()
