"""Demo minefield records: the 2021 handovers and the eight forms of February 2024.

Two kinds of record. *Designed* records are small minefields drawn along the former
line of contact, clear of every hazard, find and accident, with clearance evidence moved
onto them (see :mod:`demine.demo.record_evidence`) so that their verdicts come out as
written in ``DESIGNS``: of the eight that can be judged, two are accurate, as "only about
25%" of earlier records proved. *Hazard* records are the 2021 maps from which hazard
areas were drawn (see :mod:`demine.demo.record_hazards`); none can be judged yet.
Every number and shape is synthetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from demine.demo.districts import COUNTRY, district_polygons
from demine.demo.finds import MODELS
from demine.demo.hazards import LINE_OF_CONTACT, PlannedHazard
from demine.demo.published import PUBLISHED_WEEKS
from demine.demo.record_evidence import (
    STRIP_MARGIN,
    Evidence,
    Pool,
    is_clearance,
    work_inside,
    work_outside,
)
from demine.demo.record_frames import Frame
from demine.demo.record_hazards import AGHDAM_2021, FUZULI_2021, hazard_records_of
from demine.domain.entities import Accident, Activity, DeviceFind
from demine.domain.records import (
    LAID_CATEGORIES,
    DeclaredModel,
    MinefieldPoint,
    MinefieldRecord,
    MinefieldRow,
)
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType

FORMS_2024 = ("handed over February 2024 (8 forms)", date(2024, 2, 16))
_WORK_2021 = (date(2021, 7, 5), date(2023, 12, 31))
_WORK_2024 = (date(2024, 3, 4), date(2025, 12, 28))
#: Designed records keep this far (m) from everything else: beyond the verification's
#: default 500 m "nearby" plus any tolerance, so that nothing but their own evidence counts.
CLEAR_MARGIN_M = 700.0


@dataclass(frozen=True)
class Design:
    """A designed record and the verdict its evidence is arranged for."""

    key: str
    district: str
    handover: tuple[str, date]
    #: The verdict code the evidence is arranged for (see docs/records-verification.md).
    intended: str
    worked_share: float
    #: Share of the expected mines to be found on the rows (sets the declared counts).
    found_share: float
    inside: int
    outside: int = 0
    outside_m: float = 150.0


DESIGNS: tuple[Design, ...] = (
    Design("AZ-MFR-2021-AGD-A01", "AZ-AGD", AGHDAM_2021, "accurate", 1.0, 0.93, 5),
    Design("AZ-MFR-2021-AGD-A02", "AZ-AGD", AGHDAM_2021, "partly_accurate", 1.0, 0.6, 4, 1),
    Design("AZ-MFR-2021-AGD-A03", "AZ-AGD", AGHDAM_2021, "inaccurate", 1.0, 0.15, 2, 3, 220.0),
    Design("AZ-MFR-2021-AGD-A04", "AZ-AGD", AGHDAM_2021, "not_yet_verifiable", 0.3, 0.8, 1),
    Design("AZ-MFR-2021-FUZ-A01", "AZ-FUZ", FUZULI_2021, "partly_accurate", 0.85, 0.55, 4, 1),
    Design("AZ-MFR-2021-FUZ-A02", "AZ-FUZ", FUZULI_2021, "inaccurate", 1.0, 0.5, 2, 5, 300.0),
    Design("AZ-MFR-2021-FUZ-A03", "AZ-FUZ", FUZULI_2021, "inaccurate", 1.0, 0.08, 1),
    Design("AZ-MFR-2021-FUZ-A04", "AZ-FUZ", FUZULI_2021, "not_yet_verifiable", 0.25, 0.9, 1),
    Design("AZ-MFR-2024-01", "AZ-TAR", FORMS_2024, "accurate", 1.0, 0.95, 4),
    Design("AZ-MFR-2024-02", "AZ-AGD", FORMS_2024, "partly_accurate", 0.7, 0.6, 3, 1),
    Design("AZ-MFR-2024-03", "AZ-KHV", FORMS_2024, "not_yet_verifiable", 0.35, 0.9, 2),
    Design("AZ-MFR-2024-04", "AZ-FUZ", FORMS_2024, "not_yet_verifiable", 0.2, 0.9, 1),
    Design("AZ-MFR-2024-05", "AZ-JAB", FORMS_2024, "not_yet_verifiable", 0.0, 0.9, 0),
    Design("AZ-MFR-2024-06", "AZ-TAR", FORMS_2024, "not_yet_verifiable", 0.0, 0.9, 0),
    Design("AZ-MFR-2024-07", "AZ-KHV", FORMS_2024, "not_yet_verifiable", 0.4, 0.9, 2),
    Design("AZ-MFR-2024-08", "AZ-JAB", FORMS_2024, "not_yet_verifiable", 0.0, 0.9, 0),
)

#: Models a row or declared count falls back on when no find names one.
DEFAULT_MODELS = {EOCategory.AP_MINE: "PMN-2", EOCategory.AT_MINE: "TM-62M"}
MODEL_CATEGORY = {category: {m for m, _ in models} for category, models in MODELS.items()}
_LANDMARKS = ("concrete post by the road bend", "ruined farm building", "irrigation channel bridge",
              "lone mulberry tree", "trench junction", "electricity pylon")  # fmt: skip


@dataclass(frozen=True)
class DemoRecords:
    """The demo's minefield records, their rows and points."""

    records: tuple[MinefieldRecord, ...]
    rows: tuple[MinefieldRow, ...]
    points: tuple[MinefieldPoint, ...]


class _Clearances:
    """Where a designed record may go: clear of hazards, mines, accidents and each other."""

    def __init__(
        self, hazards: list[BaseGeometry], finds: list[DeviceFind], accidents: list[Accident]
    ) -> None:
        self.hazards = shapely.STRtree(hazards)
        mines = [f.geometry for f in finds if f.category in LAID_CATEGORIES]
        points = [p for p in [*mines, *(a.geometry for a in accidents)] if p is not None]
        self.xy = np.array([(p.x, p.y) for p in points]).reshape(-1, 2)
        self.taken: list[Polygon] = []

    def free(self, frame: Frame, district: str) -> bool:
        around = frame.surroundings(CLEAR_MARGIN_M)
        if not district_polygons()[district].contains(around):
            return False
        if len(self.hazards.query(around, predicate="intersects")):
            return False
        if any(around.intersects(other) for other in self.taken):
            return False
        return not shapely.contains_xy(around, self.xy[:, 0], self.xy[:, 1]).any()


def _frame(rng: np.random.Generator, design: Design, clear: _Clearances) -> Frame:
    """A rectangle near the line of contact in the design's district, clear of the rest."""
    district = district_polygons()[design.district]
    for attempt in range(4000):
        spread = 0.02 * (1 + attempt // 500)
        along = LINE_OF_CONTACT.interpolate(rng.uniform(0.0, 1.0), normalized=True)
        lon, lat = along.x + rng.normal(0, spread), along.y + rng.normal(0, spread)
        if not district.contains(shapely.Point(lon, lat)):
            continue
        length, width = float(rng.uniform(300, 520)), float(rng.uniform(170, 240))
        frame = Frame.at(lon, lat, float(rng.uniform(0, np.pi)), length, width)
        if clear.free(frame, design.district):
            clear.taken.append(frame.surroundings(CLEAR_MARGIN_M))
            return frame
    raise RuntimeError(f"no free ground for {design.key}")


def _outside(
    candidates: Iterator[Activity], pool: Pool, design: Design, inside: int
) -> list[Activity]:
    """Activities whose mines will lie nearby outside the record, as the design needs."""
    chosen: list[Activity] = []
    outside = 0
    for activity in candidates:
        if len(chosen) >= design.outside and (
            design.intended != "inaccurate" or outside > 1.5 * inside
        ):
            break
        mines = pool.mines(activity)
        # A partly accurate record has some evidence outside, but well under half.
        if design.intended == "partly_accurate" and (outside + mines) > 0.4 * (
            inside + outside + mines
        ):
            continue
        chosen.append(activity)
        outside += mines
    return chosen


def _declared(
    rng: np.random.Generator, design: Design, evidence: Evidence, row_share: float
) -> dict[EOCategory, int]:
    """Declared counts that make the found share on the rows what the design asks."""
    declared = {}
    for category in (EOCategory.AP_MINE, EOCategory.AT_MINE):
        found = evidence.on_rows[category]
        if found and row_share > 0:
            declared[category] = max(found, round(found / (design.found_share * row_share)))
        elif design.intended in ("accurate", "partly_accurate"):
            declared[category] = 0  # the record declares only what is there
        else:
            declared[category] = int(rng.integers(8, 40))
    return declared


def _models(evidence: Evidence, declared: dict[EOCategory, int]) -> tuple[DeclaredModel, ...]:
    models: list[DeclaredModel] = []
    for category, count in declared.items():
        found = {m: n for (c, m), n in evidence.models.items() if c is category and m}
        if not count:
            continue
        if not found:
            found = {DEFAULT_MODELS[category]: 1}
        total = sum(found.values())
        shares = {m: round(count * n / total) for m, n in sorted(found.items())}
        last = sorted(shares)[-1]
        shares[last] += count - sum(shares.values())
        models += [DeclaredModel(m, n) for m, n in shares.items() if n > 0]
    return tuple(models)


def _rows_and_points(
    rng: np.random.Generator,
    key: str,
    frame: Frame,
    rows: dict[EOCategory, list[float]],
    declared: dict[EOCategory, int],
    models: tuple[DeclaredModel, ...],
) -> tuple[list[MinefieldRow], list[MinefieldPoint]]:
    mine_rows: list[MinefieldRow] = []
    for category, offsets in rows.items():
        per_row = np.full(len(offsets), declared[category] // len(offsets))
        per_row[: declared[category] % len(offsets)] += 1
        model = next((m.model for m in models if m.model in MODEL_CATEGORY.get(category, ())), None)
        for v, count in zip(offsets, per_row.tolist(), strict=True):
            number = len(mine_rows) + 1
            mine_rows.append(
                MinefieldRow(
                    f"{key}-R{number}",
                    key,
                    category,
                    model or DEFAULT_MODELS[category],
                    int(count),
                    frame.row(v),
                )
            )
    half = frame.width / 2
    corners = [(0.0, -half), (frame.length, -half), (frame.length, half), (0.0, half)]
    points = [
        MinefieldPoint(
            f"{key}-P1",
            key,
            RecordPointType.REFERENCE,
            "reference point, 30 m out",
            frame.point(-30.0, -half - 30.0),
        ),
        *(
            MinefieldPoint(
                f"{key}-P{n}", key, RecordPointType.TURNING, f"corner {n - 1}", frame.point(u, v)
            )
            for n, (u, v) in enumerate(corners, start=2)
        ),
        MinefieldPoint(
            f"{key}-P6",
            key,
            RecordPointType.LANDMARK,
            _LANDMARKS[int(rng.integers(len(_LANDMARKS)))],
            frame.point(frame.length / 2, -half - 80.0),
        ),
    ]
    return mine_rows, points


def _designed(
    rng: np.random.Generator, design: Design, frame: Frame, pool: Pool
) -> tuple[MinefieldRecord, list[MinefieldRow], list[MinefieldPoint], Evidence]:
    offsets = frame.row_offsets(4)
    rows = {EOCategory.AT_MINE: offsets[:2], EOCategory.AP_MINE: offsets[2:]}
    source, received = design.handover
    window = _WORK_2021 if received.year == 2021 else _WORK_2024
    candidates = pool.candidates(rng, design.district, window)
    evidence = Evidence()
    worked_to = design.worked_share * frame.length
    if design.worked_share >= 1.0:
        worked_to += STRIP_MARGIN
    inside = [next(candidates) for _ in range(design.inside)]
    if inside:
        work_inside(rng, frame, rows, inside, pool, worked_to, evidence)
    outside = _outside(candidates, pool, design, sum(evidence.on_rows.values()))
    work_outside(rng, frame, outside, pool, design.outside_m, evidence)
    declared = _declared(rng, design, evidence, frame.worked_share_of_rows(worked_to))
    models = _models(evidence, declared)
    judged = design.intended != "not_yet_verifiable"
    if judged:
        status = RecordStatus.VERIFIED if received.year == 2021 else RecordStatus.UNDER_VERIFICATION
    else:
        status = RecordStatus.UNDER_VERIFICATION if inside else RecordStatus.RECEIVED
    record = MinefieldRecord(
        external_id=design.key,
        country=COUNTRY,
        district=design.district,
        source=source,
        received_on=received,
        record_type=RecordType.MAP if received.year == 2021 else RecordType.FORM,
        status=status,
        declared_ap_mines=declared[EOCategory.AP_MINE],
        declared_at_mines=declared[EOCategory.AT_MINE],
        declared_other_devices=0,
        declared_models=models,
        stated_uncertainty_m=40.0 if received.year == 2021 else 20.0,
        notes=f"synthetic demo record (arranged to verify as {design.intended})",
        geometry=frame.coverage(),
    )
    mine_rows, points = _rows_and_points(rng, design.key, frame, rows, declared, models)
    return record, mine_rows, points, evidence


def plan_records(
    seed: int,
    hazards: tuple[PlannedHazard, ...],
    activities: list[Activity],
    finds: list[DeviceFind],
    accidents: tuple[Accident, ...],
) -> DemoRecords:
    """The demo's minefield records; moves the evidence for them within ``activities`` and
    ``finds`` (in place: same records, counts and dates, new positions and worked areas)."""
    rng = np.random.default_rng([seed, 11])
    published = {week.start for week in PUBLISHED_WEEKS}
    by_activity: dict[str, list[DeviceFind]] = defaultdict(list)
    for find in finds:
        if find.activity is not None:
            by_activity[find.activity].append(find)
    pool = Pool([a for a in activities if is_clearance(a, published)], by_activity)
    clear = _Clearances(
        [p.hazard.geometry for p in hazards if p.hazard.geometry is not None],
        finds,
        list(accidents),
    )
    records: list[MinefieldRecord] = []
    rows: list[MinefieldRow] = []
    points: list[MinefieldPoint] = []
    moved_activities: dict[str, Activity] = {}
    moved_finds: dict[str, DeviceFind] = {}
    for design in DESIGNS:
        frame = _frame(rng, design, clear)
        record, mine_rows, record_points, evidence = _designed(rng, design, frame, pool)
        records.append(record)
        rows += mine_rows
        points += record_points
        moved_activities.update((a.external_id, a) for a in evidence.activities)
        moved_finds.update((f.external_id, f) for f in evidence.finds)
    activities[:] = [moved_activities.get(a.external_id, a) for a in activities]
    finds[:] = [moved_finds.get(f.external_id, f) for f in finds]
    hazard_records, hazard_points = hazard_records_of(rng, list(hazards), activities)
    return DemoRecords(
        records=tuple(sorted([*records, *hazard_records], key=lambda r: r.external_id)),
        rows=tuple(rows),
        points=tuple(sorted([*points, *hazard_points], key=lambda p: p.external_id)),
    )
