"""The whole demo register for Azerbaijan, built deterministically from a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demine.demo.activities import plan_week
from demine.demo.assistance import plan_assistance
from demine.demo.casualties import plan_casualties
from demine.demo.districts import country_area, district_areas
from demine.demo.eore import demo_eore_sessions
from demine.demo.finds import plan_finds
from demine.demo.hazards import plan_hazards
from demine.demo.organisations import demo_organisations
from demine.demo.projects import demo_projects
from demine.demo.quality import plan_quality
from demine.demo.records import plan_records
from demine.demo.series import weekly_series
from demine.demo.sites import HazardIndex
from demine.demo.tasks import demo_tasks
from demine.domain.assistance import Assistance
from demine.domain.entities import (
    Accident,
    Activity,
    AdminArea,
    CasualtyBaseline,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    Organisation,
    ReportedSummary,
    Victim,
)
from demine.domain.eore import EoreSession
from demine.domain.projects import DevelopmentProject
from demine.domain.quality import NonConformity, QualityInspection
from demine.domain.records import MinefieldPoint, MinefieldRecord, MinefieldRow
from demine.domain.tasks import Accreditation, Task

DEFAULT_SEED = 2024


@dataclass(frozen=True)
class DemoRegister:
    """Every record of the demo register, as domain objects ready to store."""

    admin_areas: tuple[AdminArea, ...]
    organisations: tuple[Organisation, ...]
    hazards: tuple[HazardArea, ...]
    hazard_status_changes: tuple[HazardStatusChange, ...]
    activities: tuple[Activity, ...]
    device_finds: tuple[DeviceFind, ...]
    reported_summaries: tuple[ReportedSummary, ...] = ()
    accidents: tuple[Accident, ...] = ()
    victims: tuple[Victim, ...] = ()
    assistance: tuple[Assistance, ...] = ()
    casualty_baselines: tuple[CasualtyBaseline, ...] = ()
    minefield_records: tuple[MinefieldRecord, ...] = ()
    minefield_rows: tuple[MinefieldRow, ...] = ()
    minefield_points: tuple[MinefieldPoint, ...] = ()
    projects: tuple[DevelopmentProject, ...] = ()
    accreditations: tuple[Accreditation, ...] = ()
    tasks: tuple[Task, ...] = ()
    quality_inspections: tuple[QualityInspection, ...] = ()
    non_conformities: tuple[NonConformity, ...] = ()
    eore_sessions: tuple[EoreSession, ...] = ()


def build_demo(seed: int = DEFAULT_SEED) -> DemoRegister:
    """The demo register; the same seed always gives the same records."""
    planned_hazards = plan_hazards(seed)
    index = HazardIndex(planned_hazards)
    activities: list[Activity] = []
    finds: list[DeviceFind] = []
    for number, week in enumerate(weekly_series(seed)):
        # One stream per week: a change to one week's plan leaves the others alone.
        rng = np.random.default_rng([seed, 3, number])
        planned = plan_week(rng, week, index)
        activities.extend(p.activity for p in planned)
        finds.extend(plan_finds(rng, week, planned))
    hazards = tuple(p.hazard for p in planned_hazards)
    casualties = plan_casualties(seed, hazards)
    # Moves some clearance results onto the records (same counts and dates): see records.py.
    records = plan_records(seed, planned_hazards, activities, finds, casualties.accidents)
    # After the records moved some activities: tasks name activities as they are stored.
    tasking = demo_tasks(hazards, activities)
    changes = tuple(c for p in planned_hazards for c in p.changes)
    quality = plan_quality(seed, activities, changes)
    return DemoRegister(
        admin_areas=(country_area(), *district_areas()),
        organisations=demo_organisations(),
        hazards=hazards,
        hazard_status_changes=changes,
        activities=tuple(activities),
        device_finds=tuple(finds),
        accidents=casualties.accidents,
        victims=casualties.victims,
        assistance=plan_assistance(seed, casualties.accidents, casualties.victims),
        casualty_baselines=casualties.baselines,
        minefield_records=records.records,
        minefield_rows=records.rows,
        minefield_points=records.points,
        projects=demo_projects(),
        accreditations=tasking.accreditations,
        tasks=tasking.tasks,
        quality_inspections=quality.inspections,
        non_conformities=quality.non_conformities,
        eore_sessions=demo_eore_sessions(seed),
    )
