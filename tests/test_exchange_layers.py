"""Importing a kind from the layers an export writes, and what counts as a change of
geometry (issue 18): the same shape, rewound, promoted or rounded, is no change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from openpyxl import Workbook
from pyogrio.raw import write as ogr_write
from sqlalchemy import func, select
from tests.helpers import TODAY, load_sample

from demine.domain.access import Principal, Role
from demine.domain.same_shape import same_shape
from demine.errors import ImportRejected
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import import_file
from demine.ingest.readers import read_table
from demine.store import schema
from demine.store.engine import Store

#: Free text is exported only for the victim-data grant (else withheld, not importable).
MOVER = Principal.of("mover", Role.INFORMATION_MANAGER, Role.VICTIM_DATA)
SQUARE = shapely.Polygon([(46.9, 40.3), (46.92, 40.3), (46.92, 40.315), (46.9, 40.315)])


def test_the_same_shape_however_a_gis_writes_it() -> None:
    rewound = shapely.Polygon(list(SQUARE.exterior.coords)[::-1])
    restarted = shapely.Polygon([(46.92, 40.3), (46.92, 40.315), (46.9, 40.315), (46.9, 40.3)])
    noisy = shapely.transform(SQUARE, lambda xy: xy + 4e-8)
    for same in (rewound, restarted, shapely.MultiPolygon([SQUARE]), noisy):
        assert same_shape(SQUARE, same)
    moved = shapely.transform(SQUARE, lambda xy: xy + 2e-7)
    for other in (moved, SQUARE.buffer(0.001), shapely.MultiPolygon([SQUARE, moved]), None):
        assert not same_shape(SQUARE, other)
    assert same_shape(None, None)


def _history(store: Store) -> int:
    with store.read() as connection:
        count = select(func.count()).select_from(schema.record_history)
        return int(connection.execute(count).scalar_one())


def _rewound(polygon: shapely.Polygon) -> shapely.Polygon:
    """The other way round, from its second vertex."""
    ring = list(polygon.exterior.coords)[:-1]
    return shapely.Polygon((ring[1:] + ring[:1])[::-1])


def _rewrite_hazards(path: Path, store: Store, change: float) -> None:
    """The sample's hazard areas from an export, each polygon rewound, started at
    another vertex and its coordinates moved by ``change`` degrees."""
    exported = path.with_name("exported.gpkg")
    export_register(store, exported, ExportFormat.GPKG, ["hazards"], principal=MOVER)
    _meta, _fids, wkbs, fields = pyogrio.raw.read(exported, layer="hazards_areas")
    info = pyogrio.read_info(exported, layer="hazards_areas")
    shapes = [
        shapely.transform(
            shapely.MultiPolygon([_rewound(p) for p in shapely.from_wkb(wkb).geoms]),
            lambda xy: xy + change,
        )
        for wkb in wkbs
    ]
    ogr_write(
        path, np.array([shapely.to_wkb(s) for s in shapes], dtype=object), list(fields),
        list(info["fields"]), layer="hazards_areas", driver="GPKG",
        geometry_type="MultiPolygon", crs="EPSG:4326",
    )  # fmt: skip


@pytest.mark.parametrize(("change", "updated"), [(3e-8, 0), (1e-5, 2)])
def test_a_rewound_or_rounded_geometry_is_no_change(
    store: Store, tmp_path: Path, change: float, updated: int
) -> None:
    load_sample(store)
    path = tmp_path / "hazards.gpkg"
    _rewrite_hazards(path, store, change)
    report = import_file(store, "hazards", path, country="AZ", today=TODAY)
    assert report.rows == 2  # the sample's hazard areas
    assert (report.counts.inserted, report.counts.updated) == (0, updated)
    assert _history(store) == updated


def _write_layer(path: Path, layer: str, ids: list[str], dates: list[str]) -> None:
    points = [shapely.to_wkb(shapely.Point(46.9 + i / 100, 40.3)) for i in range(len(ids))]
    ogr_write(
        path,
        np.array(points, dtype=object),
        [np.array(ids, dtype=object), np.array(["Terter"] * len(ids), dtype=object),
         np.array(["UXO"] * len(ids), dtype=object), np.array([1] * len(ids)),
         np.array(dates, dtype=object), np.array(["2024-07-01"] * len(ids), dtype="datetime64[D]")],
        ["external_id", "district", "category", "quantity", "found_on", "found_earliest"],
        layer=layer, driver="GPKG", geometry_type="Point", crs="EPSG:4326",
        append=path.exists(),
    )  # fmt: skip


def test_every_layer_of_the_kind_is_read_and_its_rows_named_by_layer(
    store: Store, tmp_path: Path
) -> None:
    load_sample(store)
    path = tmp_path / "finds.gpkg"
    _write_layer(path, "finds", ["N-1", "N-2"], ["2024-07-01", "2024-07-02"])
    _write_layer(path, "finds_no_geometry", ["N-3", "N-1"], ["2024-07-03", "2024-07-40"])
    with pytest.raises(ImportRejected) as rejected:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    assert [str(p) for p in rejected.value.problems] == [
        "finds.gpkg:finds_no_geometry, row 2, field 'found_on': '2024-07-40' is not a date "
        "(use YYYY-MM-DD)",
    ]
    # The derived found_earliest column is read and ignored; a duplicate names its layer.
    path.unlink()
    _write_layer(path, "finds", ["N-1", "N-2"], ["2024-07-01", "2024-07-02"])
    _write_layer(path, "finds_no_geometry", ["N-3", "N-1"], ["2024-07-03", "2024-07-04"])
    with pytest.raises(ImportRejected) as rejected:
        import_file(store, "finds", path, country="AZ", today=TODAY)
    assert [str(p) for p in rejected.value.problems] == [
        "finds.gpkg:finds_no_geometry, row 2, field 'external_id': duplicate id 'N-1' "
        "(also in finds.gpkg:finds, row 1)",
    ]


def test_a_workbook_with_a_sheet_per_layer_is_read_whole(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    [exported] = export_register(
        store, tmp_path / "csv", ExportFormat.CSV, ["hazards"], principal=MOVER
    )
    table = read_table(exported)
    workbook = Workbook()
    for number, name in enumerate(("hazards_points", "hazards_areas")):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        sheet.append(table.columns)
        for row in table.rows:
            if str(row.values["wkt"]).startswith("POINT") == (name == "hazards_points"):
                sheet.append([row.values.get(c) for c in table.columns])
    workbook.save(tmp_path / "hazards.xlsx")
    report = import_file(store, "hazards", tmp_path / "hazards.xlsx", country="AZ", today=TODAY)
    # The sample's 3 hazards, 1 on the first sheet and 2 on the second, none changed.
    assert (report.rows, report.counts.unchanged, report.counts.updated) == (3, 3, 0)
