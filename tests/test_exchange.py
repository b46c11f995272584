"""Export and import again: every kind, every format, exactly the same records."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from openpyxl import Workbook
from pyogrio.raw import write as ogr_write
from tests.helpers import REGISTER, SAMPLE_FILES, TODAY, load_sample

from demine.domain.access import Principal, Role
from demine.domain.kinds import KINDS
from demine.domain.kinds.exchange import exchange_columns, geometry_layers, no_geometry_layer
from demine.domain.same_shape import same_shape
from demine.export.templates import template_rows, write_template
from demine.export.writer import ExportFormat, export_register
from demine.ingest.importer import ImportReport, import_file
from demine.ingest.readers import read_table
from demine.ingest.specs import SPECS
from demine.store import migrate
from demine.store.engine import Store, open_store
from demine.store.refs import load_refs
from demine.store.register import load_all

#: Who moves the register: free text is exported only with the victim-data grant.
MOVER = Principal.of("mover", Role.INFORMATION_MANAGER, Role.VICTIM_DATA)


def _entities(store: Store) -> dict[str, list[object]]:
    with store.read() as connection:
        refs = load_refs(connection)
        return {kind: load_all(connection, spec.entity_type, refs) for kind, spec in SPECS.items()}


def _files_of(kind: str, folder: Path, export_format: ExportFormat) -> list[Path]:
    """The files an export wrote a kind's records to (GeoJSON: one per layer)."""
    if export_format is ExportFormat.GPKG:
        return [folder / "register.gpkg"]
    if export_format is ExportFormat.XLSX:
        return [folder / "register.xlsx"]
    if export_format is ExportFormat.CSV:
        return [folder / f"{kind.replace('-', '_')}.csv"]
    layers = (*geometry_layers(KINDS[kind]), no_geometry_layer(KINDS[kind]))
    return [p for layer in layers if (p := folder / f"{layer.name}.geojson").exists()]


def _import_export(
    store: Store, folder: Path, export_format: ExportFormat
) -> list[tuple[int, int, int]]:
    counts = []
    for kind, _ in SAMPLE_FILES:
        done = [0, 0, 0]
        for path in _files_of(kind, folder, export_format):
            report = import_file(store, kind, path, country="AZ", today=TODAY)
            done = [a + b for a, b in zip(done, _counts(report), strict=True)]
        counts.append((done[0], done[1], done[2]))
    return counts


def _counts(report: ImportReport) -> tuple[int, int, int]:
    return report.counts.inserted, report.counts.updated, report.counts.unchanged


def _without_geometry(entities: list[object]) -> list[object]:
    return [
        replace(e, geometry=None) if hasattr(e, "geometry") else e  # type: ignore[type-var]
        for e in entities
    ]


def _geometries(entities: list[object]) -> list[Any]:
    return [getattr(e, "geometry", None) for e in entities]


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_export_then_import_is_exact(
    store: Store, tmp_path: Path, export_format: ExportFormat
) -> None:
    load_sample(store)
    original = _entities(store)
    single_file = {ExportFormat.GPKG: "register.gpkg", ExportFormat.XLSX: "register.xlsx"}
    target = tmp_path / single_file.get(export_format, "out")
    # Moving free text (narratives, notes) takes the victim-data grant.
    export_register(store, target, export_format, country="AZ", principal=MOVER)
    folder = target.parent if export_format in single_file else target

    # Into the same database: every record is recognised as unchanged.
    counts = _import_export(store, folder, export_format)
    assert all(inserted == updated == 0 for inserted, updated, _ in counts)
    assert [unchanged for _, _, unchanged in counts] == [5, 3, 3, 2, 4, 6, 2, 2]

    # Into a new database: the same records, field for field; the same shapes (written
    # as their layers declare them: a polygon hazard as a one-part multipolygon), vertex
    # for vertex from a GeoPackage, to 7 decimals (1 cm) from GeoJSON and CSV.
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}", create=True)
    migrate.upgrade(fresh)
    _import_export(fresh, folder, export_format)
    copied = _entities(fresh)
    assert {k: _without_geometry(v) for k, v in copied.items()} == {
        k: _without_geometry(v) for k, v in original.items()
    }
    for kind, entities in original.items():
        for before, after in zip(_geometries(entities), _geometries(copied[kind]), strict=True):
            assert same_shape(before, after)
            if before is not None and export_format is ExportFormat.GPKG:
                assert (shapely.get_coordinates(before) == shapely.get_coordinates(after)).all()
            elif before is not None:
                assert (
                    abs(shapely.get_coordinates(before) - shapely.get_coordinates(after)).max()
                    <= 5e-8
                )
    fresh.dispose()


def test_geopackage_has_one_layer_per_geometry_type_with_crs(store: Store, tmp_path: Path) -> None:
    import pyogrio

    load_sample(store)
    path = tmp_path / "register.gpkg"
    export_register(store, path, ExportFormat.GPKG)
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    # Every geometry layer, even empty; attribute tables of records without geometry
    # only where there are some (the sample's country, activities and finds without one).
    expected = {
        layer.name: layer.geometry_type
        for kind in KINDS.values()
        if kind.exported_by_default
        for layer in (geometry_layers(kind) or (no_geometry_layer(kind),))
    }
    loose = {f"{kind}_no_geometry": None for kind in ("admin_areas", "activities", "finds")}
    assert layers == expected | loose
    assert (layers["finds"], layers["hazards_areas"], layers["organisations"]) == (
        "Point", "MultiPolygon", None
    )  # fmt: skip
    info = pyogrio.read_info(path, layer="finds")
    assert info["crs"] == "EPSG:4326"
    # The sample's 6 finds: 4 located, 2 without coordinates.
    assert info["features"] == 4
    assert pyogrio.read_info(path, layer="finds_no_geometry")["features"] == 2
    assert list(info["fields"]) == [c.name for c in exchange_columns(KINDS["finds"])]
    assert list(info["dtypes"][4:7]) == ["object", "datetime64[D]", "datetime64[D]"]


def _as_xlsx(csv_table_path: Path, target: Path) -> None:
    table = read_table(csv_table_path)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([row.values.get(c) for c in table.columns])
    workbook.save(target)


def test_xlsx_imports_like_csv(store: Store, tmp_path: Path) -> None:
    for kind, name in SAMPLE_FILES:
        xlsx = tmp_path / name.replace(".csv", ".xlsx")
        _as_xlsx(REGISTER / name, xlsx)
        import_file(store, kind, xlsx, country="AZ", today=TODAY)
    via_xlsx = _entities(store)
    csv_store = open_store(f"sqlite:///{tmp_path / 'csv.db'}", create=True)
    migrate.upgrade(csv_store)
    load_sample(csv_store)
    assert via_xlsx == _entities(csv_store)
    csv_store.dispose()


@pytest.mark.filterwarnings("ignore:Normalized/laundered field name")
@pytest.mark.parametrize(("driver", "suffix"), [("ESRI Shapefile", ".shp"), ("KML", ".kml")])
def test_shapefile_and_kml_finds_import(
    store: Store, tmp_path: Path, driver: str, suffix: str
) -> None:
    for kind, name in SAMPLE_FILES[:5]:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY)
    path = tmp_path / f"finds{suffix}"
    points = [shapely.Point(46.9021, 40.3014), shapely.Point(47.05, 39.55)]
    ogr_write(
        path,
        np.array([shapely.to_wkb(p) for p in points], dtype=object),
        [
            np.array(["S-1", "S-2"], dtype=object),
            np.array(["AT_MINE", "UXO"], dtype=object),
            np.array([2, 1], dtype=np.int64),
            np.array(["2024-07-02", "2024-07-03"], dtype=object),
        ],
        ["external_id", "category", "quantity", "found_on"],
        driver=driver,
        geometry_type="Point",
        crs="EPSG:4326",
    )
    report = import_file(store, "finds", path, country="AZ", today=TODAY)
    assert report.counts.inserted == 2
    finds = {f.external_id: f for f in _entities(store)["finds"]}
    assert finds["S-1"].district == "AZ-TAR" and finds["S-2"].district == "AZ-FUZ"
    assert finds["S-1"].geometry.equals(points[0])


def test_every_kind_has_a_template_that_imports(store: Store, tmp_path: Path) -> None:
    for kind, _ in SAMPLE_FILES:
        header, _example = template_rows(kind)
        assert header[: len(SPECS[kind].fields)] == [f.name for f in SPECS[kind].fields]
        write_template(kind, tmp_path / f"{kind}.xlsx")
        assert read_table(tmp_path / f"{kind}.xlsx").columns == header
