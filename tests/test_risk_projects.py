"""The risk layer as a factor of ``demine analyse projects``: a project crossing
high-risk cells that no hazard covers is flagged (issue 20).

Cells lie on a 1 km grid drawn in metres around the projects scenario
(tests/projects_scenario.py): P1's road runs from x = −600 to 2 400 m along y = 0 with a
50 m buffer over hazards H1 (0, 0), H2 (1 000, 0) and H3 (2 000, 0, closed).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from tests.projects_scenario import AS_OF, load_scenario
from tests.records_scenario import lonlat

from demine.analysis.projects.analysis import analyse_projects
from demine.analysis.projects.risk_layer import read_risk_layer
from demine.errors import InvalidRequestError
from demine.store.engine import Store
from demine.store.reader import RegisterReader

#: (x, y) in metres from the scenario's origin → predicted risk.
CELLS = {
    (-1000, 0): 0.8,  # on the road, outside every hazard: counts for P1
    (0, 0): 0.9,  # its centre in H1: covered
    (1000, 0): 0.95,  # in H2: covered
    (2000, 0): 0.7,  # in H3, closed but known ground: covered
    (3000, 0): 0.99,  # its square (2 500 to 3 500 m) ends before the road does (2 450 m)
    (0, 1000): 0.99,  # 500 m above the road at its nearest
    (-2000, -2000): 0.3,  # on P3, but below the threshold of 0.5
    (-1000, -1000): 0.1,
}


def _layer(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["longitude", "latitude", "risk"])
        for (x, y), risk in CELLS.items():
            lon, lat = lonlat(x, y)
            writer.writerow([f"{lon:.7f}", f"{lat:.7f}", risk])
    return path


def _analysis(store: Store, path: Path, threshold: float) -> dict[str, Any]:
    layer = read_risk_layer(path, threshold)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        return analyse_projects(reader, AS_OF, risk_layer=layer).to_json()


def test_projects_crossing_high_risk_cells_outside_hazards_are_flagged(
    store: Store, tmp_path: Path
) -> None:
    load_scenario(store)
    path = _layer(tmp_path / "risk.csv")
    data = _analysis(store, path, 0.5)
    found = {p["id"]: p for p in data["projects"]}
    assert data["risk_layer"] == {"file": "risk.csv", "threshold": 0.5, "cell_half_size_m": 505.0}
    assert found["P1"]["high_risk_cells_outside_hazards"] == 1
    assert found["P1"]["highest_risk_outside_hazards"] == 0.8
    assert "It crosses 1 cell of predicted risk" in found["P1"]["explanation"]
    for other in ("P2", "P3"):
        assert found[other]["high_risk_cells_outside_hazards"] == 0
        assert found[other]["highest_risk_outside_hazards"] is None
        assert "predicted risk" not in found[other]["explanation"]
    lower = {p["id"]: p for p in _analysis(store, path, 0.25)["projects"]}
    assert lower["P3"]["high_risk_cells_outside_hazards"] == 1
    assert lower["P3"]["highest_risk_outside_hazards"] == 0.3
    # Without a risk layer the analysis is as it was.
    with store.read() as connection:
        plain = analyse_projects(RegisterReader(connection, "AZ"), AS_OF).to_json()
    assert "risk_layer" not in plain
    assert "high_risk_cells_outside_hazards" not in plain["projects"][0]


def test_a_risk_layer_without_risk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_text("longitude,latitude\n47.0,40.0\n47.01,40.0\n", encoding="utf-8")
    with pytest.raises(InvalidRequestError, match="no risk column"):
        read_risk_layer(path)
    path.write_text("longitude,latitude,risk\n47.0,40.0,0.2\n47.01,40.0,high\n", encoding="utf-8")
    with pytest.raises(InvalidRequestError, match=r"row 3, field 'risk': 'high' is not a risk"):
        read_risk_layer(path)


def test_analyse_projects_takes_a_risk_layer_on_the_command_line(
    sqlite_url: str, migrated_schemas: Any, tmp_path: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from demine.cli.main import app

    store = migrated_schemas.fresh_store(sqlite_url)
    load_scenario(store)
    store.dispose()
    path = _layer(tmp_path / "risk.csv")
    result = CliRunner().invoke(
        app,
        ["--db", sqlite_url, "--country", "AZ", "analyse", "projects", "--as-of",
         AS_OF.isoformat(), "--risk", str(path), "--risk-threshold", "0.5", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = {p["id"]: p for p in json.loads(result.output)["projects"]}
    assert found["P1"]["high_risk_cells_outside_hazards"] == 1
    text = CliRunner().invoke(
        app,
        ["--db", sqlite_url, "--country", "AZ", "analyse", "projects", "--as-of",
         AS_OF.isoformat(), "--risk", str(path)],
    ).output  # fmt: skip
    assert "It crosses 1 cell of predicted risk" in text
