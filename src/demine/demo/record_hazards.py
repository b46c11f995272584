"""Demo records from which hazard areas were drawn: the 2021 maps of Aghdam, Fuzuli and
Zangilan.

Each is a hazard's area grown by a few tens of metres (the survey drew the hazard from
the map, a little inside it), chosen among hazards too little worked for the record to
be judged yet; its declared mines follow from its area. Every number is synthetic.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from demine.demo.districts import COUNTRY
from demine.demo.geo import area_m2
from demine.demo.hazards import PlannedHazard
from demine.demo.record_frames import grow
from demine.domain.entities import Activity
from demine.domain.records import MinefieldPoint, MinefieldRecord
from demine.domain.vocab import RecordPointType, RecordStatus, RecordType

AGHDAM_2021 = ("handed over June 2021 (Aghdam maps)", date(2021, 6, 12))
FUZULI_2021 = ("handed over July 2021 (Fuzuli and Zangilan maps)", date(2021, 7, 3))
#: Records are drawn only for hazards worked less than this, so that none can be judged.
MAX_WORKED = 0.4


def _worked_shares(activities: list[Activity], hazards: list[PlannedHazard]) -> dict[str, float]:
    """Each area hazard's share worked, by the polygons of the activities linked to it."""
    worked: dict[str, list[BaseGeometry]] = defaultdict(list)
    for activity in activities:
        if activity.hazard is not None and activity.geometry is not None:
            worked[activity.hazard].append(activity.geometry)
    shares = {}
    for planned in hazards:
        hazard = planned.hazard
        if isinstance(hazard.geometry, Polygon):
            polygons = worked.get(hazard.external_id, [])
            done = shapely.union_all(polygons).intersection(hazard.geometry) if polygons else None
            shares[hazard.external_id] = area_m2(done) / area_m2(hazard.geometry) if done else 0.0
    return shares


def hazard_records_of(
    rng: np.random.Generator, hazards: list[PlannedHazard], activities: list[Activity]
) -> tuple[list[MinefieldRecord], list[MinefieldPoint]]:
    """The 2021 maps from which hazard areas of Aghdam, Fuzuli and Zangilan were drawn."""
    handovers = {"AZ-AGD": AGHDAM_2021, "AZ-FUZ": FUZULI_2021, "AZ-ZAN": FUZULI_2021}
    shares = _worked_shares(activities, hazards)
    records, points = [], []
    for planned in hazards:
        hazard = planned.hazard
        share = shares.get(hazard.external_id)
        if hazard.district not in handovers or share is None:
            continue
        if share >= MAX_WORKED:
            continue
        assert hazard.geometry is not None
        source, received = handovers[hazard.district]
        key = "AZ-MFR-2021-" + hazard.external_id.removeprefix("AZ-HAZ-").replace("-", "-H", 1)
        hectares = area_m2(hazard.geometry) / 10_000
        coverage = grow(hazard.geometry, float(rng.uniform(10.0, 40.0)))
        records.append(
            MinefieldRecord(
                external_id=key,
                country=COUNTRY,
                district=hazard.district,
                source=source,
                received_on=received,
                record_type=RecordType.MAP,
                status=RecordStatus.RECEIVED,
                declared_ap_mines=round(hectares * rng.uniform(2.0, 12.0)),
                declared_at_mines=round(hectares * rng.uniform(1.0, 5.0)),
                declared_other_devices=0,
                stated_uncertainty_m=50.0,
                notes=f"synthetic demo record; hazard area {hazard.external_id} drawn from it",
                geometry=coverage,
            )
        )
        corner = shapely.Point(coverage.exterior.coords[0])
        points.append(
            MinefieldPoint(f"{key}-P1", key, RecordPointType.REFERENCE, "map corner", corner)
        )
    return records, points
