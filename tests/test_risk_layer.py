"""The risk layer inside the register (issue 20): predictions stored as risk cells,
replaced whole per country and model, served as an OGC collection and a dashboard map
layer to operational roles only, and read by ``demine analyse projects``.

Predictions come from RELand's cells (data/reland, MIT) and Colombia's event register
(data/colombia-events, MIT), two small municipalities of them, as in tests/test_risk.py.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, box
from sqlalchemy import select
from tests.projects_scenario import AS_OF, load_scenario
from tests.records_scenario import lonlat
from tests.risk_fixtures import CELLS, MODEL, risk_cells, store_risk_layer
from tests.test_risk import _register_near, _subset_cells
from tests.test_risk_projects import CELLS as PROJECT_CELLS
from tests.test_risk_projects import _layer
from tests.web_fixtures import BY_ROLE, web_on
from typer.testing import CliRunner

from demine.analysis.projects.analysis import analyse_projects
from demine.analysis.projects.risk_layer import read_risk_layer, stored_risk_layer
from demine.analysis.risk.cells import CellsFile, read_cells
from demine.analysis.risk.layer import ModelIdentity
from demine.analysis.risk.model import RiskModel
from demine.analysis.risk.prediction import Prediction, predict_cells
from demine.analysis.risk.publish import store_prediction
from demine.analysis.risk.read import read_events
from demine.cli.main import app
from demine.domain.risk_cells import RiskCell, RiskScorer, risk_cell_key
from demine.errors import ImportRejected, InvalidRequestError
from demine.store import schema
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader
from demine.store.refs import load_admin_area_refs
from demine.store.register import load_all
from demine.store.risk_layer import REPLACE_LAYER, replace_layer, stored_layers

runner = CliRunner()
TWO = ("GUATAPE", "EL SANTUARIO")
CUTOFF = date(2010, 1, 1)
TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def register_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("risk-layer")
    url = f"sqlite:///{folder / 'co.db'}"
    files = [str(p) for p in _register_near(folder / "events")]
    result = runner.invoke(
        app, ["--db", url, "--create", "--country", "CO", "import", "colombia", *files]
    )
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def trained(register_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("risk-model")
    model = folder / "antioquia.json"
    _risk(register_db, "train", "--cells", str(_subset_cells(folder / "cells.csv")),
          "--label", "mines_outcome", "--group", "Municipio", "--events-before", "2010-01-01",
          "-o", str(model))  # fmt: skip
    return model


@pytest.fixture(scope="module")
def predicted(
    register_db: str, trained: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CellsFile, Prediction]:
    cells = read_cells(_subset_cells(tmp_path_factory.mktemp("cells") / "two.csv", TWO))
    store = open_store(register_db)
    with store.read() as connection:
        events = read_events(RegisterReader(connection, "CO"))
    store.dispose()
    return cells, predict_cells(RiskModel.read(trained), cells, events, CUTOFF)


def _risk(url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", url, "--country", "CO", "risk", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _refusal(*args: str) -> str:
    """The message of the error a command stops with (``demine`` exits 2 with it)."""
    result = runner.invoke(app, list(args))
    assert isinstance(result.exception, InvalidRequestError), result.output
    return result.exception.message


def _stored(store: Store, country: str = "CO") -> dict[str, RiskCell]:
    with store.read() as connection:
        cells = load_all(connection, RiskCell, load_admin_area_refs(connection), country)
    return {cell.external_id: cell for cell in cells}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- storing a prediction (SQLite and PostGIS) -------------------------------------------


def test_a_stored_prediction_reads_back_and_restoring_replaces_exactly(
    store: Store, predicted: tuple[CellsFile, Prediction], trained: Path
) -> None:
    cells, prediction = predicted
    model = ModelIdentity.of_file(trained)
    before, after = store_prediction(
        store, "CO", cells, prediction, model, actor="tester", today=TODAY
    )
    assert before is None and after.cells == len(cells) and after.scorer == "full"
    stored = _stored(store)
    ids = cells.column("")  # RELand's unnamed index column names each cell
    assert sorted(stored) == sorted(risk_cell_key("CO", "antioquia", cell) for cell in ids)
    for index, cell_id in enumerate(ids):
        cell = stored[risk_cell_key("CO", "antioquia", cell_id)]
        assert cell.risk == pytest.approx(float(prediction.risk[index]), abs=1e-6)
        assert cell.factors == [
            (name, pytest.approx(value, abs=1e-6)) for name, value in prediction.factors[index]
        ]
        assert (cell.model, cell.model_sha256) == ("antioquia", model.sha256)
        assert (cell.events_before, cell.predicted_on) == (CUTOFF, TODAY)
        assert cell.scorer is RiskScorer.FULL
        assert cell.geometry is not None and cell.geometry.geom_type == "Polygon"
        assert cell.geometry.contains(Point(cells.lon[index], cells.lat[index]))
        # The square the features were measured with: about 1 km a side.
        assert cell.geometry.area == pytest.approx((0.0091) ** 2, rel=0.05)

    # Re-storing a smaller prediction of the same model replaces the layer exactly.
    guatape = [i for i, name in enumerate(cells.column("Municipio")) if name == "GUATAPE"]
    fewer = _subset(cells, prediction, guatape)
    before, after = store_prediction(
        store, "CO", *fewer, model, actor="tester", today=date(2024, 7, 1)
    )
    assert before is not None and before.cells == len(cells)
    assert after.cells == len(guatape) and after.predicted_on == date(2024, 7, 1)
    assert sorted(_stored(store)) == sorted(
        risk_cell_key("CO", "antioquia", ids[i]) for i in guatape
    )
    # Another model's layer is a layer of its own; another country's cells are apart.
    store_prediction(store, "CO", cells, prediction, ModelIdentity("other", "1" * 64),
                     actor="tester", today=TODAY)  # fmt: skip
    with store.read() as connection:
        layers = {layer.model: layer.cells for layer in stored_layers(connection, "CO")}
        log = connection.execute(
            select(
                schema.audit_log.c.actor,
                schema.audit_log.c.record_key,
                schema.audit_log.c.before,
                schema.audit_log.c.after,
            )
            .where(schema.audit_log.c.action == REPLACE_LAYER)
            .order_by(schema.audit_log.c.id)
        ).all()
    assert layers == {"antioquia": len(guatape), "other": len(cells)}
    assert [(actor, key) for actor, key, _before, _after in log] == [
        ("tester", "CO/antioquia"), ("tester", "CO/antioquia"), ("tester", "CO/other"),
    ]  # fmt: skip
    assert log[0].before is None and log[1].before == log[0].after
    assert log[1].after == {
        "model": "antioquia", "model_sha256": model.sha256, "scorer": "full",
        "events_before": "2010-01-01", "predicted_on": "2024-07-01", "cells": len(guatape),
    }  # fmt: skip


def _subset(
    cells: CellsFile, prediction: Prediction, rows: Sequence[int]
) -> tuple[CellsFile, Prediction]:
    chosen = np.array(rows)
    return (
        dataclasses.replace(
            cells,
            rows=tuple(cells.rows[i] for i in rows),
            lon=cells.lon[chosen],
            lat=cells.lat[chosen],
        ),
        dataclasses.replace(
            prediction,
            risk=prediction.risk[chosen],
            factors=[prediction.factors[i] for i in rows],
        ),
    )


def test_a_bad_prediction_writes_nothing(
    store: Store, predicted: tuple[CellsFile, Prediction], trained: Path
) -> None:
    cells, prediction = predicted
    model = ModelIdentity.of_file(trained)
    store_prediction(store, "CO", cells, prediction, model, actor="tester", today=TODAY)
    kept = _stored(store)
    risk = prediction.risk.copy()
    risk[[0, 3]] = [1.5, np.nan]
    with pytest.raises(ImportRejected) as rejected:
        store_prediction(store, "CO", cells, dataclasses.replace(prediction, risk=risk), model,
                         actor="tester", today=date(2024, 7, 1))  # fmt: skip
    assert [(p.row, p.field) for p in rejected.value.problems] == [(2, "risk"), (5, "risk")]
    assert "nothing was written" in rejected.value.message
    repeated = dataclasses.replace(cells, header=("cell_id", *cells.header[1:]),
                                   rows=(cells.rows[0], *cells.rows[:-1]))  # fmt: skip
    with pytest.raises(InvalidRequestError, match=r"two.csv, row 3, field 'cell_id': .* repeated"):
        store_prediction(store, "CO", repeated, prediction, model, actor="tester", today=TODAY)
    assert _stored(store) == kept


# -- the command (SQLite) ------------------------------------------------------------------


def test_predict_store_replaces_the_layer_and_says_so(
    register_db: str, trained: Path, tmp_path: Path
) -> None:
    two = _subset_cells(tmp_path / "two.csv", TWO)
    out = tmp_path / "out.csv"
    text = _risk(register_db, "predict", "--model", str(trained), "--cells", str(two),
                 "-o", str(out), "--store")  # fmt: skip
    written = _rows(out)
    assert f"Stored {len(written)} cells as the risk layer of model antioquia in CO." in text
    store = open_store(register_db)
    try:
        stored = _stored(store)
        assert len(stored) == len(written)
        for row in written:
            cell = stored[risk_cell_key("CO", "antioquia", row[""])]
            assert cell.risk == pytest.approx(float(row["risk"]), abs=5e-5)
            assert cell.factor_1 == row["factor_1"]
        one = _subset_cells(tmp_path / "one.csv", ("GUATAPE",))
        text = _risk(register_db, "predict", "--model", str(trained), "--cells", str(one),
                     "--store")  # fmt: skip
        count = len(_rows(one))
        assert f"Stored {count} cells" in text and f"replacing {len(written)} cells" in text
        assert len(_stored(store)) == count
        # Nothing asked for, nothing done; a cell id column that does not exist refuses.
        database = ("--db", register_db, "--country", "CO", "risk", "predict")
        assert _refusal(*database, "--model", str(trained), "--cells", str(one)) == (
            "give --output FILE, --store, or both"
        )
        refused = _refusal(*database, "--model", str(trained), "--cells", str(two),
                           "--store", "--cell-id", "nope")  # fmt: skip
        assert refused == "two.csv: no column 'nope'"
        assert len(_stored(store)) == count
    finally:
        store.dispose()
    # The projects analysis reads the stored layer by its model's name.
    result = runner.invoke(app, ["--db", register_db, "--country", "CO", "analyse", "projects",
                                 "--risk-layer", "antioquia", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["risk_layer"]["stored_model"] == "antioquia"
    refused = _refusal("--db", register_db, "--country", "CO", "analyse", "projects",
                       "--risk-layer", "nothing")  # fmt: skip
    assert refused == "no stored risk layer of model 'nothing' in CO (stored: antioquia)"


# -- who sees it (SQLite and PostGIS) ---------------------------------------------------------


def test_the_risk_layer_is_served_to_operational_roles_only(store: Store) -> None:
    web = web_on(store)
    store_risk_layer(store)
    for role, user in BY_ROLE.items():
        operational = role != "public"
        headers = web.as_(user)
        listed = web.client.get("/ogc/collections", headers=headers).json()["collections"]
        assert ("risk-cells" in [c["id"] for c in listed]) is operational, role
        for path in ("", "/queryables", "/items", "/tiles"):
            answer = web.client.get(f"/ogc/collections/risk-cells{path}", headers=headers)
            assert answer.status_code == (200 if operational else 404), (role, path)
        items = web.client.get("/ogc/collections/risk-cells/items", headers=headers)
        if operational:
            features = items.json()["features"]
            assert sorted(f["properties"]["risk"] for f in features) == sorted(
                risk for _cell, _x, _y, risk in CELLS
            )
        mapped = web.client.get("/api/map/risk", headers=headers)
        assert mapped.status_code == (200 if operational else 403), role
        if operational:
            assert {f["properties"]["cell"] for f in mapped.json()["features"]} == {"1", "2", "3"}
        page = web.client.get("/", headers=headers).text
        config = json.loads(page.split('id="map-config">')[1].split("</script>")[0])
        assert ("risk" in config["layers"]) is operational, role
        assert (config["risk"] is not None) is operational, role
    legend = json.loads(
        web.client.get("/", headers=web.as_("vera")).text.split('id="map-config">')[1]
        .split("</script>")[0]
    )["risk"]  # fmt: skip
    assert [entry["colour"] for entry in legend] == [
        "#feebe2", "#fbb4b9", "#f768a1", "#c51b8a", "#7a0177",
    ]  # fmt: skip
    assert legend[0]["label"] == "0-20 %" and legend[-1]["to"] == 1.0
    # Not served record by record, nor imported: written whole by its command.
    assert web.client.get("/api/risk-cells", headers=web.as_("adam")).status_code == 422


def test_the_map_draws_one_model_at_a_time_the_last_predicted_unless_asked(
    store: Store,
) -> None:
    web = web_on(store)
    store_risk_layer(store)
    later = [replace(cell, predicted_on=date(2024, 7, 1), risk=0.5) for cell in
             risk_cells(model="newer")[:2]]  # fmt: skip
    with store.write() as connection:
        replace_layer(connection, "AZ", "newer", later, actor="tests",
                      now=datetime(2024, 7, 1, tzinfo=UTC))  # fmt: skip
    viewer = web.as_("vera")

    def drawn(query: str = "") -> tuple[str | None, set[str]]:
        answer = web.client.get(f"/api/map/risk{query}", headers=viewer)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return body["model"], {f["properties"]["model"] for f in body["features"]}

    assert drawn() == ("newer", {"newer"})  # the model predicted last, alone
    assert drawn(f"?model={MODEL}") == (MODEL, {MODEL})
    missing = web.client.get("/api/map/risk?model=nothing", headers=viewer)
    assert missing.status_code == 404
    assert missing.json()["message"] == (
        "no stored risk layer of model 'nothing' in AZ (stored: newer, test-model)"
    )
    other = web.client.get("/api/map/finds?model=newer", headers=viewer)
    assert other.status_code == 400
    assert other.json()["message"] == "model: only the risk layer is drawn by model"
    page = web.client.get("/", headers=viewer).text
    config = json.loads(page.split('id="map-config">')[1].split("</script>")[0])
    assert config["riskModel"] == {
        "model": "newer", "events_before": "2024-01-01", "predicted_on": "2024-07-01",
    }  # fmt: skip
    public = web.client.get("/").text
    assert (
        json.loads(public.split('id="map-config">')[1].split("</script>")[0])["riskModel"] is None
    )


def test_a_risk_layer_is_not_imported_record_by_record(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text("external_id,risk\nCO/m/1,0.5\n", encoding="utf-8")
    refused = _refusal("--db", f"sqlite:///{tmp_path / 'x.db'}", "--create",
                       "import", "risk-cells", str(path))  # fmt: skip
    assert refused.startswith("unknown import kind 'risk-cells' (accepted: admin-areas, ")


# -- the projects analysis reads a stored layer as it reads a file ----------------------------


def test_projects_read_the_stored_layer_as_the_prediction_file(
    store: Store, tmp_path: Path
) -> None:
    load_scenario(store)
    cells = []
    for number, ((x, y), risk) in enumerate(PROJECT_CELLS.items(), start=1):
        lon, lat = lonlat(x, y)
        cells.append(
            RiskCell(
                external_id=risk_cell_key("AZ", MODEL, str(number)), country="AZ",
                cell=str(number), model=MODEL, model_sha256="0" * 64,
                scorer=RiskScorer.REGISTER_ONLY, events_before=date(2024, 1, 1),
                predicted_on=date(2024, 6, 1), risk=risk,
                geometry=box(lon - 0.005, lat - 0.004, lon + 0.005, lat + 0.004),
            )
        )  # fmt: skip
    with store.write() as connection:
        replace_layer(connection, "AZ", MODEL, cells, actor="tests",
                      now=datetime(2024, 6, 1, tzinfo=UTC))  # fmt: skip
    from_file = read_risk_layer(_layer(tmp_path / "risk.csv"), 0.5)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        from_store = stored_risk_layer(reader, MODEL, 0.5)
        assert from_store.half_size_m == pytest.approx(from_file.half_size_m, rel=1e-5)
        by_file = analyse_projects(reader, AS_OF, risk_layer=from_file).to_json()
        by_store = analyse_projects(reader, AS_OF, risk_layer=from_store).to_json()
    assert by_store["risk_layer"]["stored_model"] == MODEL
    assert by_store["projects"] == by_file["projects"]
    found = {p["id"]: p for p in by_store["projects"]}
    assert found["P1"]["high_risk_cells_outside_hazards"] == 1
