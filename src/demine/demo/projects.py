"""Development projects for the demo: the kinds of works planned in the liberated districts.

The projects are modelled on published plans (a highway, a solar plant in Jabrayil, a
wind farm in Kalbajar, resettled villages, a power line, an agricultural park), but
their shapes, figures and dates are invented for the demo and drawn near the demo's
synthetic hazards. Nothing here is random: the same projects come with every seed.
"""

from __future__ import annotations

from datetime import date

import shapely
from shapely.geometry.base import BaseGeometry

from demine.demo.districts import COUNTRY
from demine.domain.projects import DevelopmentProject
from demine.domain.vocab import ProjectKind

ENERGY_MINISTRY = "Ministry of Energy"
IDP_COMMITTEE = "State Committee for Refugees and IDPs"


def _line(points: str) -> BaseGeometry:
    """A line from ``"lon lat, lon lat, …"``."""
    return shapely.from_wkt(f"LINESTRING ({points})")


def _polygon(corners: str) -> BaseGeometry:
    """A polygon from its corners ``"lon lat, …"`` (the ring is closed here)."""
    first = corners.split(",")[0].strip()
    return shapely.from_wkt(f"POLYGON (({corners}, {first}))")


def _project(
    key: str,
    district: str,
    name: str,
    kind: ProjectKind,
    shape: BaseGeometry,
    *,
    owner: str,
    priority: int,
    people: int,
    start: date,
    buffer_m: float,
    notes: str,
) -> DevelopmentProject:
    return DevelopmentProject(
        external_id=key,
        country=COUNTRY,
        district=district,
        name=name,
        kind=kind,
        priority=priority,
        buffer_m=buffer_m,
        owner=owner,
        people_benefiting=people,
        planned_start=start,
        notes=notes,
        geometry=shape,
    )


def demo_projects() -> tuple[DevelopmentProject, ...]:
    """Seven planned projects, from a 45 km highway to a resettled village."""
    return (
        _project(
            "PRJ-FUZ-ROAD-01",
            "AZ-FUZ",
            "Fuzuli–Aghdam highway",
            ProjectKind.ROAD,
            _line(
                "47.150 39.592, 47.128 39.612, 47.126 39.651, 47.104 39.660, 47.100 39.700, "
                "47.060 39.800, 46.990 39.900, 46.935 39.985"
            ),
            owner="Azerbaijan Highways State Agency",
            priority=1,
            people=60_000,
            start=date(2026, 3, 1),
            buffer_m=30.0,
            notes="four lanes; 30 m construction strip each side of the centre line",
        ),
        _project(
            "PRJ-JAB-SOLAR-01",
            "AZ-JAB",
            "Jabrayil solar power plant",
            ProjectKind.SOLAR_FARM,
            _polygon("47.068 39.390, 47.096 39.392, 47.098 39.410, 47.070 39.412"),
            owner=ENERGY_MINISTRY,
            priority=2,
            people=110_000,
            start=date(2026, 6, 1),
            buffer_m=20.0,
            notes="about 240 MW; perimeter fence 20 m outside the panel field",
        ),
        _project(
            "PRJ-KAL-WIND-01",
            "AZ-KAL",
            "Kalbajar wind farm",
            ProjectKind.WIND_FARM,
            _polygon("46.000 40.122, 46.048 40.120, 46.052 40.158, 46.004 40.160"),
            owner=ENERGY_MINISTRY,
            priority=3,
            people=90_000,
            start=date(2026, 9, 1),
            buffer_m=100.0,
            notes="turbine pads, access tracks and crane areas within the outline",
        ),
        _project(
            "PRJ-AGD-VIL-01",
            "AZ-AGD",
            "Khidirli village resettlement",
            ProjectKind.SETTLEMENT,
            _polygon("46.884 40.010, 46.900 40.011, 46.901 40.022, 46.885 40.023"),
            owner=IDP_COMMITTEE,
            priority=1,
            people=1_800,
            start=date(2026, 4, 15),
            buffer_m=50.0,
            notes="about 400 houses, a school and a clinic for returning families",
        ),
        _project(
            "PRJ-AGD-PWR-01",
            "AZ-AGD",
            "Aghdam–Khankendi 110 kV power line",
            ProjectKind.POWER_LINE,
            _line("46.927 39.990, 46.930 39.919, 46.860 39.870, 46.790 39.835, 46.753 39.818"),
            owner="Azerishiq",
            priority=2,
            people=25_000,
            start=date(2026, 5, 1),
            buffer_m=25.0,
            notes="pylon footings and a 25 m corridor each side for stringing",
        ),
        _project(
            "PRJ-AGD-FARM-01",
            "AZ-AGD",
            "Aghdam agricultural park, block 1",
            ProjectKind.FARMLAND,
            _polygon("46.966 40.036, 47.004 40.034, 47.006 40.064, 46.968 40.066"),
            owner="Ministry of Agriculture",
            priority=3,
            people=4_500,
            start=date(2026, 3, 20),
            buffer_m=0.0,
            notes="irrigated fields and orchards leased to returning farmers",
        ),
        _project(
            "PRJ-ZAN-VIL-01",
            "AZ-ZAN",
            "Aghali village, phase 2",
            ProjectKind.SETTLEMENT,
            _polygon("46.640 39.100, 46.652 39.100, 46.652 39.108, 46.640 39.108"),
            owner=IDP_COMMITTEE,
            priority=2,
            people=1_200,
            start=date(2026, 2, 1),
            buffer_m=50.0,
            notes="second phase of the smart village",
        ),
    )
