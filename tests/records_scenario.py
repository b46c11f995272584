"""A constructed register of minefield records whose verdicts are known in advance.

Everything is laid out in metres in UTM zone 38N (EPSG:32638) around a point in
Aghdam, so that each distance in the test is exact: a find "140 m outside" the declared
area is placed 140 m from its edge. The ground truth is written beside each record.

Districts: AZ-AGD west of x = 3 000 m, AZ-TAR east of it.

- A (AGD, source 2021): 400 × 200 m, two AT rows of 20 TM-62M, fully worked. 38 AT on
  the rows (10 m off), 2 AP 140 m north of the area → accurate (95% found, 5% outside).
  Also 5 AP inside record F, 250–350 m east (explained by F, not held against A), 50 UXO
  100 m south (UXO is not compared) and 10 AT 100 m south found after the as-of date.
- B (AGD, 2021): 300 × 300 m, declares 20 AP and 10 AT, no rows, fully worked. 12 AP
  and 6 AT inside, 4 AP 200 m outside → partly accurate (60% found, 18% outside).
- C (TAR, 2024): 200 × 200 m, declares 30 AT, fully worked. 3 AT inside, 12 AT and an
  accident 300 and 250 m outside → inaccurate (10% found).
- D (TAR, 2024): 400 × 400 m, declares 10 AP, 30% worked → not yet verifiable.
- E (AGD, 2021): 200 × 200 m, declares 10 AP, states 60 m uncertainty, 80% worked. 8 AP
  lie 50 m outside its edge (within its 60 m) → accurate (8 of the 8 expected).
- F (AGD, 2024): 100 × 100 m, 300 m east of A, never worked → not yet verifiable.
- G: received after the as-of date → not judged at all.

Accidents from 2020-11-10 to the as-of date: one inside A, one inside D, one 250 m
outside C, one far from every record (TAR), one with no location (AGD); one in 2019
(outside the period). Located: 4, outside all records: 2 → share 0.5.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from demine.domain.dates import EventDate
from demine.domain.entities import Accident, Activity, AdminArea, DeviceFind, Organisation
from demine.domain.records import DeclaredModel, MinefieldRecord, MinefieldRow
from demine.domain.vocab import (
    ActivityKind,
    AdminLevel,
    EOCategory,
    OrganisationKind,
    RecordStatus,
    RecordType,
)

AS_OF = date(2025, 12, 31)
WORKED_ON = date(2023, 6, 30)
FOUND_ON = EventDate.on(date(2023, 6, 20))
SOURCE_2021 = "handed over 2021"
SOURCE_2024 = "handed over 2024"

_TO_LONLAT = Transformer.from_crs("EPSG:32638", "EPSG:4326", always_xy=True)
_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)
E0, N0 = _TO_UTM.transform(46.95, 40.05)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude of the point ``x``, ``y`` metres from the scenario origin."""
    lon, lat = _TO_LONLAT.transform(E0 + x, N0 + y)
    return float(lon), float(lat)


def shape(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry drawn in metres from the origin, in longitude/latitude."""

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = _TO_LONLAT.transform(E0 + coords[:, 0], N0 + coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, convert)


def _rect(cx: float, cy: float, width: float, height: float) -> BaseGeometry:
    return shape(box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))


def _record(
    key: str, district: str, source: str, area: BaseGeometry, **kw: object
) -> MinefieldRecord:
    return MinefieldRecord(
        external_id=key,
        country="AZ",
        district=district,
        source=source,
        received_on=kw.pop("received_on", date(2021, 3, 1)),  # type: ignore[arg-type]
        record_type=RecordType.MAP,
        status=RecordStatus.UNDER_VERIFICATION,
        geometry=area,
        **kw,  # type: ignore[arg-type]
    )


def _finds(prefix: str, category: EOCategory, points: list[tuple[float, float]],
           district: str = "AZ-AGD", found: EventDate = FOUND_ON) -> list[DeviceFind]:  # fmt: skip
    return [
        DeviceFind(
            external_id=f"{prefix}-{n}",
            country="AZ",
            district=district,
            category=category,
            quantity=1,
            found=found,
            model="TM-62M" if category is EOCategory.AT_MINE else None,
            geometry=Point(lonlat(x, y)),
        )
        for n, (x, y) in enumerate(points, start=1)
    ]


def _worked(key: str, district: str, area: BaseGeometry) -> Activity:
    return Activity(
        external_id=key,
        country="AZ",
        kind=ActivityKind.CLEARANCE,
        organisation="ANAMA",
        district=district,
        start_date=date(2023, 6, 1),
        end_date=WORKED_ON,
        area_cleared_m2=1.0,
        geometry=area,
    )


def _accident(key: str, district: str, at: tuple[float, float] | None, day: date) -> Accident:
    return Accident(
        external_id=key,
        country="AZ",
        district=district,
        occurred=EventDate.on(day),
        device_category=EOCategory.AP_MINE,
        geometry=None if at is None else Point(lonlat(*at)),
    )


def _along(x0: float, x1: float, y: float, count: int) -> list[tuple[float, float]]:
    return [(float(x), y) for x in np.linspace(x0, x1, count)]


def scenario() -> list[object]:
    """Every entity of the scenario, in the order they refer to each other."""
    west, east = shape(box(-5_000, -5_000, 3_000, 5_000)), shape(box(3_000, -5_000, 12_000, 5_000))
    areas = [
        AdminArea("AZ", "Azerbaijan", AdminLevel.COUNTRY, "AZ",
                  geometry=Polygon([(44.7, 38.3), (50.7, 38.3), (50.7, 41.95), (44.7, 41.95)])),
        AdminArea("AZ-AGD", "Aghdam", AdminLevel.DISTRICT, "AZ", "AZ", reporting_order=2,
                  geometry=west),
        AdminArea("AZ-TAR", "Tartar", AdminLevel.DISTRICT, "AZ", "AZ", reporting_order=1,
                  geometry=east),
    ]  # fmt: skip
    organisations = [Organisation("ANAMA", "ANAMA", OrganisationKind.NATIONAL_AGENCY, "AZ")]
    a = _record("A", "AZ-AGD", SOURCE_2021, _rect(0, 0, 400, 200), declared_at_mines=40,
                declared_models=(DeclaredModel("TM-62M", 40),))  # fmt: skip
    b = _record("B", "AZ-AGD", SOURCE_2021, _rect(2_000, 0, 300, 300),
                declared_ap_mines=20, declared_at_mines=10)  # fmt: skip
    c = _record("C", "AZ-TAR", SOURCE_2024, _rect(5_000, 0, 200, 200), declared_at_mines=30,
                received_on=date(2024, 2, 14))  # fmt: skip
    d = _record("D", "AZ-TAR", SOURCE_2024, _rect(8_000, 0, 400, 400), declared_ap_mines=10,
                received_on=date(2024, 2, 14))  # fmt: skip
    e = _record("E", "AZ-AGD", SOURCE_2021, _rect(0, 2_000, 200, 200), declared_ap_mines=10,
                stated_uncertainty_m=60.0)  # fmt: skip
    f = _record("F", "AZ-AGD", SOURCE_2024, _rect(500, 0, 100, 100), declared_ap_mines=5,
                received_on=date(2024, 2, 14))  # fmt: skip
    g = _record("G", "AZ-AGD", SOURCE_2024, _rect(0, -2_000, 100, 100), declared_ap_mines=5,
                received_on=date(2026, 3, 1))  # fmt: skip
    rows = [
        MinefieldRow("A-R1", "A", EOCategory.AT_MINE, "TM-62M", 20,
                     shape(LineString([(-180, 50), (180, 50)]))),
        MinefieldRow("A-R2", "A", EOCategory.AT_MINE, "TM-62M", 20,
                     shape(LineString([(-180, -50), (180, -50)]))),
    ]  # fmt: skip
    activities = [
        _worked("W-A", "AZ-AGD", _rect(0, 0, 420, 220)),
        _worked("W-B", "AZ-AGD", _rect(2_000, 0, 320, 320)),
        _worked("W-C", "AZ-TAR", _rect(5_000, 0, 220, 220)),
        _worked("W-D", "AZ-TAR", shape(box(7_800, -200, 7_920, 200))),  # 120 of 400 m: 30%
        _worked("W-E", "AZ-AGD", shape(box(-100, 1_900, 60, 2_100))),  # 160 of 200 m: 80%
    ]
    finds = [
        *_finds("A-AT", EOCategory.AT_MINE, _along(-170, 170, 60, 19) + _along(-170, 170, -40, 19)),
        *_finds("A-OUT-AP", EOCategory.AP_MINE, [(0, 240), (50, 240)]),
        *_finds("F-AP", EOCategory.AP_MINE, _along(460, 540, 0, 5)),
        *_finds("A-UXO", EOCategory.UXO, _along(-150, 150, -200, 50)),
        *_finds("A-LATE", EOCategory.AT_MINE, _along(-150, 150, -200, 10),
                found=EventDate.on(date(2026, 2, 1))),
        *_finds("B-AP", EOCategory.AP_MINE, _along(1_900, 2_100, 0, 12)),
        *_finds("B-AT", EOCategory.AT_MINE, _along(1_900, 2_100, 50, 6)),
        *_finds("B-OUT-AP", EOCategory.AP_MINE, _along(1_950, 2_050, 350, 4)),
        *_finds("C-AT", EOCategory.AT_MINE, _along(4_950, 5_050, 0, 3), district="AZ-TAR"),
        *_finds("C-OUT-AT", EOCategory.AT_MINE, _along(4_950, 5_050, 400, 12),
                district="AZ-TAR"),
        *_finds("E-AP", EOCategory.AP_MINE, _along(-90, 50, 2_150, 8)),
    ]  # fmt: skip
    accidents = [
        _accident("ACC-IN-A", "AZ-AGD", (0, 50), date(2022, 5, 1)),
        _accident("ACC-IN-D", "AZ-TAR", (8_000, 0), date(2024, 8, 1)),
        _accident("ACC-NEAR-C", "AZ-TAR", (5_000, -350), date(2025, 1, 10)),
        _accident("ACC-FAR", "AZ-TAR", (10_000, 3_000), date(2021, 7, 1)),
        _accident("ACC-NOWHERE", "AZ-AGD", None, date(2023, 3, 3)),
        _accident("ACC-2019", "AZ-AGD", (-4_000, -4_000), date(2019, 6, 1)),
    ]
    return [*areas, *organisations, a, b, c, d, e, f, g, *rows, *activities, *finds, *accidents]
