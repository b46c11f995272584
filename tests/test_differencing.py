"""No hidden count of the demo's public outputs can be worked out, from any one of them
or any two together (SQLite and PostGIS).

The outputs of one period (the demo's 2020-11-10 to 2024-07-07, as issue 14 measured
it): ``demine report casualties --public`` (JSON), ``demine export --public`` (its JSON
and its CSV) and ``/api/public/districts`` for the same days, as anyone gets them. The
attack (:mod:`tests.differencing`) reads only those outputs.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tests.differencing import (
    Output,
    api_output,
    attack,
    casualty_output,
    export_csv_output,
    export_json_output,
)
from typer.testing import CliRunner

from demine.analysis.casualties import casualty_statistics
from demine.analysis.casualties.linked import linked_counts
from demine.analysis.casualties.public import public_figures
from demine.cli.main import app
from demine.export.public import NATIONAL
from demine.settings import Settings
from demine.store.engine import open_store
from demine.store.reader import RegisterReader
from demine.web.app import create_app

runner = CliRunner()
SINCE, AS_OF = "2020-11-10", "2024-07-07"


def _demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    """Every public output of the period, as files and answers a reader would get."""
    db = ["--db", demo_database_url]
    period = ["--since", SINCE, "--as-of", AS_OF]
    json_report = ["report", "casualties", "--public", "--format", "json"]
    report = json.loads(_demine(*db, *json_report, *period))
    folder = tmp_path_factory.mktemp("public")
    _demine(*db, "export", "--public", *period, "-o", str(folder))
    document = json.loads((folder / "public-aggregates.json").read_text(encoding="utf-8"))
    table = (folder / "public-aggregates.csv").read_text(encoding="utf-8")
    store = open_store(demo_database_url)
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), store))
    answer = client.get(f"/api/public/districts?from={SINCE}&to={AS_OF}")
    store.dispose()
    assert answer.status_code == 200, answer.text
    return [
        casualty_output("casualty report", report),
        export_json_output(document, NATIONAL),
        export_csv_output(table, NATIONAL, document["suppression_threshold"]),
        api_output(answer.json()),
    ]


def _combinations(outputs: list[Output]) -> Iterator[list[Output]]:
    for size in (1, 2):
        for chosen in itertools.combinations(outputs, size):
            yield list(chosen)


def test_no_hidden_count_is_worked_out_from_one_output_or_two(outputs: list[Output]) -> None:
    tried = []
    for chosen in _combinations(outputs):
        found = attack(chosen, outputs)
        names = " + ".join(output.name for output in chosen)
        tried.append((names, len(found.hidden)))
        assert found.worked_out == [], f"{names}: {found.worked_out}"
    # 4 outputs alone and 6 pairs, each hiding something.
    assert len(tried) == 10 and all(hidden for _, hidden in tried), tried


def test_issue_14_examples_stay_hidden_and_unrecoverable(outputs: list[Output]) -> None:
    report, export_json, _csv, api = outputs
    # 2024-02 was 118 - 114 = 4: the year's other month is hidden too now.
    assert report.facts["victims/month=2024-02"] == "<5"
    year_2024 = [f"victims/month=2024-{m:02d}" for m in range(1, 8)]
    assert sum(1 for fact in year_2024 if isinstance(report.facts[fact], str)) >= 2
    # With no unknown outcome anywhere, each district's hidden killed had injured shown.
    districts = [f for f in export_json.facts if f.endswith("/outcome=killed") and "district=" in f]
    hidden_killed = [f for f in districts if isinstance(export_json.facts[f], str)]
    assert hidden_killed
    for fact in hidden_killed:
        assert isinstance(export_json.facts[fact.replace("killed", "injured")], str)
    found = attack([export_json, api], outputs)
    for fact in hidden_killed:
        low, high = found.hidden[fact]
        assert high - low >= 1, (fact, low, high)
    inside = [f for f in found.hidden if f.endswith("/location=inside")]
    assert inside and all(found.hidden[f][1] - found.hidden[f][0] >= 1 for f in inside)


def test_the_same_count_reads_the_same_in_every_output(outputs: list[Output]) -> None:
    readings: dict[str, set[object]] = {}
    for output in outputs:
        for fact, reading in output.facts.items():
            readings.setdefault(fact, set()).add(reading)
    assert {fact: r for fact, r in readings.items() if len(r) > 1} == {}


def test_how_many_counts_the_demo_hides(demo_database_url: str) -> None:
    """The figures the closing note gives: primary and complementary cells of the period."""
    from datetime import date

    store = open_store(demo_database_url)
    with store.read() as connection:
        statistics = casualty_statistics(
            RegisterReader(connection, "AZ"), date.fromisoformat(AS_OF), date.fromisoformat(SINCE)
        )
    store.dispose()
    protection = public_figures(statistics).protection
    counts = linked_counts(statistics)
    published = set(counts.values) - counts.unpublished
    assert (len(published), len(protection.primary), len(protection.secondary)) == (0, 0, 0)
