"""How long verifying records takes at national scale (a script, not a test).

Generates, deterministically, a register the size of a whole programme: 500 minefield
records with rows, 1,000,000 device finds (a third on or near the records, the rest
across the country), 5,000 accidents and 3,000 worked-area polygons; then times the
verification itself (``verify_inputs``: everything after reading from the database).
The records and finds are random, so the verdicts printed mean nothing; the times do.
With ``--database URL`` (an empty SQLite file or PostGIS schema) the register is also
written there and reading it back (``read_inputs``) is timed.

    .venv/bin/python bench/records_verification.py [--records 500] [--finds 1000000]
        [--database sqlite:////tmp/bench.db]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime

import numpy as np
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box
from sqlalchemy import Table, insert, select

from demine.analysis.records.evidence import PointSet, RecordInputs
from demine.analysis.records.read import read_inputs
from demine.analysis.records.thresholds import Thresholds
from demine.analysis.records.verify import verify_inputs
from demine.domain.entities import Activity, AdminArea, Organisation
from demine.domain.places import PlaceIndex
from demine.domain.records import MinefieldRecord, MinefieldRow
from demine.domain.vocab import (
    ActivityKind,
    AdminLevel,
    EOCategory,
    OrganisationKind,
    RecordStatus,
    RecordType,
)
from demine.ingest.importer import save_entities
from demine.store import migrate, schema
from demine.store.engine import open_store
from demine.store.reader import RegisterReader

COUNTRY_BOX = (45.0, 38.6, 50.0, 41.6)
AS_OF = date(2025, 12, 31)
_TO_LONLAT = Transformer.from_crs("EPSG:32638", "EPSG:4326", always_xy=True)
_TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)


def _lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _TO_LONLAT.transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def _polygon(x: float, y: float, width: float, height: float) -> Polygon:
    xs = np.array([x, x + width, x + width, x])
    ys = np.array([y, y, y + height, y + height])
    lon, lat = _lonlat(xs, ys)
    return Polygon(np.column_stack([lon, lat]))


def _districts() -> PlaceIndex:
    min_x, min_y, max_x, max_y = COUNTRY_BOX
    areas = [AdminArea("AZ", "Azerbaijan", AdminLevel.COUNTRY, "AZ", geometry=box(*COUNTRY_BOX))]
    for i, lon in enumerate(np.linspace(min_x, max_x, 6)[:-1]):
        for j, lat in enumerate(np.linspace(min_y, max_y, 5)[:-1]):
            cell = box(lon, lat, lon + (max_x - min_x) / 5, lat + (max_y - min_y) / 4)
            code = f"AZ-D{i}{j}"
            areas.append(AdminArea(code, code, AdminLevel.DISTRICT, "AZ", "AZ", geometry=cell))
    return PlaceIndex("AZ", areas)


def generate(records: int, finds: int, accidents: int, worked: int, seed: int) -> RecordInputs:
    """A synthetic national register, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    places = _districts()
    x_min, y_min = _TO_UTM.transform(COUNTRY_BOX[0] + 0.3, COUNTRY_BOX[1] + 0.3)
    x_max, y_max = _TO_UTM.transform(COUNTRY_BOX[2] - 0.3, COUNTRY_BOX[3] - 0.3)
    corners = np.column_stack(
        [rng.uniform(x_min, x_max, records), rng.uniform(y_min, y_max, records)]
    )
    minefields, rows = [], {}
    for n, (x, y) in enumerate(corners):
        width, height = rng.uniform(200, 600), rng.uniform(100, 300)
        area = _polygon(x, y, width, height)
        centre = area.centroid
        key = f"R{n:04d}"
        minefields.append(
            MinefieldRecord(
                external_id=key,
                country="AZ",
                district=places.district_containing(centre) or "AZ-D00",
                source=f"handover {1 + n % 3}",
                received_on=date(2021, 6, 1),
                record_type=RecordType.MAP,
                status=RecordStatus.RECEIVED,
                declared_ap_mines=int(rng.integers(0, 200)),
                declared_at_mines=int(rng.integers(0, 100)),
                stated_uncertainty_m=float(rng.choice([0.0, 25.0, 50.0])),
                geometry=area,
            )
        )
        offsets = np.linspace(20, height - 20, int(rng.integers(2, 5)))
        rows[key] = [
            MinefieldRow(
                f"{key}-R{i}",
                key,
                EOCategory.AT_MINE if i % 2 else EOCategory.AP_MINE,
                None,
                30,
                LineString(
                    np.column_stack(
                        _lonlat(np.array([x + 10, x + width - 10]), np.array([y + v, y + v]))
                    )
                ),
            )
            for i, v in enumerate(offsets)
        ]
    # A third of the finds lie within a kilometre of a record, the rest anywhere.
    near = finds // 3
    owners = rng.integers(0, records, near)
    fx = np.concatenate(
        [corners[owners, 0] + rng.normal(200, 400, near), rng.uniform(x_min, x_max, finds - near)]
    )
    fy = np.concatenate(
        [corners[owners, 1] + rng.normal(100, 300, near), rng.uniform(y_min, y_max, finds - near)]
    )
    lon, lat = _lonlat(fx, fy)
    categories = rng.choice(["AP_MINE", "AT_MINE", "OTHER"], finds, p=[0.6, 0.35, 0.05])
    days = [AS_OF] * finds
    find_set = PointSet.build(
        list(lon),
        list(lat),
        list(categories),
        [1] * finds,
        [None] * finds,
        days,
        days,
        ["AZ-D00"] * finds,
    )
    ax, ay = _lonlat(rng.uniform(x_min, x_max, accidents), rng.uniform(y_min, y_max, accidents))
    accident_days = [date(2022, 1, 1)] * accidents
    accident_set = PointSet.build(
        list(ax),
        list(ay),
        ["AP_MINE"] * accidents,
        [1] * accidents,
        [None] * accidents,
        accident_days,
        accident_days,
        ["AZ-D00"] * accidents,
    )
    owners = rng.integers(0, records, worked)
    worked_areas = [
        _polygon(
            corners[o, 0] + rng.uniform(-50, 300),
            corners[o, 1] + rng.uniform(-50, 150),
            rng.uniform(100, 400),
            rng.uniform(100, 300),
        )
        for o in owners
    ]
    return RecordInputs(
        country="AZ",
        as_of=AS_OF,
        records=minefields,
        rows=rows,
        worked=worked_areas,
        finds=find_set,
        accidents=accident_set,
        places=places,
        district_geometries={
            c: a.geometry
            for c, a in places.areas.items()
            if a.level is AdminLevel.DISTRICT and a.geometry is not None
        },
    )


def store_and_load(url: str, inputs: RecordInputs) -> tuple[float, float]:
    """Write ``inputs`` into the empty database at ``url``; seconds to write and to read."""
    started = time.perf_counter()
    store = open_store(url, create=True)
    migrate.upgrade(store)
    organisation = Organisation("OPS", "Operator", OrganisationKind.NATIONAL_AGENCY, "AZ")
    activities = [
        Activity(
            f"W{n}", "AZ", ActivityKind.CLEARANCE, "OPS", "AZ-D00", AS_OF, AS_OF, geometry=area
        )
        for n, area in enumerate(inputs.worked)
    ]
    entities: list[object] = [
        *inputs.places.areas.values(),
        organisation,
        *activities,
        *inputs.records,
        *(r for rows in inputs.rows.values() for r in rows),
    ]
    save_entities(store, entities, kind="bench", source_name="bench", sha256="0" * 64, country="AZ")
    now = datetime.now(UTC)
    with store.write() as connection:
        district = connection.execute(
            select(schema.admin_areas.c.id).where(schema.admin_areas.c.code == "AZ-D00")
        ).scalar_one()
        for table, points, prefix in (
            (schema.device_finds, inputs.finds, "F"),
            (schema.accidents, inputs.accidents, "A"),
        ):
            for start in range(0, len(points), 50_000):
                chunk = range(start, min(start + 50_000, len(points)))
                connection.execute(
                    insert(table),
                    [_point_row(table, points, i, prefix, district, now) for i in chunk],
                )
    written = time.perf_counter()
    with store.read() as connection:
        read_inputs(RegisterReader(connection, "AZ"), AS_OF)
    loaded = time.perf_counter()
    store.dispose()
    return written - started, loaded - written


def _point_row(
    table: Table, points: PointSet, index: int, prefix: str, district: int, now: datetime
) -> dict[str, object]:
    lon, lat = float(points.lon[index]), float(points.lat[index])
    day = AS_OF if prefix == "F" else date(2022, 1, 1)
    row: dict[str, object] = {
        "external_id": f"{prefix}{index}",
        "country": "AZ",
        "district_id": district,
        "date_precision": "day",
        "geometry": Point(lon, lat),
        "min_x": lon,
        "min_y": lat,
        "max_x": lon,
        "max_y": lat,
        "updated_at": now,
    }
    if prefix == "F":
        kind = int(points.kind[index])
        category = ("AP_MINE", "AT_MINE", "OTHER")[kind] if kind >= 0 else "UXO"
        row |= {"category": category, "quantity": 1, "found_earliest": day, "found_latest": day}
    else:
        row |= {"device_category": "AP_MINE", "occurred_earliest": day, "occurred_latest": day}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--finds", type=int, default=1_000_000)
    parser.add_argument("--accidents", type=int, default=5_000)
    parser.add_argument("--worked", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database", help="an empty database to write to and read back from")
    arguments = parser.parse_args()
    started = time.perf_counter()
    inputs = generate(
        arguments.records, arguments.finds, arguments.accidents, arguments.worked, arguments.seed
    )
    generated = time.perf_counter()
    result = verify_inputs(inputs, Thresholds(), date(2020, 11, 10), AS_OF)
    verified = time.perf_counter()
    programme = result.programme
    if arguments.database:
        writing, reading = store_and_load(arguments.database, inputs)
        print(
            f"writing the register: {writing:.1f} s; reading it for verification: {reading:.2f} s"
        )
    print(
        f"{arguments.records} records, {arguments.finds:,} finds, {arguments.accidents:,} "
        f"accidents, {arguments.worked:,} worked areas"
    )
    print(f"generating: {generated - started:.1f} s; verifying: {verified - generated:.2f} s")
    print(
        f"verdicts: { {v.value: n for v, n in programme.records.verdicts.items()} }; "
        "accidents outside records: "
        f"{programme.accidents.outside_share}"
    )


if __name__ == "__main__":
    main()
