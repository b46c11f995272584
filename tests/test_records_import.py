"""Importing minefield records, rows and points: GeoJSON and CSV, repairs, every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import MultiPolygon, Polygon
from tests.helpers import TODAY, load_sample, snapshot

from demine.domain.access import Principal, Role
from demine.domain.records import DeclaredModel, MinefieldPoint, MinefieldRecord, MinefieldRow
from demine.domain.vocab import EOCategory, RecordPointType, RecordStatus, RecordType
from demine.errors import ImportRejected
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import ImportReport, import_file
from demine.store.engine import Store
from demine.store.refs import load_refs
from demine.store.register import load_all

RECORDS = Path(__file__).parent / "fixtures" / "records"
FILES = [
    ("minefield-records", "minefield_records.geojson"),
    ("minefield-rows", "minefield_rows.csv"),
    ("minefield-points", "minefield_points.csv"),
]


def _import_records(store: Store, folder: Path = RECORDS) -> list[ImportReport]:
    return [
        import_file(store, kind, folder / name, country="AZ", today=TODAY) for kind, name in FILES
    ]


def test_records_rows_and_points_import_from_geojson_and_csv(store: Store) -> None:
    load_sample(store)
    reports = _import_records(store)
    assert [r.counts.inserted for r in reports] == [3, 4, 3]
    with store.read() as connection:
        refs = load_refs(connection)
        records = {r.external_id: r for r in load_all(connection, MinefieldRecord, refs)}
        rows = load_all(connection, MinefieldRow, refs)
        points = load_all(connection, MinefieldPoint, refs)
    first = records["MFR-001"]
    assert (first.district, first.record_type, first.status) == (
        "AZ-AGD",  # "Agdam" is an alias
        RecordType.MAP,
        RecordStatus.RECEIVED,
    )
    assert first.declared_models == (DeclaredModel("TM-62M", 40), DeclaredModel("PMN-2", 12))
    assert first.stated_uncertainty_m == 50.0
    assert records["MFR-002"].district == "AZ-FUZ"  # from the coverage
    assert records["MFR-002"].status is RecordStatus.UNDER_VERIFICATION
    assert isinstance(records["MFR-003"].geometry, MultiPolygon)
    assert [r.category for r in rows if r.record == "MFR-001"] == [
        EOCategory.AT_MINE,
        EOCategory.AT_MINE,
        EOCategory.AP_MINE,
    ]
    assert {p.point_type for p in points} == set(RecordPointType)


def test_a_repairable_polygon_is_repaired_and_noted(store: Store) -> None:
    load_sample(store)
    report = _import_records(store)[0]
    assert report.notes == [
        "minefield_records.geojson, row 2, field 'geometry': invalid geometry "
        "(Self-intersection[47.102 39.606]) repaired (area changed by 0.00%)"
    ]
    with store.read() as connection:
        records = load_all(connection, MinefieldRecord, load_refs(connection))
    repaired = next(r for r in records if r.external_id == "MFR-002").geometry
    assert isinstance(repaired, Polygon) and repaired.is_valid
    assert repaired.bounds[3] == pytest.approx(39.603)  # the spike is gone


def test_reimporting_changes_nothing_and_exports_read_back(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    _import_records(store)
    before = snapshot(store)
    again = _import_records(store)
    assert all(r.counts.inserted == r.counts.updated == 0 for r in again)
    assert snapshot(store) == before
    export_register(
        store, tmp_path, ExportFormat.CSV, [kind for kind, _ in FILES], country="AZ",
        principal=Principal.of("mover", Role.VICTIM_DATA),
    )  # fmt: skip
    exported = [
        import_file(store, kind, tmp_path / f"{kind.replace('-', '_')}.csv", country="AZ")
        for kind, _ in FILES
    ]
    assert [r.counts.unchanged for r in exported] == [3, 4, 3]
    assert snapshot(store) == before


BAD_RECORDS = """external_id,district,source,received_on,record_type,declared_ap_mines,\
declared_at_mines,declared_models,stated_uncertainty_m,wkt
BOWTIE,Aghdam,x,2024-02-16,map,1,1,,,"POLYGON ((46.95 40.0, 46.96 40.01, 46.96 40.0, 46.95 40.01, \
46.95 40.0))"
NEGATIVE,Aghdam,x,2024-02-16,map,-4,1,TM-62M:-2,-5,"POLYGON ((46.95 40.0, 46.955 40.0, \
46.955 40.003, 46.95 40.003, 46.95 40.0))"
FUTURE,Aghdam,x,2031-01-01,drawing,1,1,TM-62M,,"POLYGON ((46.95 40.0, 46.955 40.0, \
46.955 40.003, 46.95 40.003, 46.95 40.0))"
NOSHAPE,Aghdam,x,2024-02-16,map,1,1,,,
POINTY,Aghdam,x,2024-02-16,form,1,1,,,POINT (46.95 40.0)
"""

BAD_ROWS = """external_id,record,category,model,declared_count,wkt
R-UNKNOWN,MFR-999,AT_MINE,TM-62M,20,"LINESTRING (46.9505 40.001, 46.9545 40.001)"
R-NEGATIVE,MFR-001,AT_MINE,TM-62M,-3,"LINESTRING (46.9505 40.001, 46.9545 40.001)"
R-UXO,MFR-001,UXO,,3,"LINESTRING (46.9505 40.001, 46.9545 40.001)"
R-POINT,MFR-001,AP_MINE,,3,POINT (46.9505 40.001)
"""


def test_bad_records_are_rejected_with_every_problem(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    before = snapshot(store)
    path = tmp_path / "bad_records.csv"
    path.write_text(BAD_RECORDS, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "minefield-records", path, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "bad_records.csv, row 2, field 'geometry': invalid geometry (Self-intersection[46.955 "
        "40.005]) that cannot be repaired unambiguously: repairing would split it into 2 "
        "polygons; redraw it as intended",
        "bad_records.csv, row 3, field 'declared_ap_mines': must not be negative (got -4)",
        "bad_records.csv, row 3, field 'stated_uncertainty_m': must not be negative (got -5)",
        "bad_records.csv, row 3, field 'declared_models': TM-62M: count must not be negative",
        "bad_records.csv, row 4, field 'record_type': unknown value 'drawing' (accepted: map, "
        "form)",
        "bad_records.csv, row 4, field 'declared_models': 'TM-62M' is not MODEL:COUNT (e.g. "
        "TM-62M:40;PMN-2:12)",
        "bad_records.csv, row 5, field 'geometry': geometry is required (Polygon or MultiPolygon)",
        "bad_records.csv, row 6, field 'geometry': geometry is a Point; expected Polygon or "
        "MultiPolygon",
    ]
    assert snapshot(store) == before


def test_bad_rows_are_rejected_with_every_problem(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    _import_records(store)
    path = tmp_path / "bad_rows.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "minefield-rows", path, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "bad_rows.csv, row 2, field 'record': unknown minefield record 'MFR-999' (import "
        "minefield-records first)",
        "bad_rows.csv, row 3, field 'declared_count': must not be negative (got -3)",
        "bad_rows.csv, row 4, field 'category': UXO is not laid in rows (use AP_MINE, AT_MINE, "
        "IED, OTHER)",
        "bad_rows.csv, row 5, field 'geometry': geometry is a Point; expected LineString or "
        "MultiLineString",
    ]
