"""Rules every record must satisfy, whatever file or form it came from.

Each check returns ``(field, reason)`` pairs; an empty list means the record is valid.
SQLite forgives what PostgreSQL refuses, so ranges are checked here, not left to the
database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from demine.domain.dates import EventDate
from demine.domain.entities import (
    AGE_BANDS,
    CHILD_AGE_BANDS,
    CHILD_AGE_LIMIT,
    Accident,
    Activity,
    CasualtyBaseline,
    HazardArea,
    HazardStatusChange,
    ReportedSummary,
    Victim,
)
from demine.domain.projects import (
    HIGHEST_PRIORITY,
    LOWEST_PRIORITY,
    MAX_BUFFER_M,
    DevelopmentProject,
)
from demine.domain.records import (
    LAID_CATEGORIES,
    MinefieldPoint,
    MinefieldRecord,
    MinefieldRow,
)

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

FieldProblem = tuple[str, str]

#: The largest device count one find record may carry; more is almost surely a typo.
MAX_QUANTITY_PER_FIND = 100_000


@dataclass(frozen=True)
class Extent:
    """A longitude/latitude box that a country's coordinates must fall in."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, geometry: BaseGeometry) -> bool:
        min_x, min_y, max_x, max_y = geometry.bounds
        return bool(
            self.min_lon <= min_x
            and max_x <= self.max_lon
            and self.min_lat <= min_y
            and max_y <= self.max_lat
        )


@dataclass(frozen=True)
class RuleContext:
    """What the rules compare against: today's date and the country's extent."""

    today: date
    extent: Extent | None = None


class RegisterLookup(Protocol):
    """What a rule that needs other records may ask of the register (the store answers;
    the rules stay free of I/O)."""

    def live_records(self, kind: str, field: str, key: str) -> list[Any]:
        """Live records of ``kind`` whose reference ``field`` names the record ``key``."""
        ...

    def stored_record(self, kind: str, key: str) -> Any | None:
        """The stored version of ``kind``'s record ``key`` (None: a new record)."""
        ...


#: A kind's rules against the rest of the register (an operator's accreditation, the
#: status a record had before): problems as ``(field, reason)`` pairs.
RegisterCheck = Callable[[Any, RegisterLookup], list[FieldProblem]]


def check_not_future(field: str, day: date | None, context: RuleContext) -> list[FieldProblem]:
    if day is not None and day > context.today:
        return [(field, f"date {day.isoformat()} is in the future")]
    return []


def check_event_date(field: str, when: EventDate, context: RuleContext) -> list[FieldProblem]:
    if when.earliest > context.today:
        return [(field, f"date {when.isoformat()} is in the future")]
    return []


def check_non_negative(field: str, value: float | None) -> list[FieldProblem]:
    if value is not None and value < 0:
        return [(field, f"must not be negative (got {value:g})")]
    return []


def check_geometry(
    field: str, geometry: BaseGeometry | None, context: RuleContext, allowed: tuple[str, ...]
) -> list[FieldProblem]:
    """Geometry must be of an allowed type, valid, and inside the country's extent."""
    if geometry is None:
        return []
    problems: list[FieldProblem] = []
    if geometry.is_empty:
        return [(field, "geometry is empty")]
    if geometry.geom_type not in allowed:
        problems.append(
            (field, f"geometry is a {geometry.geom_type}; expected {' or '.join(allowed)}")
        )
    elif not geometry.is_valid:
        from shapely.validation import explain_validity

        problems.append((field, f"invalid geometry: {explain_validity(geometry)}"))
    if context.extent is not None and not context.extent.contains(geometry):
        min_x, min_y, _, _ = geometry.bounds
        problems.append(
            (field, f"coordinates ({min_x:.5f}, {min_y:.5f}) are outside the country's extent")
        )
    return problems


POLYGONAL = ("Polygon", "MultiPolygon")
PUNCTUAL = ("Point",)
LINEAR = ("LineString", "MultiLineString")


def check_hazard(hazard: HazardArea, context: RuleContext) -> list[FieldProblem]:
    problems = check_not_future("recorded_on", hazard.recorded_on, context)
    problems += check_non_negative("estimated_area_m2", hazard.estimated_area_m2)
    problems += check_non_negative("remaining_area_m2", hazard.remaining_area_m2)
    if (
        hazard.estimated_area_m2 is not None
        and hazard.remaining_area_m2 is not None
        and hazard.remaining_area_m2 > hazard.estimated_area_m2
    ):
        problems.append(("remaining_area_m2", "remaining area is larger than the estimated area"))
    problems += check_geometry("geometry", hazard.geometry, context, (*POLYGONAL, *PUNCTUAL))
    return problems


def check_hazard_status_change(
    change: HazardStatusChange, context: RuleContext
) -> list[FieldProblem]:
    return check_not_future("changed_on", change.changed_on, context)


def check_activity(activity: Activity, context: RuleContext) -> list[FieldProblem]:
    problems = check_not_future("start_date", activity.start_date, context)
    problems += check_not_future("end_date", activity.end_date, context)
    if activity.end_date < activity.start_date:
        problems.append(
            (
                "end_date",
                f"end date {activity.end_date.isoformat()} is before start date "
                f"{activity.start_date.isoformat()}",
            )
        )
    for name in ("area_cancelled_m2", "area_reduced_m2", "area_cleared_m2", "team_days"):
        problems += check_non_negative(name, getattr(activity, name))
    problems += check_geometry("geometry", activity.geometry, context, POLYGONAL)
    return problems


AttributeRule = Callable[[Any, "RuleContext"], list[FieldProblem]]


@dataclass(frozen=True)
class SplitCheck:
    """A kind's check made of rules that each read one attribute, then its geometry rule.

    Written this way, a check can be run on whole columns: each attribute's rule once
    per distinct value, the geometry rule on the array of shapes
    (:mod:`demine.ingest.columnar`); on one record it is an ordinary check.
    """

    #: (entity attribute, its rule), in the order problems are reported.
    attributes: tuple[tuple[str, AttributeRule], ...]
    #: The geometry types allowed (:func:`check_geometry`); None: no geometry rule.
    geometry: tuple[str, ...] | None = None

    def __call__(self, record: Any, context: RuleContext) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        for attribute, rule in self.attributes:
            problems += rule(getattr(record, attribute), context)
        if self.geometry is not None:
            problems += check_geometry("geometry", record.geometry, context, self.geometry)
        return problems


def check_find_quantity(quantity: int, _context: RuleContext) -> list[FieldProblem]:
    if quantity <= 0:
        return [("quantity", f"must be a positive whole number (got {quantity})")]
    if quantity > MAX_QUANTITY_PER_FIND:
        return [("quantity", f"{quantity} devices in one record is implausible")]
    return []


def _check_found(found: EventDate, context: RuleContext) -> list[FieldProblem]:
    return check_event_date("found_on", found, context)


check_device_find = SplitCheck(
    (("found", _check_found), ("quantity", check_find_quantity)), geometry=PUNCTUAL
)


def check_reported_summary(summary: ReportedSummary, context: RuleContext) -> list[FieldProblem]:
    problems = check_not_future("period_end", summary.period_end, context)
    if summary.period_end < summary.period_start:
        problems.append(("period_end", "period ends before it starts"))
    for name in ("ap_mines", "at_mines", "uxo", "other_devices", "area_cleared_m2"):
        problems += check_non_negative(name, getattr(summary, name))
    return problems


def check_victim(victim: Victim, context: RuleContext) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if victim.age is not None and not 0 <= victim.age <= 120:
        problems.append(("age", f"age {victim.age} is not between 0 and 120"))
    if victim.age_band is not None and victim.age_band not in AGE_BANDS:
        bands = ", ".join(sorted(AGE_BANDS))
        problems.append(("age_band", f"unknown age band '{victim.age_band}' (accepted: {bands})"))
    elif victim.age is not None and victim.age_band is not None:
        child = victim.age < CHILD_AGE_LIMIT
        if (victim.age_band in CHILD_AGE_BANDS) != child:
            problems.append(("age_band", f"age {victim.age} does not fit band '{victim.age_band}'"))
    return problems


def check_baseline(baseline: CasualtyBaseline, context: RuleContext) -> list[FieldProblem]:
    problems = check_not_future("as_of", baseline.as_of, context)
    for name in ("total", "killed", "injured", "children", "women", "civilians"):
        value = getattr(baseline, name)
        problems += check_non_negative(name, value)
        if name != "total" and value is not None and value > baseline.total:
            problems.append((name, f"{name} ({value}) exceeds the total ({baseline.total})"))
    return problems


def check_accident(accident: Accident, context: RuleContext) -> list[FieldProblem]:
    problems = check_event_date("occurred_on", accident.occurred, context)
    problems += check_geometry("geometry", accident.geometry, context, PUNCTUAL)
    return problems


def _required_geometry(
    field: str, geometry: BaseGeometry | None, context: RuleContext, allowed: tuple[str, ...]
) -> list[FieldProblem]:
    if geometry is None:
        return [(field, f"geometry is required ({' or '.join(allowed)})")]
    return check_geometry(field, geometry, context, allowed)


def check_minefield_record(record: MinefieldRecord, context: RuleContext) -> list[FieldProblem]:
    """A record needs its declared coverage; counts and uncertainty cannot be negative."""
    problems = check_not_future("received_on", record.received_on, context)
    for name in ("declared_ap_mines", "declared_at_mines", "declared_other_devices"):
        problems += check_non_negative(name, getattr(record, name))
    problems += check_non_negative("stated_uncertainty_m", record.stated_uncertainty_m)
    for declared in record.declared_models:
        if declared.count < 0:
            problems.append(("declared_models", f"{declared.model}: count must not be negative"))
    problems += _required_geometry("geometry", record.geometry, context, POLYGONAL)
    return problems


def check_minefield_row(row: MinefieldRow, context: RuleContext) -> list[FieldProblem]:
    """A declared row is a line of devices that minefields hold, counted from zero up."""
    problems = check_non_negative("declared_count", row.declared_count)
    if row.category not in LAID_CATEGORIES:
        laid = ", ".join(c.value for c in LAID_CATEGORIES)
        problems.append(("category", f"{row.category.value} is not laid in rows (use {laid})"))
    problems += _required_geometry("geometry", row.geometry, context, LINEAR)
    return problems


def check_minefield_point(point: MinefieldPoint, context: RuleContext) -> list[FieldProblem]:
    return _required_geometry("geometry", point.geometry, context, PUNCTUAL)


def check_project(project: DevelopmentProject, context: RuleContext) -> list[FieldProblem]:
    """A project needs a shape with an area once buffered, a priority of 1–5 and a
    plausible buffer; its planned start may lie in the future."""
    problems: list[FieldProblem] = []
    if not HIGHEST_PRIORITY <= project.priority <= LOWEST_PRIORITY:
        problems.append(
            (
                "priority",
                f"priority {project.priority} is not between {HIGHEST_PRIORITY} (most urgent) "
                f"and {LOWEST_PRIORITY}",
            )
        )
    problems += check_non_negative("buffer_m", project.buffer_m)
    if project.buffer_m > MAX_BUFFER_M:
        problems.append(("buffer_m", f"a buffer of {project.buffer_m:g} m is implausible"))
    problems += check_non_negative("people_benefiting", project.people_benefiting)
    problems += _required_geometry("geometry", project.geometry, context, (*POLYGONAL, *LINEAR))
    geometry = project.geometry
    if geometry is not None and geometry.geom_type in LINEAR and project.buffer_m <= 0:
        problems.append(("buffer_m", "a line has no area: give the working buffer in metres"))
    return problems
