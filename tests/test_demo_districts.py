"""The demo's districts are geoBoundaries' real ones, with their codes, and every demo
record lies in its own district (in the built register and in the stored one)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from demine.demo import DemoRegister, build_demo
from demine.demo.districts import COUNTRY_BOX, DISTRICTS, district_areas, district_polygons, region
from demine.domain.kinds import KINDS
from demine.store.engine import open_store
from demine.store.reader import RegisterReader

#: ISO 3166-2:AZ codes (Demine's own codes are not ISO's: Aghdam is AZ-AGM there; ISO has
#: no code for Aghdara, abolished in 1991).
ISO_CODES = {
    "AZ-TAR": "AZ-TAR", "AZ-AGD": "AZ-AGM", "AZ-AGR": None, "AZ-LAC": "AZ-LAC",
    "AZ-FUZ": "AZ-FUZ", "AZ-SHU": "AZ-SUS", "AZ-KHJ": "AZ-XCI", "AZ-KHN": "AZ-XA",
    "AZ-KAL": "AZ-KAL", "AZ-KHV": "AZ-XVD", "AZ-JAB": "AZ-CAB", "AZ-GUB": "AZ-QBI",
    "AZ-ZAN": "AZ-ZAN", "AZ-GOR": "AZ-GOR",
}  # fmt: skip
#: The two districts cut out of one published polygon (geoBoundaries' Tartar District).
DERIVED = {"AZ-TAR", "AZ-AGR"}
#: GeoNames town points the source map draws a little off: Shusha's and Khankendi's
#: fall just outside their districts, in Khojaly.
CENTRES_OFF_THE_MAP = {"AZ-SHU", "AZ-KHN"}

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def register() -> DemoRegister:
    return build_demo()


def _metres_between(a: BaseGeometry, b: BaseGeometry) -> float:
    near_a, near_b = nearest_points(a, b)
    return float(GEOD.inv(near_a.x, near_a.y, near_b.x, near_b.y)[2])


def test_districts_are_the_published_boundaries_with_their_codes() -> None:
    polygons = district_polygons()
    assert list(polygons) == [d.code for d in DISTRICTS]
    for code, polygon in polygons.items():
        assert polygon.is_valid and polygon.exterior.is_ccw, code  # RFC 7946 winding
        coordinates = shapely.get_coordinates(polygon)
        assert np.array_equal(coordinates, coordinates.round(6)), code
    for a, b in itertools.combinations(polygons.values(), 2):
        assert a.intersection(b).area == 0.0
    # Together they are one region (Goranboy's hole is Naftalan city), inside the
    # country's extent box.
    assert isinstance(region(), Polygon) and len(region().interiors) == 1
    assert box(*COUNTRY_BOX).contains(region())
    areas = {a.code: a for a in district_areas()}
    assert {c: a.iso_code for c, a in areas.items()} == ISO_CODES
    assert all(a.pcode is None for a in areas.values())
    assert {c for c, a in areas.items() if a.geometry_approximate} == DERIVED
    assert all(a.boundary_id and a.boundary_id.startswith("AZE-ADM2-") for a in areas.values())
    assert areas["AZ-TAR"].boundary_id == areas["AZ-AGR"].boundary_id
    assert areas["AZ-SHU"].boundary_id is not None and areas["AZ-SHU"].boundary_id.count(";") == 1
    for district in DISTRICTS:
        centre = Point(district.lon, district.lat)
        if district.code in CENTRES_OFF_THE_MAP:
            assert 0 < _metres_between(centre, polygons[district.code]) < 2_000
        else:
            assert polygons[district.code].contains(centre), district.name


def _outside(records: Iterable[tuple[str, str, BaseGeometry]]) -> list[str]:
    """The records whose geometry breaks the rule for their district (see below)."""
    polygons = district_polygons()
    whole = region()
    points: dict[str, list[tuple[str, BaseGeometry]]] = defaultdict(list)
    broken = []
    for key, district, geometry in records:
        if isinstance(geometry, Point):
            points[district].append((key, geometry))
        elif isinstance(geometry, LineString):
            # A road or power line crosses districts: it starts in its own district
            # and stays in the region.
            start = Point(geometry.coords[0])
            if not (polygons[district].covers(start) and whole.covers(geometry)):
                broken.append(key)
        elif not polygons[district].covers(geometry):
            broken.append(key)
    for district, located in points.items():
        keys, geometries = zip(*located, strict=True)
        inside = shapely.covers(polygons[district], np.array(geometries, dtype=object))
        broken.extend(k for k, ok in zip(keys, inside, strict=True) if not ok)
    return broken


def _located(register: DemoRegister) -> list[tuple[str, str, BaseGeometry]]:
    """(key, district, geometry) of every demo record with a geometry."""
    districted = (
        *register.hazards, *register.activities, *register.device_finds, *register.accidents,
        *register.minefield_records, *register.projects, *register.tasks,
        *register.eore_sessions,
    )  # fmt: skip
    located = [
        (f"{type(r).__name__} {r.external_id}", r.district, r.geometry)
        for r in districted
        if r.geometry is not None
    ]
    record_district = {r.external_id: r.district for r in register.minefield_records}
    for part in (*register.minefield_rows, *register.minefield_points):
        located.append((f"{part.external_id}", record_district[part.record], part.geometry))
    return located


def test_every_demo_record_lies_in_its_own_district(register: DemoRegister) -> None:
    """Points, polygons and minefield rows lie wholly in their district (covered by it);
    a project's line starts in its district and stays in the region."""
    located = _located(register)
    assert len(located) > 65_000
    assert _outside(located) == []


def test_stored_districts_carry_their_codes_and_hold_their_finds(
    demo_database_url: str,
) -> None:
    """What the database (SQLite or PostGIS) gives back: the codes, and the finds still
    inside the stored boundaries."""
    store = open_store(demo_database_url)
    try:
        with store.read() as connection:
            reader = RegisterReader(connection, "AZ")
            areas = {row["id"]: row for row in reader.rows("admin-areas")}
            finds = [
                (row["external_id"], areas[row["district_id"]]["code"], row["geometry"])
                for row in reader.rows("finds")
            ]
    finally:
        store.dispose()
    by_code: Mapping[str, dict[str, object]] = {row["code"]: row for row in areas.values()}
    assert {c: by_code[c]["iso_code"] for c in ISO_CODES} == ISO_CODES
    assert by_code["AZ-KHN"]["boundary_id"] == "AZE-ADM2-54616110B37997880"
    assert all(by_code[c]["pcode"] is None for c in ISO_CODES)
    stored = {c: by_code[c]["geometry"] for c in ISO_CODES}
    assert all(stored[c].equals(district_polygons()[c]) for c in ISO_CODES)
    assert len(finds) > 50_000
    assert _outside(finds) == []


def test_each_code_has_its_own_hxl_tag_that_libhxl_reads() -> None:
    """Demine's code is ``#adm2+code``; the others say whose code they are with a ``+v_``
    vocabulary attribute, as OCHA tags p-codes (``#adm2+code+v_pcode``)."""
    hxl = pytest.importorskip("hxl")
    fields = {f.name: f for f in KINDS["admin-areas"].fields}
    tags = [fields[name].hxl for name in ("code", "iso_code", "boundary_id", "pcode")]
    assert tags == [
        "#adm2+code",
        "#adm2+code+v_iso3166_2",
        "#adm2+code+v_geoboundaries",
        "#adm2+code+v_pcode",
    ]
    columns = [hxl.model.Column.parse(tag) for tag in tags]
    assert all(c.tag == "#adm2" and "code" in c.attributes for c in columns)
    assert len({frozenset(c.attributes) for c in columns}) == 4
