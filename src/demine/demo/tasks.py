"""Tasks and accreditations for the demo: orders that match the demo's own work.

Every operator is accredited for the methods its demo activities use, from 2021 to the
end of 2026, except one commercial operator whose technical-survey accreditation lapsed
in mid-2025 (its next survey task stays planned until it is renewed). Completed tasks
name the activities that worked their hazard, by one operator and method; ongoing,
issued, planned, suspended and cancelled tasks lie on hazards still open or worked on.
Nothing is random and nothing here changes a figure: tasks only name records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from demine.demo.districts import COUNTRY
from demine.domain.entities import Activity, HazardArea
from demine.domain.tasks import Accreditation, Task
from demine.domain.vocab import HazardStatus, TaskAsset, TaskMethod, TaskStatus

ACCREDITED_FROM = date(2021, 1, 1)
ACCREDITED_UNTIL = date(2026, 12, 31)
#: The operator whose technical-survey accreditation lapsed, and when.
LAPSED = ("DEMO-QAYA", TaskMethod.TECHNICAL_SURVEY, date(2025, 6, 30))
#: Ongoing tasks name the activities of their last year.
ONGOING_SINCE = date(2025, 1, 1)
#: Tasks still open are planned from the first week after the demo's series.
NEXT_START = date(2026, 1, 12)
NEXT_DUE = date(2026, 6, 30)

_ABBREVIATIONS = {
    TaskMethod.NON_TECHNICAL_SURVEY: "NTS",
    TaskMethod.TECHNICAL_SURVEY: "TS",
    TaskMethod.CLEARANCE: "CLR",
    TaskMethod.BATTLE_AREA_CLEARANCE: "BAC",
    TaskMethod.EOD_SPOT_TASK: "EOD",
}
_ASSETS = {
    TaskMethod.NON_TECHNICAL_SURVEY: (),
    TaskMethod.TECHNICAL_SURVEY: (TaskAsset.MECHANICAL, TaskAsset.MANUAL),
    TaskMethod.CLEARANCE: (TaskAsset.MANUAL, TaskAsset.MINE_DETECTION_DOGS),
    TaskMethod.BATTLE_AREA_CLEARANCE: (TaskAsset.MANUAL,),
    TaskMethod.EOD_SPOT_TASK: (TaskAsset.MANUAL,),
}
_SAFETY = {
    TaskMethod.NON_TECHNICAL_SURVEY: "Stay on used paths; interview residents before entering.",
    TaskMethod.TECHNICAL_SURVEY: "Mechanical asset first; safety distance 50 m behind it.",
    TaskMethod.CLEARANCE: "AP and AT mines reported: casualty evacuation point at the access road.",
    TaskMethod.BATTLE_AREA_CLEARANCE: "Submunitions possible: no handling, destroy in place.",
    TaskMethod.EOD_SPOT_TASK: "Single item: cordon 300 m, destroy in place.",
}


@dataclass(frozen=True)
class DemoTasks:
    accreditations: tuple[Accreditation, ...]
    tasks: tuple[Task, ...]


def _accreditations(activities: Iterable[Activity]) -> tuple[Accreditation, ...]:
    pairs = sorted({(a.organisation, a.kind) for a in activities})
    result = []
    for organisation, method in pairs:
        until = LAPSED[2] if (organisation, method) == LAPSED[:2] else ACCREDITED_UNTIL
        abbreviation = _ABBREVIATIONS[method]
        result.append(
            Accreditation(
                external_id=f"AZ-ACC-{organisation}-{abbreviation}",
                organisation=organisation,
                method=method,
                valid_from=ACCREDITED_FROM,
                valid_until=until,
                reference=f"ANAMA/ACC/{organisation}/{abbreviation}",
            )
        )
    return tuple(result)


def _task(
    number: int,
    hazard: HazardArea,
    organisation: str,
    method: TaskMethod,
    status: TaskStatus,
    start: date,
    due: date,
    activities: Sequence[Activity] = (),
) -> Task:
    return Task(
        external_id=f"AZ-TSK-{number:03d}",
        country=COUNTRY,
        district=hazard.district,
        organisation=organisation,
        method=method,
        status=status,
        planned_start=start,
        due_date=due,
        hazards=(hazard.external_id,),
        team=f"{organisation}-{_ABBREVIATIONS[method]}-{number % 4 + 1}",
        assets=_ASSETS[method],
        priority=number % 3 + 1,
        activities=tuple(a.external_id for a in activities),
        safety_notes=_SAFETY[method],
        geometry=hazard.geometry,
    )


def _done_by(
    number: int, hazard: HazardArea, group: Sequence[Activity], status: TaskStatus, due: date
) -> Task:
    """A task whose activities are ``group`` (one operator, one method), from its first."""
    first = group[0]
    return _task(
        number, hazard, first.organisation, first.kind, status, first.start_date, due, group
    )


def _spread(hazards: Iterable[HazardArea]) -> list[HazardArea]:
    """``hazards`` taking each district in turn (by identifier within a district)."""
    by_district: dict[str, list[HazardArea]] = defaultdict(list)
    for hazard in sorted(hazards, key=lambda h: h.external_id):
        by_district[hazard.district].append(hazard)
    rounds = max((len(group) for group in by_district.values()), default=0)
    return [
        by_district[district][turn]
        for turn in range(rounds)
        for district in sorted(by_district)
        if turn < len(by_district[district])
    ]


def _groups(
    hazards: Sequence[HazardArea], activities: Iterable[Activity], since: date | None = None
) -> dict[str, list[list[Activity]]]:
    """Per hazard, its activities (ended on or after ``since``) by one operator and one
    method, 2 to 6 of them; never those of a lapsed accreditation's operator and method."""
    by_hazard: dict[str, dict[tuple[str, TaskMethod], list[Activity]]] = defaultdict(dict)
    for activity in activities:
        if since is not None and activity.end_date < since:
            continue
        if activity.hazard is not None and (activity.organisation, activity.kind) != LAPSED[:2]:
            key = (activity.organisation, activity.kind)
            by_hazard[activity.hazard].setdefault(key, []).append(activity)
    return {
        hazard.external_id: [
            sorted(group, key=lambda a: a.end_date)
            for _, group in sorted(by_hazard[hazard.external_id].items())
            if 2 <= len(group) <= 6
        ]
        for hazard in hazards
    }


def demo_tasks(hazards: Sequence[HazardArea], activities: Sequence[Activity]) -> DemoTasks:
    """Twelve tasks over the demo's hazards, and the accreditations of its operators."""
    ordered = _spread(hazards)
    groups = _groups(ordered, activities)
    recent = _groups(ordered, activities, ONGOING_SINCE)
    tasks: list[Task] = []
    closed = [h for h in ordered if h.status is HazardStatus.CLOSED and groups[h.external_id]]
    for hazard in closed[:5]:
        group = groups[hazard.external_id][0]
        due = group[-1].end_date + timedelta(days=14)
        tasks.append(_done_by(len(tasks) + 1, hazard, group, TaskStatus.COMPLETED, due))
    worked = [h for h in ordered if h.status is HazardStatus.WORKED_ON and recent[h.external_id]]
    ongoing = (TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS, TaskStatus.SUSPENDED)
    for hazard, status in zip(worked, ongoing, strict=False):
        group = recent[hazard.external_id][-1]
        tasks.append(_done_by(len(tasks) + 1, hazard, group, status, NEXT_DUE))
    still_open = [h for h in ordered if h.status is HazardStatus.OPEN]
    upcoming = (
        ("ANAMA", TaskMethod.CLEARANCE, TaskStatus.ISSUED),
        (LAPSED[0], LAPSED[1], TaskStatus.PLANNED),
        ("MOD-ENG", TaskMethod.CLEARANCE, TaskStatus.PLANNED),
        ("DEMO-AZDC", TaskMethod.NON_TECHNICAL_SURVEY, TaskStatus.CANCELLED),
    )
    for hazard, (organisation, method, status) in zip(still_open, upcoming, strict=False):
        tasks.append(
            _task(len(tasks) + 1, hazard, organisation, method, status, NEXT_START, NEXT_DUE)
        )
    return DemoTasks(_accreditations(activities), tuple(tasks))
