"""Deterministic synthetic registers for the benchmarks, written as GeoPackages Demine imports.

One GeoPackage per country, one layer per import kind (``admin_areas``, ``organisations``,
``hazards``, ``activities``, ``finds``, ``accidents``, ``victims``, ``minefield_records``,
``minefield_rows``), each importable with ``demine import KIND FILE --country CODE``.

- **national**: one country (``XA``): 14 districts, 5 years (2021-2025), 250,000
  activities, 1,000,000 device finds, 60,000 hazard polygons, 5,000 accidents (with
  about 8,000 victims: no personal identifiers) and 500
  minefield records (with 4 rows each).
- **global**: ten such countries (``XA`` … ``XJ``), ten times the national register.
- **tiny**: a national-shaped register a thousand times smaller (for the smoke test).

The same scale always gives byte-identical attribute values and geometries (the files
differ only in GeoPackage timestamps). Country codes are ISO 3166 user-assigned ones and
the geography is made up: these files measure speed, their figures mean nothing.

    python bench/generate.py --scale national [--out bench/data]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from pyogrio.raw import write

FIRST_DAY = date(2021, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST_DAY).days + 1
DISTRICT_COLUMNS, DISTRICT_ROWS = 7, 2
#: Degrees of one country's box: about 430 km east-west and 220 km north-south.
COUNTRY_WIDTH, COUNTRY_HEIGHT = 5.0, 2.0
METRES_PER_DEGREE = 111_320.0
CATEGORIES = ("AP_MINE", "AT_MINE", "UXO", "AXO", "SUBMUNITION", "IED", "OTHER")
CATEGORY_WEIGHTS = (0.08, 0.04, 0.78, 0.05, 0.03, 0.01, 0.01)
MODELS = ("PMN-2", "TM-62M", "OZM-72", "PFM-1", "M-74", "120 mm mortar", "RPG-7", "")
ACTIVITY_KINDS = (
    "clearance",
    "technical_survey",
    "non_technical_survey",
    "battle_area_clearance",
    "eod_spot_task",
)
ORGANISATIONS = 20
ROWS_PER_RECORD = 4


@dataclass(frozen=True)
class Scale:
    """How much one country holds, and how many countries there are."""

    countries: int
    activities: int
    finds: int
    hazards: int
    accidents: int
    records: int


SCALES = {
    "tiny": Scale(1, 250, 1_000, 60, 50, 10),
    "national": Scale(1, 250_000, 1_000_000, 60_000, 5_000, 500),
    "global": Scale(10, 250_000, 1_000_000, 60_000, 5_000, 500),
}
LAYERS = (
    "admin_areas",
    "organisations",
    "hazards",
    "activities",
    "finds",
    "accidents",
    "victims",
    "minefield_records",
    "minefield_rows",
)


def country_code(index: int) -> str:
    return "X" + chr(ord("A") + index)


def country_origin(index: int) -> tuple[float, float]:
    """South-west corner of country ``index``: countries sit side by side along 40°N."""
    return (-20.0 + index * (COUNTRY_WIDTH + 1.0), 38.0)


def district_code(country: str, index: int) -> str:
    return f"{country}-D{index + 1:02d}"


def district_boxes(index: int) -> list[tuple[float, float, float, float]]:
    """The 14 districts of country ``index``: a 7 × 2 grid of boxes."""
    lon0, lat0 = country_origin(index)
    width, height = COUNTRY_WIDTH / DISTRICT_COLUMNS, COUNTRY_HEIGHT / DISTRICT_ROWS
    return [
        (lon0 + c * width, lat0 + r * height, lon0 + (c + 1) * width, lat0 + (r + 1) * height)
        for r in range(DISTRICT_ROWS)
        for c in range(DISTRICT_COLUMNS)
    ]


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days since 2021-01-01, more in later years (operations grow)."""
    return np.minimum((np.sqrt(rng.uniform(0, 1, n)) * DAYS).astype(np.int64), DAYS - 1)


def _iso(days: np.ndarray) -> np.ndarray:
    dates = np.datetime64(FIRST_DAY.isoformat()) + days.astype("timedelta64[D]")
    return np.datetime_as_string(dates, unit="D").astype(object)


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{i + 1:07d}" for i in range(n)], dtype=object)


def _points_in(
    rng: np.random.Generator, boxes: np.ndarray, district: np.ndarray, margin: float = 0.002
) -> tuple[np.ndarray, np.ndarray]:
    b = boxes[district]
    lon = rng.uniform(b[:, 0] + margin, b[:, 2] - margin)
    lat = rng.uniform(b[:, 1] + margin, b[:, 3] - margin)
    return lon, lat


def _rectangles(
    lon: np.ndarray, lat: np.ndarray, width_m: np.ndarray, height_m: np.ndarray
) -> np.ndarray:
    dx = width_m / (METRES_PER_DEGREE * np.cos(np.radians(lat)))
    dy = height_m / METRES_PER_DEGREE
    return shapely.box(lon, lat, lon + dx, lat + dy)


def _write(
    path: Path,
    layer: str,
    columns: dict[str, np.ndarray],
    geometry: np.ndarray | None,
    geometry_type: str | None,
) -> None:
    wkb = None if geometry is None else shapely.to_wkb(geometry)
    write(
        str(path),
        wkb,
        list(columns.values()),
        list(columns),
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs="EPSG:4326" if geometry is not None else None,
        append=path.exists(),
    )


def generate_country(path: Path, index: int, scale: Scale) -> None:
    """Write country ``index``'s register to ``path`` (a new GeoPackage)."""
    rng = np.random.default_rng(20211110 + index)
    code = country_code(index)
    boxes = np.array(district_boxes(index))
    n_districts = len(boxes)
    districts = np.array([district_code(code, i) for i in range(n_districts)], dtype=object)
    # Districts nearer the former line of contact hold more of everything.
    weights = np.linspace(3.0, 1.0, n_districts)
    weights /= weights.sum()

    lon0, lat0 = country_origin(index)
    country_box = shapely.box(lon0, lat0, lon0 + COUNTRY_WIDTH, lat0 + COUNTRY_HEIGHT)
    _write(
        path,
        "admin_areas",
        {
            "code": np.array([code, *districts], dtype=object),
            "name": np.array([f"Country {code}", *[f"District {d}" for d in districts]], object),
            "level": np.array(["country"] + ["district"] * n_districts, dtype=object),
            "parent": np.array([None] + [code] * n_districts, dtype=object),
            "reporting_order": np.arange(0, n_districts + 1, dtype=np.int32),
        },
        np.array([country_box, *shapely.box(*boxes.T)], dtype=object),
        "Polygon",
    )
    organisations = np.array([f"ORG{i + 1:02d}" for i in range(ORGANISATIONS)], dtype=object)
    _write(
        path,
        "organisations",
        {
            "code": organisations,
            "name": np.array([f"Operator {o}" for o in organisations], dtype=object),
            "kind": np.array(
                ["national_agency"] + ["commercial", "ngo"] * (ORGANISATIONS // 2 - 1) + ["ngo"],
                dtype=object,
            ),
        },
        None,
        None,
    )

    n = scale.hazards
    hazard_district = rng.choice(n_districts, n, p=weights)
    lon, lat = _points_in(rng, boxes, hazard_district, margin=0.02)
    width, height = rng.uniform(50, 600, n), rng.uniform(50, 600, n)
    estimated = np.round(width * height, 1)
    hazard_ids = _ids(f"{code}-HA-", n)
    _write(
        path,
        "hazards",
        {
            "external_id": hazard_ids,
            "district": districts[hazard_district],
            "classification": rng.choice(np.array(["SHA", "CHA"], dtype=object), n, p=[0.6, 0.4]),
            "status": rng.choice(
                np.array(["open", "worked_on", "closed"], dtype=object), n, p=[0.6, 0.2, 0.2]
            ),
            "recorded_on": _iso(rng.integers(0, DAYS // 2, n)),
            "contamination": rng.choice(
                np.array(["AP_MINE", "AT_MINE", "AP_MINE;AT_MINE", "UXO"], dtype=object), n
            ),
            "estimated_area_m2": estimated,
            "remaining_area_m2": np.round(estimated * rng.uniform(0, 1, n), 1),
        },
        _rectangles(lon, lat, width, height),
        "Polygon",
    )

    n = scale.activities
    start = _days(rng, n)
    activity_kind = rng.choice(
        np.array(ACTIVITY_KINDS, dtype=object), n, p=[0.4, 0.2, 0.2, 0.15, 0.05]
    )
    worked = rng.integers(0, scale.hazards, n)
    area = np.round(rng.gamma(2.0, 2_500.0, n), 1)
    zero = np.zeros(n)
    activity_ids = _ids(f"{code}-ACT-", n)
    _write(
        path,
        "activities",
        {
            "external_id": activity_ids,
            "kind": activity_kind,
            "organisation": organisations[rng.integers(0, ORGANISATIONS, n)],
            "district": districts[hazard_district[worked]],
            "start_date": _iso(start),
            "end_date": _iso(np.minimum(start + rng.integers(0, 7, n), DAYS - 1)),
            "hazard": hazard_ids[worked],
            "area_cancelled_m2": np.where(activity_kind == "non_technical_survey", area, zero),
            "area_reduced_m2": np.where(activity_kind == "technical_survey", area, zero),
            "area_cleared_m2": np.where(
                np.isin(activity_kind, ["clearance", "battle_area_clearance"]), area, zero
            ),
            "team_days": rng.integers(1, 15, n).astype(np.float64),
        },
        None,
        None,
    )

    n = scale.finds
    by_activity = rng.integers(0, scale.activities, n)
    find_district = rng.choice(n_districts, n, p=weights)
    lon, lat = _points_in(rng, boxes, find_district)
    found = np.minimum(start[by_activity] + rng.integers(0, 7, n), DAYS - 1)
    _write(
        path,
        "finds",
        {
            "external_id": _ids(f"{code}-F-", n),
            "district": districts[find_district],
            "category": rng.choice(np.array(CATEGORIES, dtype=object), n, p=CATEGORY_WEIGHTS),
            "quantity": np.minimum(rng.geometric(0.6, n), 50).astype(np.int32),
            "found_on": _iso(found),
            "model": np.array(MODELS, dtype=object)[rng.integers(0, len(MODELS), n)],
            "activity": activity_ids[by_activity],
        },
        shapely.points(lon, lat),
        "Point",
    )

    n = scale.accidents
    accident_district = rng.choice(n_districts, n, p=weights)
    lon, lat = _points_in(rng, boxes, accident_district)
    _write(
        path,
        "accidents",
        {
            "external_id": _ids(f"{code}-ACC-", n),  # the same ids as accident_ids
            "district": districts[accident_district],
            "occurred_on": _iso(_days(rng, n)),
            "device_category": rng.choice(
                np.array(["AP_MINE", "AT_MINE", "UXO"], dtype=object), n, p=[0.5, 0.2, 0.3]
            ),
            "activity_at_time": rng.choice(
                np.array(["farming", "herding", "travelling", "demining"], dtype=object), n
            ),
            "source": np.full(n, "synthetic", dtype=object),
        },
        shapely.points(lon, lat),
        "Point",
    )

    accident_ids = _ids(f"{code}-ACC-", n)
    victims_per_accident = rng.choice([1, 1, 1, 2, 3], n)
    victim_accident = np.repeat(np.arange(n), victims_per_accident)
    n_victims = len(victim_accident)
    _write(
        path,
        "victims",
        {
            "external_id": _ids(f"{code}-VIC-", n_victims),
            "accident": accident_ids[victim_accident],
            "sex": rng.choice(
                np.array(["male", "female"], dtype=object), n_victims, p=[0.85, 0.15]
            ),
            "category": rng.choice(
                np.array(["civilian", "military", "deminer"], dtype=object),
                n_victims,
                p=[0.7, 0.2, 0.1],
            ),
            "outcome": rng.choice(
                np.array(["killed", "injured"], dtype=object), n_victims, p=[0.3, 0.7]
            ),
            "age": rng.integers(6, 80, n_victims).astype(np.int32),
        },
        None,
        None,
    )

    n = scale.records
    record_district = rng.choice(n_districts, n, p=weights)
    lon, lat = _points_in(rng, boxes, record_district, margin=0.05)
    width, height = rng.uniform(300, 2_000, n), rng.uniform(200, 1_200, n)
    coverage = _rectangles(lon, lat, width, height)
    record_ids = _ids(f"{code}-MFR-", n)
    _write(
        path,
        "minefield_records",
        {
            "external_id": record_ids,
            "district": districts[record_district],
            "source": np.full(n, "handed over via mediator", dtype=object),
            "received_on": _iso(rng.integers(DAYS // 3, DAYS, n)),
            "record_type": rng.choice(np.array(["map", "form"], dtype=object), n, p=[0.8, 0.2]),
            "declared_ap_mines": rng.integers(0, 200, n).astype(np.int32),
            "declared_at_mines": rng.integers(0, 60, n).astype(np.int32),
            "stated_uncertainty_m": rng.choice([10.0, 25.0, 50.0, 100.0], n),
        },
        coverage,
        "Polygon",
    )

    record_of_row = np.repeat(np.arange(n), ROWS_PER_RECORD)
    step = (np.arange(n * ROWS_PER_RECORD) % ROWS_PER_RECORD + 1) / (ROWS_PER_RECORD + 1)
    bounds = shapely.bounds(coverage)[record_of_row]
    row_lat = bounds[:, 1] + step * (bounds[:, 3] - bounds[:, 1])
    rows = shapely.linestrings(
        np.stack(
            [
                np.column_stack([bounds[:, 0] + 1e-4, row_lat]),
                np.column_stack([bounds[:, 2] - 1e-4, row_lat]),
            ],
            axis=1,
        )
    )
    row_category = rng.choice(np.array(["AP_MINE", "AT_MINE"], dtype=object), len(rows))
    _write(
        path,
        "minefield_rows",
        {
            "external_id": np.array(
                [
                    f"{record_ids[r]}-R{i % ROWS_PER_RECORD + 1}"
                    for i, r in enumerate(record_of_row)
                ],
                dtype=object,
            ),
            "record": record_ids[record_of_row],
            "category": row_category,
            "model": np.where(row_category == "AP_MINE", "PMN-2", "TM-62M").astype(object),
            "declared_count": rng.integers(5, 40, len(rows)).astype(np.int32),
        },
        rows,
        "LineString",
    )


def scale_files(scale_name: str, out: Path) -> list[tuple[str, Path]]:
    """(country code, GeoPackage) of every country of ``scale_name``, under ``out``."""
    scale = SCALES[scale_name]
    return [
        (country_code(i), out / scale_name / f"{country_code(i)}.gpkg")
        for i in range(scale.countries)
    ]


def generate(scale_name: str, out: Path, *, force: bool = False) -> list[tuple[str, Path]]:
    """Write the GeoPackages of ``scale_name`` (kept if already there, unless ``force``)."""
    scale = SCALES[scale_name]
    files = scale_files(scale_name, out)
    for index, (code, path) in enumerate(files):
        if path.exists() and not force:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.gpkg")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        generate_country(partial, index, scale)
        partial.rename(path)
        print(
            f"generated {path} ({code}: {scale.finds:,} finds) "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--force", action="store_true", help="rewrite files already there")
    args = parser.parse_args(argv)
    for code, path in generate(args.scale, args.out, force=args.force):
        print(f"{code}\t{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
