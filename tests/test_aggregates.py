"""The figures the database keeps by triggers stay equal to a recount of the live
records after any sequence of imports, edits, approvals, deletions and plain SQL."""

from __future__ import annotations

import csv
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point
from sqlalchemy import delete, select, update
from tests.casualty_fixtures import CASUALTY_FILES, IMPORTER
from tests.helpers import REGISTER, TODAY, columnar_spy
from tests.web_fixtures import correct, web_on

from demine.ingest.importer import import_file
from demine.store import schema
from demine.store.aggregates import AGGREGATES, rebuild, regrouped
from demine.store.engine import Store

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _aggregates(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as connection:
        return {
            aggregate.table: sorted(
                tuple(row)
                for row in connection.execute(select(schema.metadata.tables[aggregate.table]))
            )
            for aggregate in AGGREGATES
        }


def _recounted(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.write(rollback=True) as connection:
        rebuild(connection)
        return {
            aggregate.table: sorted(
                tuple(row)
                for row in connection.execute(select(schema.metadata.tables[aggregate.table]))
            )
            for aggregate in AGGREGATES
        }


def _random_change(store: Store, chance: random.Random) -> None:
    """One change of a random finds, activities, accidents or victims row, in plain SQL
    (an accident's date, district, device or activity moves its victims)."""
    table = chance.choice(
        [schema.device_finds, schema.activities, schema.accidents, schema.victims]
    )
    with store.write() as connection:
        ids = list(connection.execute(select(table.c.id)).scalars())
        if not ids:
            return
        row_id = chance.choice(ids)
        action = chance.choice(["draft", "approve", "delete", "undelete", "move", "value", "place"])
        values: dict[str, Any]
        if action == "place" and table in (schema.device_finds, schema.accidents):
            # A new point (its box with it), or none: the map's kept cells follow.
            x, y = chance.uniform(44.8, 50.3), chance.uniform(38.4, 41.9)
            located = chance.random() < 0.8
            values = {
                "geometry": Point(x, y) if located else None,
                **{f"{edge}_{axis}": (value if located else None)
                   for edge in ("min", "max") for axis, value in (("x", x), ("y", y))},
            }  # fmt: skip
        elif action == "draft":
            values = {"review_status": chance.choice(["draft", "submitted", "rejected"])}
        elif action == "approve":
            values = {"review_status": "approved"}
        elif action == "delete":
            values = {"deleted_at": NOW}
        elif action == "undelete":
            values = {"deleted_at": None}
        elif action == "move" and table is schema.victims:
            accidents = list(connection.execute(select(schema.accidents.c.id)).scalars())
            values = {"accident_id": chance.choice(accidents)}
        elif action == "move":
            districts = list(
                connection.execute(
                    select(schema.admin_areas.c.id).where(schema.admin_areas.c.level == "district")
                ).scalars()
            )
            values = {"district_id": chance.choice(districts)}
        elif table is schema.device_finds:
            # A day, a whole year, or a range across a new year (the year table keeps
            # both years of such a find).
            earliest = latest = date(2024, 7, 1) + timedelta(days=chance.randrange(20))
            precision = chance.choice(["day", "day", "year", "month"])
            if precision == "year":
                earliest, latest = date(2023, 1, 1), date(2023, 12, 31)
            elif precision == "month":
                earliest, latest = date(2023, 12, 20), date(2024, 1, 10)
            values = {
                "quantity": chance.randrange(1, 50),
                "found_earliest": earliest,
                "found_latest": latest,
                "date_precision": precision,
                "category": chance.choice(["AP_MINE", "UXO"]),
            }
        elif table is schema.activities:
            values = {
                "area_cleared_m2": float(chance.randrange(0, 90_000)),
                "end_date": chance.choice([date(2023, 12, 30), date(2024, 7, 1)])
                + timedelta(days=chance.randrange(20)),
            }
        elif table is schema.victims:
            values = {
                "sex": chance.choice(["male", "female", "unknown"]),
                "outcome": chance.choice(["killed", "injured", "unknown"]),
                "age": chance.choice([None, 9, 30, 70]),
                "age_band": chance.choice([None, "18-59", "60+"]),
            }
        elif chance.random() < 0.5:
            day = date(2024, 6, 1) + timedelta(days=chance.randrange(40))
            values = {"occurred_earliest": day, "occurred_latest": day, "date_precision": "day"}
        else:
            values = {
                "device_category": chance.choice([None, "AP_MINE", "UXO"]),
                "activity_at_time": chance.choice([None, "farming", "herding"]),
            }
        connection.execute(update(table).where(table.c.id == row_id).values(**values))


def _finds_counted(store: Store) -> int:
    return sum(row[-1] for row in _aggregates(store)["figures_finds"])


def _new_finds_file(path: Path, chance: random.Random) -> tuple[Path, int]:
    """A GeoPackage of a few new finds, placed at the sample's points, of random days
    (some known only to a month), categories and quantities: a file the columnar
    import takes (new, clean, one layer, WGS 84)."""
    with (REGISTER / "finds.csv").open(encoding="utf-8") as source:
        placed = [row for row in csv.DictReader(source) if row["lon"] and row["district"]]
    rows, points = [], []
    for number in range(chance.randrange(2, 8)):
        template = chance.choice(placed)
        day = date(2024, 6, 20) + timedelta(days=chance.randrange(30))
        found_on = day.isoformat()[:7] if chance.random() < 0.2 else day.isoformat()
        rows.append(
            {
                **{k: v for k, v in template.items() if k not in ("lon", "lat")},
                "external_id": f"FND-{path.stem}-{number}",
                "category": chance.choice(["AP_MINE", "AT_MINE", "UXO"]),
                "quantity": chance.randrange(1, 50),
                "found_on": found_on,
            }
        )
        points.append(Point(float(template["lon"]), float(template["lat"])))
    gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326").to_file(
        path, layer="finds", driver="GPKG"
    )
    return path, len(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_figures_equal_a_recount_after_any_changes(
    store: Store, seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = web_on(store)
    for kind, name in CASUALTY_FILES[:2]:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY, principal=IMPORTER)
    assert _aggregates(store) == _recounted(store)
    assert _aggregates(store)["figures_finds"], "the sample's finds are counted"
    assert _aggregates(store)["figures_finds_by_year"], "and by year"
    assert _aggregates(store)["figures_activities_by_year"], "land released by year too"
    assert _aggregates(store)["figures_victims"], "the scenario's victims are counted"
    assert _aggregates(store)["figures_finds_cells_13"], "located finds are kept in map cells"
    assert _aggregates(store)["figures_accidents_cells_16"], "accidents too"
    columnar_imports = columnar_spy(monkeypatch)
    chance = random.Random(seed)
    for step in range(40):
        if step % 10 == 5 or chance.random() < 0.05:
            # New finds in bulk (later steps may change them like any other row).
            path, rows = _new_finds_file(tmp_path / f"step{step}.gpkg", chance)
            before = _finds_counted(store)
            import_file(store, "finds", path, country="AZ", today=TODAY)
            assert columnar_imports[-1], "the new finds took the columnar path"
            assert _finds_counted(store) == before + rows, "and count as live finds"
        else:
            _random_change(store, chance)
        if step % 10 == 0:
            correct(web, "ines", "finds", "FND-002", quantity=chance.randrange(1, 9))
        assert _aggregates(store) == _recounted(store), f"after step {step}"
    assert len(columnar_imports) >= 4 and all(columnar_imports)
    with store.write() as connection:  # rows removed outright (not only soft-deleted)
        connection.execute(delete(schema.device_finds))
        first = connection.execute(select(schema.victims.c.id).limit(1)).scalar_one()
        connection.execute(delete(schema.victims).where(schema.victims.c.id == first))
    assert _aggregates(store) == _recounted(store)
    with store.write() as connection:
        connection.execute(delete(schema.victims))
        connection.execute(delete(schema.accidents))
    assert _aggregates(store) == _recounted(store)
    assert _aggregates(store)["figures_finds"] == []
    assert _aggregates(store)["figures_finds_by_year"] == []
    assert _aggregates(store)["figures_finds_cells_16"] == []
    assert _aggregates(store)["figures_victims"] == []


def test_a_coarser_aggregate_summed_from_a_finer_one_equals_its_own(store: Store) -> None:
    """Years summed from days, map cells from finer cells (what a bulk load stages once
    for both): the same groups as the coarser table keeps; sums of decimals (land
    released) are never regrouped (their order of addition would show)."""
    web_on(store)
    for kind, name in CASUALTY_FILES[:2]:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY, principal=IMPORTER)
    kept = _aggregates(store)
    pairs = set()
    with store.read() as connection:
        for coarse in AGGREGATES:
            for fine in AGGREGATES:
                summed = regrouped(coarse, fine, schema.metadata.tables[fine.table])
                if summed is None:
                    continue
                pairs.add((coarse.table, fine.table))
                rows = sorted(tuple(row) for row in connection.execute(summed))
                assert rows == kept[coarse.table], f"{coarse.table} from {fine.table}"
    assert pairs == {
        ("figures_finds_by_year", "figures_finds"),
        ("figures_finds_cells_13", "figures_finds_cells_16"),
        ("figures_hazards_cells_13", "figures_hazards_cells_16"),
        ("figures_accidents_cells_13", "figures_accidents_cells_16"),
    }
    assert kept["figures_finds_cells_13"] and kept["figures_accidents_cells_13"]


def test_rebuild_aggregates_repairs_figures_changed_behind_the_triggers(
    store: Store, database_url: str
) -> None:
    from typer.testing import CliRunner

    from demine.cli.main import app

    web_on(store)
    expected = _aggregates(store)
    kept = schema.metadata.tables["figures_finds"]
    with store.write() as connection:
        connection.execute(update(kept).values(devices=kept.c.devices + 1000))
    assert _aggregates(store) != expected
    result = CliRunner().invoke(app, ["--db", database_url, "db", "rebuild-aggregates"])
    assert result.exit_code == 0, result.output
    assert "figures_finds: 6 rows recounted" in result.output
    assert _aggregates(store) == expected
