"""A constructed register whose land-release, project and forecast figures are known.

Everything is drawn in metres in UTM zone 38N around a point in Aghdam (the helpers of
tests/records_scenario.py), so that every area is exact. Districts: AZ-AGD west of
x = 3 000 m, AZ-TAR east of it. The as-of day is 2025-12-31; the six-month window of
productivity runs from after 2025-06-30 to 2025-12-31 (184 days).

Hazards (recorded 2021-05-01 unless said):
- H1 CHA, AGD, 400 × 200 m at (0, 0): 80 000 m², never worked.
- H2 SHA, AGD, 200 × 200 m at (1 000, 0): 40 000 m²; a technical survey linked to it
  reduced 10 000 m² on 2025-03-10 → 30 000 m² remain (share 0.75).
- H3 CHA, AGD, 200 × 200 m at (2 000, 0): closed on 2025-02-01 → counts nothing after.
- H4 CHA, TAR, 200 × 200 m at (5 000, 0): 40 000 m², never worked.
- H5 CHA, AGD, recorded 2026-02-01 (after the as-of day) → not known yet.
Remaining on 2025-12-31: CHA 120 000 m² (AGD 80 000, TAR 40 000), SHA 30 000 m².

Clearance in the window: AGD 300 000 m² in 120 team-days and 160 000 m² in 64
(2 500 m² per team-day, 184 team-days in 184 days: one a day); TAR 90 000 m² in 30
(3 000 m² per team-day). Left out: one ending on 2025-06-30 (outside), one still a
submitted draft, and a technical survey (not clearance).

Projects:
- P1 road, AGD, a line from (−600, 0) to (2 400, 0) with a 50 m buffer, priority 1,
  1 000 people: 400 × 100 m of H1 (40 000 m² CHA), 200 × 100 m of H2 × 0.75 (15 000 m²
  SHA), H3 closed. Effort 55 000 / 2 500 = 22 team-days; at one team-day a day, clear
  on 2026-01-22. 7 devices within 500 m: 5 in H1 on the footprint's edge and 2 350 m
  away (1 more 550 m away, and 4 found after the as-of day, are not counted); 2
  accidents: one in H1 inside the footprint, one 250 m away; it overlaps record MFR-P1
  (MFR-LATE came after the as-of day).
- P2 solar farm, TAR, 300 × 400 m polygon from x = 5 000 m, priority 3, 5 000 people:
  100 × 200 m of H4 = 20 000 m² CHA; 20 000 / 3 000 = 6.667 team-days at 30/184
  team-days a day → 40.9 days → 2026-02-10.
- P3 village, AGD, 100 × 100 m at (−2 000, −2 000), priority 5: no hazard, 3 devices
  300 m away (1 more 700 m away), an accident 200 m away → clear on the as-of day.
- P4: deleted, never counted.

Ranks with equal weights: P2 (0.6402), P1 (0.55), P3 (0.25).

Weekly release in the four weeks to 2025-12-28 (AGD, unlinked surveys): 20 000, 10 000,
0 and 30 000 m² with 12, 12, 0 and 24 team-days: mean 15 000 m² (p10 3 000, p90
27 000), two teams. AGD's 110 000 m² → 2026-02-21 (2026-01-29 to 2026-09-14); with
two more teams → 2026-01-26. TAR released nothing → no progress. Nationally 150 000 m²
→ 2026-03-11 (2026-02-08 to 2026-12-16).

Evidence outside known hazards: 2 of 3 located accidents (none inside a record), and
4 of 6 located find records holding 7 devices (the survey's find is work on H2).
"""

from __future__ import annotations

from datetime import date

from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import update
from tests.records_scenario import lonlat, shape

from demine.domain.dates import EventDate
from demine.domain.entities import (
    Accident,
    Activity,
    AdminArea,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    Organisation,
)
from demine.domain.projects import DevelopmentProject
from demine.domain.records import MinefieldRecord
from demine.domain.vocab import (
    ActivityKind,
    AdminLevel,
    EOCategory,
    HazardClassification,
    HazardStatus,
    OrganisationKind,
    ProjectKind,
    RecordStatus,
    RecordType,
)
from demine.ingest.importer import save_entities
from demine.store import schema
from demine.store.engine import Store

AS_OF = date(2025, 12, 31)
RECORDED = date(2021, 5, 1)


def _rect(cx: float, cy: float, width: float, height: float) -> Polygon:
    geometry = shape(box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))
    assert isinstance(geometry, Polygon)
    return geometry


def _hazard(key: str, district: str, kind: HazardClassification, status: HazardStatus,
            area: Polygon, estimated: float, recorded: date = RECORDED) -> HazardArea:  # fmt: skip
    return HazardArea(key, "AZ", district, kind, status, recorded, estimated_area_m2=estimated,
                      geometry=area)  # fmt: skip


def _activity(key: str, kind: ActivityKind, district: str, end: date, team_days: float,
              cleared: float = 0.0, reduced: float = 0.0, cancelled: float = 0.0,
              hazard: str | None = None) -> Activity:  # fmt: skip
    return Activity(key, "AZ", kind, "ANAMA", district, end, end, hazard=hazard,
                    area_cancelled_m2=cancelled, area_reduced_m2=reduced, area_cleared_m2=cleared,
                    team_days=team_days)  # fmt: skip


def _find(key: str, at: tuple[float, float], quantity: int, day: date = date(2025, 8, 1),
          activity: str | None = None) -> DeviceFind:  # fmt: skip
    return DeviceFind(key, "AZ", "AZ-AGD", EOCategory.AP_MINE, quantity, EventDate.on(day),
                      activity=activity, geometry=Point(lonlat(*at)))  # fmt: skip


def _accident(key: str, at: tuple[float, float]) -> Accident:
    return Accident(key, "AZ", "AZ-AGD", EventDate.on(date(2024, 5, 1)),
                    geometry=Point(lonlat(*at)))  # fmt: skip


def _project(key: str, district: str, kind: ProjectKind, geometry: BaseGeometry, priority: int,
             people: int | None, buffer_m: float = 0.0) -> DevelopmentProject:  # fmt: skip
    start = date(2026, 1, 15)
    return DevelopmentProject(key, "AZ", district, key, kind, priority, buffer_m, owner="Ministry",
                              people_benefiting=people, planned_start=start,
                              geometry=shape(geometry))  # fmt: skip


def scenario() -> list[object]:
    """Every entity of the scenario, in the order they refer to each other."""
    west, east = shape(box(-5_000, -5_000, 3_000, 5_000)), shape(box(3_000, -5_000, 12_000, 5_000))
    cha, sha = HazardClassification.CHA, HazardClassification.SHA
    clearance, survey = ActivityKind.CLEARANCE, ActivityKind.TECHNICAL_SURVEY
    nts = ActivityKind.NON_TECHNICAL_SURVEY
    return [
        AdminArea("AZ", "Azerbaijan", AdminLevel.COUNTRY, "AZ",
                  geometry=Polygon([(44.7, 38.3), (50.7, 38.3), (50.7, 41.95), (44.7, 41.95)])),
        AdminArea("AZ-AGD", "Aghdam", AdminLevel.DISTRICT, "AZ", "AZ", reporting_order=2,
                  geometry=west),
        AdminArea("AZ-TAR", "Tartar", AdminLevel.DISTRICT, "AZ", "AZ", reporting_order=1,
                  geometry=east),
        Organisation("ANAMA", "ANAMA", OrganisationKind.NATIONAL_AGENCY, "AZ"),
        _hazard("H1", "AZ-AGD", cha, HazardStatus.OPEN, _rect(0, 0, 400, 200), 80_000),
        _hazard("H2", "AZ-AGD", sha, HazardStatus.WORKED_ON, _rect(1_000, 0, 200, 200), 40_000),
        _hazard("H3", "AZ-AGD", cha, HazardStatus.CLOSED, _rect(2_000, 0, 200, 200), 40_000),
        _hazard("H4", "AZ-TAR", cha, HazardStatus.OPEN, _rect(5_000, 0, 200, 200), 40_000),
        _hazard("H5", "AZ-AGD", cha, HazardStatus.OPEN, _rect(0, 1_000, 200, 200), 40_000,
                recorded=date(2026, 2, 1)),
        HazardStatusChange("H2-S1", "H2", date(2025, 3, 1), HazardStatus.WORKED_ON),
        HazardStatusChange("H3-S1", "H3", date(2025, 2, 1), HazardStatus.CLOSED, "cleared"),
        _activity("T0", survey, "AZ-AGD", date(2025, 3, 10), 30, reduced=10_000, hazard="H2"),
        _activity("OLD", clearance, "AZ-AGD", date(2025, 6, 30), 10, cleared=1_000_000),
        _activity("A1", clearance, "AZ-AGD", date(2025, 9, 7), 120, cleared=300_000),
        _activity("A2", clearance, "AZ-AGD", date(2025, 11, 30), 64, cleared=160_000),
        _activity("A3", clearance, "AZ-TAR", date(2025, 10, 12), 30, cleared=90_000),
        _activity("TS1", survey, "AZ-AGD", date(2025, 10, 5), 50, reduced=5_000),
        _activity("DRAFT", clearance, "AZ-AGD", date(2025, 12, 10), 1, cleared=1_000_000),
        _activity("W49", nts, "AZ-AGD", date(2025, 12, 7), 12, cancelled=20_000),
        _activity("W50", survey, "AZ-AGD", date(2025, 12, 14), 12, reduced=10_000),
        _activity("W52", nts, "AZ-AGD", date(2025, 12, 28), 24, cancelled=30_000),
        _find("F-IN-H1", (50, 50), 5, activity="A1"),
        _find("F-P1-NEAR", (0, 400), 2),
        _find("F-P1-FAR", (0, 600), 1),
        _find("F-P1-LATE", (100, 400), 4, day=date(2026, 1, 5)),
        _find("F-P3-NEAR", (-2_000, -1_650), 3),
        _find("F-P3-FAR", (-2_000, -1_250), 1),
        _find("F-BY-SURVEY", (1_000, 800), 2, activity="T0"),
        _accident("ACC-P1", (1_000, -300)),
        _accident("ACC-P3", (-2_000, -2_250)),
        _accident("ACC-IN-H1", (0, 0)),
        MinefieldRecord("MFR-P1", "AZ", "AZ-AGD", "handed over", date(2021, 3, 1), RecordType.MAP,
                        RecordStatus.RECEIVED, geometry=_rect(-400, 0, 100, 100)),
        MinefieldRecord("MFR-LATE", "AZ", "AZ-AGD", "handed over", date(2026, 3, 1),
                        RecordType.MAP, RecordStatus.RECEIVED, geometry=_rect(-300, 0, 50, 50)),
        _project("P1", "AZ-AGD", ProjectKind.ROAD, LineString([(-600, 0), (2_400, 0)]), 1,
                 1_000, buffer_m=50.0),
        _project("P2", "AZ-TAR", ProjectKind.SOLAR_FARM, box(5_000, -200, 5_300, 200), 3, 5_000),
        _project("P3", "AZ-AGD", ProjectKind.SETTLEMENT, box(-2_050, -2_050, -1_950, -1_950), 5,
                 None),
        _project("P4", "AZ-AGD", ProjectKind.FARMLAND, box(0, -100, 100, 100), 1, 100_000),
    ]  # fmt: skip


def load_scenario(store: Store) -> None:
    """Save the scenario, then make DRAFT a submitted draft and delete P4."""
    save_entities(
        store, scenario(), kind="test", source_name="scenario", sha256="0" * 64, country="AZ"
    )
    with store.write() as connection:
        acts, projects = schema.activities, schema.development_projects
        connection.execute(
            update(acts).where(acts.c.external_id == "DRAFT").values(review_status="submitted")
        )
        connection.execute(
            update(projects)
            .where(projects.c.external_id == "P4")
            .values(deleted_at=projects.c.updated_at)
        )
