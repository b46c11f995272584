"""Importing the register: every format, all-or-nothing, idempotent, with history."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from sqlalchemy import func, select
from tests.helpers import REGISTER, TODAY, load_sample, snapshot

from demine.domain.entities import Activity, DeviceFind
from demine.domain.vocab import DatePrecision, EOCategory
from demine.errors import ImportRejected, InvalidRequestError
from demine.ingest.importer import import_file
from demine.ingest.readers import open_table
from demine.store import schema
from demine.store.engine import Store
from demine.store.refs import load_refs
from demine.store.register import load_all


def _count(store: Store, table: schema.Table) -> int:
    with store.read() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_sample_register_imports_every_kind(store: Store) -> None:
    reports = load_sample(store)
    assert [(r.kind, r.counts.inserted) for r in reports] == [
        ("admin-areas", 5),
        ("organisations", 3),
        ("hazards", 3),
        ("hazard-changes", 2),
        ("activities", 4),
        ("finds", 6),
        ("summaries", 2),
        ("accidents", 2),
    ]
    assert _count(store, schema.admin_area_aliases) == 7


def test_references_resolve_by_alias_name_and_geometry(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        refs = load_refs(connection)
        finds = {f.external_id: f for f in load_all(connection, DeviceFind, refs)}
        activities = {a.external_id: a for a in load_all(connection, Activity, refs)}
    assert finds["FND-003"].district == "AZ-AGD"  # "Agdam" is an alias
    assert finds["FND-004"].district == "AZ-FUZ"  # no district: found from the point
    assert activities["ACT-003"].district == "AZ-FUZ"  # from the worked polygon
    assert activities["ACT-002"].organisation == "SAFE"  # by full name
    assert finds["FND-002"].category is EOCategory.AP_MINE  # "AP" accepted
    assert finds["FND-006"].found.precision is DatePrecision.YEAR  # "2024": no invented day


def test_reimporting_the_same_files_changes_nothing(store: Store) -> None:
    load_sample(store)
    before = snapshot(store)
    reports = load_sample(store)
    assert all(r.counts.inserted == r.counts.updated == 0 for r in reports)
    assert all(r.batch_id is None for r in reports)
    assert snapshot(store) == before


def test_a_changed_row_updates_the_record_and_keeps_history(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    changed = tmp_path / "finds.csv"
    text = (REGISTER / "finds.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace("FND-001,Tartar,AT_MINE,3,", "FND-001,Tartar,AT_MINE,4,"))
    report = import_file(store, "finds", changed, country="AZ", today=TODAY)
    assert (report.counts.inserted, report.counts.updated, report.counts.unchanged) == (0, 1, 5)
    with store.read() as connection:
        history = connection.execute(select(schema.record_history)).mappings().all()
        quantity = connection.execute(
            select(schema.device_finds.c.quantity).where(
                schema.device_finds.c.external_id == "FND-001"
            )
        ).scalar_one()
    assert quantity == 4
    assert [(h["table_name"], h["record_key"], h["data"]["quantity"]) for h in history] == [
        ("device_finds", "FND-001", 3)
    ]
    assert history[0]["superseded_by_batch_id"] == report.batch_id


def test_dry_run_counts_but_writes_nothing(store: Store) -> None:
    load_sample(store)
    before = snapshot(store)
    report = import_file(store, "finds", REGISTER / "finds.csv", country="AZ", dry_run=True)
    assert report.dry_run and report.counts.unchanged == 6
    assert snapshot(store) == before


BAD_FINDS = """external_id,district,category,quantity,found_on,model,activity,lon,lat
GOOD-1,Tartar,AT_MINE,1,2024-07-02,TM-62M,ACT-001,46.9,40.3
BAD-1,Atlantis,AT_MINE,1,2024-07-02,TM-62M,,46.9,40.3
BAD-2,Tartar,AT_MINE,-3,2024-07-02,TM-62M,,46.9,40.3
BAD-3,Tartar,AT_MINE,1,2031-01-01,TM-62M,,46.9,40.3
BAD-4,Tartar,ROCK,1,2024-07-02,,,46.9,40.3
BAD-5,Tartar,UXO,1,2024-07-02,,,2.35,48.85
GOOD-1,Tartar,UXO,1,2024-07-02,,,46.9,40.3
BAD-7,Tartar,UXO,two,2024-07-02,,,46.9,40.3
BAD-8,Tartar,UXO,1,2024-13-45,,,46.9,40.3
BAD-9,Tartar,UXO,1,2024-07-02,,ACT-999,46.9,40.3
BAD-10,Tartar,,1,2024-07-02,,,46.9,40.3
BAD-11,Tartar,UXO,1,2024-07-02,,,forty,40.3
"""


def test_a_file_of_bad_rows_is_rejected_whole_with_every_reason(
    store: Store, tmp_path: Path
) -> None:
    load_sample(store)
    before = snapshot(store)
    path = tmp_path / "bad_finds.csv"
    path.write_text(BAD_FINDS, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "bad_finds.csv, row 3, field 'district': unknown district 'Atlantis' in AZ",
        "bad_finds.csv, row 4, field 'quantity': must be a positive whole number (got -3)",
        "bad_finds.csv, row 5, field 'found_on': date 2031-01-01 is in the future",
        "bad_finds.csv, row 6, field 'category': unknown value 'ROCK' (accepted: AP_MINE, "
        "AT_MINE, UXO, AXO, IED, SUBMUNITION, OTHER)",
        "bad_finds.csv, row 7, field 'geometry': coordinates (2.35000, 48.85000) are outside "
        "the country's extent",
        "bad_finds.csv, row 8, field 'external_id': duplicate id 'GOOD-1' (also in row 2)",
        "bad_finds.csv, row 9, field 'quantity': 'two' is not a whole number",
        "bad_finds.csv, row 10, field 'found_on': '2024-13-45' is not a date (use YYYY-MM-DD)",
        "bad_finds.csv, row 11, field 'activity': unknown activity 'ACT-999'",
        "bad_finds.csv, row 12, field 'category': required value is missing",
        "bad_finds.csv, row 13, field 'geometry': unreadable geometry: coordinates 'forty', "
        "'40.3' are not two numbers",
    ]
    assert "nothing was written" in caught.value.message
    assert snapshot(store) == before


def test_a_file_read_in_chunks_is_still_all_or_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files are saved a chunk at a time in one transaction: a bad row in a later
    chunk undoes the chunks saved before it, and a duplicate across chunks is caught."""
    from demine.ingest import importer

    load_sample(store)
    before = snapshot(store)
    header, first, *_ = BAD_FINDS.splitlines()
    good = [first.replace("GOOD-1", f"CHUNK-{i}") for i in range(5)]
    path = tmp_path / "chunked_finds.csv"
    path.write_text("\n".join([header, *good, good[1], *good[:1]]) + "\n", encoding="utf-8")
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "chunked_finds.csv, row 7, field 'external_id': duplicate id 'CHUNK-1' (also in row 3)",
        "chunked_finds.csv, row 8, field 'external_id': duplicate id 'CHUNK-0' (also in row 2)",
    ]
    assert snapshot(store) == before

    path.write_text("\n".join([header, *good]) + "\n", encoding="utf-8")
    report = import_file(store, "finds", path, country="AZ", today=TODAY)
    assert (report.rows, report.counts.inserted) == (5, 5)
    again = import_file(store, "finds", path, country="AZ", today=TODAY)
    assert (again.counts.inserted, again.counts.unchanged, again.batch_id) == (0, 5, None)


BAD_ACTIVITIES = (
    "external_id,kind,organisation,district,start_date,end_date,hazard,"
    "area_cancelled_m2,area_reduced_m2,area_cleared_m2,team_days,wkt\n"
    """A-1,clearance,ANAMA,Tartar,2024-07-07,2024-07-01,,0,0,10,1,
A-2,clearance,NOBODY,Tartar,2024-07-01,2024-07-07,,0,0,10,1,
A-3,clearance,ANAMA,Tartar,2024-07-01,2024-07-07,,0,0,10,1,"POLYGON ((46.9 40.3, \
46.91 40.31, 46.91 40.3, 46.9 40.31, 46.9 40.3))"
A-4,clearance,ANAMA,Tartar,2024-07-01,2024-07-07,HA-404,0,-5,10,1,
A-5,demolition,ANAMA,,2024-07-01,2024-07-07,,0,0,10,1,
"""
)


def test_activity_rules_name_row_and_field(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    path = tmp_path / "bad_activities.csv"
    path.write_text(BAD_ACTIVITIES, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "activities", path, country="AZ", today=TODAY)
    reasons = [(p.row, p.field, p.reason) for p in caught.value.problems]
    assert reasons == [
        (2, "end_date", "end date 2024-07-01 is before start date 2024-07-07"),
        (3, "organisation", "unknown organisation 'NOBODY' (import organisations first)"),
        (4, "geometry", "invalid geometry: Self-intersection[46.905 40.305]"),
        (5, "hazard", "unknown hazard area 'HA-404'"),
        (
            6,
            "kind",
            "unknown value 'demolition' (accepted: non_technical_survey, "
            "technical_survey, clearance, battle_area_clearance, eod_spot_task)",
        ),
        (6, "district", "no district given, and none contains the geometry"),
    ]


def test_missing_and_unknown_columns_are_reported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("code,nmae,kind\nX,Y,ngo\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(store, "organisations", path, country="AZ", today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "orgs.csv, field 'nmae': unknown column for organisations (see 'demine template "
        "organisations')",
        "orgs.csv, field 'name': required column is missing",
        "orgs.csv, row 2, field 'name': required value is missing",
    ]


def test_unknown_kind_and_unsupported_file_are_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError, match="unknown import kind 'mines'"):
        import_file(store, "mines", REGISTER / "finds.csv", country="AZ")
    odd = tmp_path / "finds.txt"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidRequestError, match="unsupported file type"):
        import_file(store, "finds", odd, country="AZ")


def test_projected_coordinates_are_reprojected_to_wgs84(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    path = tmp_path / "utm.csv"
    # UTM zone 38N coordinates of a point at about 46.9021 E, 40.3014 N
    path.write_text(
        "external_id,district,category,quantity,found_on,x,y\n"
        "UTM-1,Tartar,UXO,1,2024-07-02,661651.49,4462946.44\n",
        encoding="utf-8",
    )
    import_file(store, "finds", path, country="AZ", crs="EPSG:32638", today=TODAY)
    with store.read() as connection:
        point = connection.execute(
            select(schema.device_finds.c.geometry).where(
                schema.device_finds.c.external_id == "UTM-1"
            )
        ).scalar_one()
    assert point.x == pytest.approx(46.9021, abs=1e-4)
    assert point.y == pytest.approx(40.3014, abs=1e-4)
    assert shapely.get_srid(point) == 0


def _write_gpkg_layers(path: Path, layers: list[str]) -> None:
    from pyogrio.raw import write as ogr_write

    point = shapely.to_wkb(shapely.Point(46.93, 40.34))
    for number, name in enumerate(layers):
        ogr_write(
            path,
            np.array([point], dtype=object),
            [np.array([f"{name.upper()}-1"], dtype=object)],
            ["external_id"],
            layer=name,
            driver="GPKG",
            geometry_type="Point",
            crs="EPSG:4326",
            append=number > 0,
        )


def test_a_geopackage_without_the_kinds_layer_is_refused_with_its_layers(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "two.gpkg"
    _write_gpkg_layers(path, ["a", "b"])
    with pytest.raises(InvalidRequestError) as refused:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    message = str(refused.value)
    assert (
        "two.gpkg has none of the layers 'finds', 'finds_no_geometry' (its layers: a, b)" in message
    )
    assert "--layer" in message
    # Named, the layer is read.
    assert open_table(path, layer="b", preferred_layer="finds").columns == ["external_id"]
    assert [r.values for c in open_table(path, layer="b") for r in c] == [{"external_id": "B-1"}]


def test_a_geopackage_of_one_layer_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "one.gpkg"
    _write_gpkg_layers(path, ["a"])
    stream = open_table(path, preferred_layer="finds")
    assert [r.values for chunk in stream for r in chunk] == [{"external_id": "A-1"}]
