"""The columnar import of a GeoPackage (``ingest.columnar``) stores, counts, notes and
refuses exactly what the row-by-row import does, on SQLite and PostGIS."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from tests.conftest import _postgis_schema

from demine.errors import ImportRejected, StoreError
from demine.ingest import columnar, importer
from demine.ingest.importer import import_file
from demine.store import kept_in_bulk as kept_in_bulk_module
from demine.store import schema
from demine.store.aggregates import rebuild
from demine.store.bulk import _secondary_indexes, insert_rows
from demine.store.check import check_database
from demine.store.engine import Store
from demine.store.kept_in_bulk import kept_in_bulk
from helpers import REGISTER, SAMPLE_FILES, TODAY, columnar_spy, snapshot

#: What the finds refer to: the sample register up to (not including) its finds.
BASE = SAMPLE_FILES[: [kind for kind, _ in SAMPLE_FILES].index("finds")]


@pytest.fixture
def row_store(database_url: str, migrated_schemas: Any, tmp_path: Path) -> Iterator[Store]:
    """A second fresh store of the same database, imported into row by row."""
    cleanup = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'rows.db'}"
    else:
        cleanup = _postgis_schema()
        url = next(cleanup)
    opened = migrated_schemas.fresh_store(url)
    yield opened
    opened.dispose()
    if cleanup is not None:
        next(cleanup, None)


def _base(store: Store) -> None:
    for kind, name in BASE:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY)


def _sample_finds() -> list[dict[str, Any]]:
    with (REGISTER / "finds.csv").open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def _gpkg(path: Path, rows: list[dict[str, Any]]) -> Path:
    records = [{k: v for k, v in row.items() if k not in ("lon", "lat")} for row in rows]
    for record in records:
        record["quantity"] = int(record["quantity"])
    geometry = [
        Point(float(row["lon"]), float(row["lat"])) if row.get("lon") else None for row in rows
    ]
    gpd.GeoDataFrame(records, geometry=geometry, crs="EPSG:4326").to_file(
        path, layer="finds", driver="GPKG"
    )
    return path


def _finds(tmp_path: Path, name: str = "finds.gpkg") -> list[dict[str, Any]]:
    rows = _sample_finds()
    for row in rows:
        # A district to infer from the point is the row path's (tested in test_import).
        row["district"] = row["district"] or "Tartar"
    extra = dict(rows[0])
    # The same point as the first find (a warning), and a find without a point.
    rows.append({**extra, "external_id": "FND-COPY", "model": "  "})
    rows.append({**extra, "external_id": "FND-NOPOINT", "lon": "", "lat": ""})
    return rows


def _import(store: Store, path: Path) -> importer.ImportReport:
    return import_file(store, "finds", path, country="AZ", today=TODAY)


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "import_columns", lambda *args, **kwargs: None)


@pytest.mark.parametrize("batch_rows", [columnar.BATCH_ROWS, 4])
def test_a_new_file_is_stored_as_row_by_row(
    store: Store,
    row_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_rows: int,
) -> None:
    # Read 4 rows at a time, the file's values, keys and points span several batches.
    monkeypatch.setattr(columnar, "BATCH_ROWS", batch_rows)
    path = _gpkg(tmp_path / "finds.gpkg", _finds(tmp_path))
    _base(store)
    _base(row_store)
    taken = columnar_spy(monkeypatch)
    indexes = _indexes(store)
    assert indexes
    report = _import(store, path)
    assert taken == [True]
    # Dropped for the load (larger than the empty table), and built again.
    assert _indexes(store) == indexes
    _row_by_row(monkeypatch)
    expected = _import(row_store, path)
    assert (report.counts, report.rows, report.notes) == (
        expected.counts,
        expected.rows,
        expected.notes,
    )
    assert any("FND-COPY" in note or "the same geometry" in note for note in report.notes)
    # Every table: the finds, the maintained aggregates, the data versions, the batch
    # (ids and times aside), and the R*Tree the triggers keep on SQLite.
    assert _timeless(store) == _timeless(row_store)
    assert _boxes(store) == _boxes(row_store)


def _boxes(store: Store) -> list[tuple[Any, ...]]:
    """The finds' R*Tree rows, by find (SQLite; PostGIS keeps a GiST index instead)."""
    if store.is_postgis:
        return []
    finds = schema.device_finds
    with store.read() as connection:
        found = connection.execute(select(finds.c.id, finds.c.external_id))
        keys = {row[0]: row[1] for row in found}
        rows = connection.execute(
            text("SELECT id, min_x, max_x, min_y, max_y FROM rtree_device_finds")
        )
        return sorted((keys[row[0]], *row[1:]) for row in rows)


def test_a_columnar_import_leaves_kept_figures_equal_a_recount(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The triggers suspended during the load: what they keep is written for the whole
    load, as ``db check`` and ``db rebuild-aggregates`` agree."""
    path = _gpkg(tmp_path / "finds.gpkg", _finds(tmp_path))
    _base(store)
    taken = columnar_spy(monkeypatch)
    report = _import(store, path)
    assert taken == [True]
    assert report.counts.inserted == len(_finds(tmp_path))
    checked = check_database(store)
    assert checked.problems == []
    assert any("kept figures" in line for line in checked.passed)
    kept = _figures(store)
    assert kept["figures_finds"]
    assert kept["figures_finds_by_year"]
    with store.write() as connection:
        rebuild(connection)
    assert _figures(store) == kept
    with store.read() as connection:
        triggers = _trigger_names(connection)
    # The suspended triggers are back, and fire again for the next rows.
    if not store.is_postgis:
        assert {"figures_finds_add", "figures_finds_by_year_add"} <= triggers
        assert "rtree_device_finds_insert" in triggers
        assert "device_finds_data_version_insert" in triggers


def _figures(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {name: rows for name, rows in snapshot(store).items() if name.startswith("figures_")}


def _trigger_names(connection: Any) -> set[str]:
    if connection.dialect.name == "sqlite":
        statement = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        statement = "SELECT tgname FROM pg_trigger"
    return {str(name) for (name,) in connection.execute(text(statement))}


def _indexes(store: Store) -> list[tuple[str, str]]:
    with store.read() as connection:
        return sorted(_secondary_indexes(connection, schema.device_finds))


def _timeless(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, without provenance or the times an import ran."""
    tables = snapshot(store, with_provenance=False)
    return {
        name: [tuple(v for v in row if not isinstance(v, datetime)) for row in rows]
        for name, rows in tables.items()
    }


def test_reimport_changes_nothing_and_a_change_keeps_history(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _finds(tmp_path)
    path = _gpkg(tmp_path / "finds.gpkg", rows)
    _base(store)
    taken = columnar_spy(monkeypatch)
    first = _import(store, path)
    before = snapshot(store)
    again = _import(store, path)
    assert taken == [True, False]  # stored records: the row path decides
    assert (again.counts.inserted, again.counts.updated) == (0, 0)
    assert again.counts.unchanged == first.counts.inserted == len(rows)
    assert snapshot(store) == before
    rows[1]["quantity"] = "7"
    changed = _import(store, _gpkg(tmp_path / "changed.gpkg", rows))
    assert (changed.counts.inserted, changed.counts.updated) == (0, 1)
    history = snapshot(store)["record_history"]
    assert len(history) == len(before["record_history"]) + 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "NOT_A_CATEGORY"),
        ("found_on", "2099-01-01"),
        ("quantity", "0"),
        ("activity", "ACT-NONE"),
        ("external_id", "FND-002"),
        ("lon", "120.0"),
    ],
)
def test_a_bad_row_is_refused_with_the_row_path_words(
    store: Store,
    row_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    value: str,
) -> None:
    rows = _finds(tmp_path)
    rows[0][field] = value
    path = _gpkg(tmp_path / "bad.gpkg", rows)
    _base(store)
    _base(row_store)
    before = snapshot(store, with_provenance=False)
    with pytest.raises(ImportRejected) as columnar_refusal:
        _import(store, path)
    _row_by_row(monkeypatch)
    with pytest.raises(ImportRejected) as row_refusal:
        _import(row_store, path)
    assert columnar_refusal.value.problems == row_refusal.value.problems
    assert snapshot(store, with_provenance=False) == before


@pytest.mark.parametrize("told", [False, True])
def test_a_bulk_load_refuses_a_broken_reference_with_its_triggers_suspended(
    store: Store, tmp_path: Path, told: bool
) -> None:
    """With the triggers suspended for a load (PostGIS: foreign keys too), a row
    referring to a record that is gone is still refused, and nothing is saved: checked
    from the new rows, or from the values the loader says they refer to (``told``)."""
    _base(store)
    _import(store, _gpkg(tmp_path / "finds.gpkg", _finds(tmp_path)))
    finds = schema.device_finds
    with store.read() as connection:
        row = dict(connection.execute(select(finds).limit(1)).one()._mapping)
    before = snapshot(store)
    row.pop("id")
    broken = {**row, "external_id": "FND-BROKEN", "district_id": 10**9}
    # SQLite checks each row's keys as it goes; PostGIS (superuser) once for the load.
    expected = StoreError if store.is_postgis else IntegrityError
    with (
        pytest.raises(expected, match="admin_areas" if store.is_postgis else "FOREIGN KEY"),
        store.write() as connection,
        kept_in_bulk(connection, finds, {"district_id": [None, 10**9]} if told else None),
    ):
        insert_rows(connection, finds, [broken])
    assert snapshot(store) == before


def test_keys_to_strip_or_beyond_ascii_are_parsed_one_by_one_as_row_by_row(
    store: Store, row_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys are checked for a whole column at once only when plainly kept as they are;
    others go through the key's parser one by one, and are stored as the row path does.
    So are the activities a find names: one named with spaces around it, as another
    row names it plainly, is the same activity."""
    rows = _finds(tmp_path)
    rows[0]["external_id"] = f"  {rows[0]['external_id']}\t"
    rows[1]["external_id"] = "FND-Ω-1"
    assert rows[0]["activity"] == rows[1]["activity"] == "ACT-001"
    rows[1]["activity"] = " ACT-001  "
    path = _gpkg(tmp_path / "finds.gpkg", rows)
    _base(store)
    _base(row_store)
    taken = columnar_spy(monkeypatch)
    _import(store, path)
    assert taken == [True]
    _row_by_row(monkeypatch)
    _import(row_store, path)
    assert _timeless(store) == _timeless(row_store)
    with store.read() as connection:
        keys = set(connection.execute(select(schema.device_finds.c.external_id)).scalars())
    assert {rows[0]["external_id"].strip(), "FND-Ω-1"} <= keys


def test_a_second_load_fills_the_map_index_as_the_first(
    store: Store, row_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two columnar loads, the second into a table and R*Tree that hold the first's
    rows, leave the row path's R*Tree (SQLite), and ``db check`` passes."""
    rows = _finds(tmp_path)
    half = len(rows) // 2
    paths = [
        _gpkg(tmp_path / "first.gpkg", rows[:half]),
        _gpkg(tmp_path / "second.gpkg", rows[half:]),
    ]
    _base(store)
    _base(row_store)
    taken = columnar_spy(monkeypatch)
    for path in paths:
        _import(store, path)
    assert taken == [True, True]
    _row_by_row(monkeypatch)
    for path in paths:
        _import(row_store, path)
    assert _boxes(store) == _boxes(row_store)
    assert check_database(store).problems == []


@pytest.mark.parametrize(
    ("field", "value"), [("category", "NOT_A_CATEGORY"), ("external_id", "FND-002")]
)
def test_a_bad_row_met_once_rows_are_copied_in_leaves_nothing_behind(
    store: Store,
    row_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    field: str,
    value: str,
) -> None:
    """Read 4 rows at a time, with the last row bad (a value no parser takes, a key met
    earlier in the file): on PostGIS the first batches are already copied in when it is
    found. The copy is undone, the indexes dropped for it are back, and the row path
    refuses the file with its own words."""
    monkeypatch.setattr(columnar, "BATCH_ROWS", 4)
    rows = _finds(tmp_path)
    rows[-1][field] = value
    path = _gpkg(tmp_path / "bad.gpkg", rows)
    _base(store)
    _base(row_store)
    before, indexes = snapshot(store, with_provenance=False), _indexes(store)
    taken = columnar_spy(monkeypatch)
    with pytest.raises(ImportRejected) as columnar_refusal:
        _import(store, path)
    assert taken == [False]
    _row_by_row(monkeypatch)
    with pytest.raises(ImportRejected) as row_refusal:
        _import(row_store, path)
    assert columnar_refusal.value.problems == row_refusal.value.problems
    assert snapshot(store, with_provenance=False) == before
    assert _indexes(store) == indexes


def test_new_records_with_one_already_stored_in_a_later_batch_are_the_row_paths(
    store: Store, row_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of new records whose last batch holds one record already stored: the rows
    copied in so far are undone (PostGIS: the table's unique key refuses the copy) and
    the row path stores the file, leaving what it leaves row by row from the start."""
    monkeypatch.setattr(columnar, "BATCH_ROWS", 4)
    rows = _finds(tmp_path)
    stored = _gpkg(tmp_path / "stored.gpkg", rows[-1:])
    path = _gpkg(tmp_path / "finds.gpkg", rows)
    for each in (store, row_store):
        _base(each)
        _import(each, stored)
    taken = columnar_spy(monkeypatch)
    report = _import(store, path)
    assert taken == [False]
    _row_by_row(monkeypatch)
    expected = _import(row_store, path)
    assert report.counts == expected.counts
    assert (report.counts.inserted, report.counts.unchanged) == (len(rows) - 1, 1)
    assert _timeless(store) == _timeless(row_store)


@pytest.mark.parametrize("merged_after", [kept_in_bulk_module.MERGED_AFTER, 1])
def test_a_load_adding_to_groups_already_kept_leaves_figures_equal_a_recount(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merged_after: int
) -> None:
    """A second load whose finds fall in groups the first made (district, day, category,
    map cells) and in new ones: the kept figures equal a recount, whether its groups are
    added one by one or, many at once, merged by an update and an insert (PostGIS)."""
    monkeypatch.setattr(kept_in_bulk_module, "MERGED_AFTER", merged_after)
    rows = _finds(tmp_path)
    half = len(rows) // 2
    again = [{**row, "external_id": f"{row['external_id']}-B"} for row in rows[:half]]
    _base(store)
    taken = columnar_spy(monkeypatch)
    _import(store, _gpkg(tmp_path / "first.gpkg", rows[:half]))
    _import(store, _gpkg(tmp_path / "second.gpkg", again + rows[half:]))
    assert taken == [True, True]
    kept = _figures(store)
    assert any(row[-1] > 1 for row in kept["figures_finds_cells_16"])  # records
    with store.write() as connection:
        rebuild(connection)
    assert _figures(store) == kept
    assert check_database(store).problems == []
