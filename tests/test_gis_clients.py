"""The demo register's exports, as GDAL's own tools read them (issue 18).

GeoPackage layers of one declared geometry type each, typed columns, version 1.2, valid
for GDAL's validate_gpkg.py; copied by ``ogr2ogr`` to Shapefiles and GeoJSON without
``-skipfailures`` and without losing a feature; GeoJSON as RFC 7946 wants it; and the
Shapefile and GeoJSON copies imported into the same register change nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyogrio
import pytest
import shapely
from sqlalchemy import func, select

from demine.domain.access import Principal, Role
from demine.domain.kinds import KINDS
from demine.domain.kinds.exchange import GeometryLayer, layer_named
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import import_file
from demine.store import schema
from demine.store.engine import Store, open_store

pytestmark = pytest.mark.filterwarnings("ignore:Normalized/laundered field name")

#: Debian's python3-gdal (installed by .ci/run) ships GDAL's GeoPackage validator.
VALIDATE_GPKG = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
#: Free text is written only for the victim-data grant: the round trips need it.
MOVER = Principal.of("mover", Role.INFORMATION_MANAGER, Role.VICTIM_DATA)

#: The demo register's layers (seed 2024) and their features, as ``ogrinfo`` lists them.
DEMO_LAYERS = {
    "admin_areas": ("Multi Polygon", 15),
    "hazards_points": ("Point", 11),
    "hazards_areas": ("Multi Polygon", 229),
    "activities": ("Multi Polygon", 4172),
    "finds": ("Point", 61002),
    "accidents": ("Point", 346),
    "minefield_records": ("Multi Polygon", 59),
    "minefield_rows": ("Multi Line String", 64),
    "minefield_points": ("Point", 139),
    "projects_lines": ("Multi Line String", 2),
    "projects_areas": ("Multi Polygon", 5),
    "tasks_points": ("Point", 0),
    "tasks_areas": ("Multi Polygon", 12),
    "eore_sessions": ("Point", 199),
    "organisations": ("None", 12),
    "hazard_changes": ("None", 241),
    "activities_no_geometry": ("None", 16173),
    "summaries": ("None", 0),
    "victims": ("None", 490),
    "casualty_baselines": ("None", 1),
    "accreditations": ("None", 23),
    "quality_inspections": ("None", 241),
    "non_conformities": ("None", 41),
    "eore_sessions_no_geometry": ("None", 9),
}
#: What a Shapefile (which cannot tell a polygon from a multipolygon) declares.
SHAPEFILE_TYPES = {
    "Point": "Point",
    "MultiPolygon": "Polygon",
    "MultiLineString": "LineString",
}


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def exported(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo register exported as a GeoPackage (``register.gpkg``) and as GeoJSON
    (``geojson/``), with ogr2ogr's Shapefile (``shp/``) and GeoJSON (``ogr-geojson/``)
    copies of the GeoPackage."""
    folder = tmp_path_factory.mktemp("gis")
    store = open_store(demo_database_url)
    export_register(store, folder / "register.gpkg", ExportFormat.GPKG, principal=MOVER)
    export_register(store, folder / "geojson", ExportFormat.GEOJSON, principal=MOVER)
    store.dispose()
    # UTF-8, not the Shapefile default ISO-8859-1: Azerbaijani names keep their letters.
    _run("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8",
         str(folder / "shp"), str(folder / "register.gpkg"))  # fmt: skip
    (folder / "ogr-geojson").mkdir()
    for layer in DEMO_LAYERS:
        _run("ogr2ogr", "-f", "GeoJSON", str(folder / "ogr-geojson" / f"{layer}.geojson"),
             str(folder / "register.gpkg"), layer)  # fmt: skip
    yield folder


def test_each_layer_declares_its_one_geometry_type(exported: Path) -> None:
    listed = _run("ogrinfo", "-q", str(exported / "register.gpkg")).stdout
    layers = dict(re.findall(r"^\d+: (\w+) \(([^)]+)\)$", listed, re.MULTILINE))
    assert layers == {name: declared for name, (declared, _) in DEMO_LAYERS.items()}
    summary = _run("ogrinfo", "-so", "-al", str(exported / "register.gpkg")).stdout
    counts = re.findall(r"^Layer name: (\w+)\n(?:.*\n)*?Feature Count: (\d+)$", summary, re.M)
    assert {name: int(count) for name, count in counts} == {
        name: features for name, (_, features) in DEMO_LAYERS.items()
    }


def test_columns_are_typed_dates_numbers_and_booleans(exported: Path) -> None:
    def types(layer: str) -> dict[str, str]:
        summary = _run("ogrinfo", "-so", str(exported / "register.gpkg"), layer).stdout
        return dict(re.findall(r"^(\w+): ([\w()]+) \(", summary, re.MULTILINE))

    finds = types("finds")
    assert (finds["found_on"], finds["found_earliest"], finds["found_latest"]) == (
        "String", "Date", "Date"
    )  # fmt: skip
    assert (finds["quantity"], finds["date_precision"]) == ("Integer64", "String")
    accidents = types("accidents")
    assert accidents["demining_accident"] == accidents["inside_known_hazard"] == "Integer(Boolean)"
    activities = types("activities")
    assert (activities["start_date"], activities["area_cleared_m2"]) == ("Date", "Real")


def test_the_geopackage_is_version_1_2_and_valid(exported: Path) -> None:
    path = exported / "register.gpkg"
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (10200,)
    # GDAL 3.6 reads it without "may only be partially supported".
    assert _run("ogrinfo", "-so", "-al", str(path)).stderr == ""
    validated = _run(sys.executable, str(VALIDATE_GPKG), str(path))
    assert validated.stdout == validated.stderr == ""


def _layer_of(name: str) -> GeometryLayer:
    layer = layer_named(KINDS, name)
    assert layer is not None, name
    return layer


def test_ogr2ogr_copies_every_feature_to_shapefiles_and_geojson(exported: Path) -> None:
    for name, (_declared, features) in DEMO_LAYERS.items():
        geometry_type = _layer_of(name).geometry_type
        shapefile = exported / "shp" / f"{name}.{'dbf' if geometry_type is None else 'shp'}"
        geojson = exported / "ogr-geojson" / f"{name}.geojson"
        for path, expected in (
            (shapefile, SHAPEFILE_TYPES.get(geometry_type or "")),
            (geojson, geometry_type if features else None),
        ):
            info = pyogrio.read_info(path)
            assert info["features"] == features, path
            if expected is not None:
                assert info["geometry_type"] == expected, path


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


#: The coordinates of a GeoJSON file's geometries, as written.
_COORDINATES = re.compile(r'"coordinates": (\[[-0-9.eE, \[\]]*\])')
_DECIMALS = re.compile(r"\.(\d+)")


def test_geojson_export_follows_rfc_7946(exported: Path) -> None:
    rings = exteriors = 0
    for name, (_, features) in DEMO_LAYERS.items():
        text = (exported / "geojson" / f"{name}.geojson").read_text("utf-8")
        document = json.loads(text)
        assert "crs" not in document, name
        assert len(document["features"]) == features
        written = _COORDINATES.findall(text)
        assert len(written) == sum(f["geometry"] is not None for f in document["features"])
        assert all(len(d) <= 7 for numbers in written for d in _DECIMALS.findall(numbers)), name
        for feature in document["features"]:
            geometry = feature["geometry"]
            if geometry is None:
                continue
            assert geometry["type"] == _layer_of(name).geometry_type
            for polygon in _polygons(geometry):
                exterior, *holes = polygon
                assert shapely.LinearRing(exterior).is_ccw, feature["properties"]
                assert not any(shapely.LinearRing(hole).is_ccw for hole in holes)
                exteriors += 1
                rings += 1 + len(holes)
    # Every polygon of admin areas, hazards, activities, minefields, projects and tasks
    # (15 + 229 + 4,172 + 59 + 5 + 12); the two holes are the real boundaries' (Khojaly
    # district around the city of Khankendi, Goranboy around an enclave).
    assert (exteriors, rings) == (4492, 4494)


def _history_and_batches(url: str) -> tuple[int, int]:
    store = open_store(url)
    with store.read() as connection:
        counted = (
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (schema.record_history, schema.import_batches)
        )
        result = (next(counted), next(counted))
    store.dispose()
    return result


def _import_layers(store: Store, folder: Path, suffix: str) -> dict[str, tuple[int, int, int]]:
    """Import every spatial layer's file in ``folder`` as its kind's records."""
    counts = {}
    for name, (declared, features) in DEMO_LAYERS.items():
        if declared == "None" or not features:
            continue
        kind = _layer_of(name).kind.name
        report = import_file(
            store, kind, folder / f"{name}{suffix}", country="AZ", today=date(2026, 1, 1)
        )
        counts[name] = (report.counts.inserted, report.counts.updated, report.counts.unchanged)
    return counts


@pytest.mark.parametrize(("copy", "suffix"), [("shp", ".shp"), ("geojson", ".geojson")])
def test_a_round_trip_through_shapefiles_or_geojson_changes_nothing(
    exported: Path, demo_database_url: str, copy: str, suffix: str
) -> None:
    before = _history_and_batches(demo_database_url)
    store = open_store(demo_database_url)
    try:
        counts = _import_layers(store, exported / copy, suffix)
    finally:
        store.dispose()
    assert counts == {
        name: (0, 0, features)
        for name, (declared, features) in DEMO_LAYERS.items()
        if declared != "None" and features
    }
    # No history row, no import batch: the register is exactly as it was.
    assert _history_and_batches(demo_database_url) == before
