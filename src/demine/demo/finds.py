"""One week's device totals split over districts, activities, models and days.

Each week's AP-mine, AT-mine and UXO totals are split exactly: first over the districts
with finds (each gets at least one device), then over those districts' activities, then
into records of one model found on one day, each with a point on the activity's ground.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import shapely

from demine.demo.activities import PlannedActivity
from demine.demo.allocate import split_integer, split_with_minimum, weighted_indices
from demine.demo.districts import COUNTRY
from demine.demo.geo import random_points_in
from demine.demo.series import WeeklyTotals
from demine.domain.dates import EventDate
from demine.domain.entities import DeviceFind
from demine.domain.vocab import ActivityKind, EOCategory

#: Device models as ANAMA reports them, with how common each is.
MODELS: dict[EOCategory, tuple[tuple[str, float], ...]] = {
    EOCategory.AP_MINE: (
        ("PMN", 8.0),
        ("PMN-2", 10.0),
        ("PMN-4", 3.0),
        ("POMZ-2M", 4.0),
        ("OZM-72", 2.0),
        ("MON-50", 2.0),
    ),
    EOCategory.AT_MINE: (("TM-57", 5.0), ("TM-62M", 8.0), ("TM-62P3", 3.0), ("TM-83", 1.0)),
    EOCategory.UXO: (
        ("122mm artillery shell", 6.0),
        ("152mm artillery shell", 3.0),
        ("82mm mortar bomb", 8.0),
        ("120mm mortar bomb", 4.0),
        ("RPG-7 grenade", 5.0),
        ("F-1 hand grenade", 6.0),
        ("RGD-5 hand grenade", 4.0),
        ("VOG-17 grenade", 4.0),
        ("122mm rocket (BM-21 Grad)", 2.0),
        ("cluster submunition", 3.0),
    ),
}
_MODEL_WEIGHTS = {c: np.array([w for _, w in models]) for c, models in MODELS.items()}
CATEGORIES = (EOCategory.AP_MINE, EOCategory.AT_MINE, EOCategory.UXO)

#: Districts along the former line of contact, where mines are denser.
_FRONT = ("AZ-TAR", "AZ-AGD", "AZ-AGR", "AZ-FUZ", "AZ-KHV", "AZ-JAB")
#: Mean extra records (model-and-day groups) per activity and category.
_EXTRA_GROUPS = {EOCategory.AP_MINE: 1.0, EOCategory.AT_MINE: 0.6, EOCategory.UXO: 2.0}
#: Kinds that find mines; any team may find UXO (survey teams do not dig).
_MINE_HOSTS = (ActivityKind.CLEARANCE, ActivityKind.TECHNICAL_SURVEY)
_NO_FINDS = (ActivityKind.NON_TECHNICAL_SURVEY,)
#: Finds are dated Monday to Saturday.
_WORKING_DAYS = 6


def _finding_districts(
    rng: np.random.Generator, week: WeeklyTotals, hosts: dict[str, list[PlannedActivity]]
) -> list[str]:
    if week.districts_with_finds is not None:
        return list(week.districts_with_finds)
    devices = week.ap_mines + week.at_mines + week.uxo
    codes = [c for c in hosts if rng.random() < 0.85] or list(hosts)[:1]
    return codes[: max(devices, 0)]


def _split_over_districts(
    week: WeeklyTotals, districts: list[str], hosts: dict[str, list[PlannedActivity]]
) -> dict[str, list[int]]:
    """Devices per district and category; every district gets at least one device."""
    totals = (week.ap_mines, week.at_mines, week.uxo)
    counts = np.zeros((len(districts), 3), dtype=np.int64)
    for k, category in enumerate(CATEGORIES):
        weights = [
            len(hosts[d]) * (3.0 if d in _FRONT and category is not EOCategory.UXO else 1.0)
            for d in districts
        ]
        counts[:, k] = split_integer(totals[k], weights)
    # Take one device at a time from the district with the most, for any with none.
    for empty in np.flatnonzero(counts.sum(axis=1) == 0):
        donor = int(np.argmax(counts.sum(axis=1)))
        column = int(np.argmax(counts[donor]))
        counts[donor, column] -= 1
        counts[empty, column] += 1
    return {d: [int(c) for c in counts[i]] for i, d in enumerate(districts)}


def _records(
    rng: np.random.Generator, category: EOCategory, count: int, monday: date
) -> dict[tuple[str, date], int]:
    """``count`` devices of one category as (model, day) → quantity."""
    groups = min(count, 1 + int(rng.poisson(_EXTRA_GROUPS[category])))
    models = MODELS[category]
    chosen = weighted_indices(rng, _MODEL_WEIGHTS[category], groups)
    days = rng.integers(0, _WORKING_DAYS, size=groups)
    sizes = split_with_minimum(count, rng.random(groups) + 0.1)
    records: dict[tuple[str, date], int] = defaultdict(int)
    for model_index, offset, size in zip(chosen, days, sizes, strict=True):
        key = (models[int(model_index)][0], monday + timedelta(days=int(offset)))
        records[key] += size
    return records


def plan_finds(
    rng: np.random.Generator, week: WeeklyTotals, planned: list[PlannedActivity]
) -> list[DeviceFind]:
    """The week's device finds, adding up exactly to its AP, AT and UXO totals."""
    hosts: dict[str, list[PlannedActivity]] = defaultdict(list)
    for item in planned:
        if item.activity.kind not in _NO_FINDS:
            hosts[item.activity.district].append(item)
    districts = _finding_districts(rng, week, hosts)
    per_district = _split_over_districts(week, districts, hosts)
    finds: list[DeviceFind] = []
    for district, counts in per_district.items():
        items = hosts[district]
        mine_hosts = [p for p in items if p.activity.kind in _MINE_HOSTS] or items
        for category, count in zip(CATEGORIES, counts, strict=True):
            chosen = items if category is EOCategory.UXO else mine_hosts
            weights = [1.0 + p.activity.area_cleared_m2 / 50_000 for p in chosen]
            for item, share in zip(chosen, split_integer(count, weights), strict=True):
                if share:
                    finds.extend(_activity_finds(rng, item, category, share))
    return finds


def _activity_finds(
    rng: np.random.Generator, item: PlannedActivity, category: EOCategory, count: int
) -> list[DeviceFind]:
    activity = item.activity
    records = _records(rng, category, count, activity.start_date)
    xs, ys = random_points_in(rng, item.site, len(records))
    points = shapely.points(np.column_stack([xs, ys]))
    prefix = activity.external_id.replace("-ACT-", "-FND-", 1)
    tag = {EOCategory.AP_MINE: "AP", EOCategory.AT_MINE: "AT", EOCategory.UXO: "UXO"}[category]
    return [
        DeviceFind(
            external_id=f"{prefix}-{tag}{n}",
            country=COUNTRY,
            district=activity.district,
            category=category,
            quantity=quantity,
            found=EventDate.on(day),
            model=model,
            activity=activity.external_id,
            geometry=point,
        )
        for n, ((model, day), quantity), point in zip(
            range(1, len(records) + 1), records.items(), points, strict=True
        )
    ]
