"""``demine check geometry``: a file of known bad geometries imported (with a warning
for each), then every fault found exactly once, with its repair; nothing on clean
records or on the demo (SQLite and PostGIS)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import shape
from typer.testing import CliRunner

from demine.analysis.geometry import Limits, Located, Places, record_findings
from demine.cli.main import app
from demine.domain.entities import HazardArea
from demine.domain.permissions_table import COMMANDS, GEOMETRY_KINDS
from demine.domain.vocab import HazardClassification, HazardStatus
from demine.errors import Forbidden, ImportRejected, InvalidRequestError
from demine.ingest.importer import import_file, save_entities
from demine.store.engine import Store

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "geocheck"
TODAY = date(2026, 1, 1)
#: Every fault of the fixtures, found once each: (kind, key, problem, other record).
EXPECTED = {
    ("hazards", "HZ-DUP", "duplicate", "HZ-CLEAN-1"),
    ("hazards", "HZ-OVERLAP", "overlap", "HZ-CLEAN-2"),
    ("hazards", "HZ-GAP", "vertex_gap", None),
    ("hazards", "HZ-OUT-COUNTRY", "outside_country", None),
    ("hazards", "HZ-WRONG-DISTRICT", "outside_district", None),
    ("accidents", "ACC-PLACEHOLDER", "placeholder_point", None),
}
INVALID = {
    ("hazards", "HZ-BOWTIE", "invalid", None),
    ("hazards", "HZ-FLAT", "too_few_vertices", None),
}


def _import(store: Store, kind: str, name: str) -> list[str]:
    report = import_file(store, kind, FIXTURES / name, country="AZ", today=TODAY)
    return report.notes


@pytest.fixture
def bad(store: Store) -> tuple[Store, list[str]]:
    """The fixture register imported; the notes of its hazards and accidents."""
    _import(store, "admin-areas", "admin_areas.csv")
    notes = _import(store, "hazards", "hazards.geojson")
    notes += _import(store, "accidents", "accidents.csv")
    return store, notes


def _legacy_invalid_hazards(store: Store) -> None:
    """The invalid shapes written past the importer, as a migration of old data might."""
    document = json.loads((FIXTURES / "invalid_hazards.geojson").read_text(encoding="utf-8"))
    hazards = [
        HazardArea(
            external_id=feature["properties"]["external_id"],
            country="AZ",
            district=feature["properties"]["district"],
            classification=HazardClassification.SHA,
            status=HazardStatus.OPEN,
            recorded_on=date(2024, 5, 1),
            geometry=shape(feature["geometry"]),
        )
        for feature in document["features"]
    ]
    save_entities(store, hazards, kind="hazards", source_name="legacy", sha256="0" * 64,
                  country="AZ")  # fmt: skip


def _check(database_url: str, *arguments: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["--db", database_url, "check", "geometry", "--format", "json", *arguments],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def _found(document: dict[str, Any]) -> set[tuple[str, str, str, str | None]]:
    found = [(f["kind"], f["key"], f["problem"], f["other"]) for f in document["findings"]]
    assert len(found) == len(set(found)), "a fault reported twice"
    return set(found)


def test_each_known_bad_geometry_is_found_exactly(
    bad: tuple[Store, list[str]], database_url: str
) -> None:
    store, _notes = bad
    document = _check(database_url)
    assert _found(document) == EXPECTED
    assert document["records"]["hazards"] == 8 and document["records"]["accidents"] == 2
    assert document["counts"]["invalid"] == 0 and document["counts"]["duplicate"] == 1
    _legacy_invalid_hazards(store)
    assert _found(_check(database_url, "--kind", "hazards")) == {
        f for f in EXPECTED | INVALID if f[0] == "hazards"
    }


def test_findings_say_what_is_wrong_and_how_to_repair_it(
    bad: tuple[Store, list[str]], database_url: str
) -> None:
    _legacy_invalid_hazards(bad[0])
    by_key = {f["key"]: f for f in _check(database_url)["findings"]}
    assert "Self-intersection" in by_key["HZ-BOWTIE"]["detail"]
    assert "redraw it as intended" in by_key["HZ-BOWTIE"]["repair"]
    assert by_key["HZ-BOWTIE"]["location"] == [46.805, 39.205]
    assert by_key["HZ-FLAT"]["detail"].startswith("2 distinct vertices")
    assert "6.0 km apart" in by_key["HZ-GAP"]["detail"]
    assert by_key["HZ-OVERLAP"]["detail"].startswith("overlaps HZ-CLEAN-2 by 50%")
    assert by_key["HZ-WRONG-DISTRICT"]["repair"].startswith("set its district to AZ-SOU")
    assert by_key["HZ-OUT-COUNTRY"]["detail"] == "lies outside the country"
    assert "centre of district AZ-NOR" in by_key["ACC-PLACEHOLDER"]["detail"]


def test_the_same_checks_warn_on_import_without_blocking_it(
    bad: tuple[Store, list[str]],
) -> None:
    # Rows: a GeoJSON file's features from 1, a CSV file's lines (its header is line 1).
    _store, notes = bad
    warnings = [note for note in notes if "warning:" in note]
    assert len(warnings) == len(EXPECTED)
    for key, row, words in [
        ("HZ-DUP", 3, "the same geometry as HZ-CLEAN-1"),
        ("HZ-OVERLAP", 4, "overlaps HZ-CLEAN-2"),
        ("HZ-GAP", 6, "km apart"),
        ("HZ-OUT-COUNTRY", 7, "lies outside the country"),
        ("HZ-WRONG-DISTRICT", 8, "recorded in district AZ-NOR, but lies in AZ-SOU"),
        ("ACC-PLACEHOLDER", 3, "centre of district AZ-NOR"),
    ]:
        (note,) = [n for n in warnings if words in n]
        assert f"row {row}" in note, (key, note)
        assert "suggested repair:" in note


def test_invalid_shapes_are_refused_on_import(store: Store) -> None:
    _import(store, "admin-areas", "admin_areas.csv")
    with pytest.raises(ImportRejected) as rejected:
        _import(store, "hazards", "invalid_hazards.geojson")
    reasons = [(p.row, p.reason) for p in rejected.value.problems]
    assert [row for row, _reason in reasons] == [1, 2]
    assert all(reason.startswith("invalid geometry") for _row, reason in reasons)


def test_text_and_html_reports(bad: tuple[Store, list[str]], database_url: str,
                               tmp_path: Path) -> None:  # fmt: skip
    text = runner.invoke(app, ["--db", database_url, "check", "geometry"]).output
    assert text.startswith("10 geometries checked: 6 problems found.")
    assert "hazards HZ-DUP: duplicate: the same geometry as HZ-CLEAN-1" in text
    page = tmp_path / "check.html"
    result = runner.invoke(
        app, ["--db", database_url, "check", "geometry", "--format", "html", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.count("data:image/svg+xml;base64,") == len(EXPECTED)
    assert "Suggested repair" in html and "Security-sensitive" in html


def test_thresholds_are_options(bad: tuple[Store, list[str]], database_url: str) -> None:
    found = _found(_check(database_url, "--overlap", "0.6", "--max-gap-km", "7"))
    assert found == EXPECTED - {
        ("hazards", "HZ-OVERLAP", "overlap", "HZ-CLEAN-2"),
        ("hazards", "HZ-GAP", "vertex_gap", None),
    }
    touching = _found(_check(database_url, "--overlap", "0.04"))
    assert ("hazards", "HZ-TOUCH", "overlap", "HZ-CLEAN-1") in touching


def test_each_kind_needs_the_permission_to_read_it(
    bad: tuple[Store, list[str]], database_url: str
) -> None:
    assert "minefield-records" in GEOMETRY_KINDS and "admin-areas" not in GEOMETRY_KINDS
    assert "demine check geometry" in COMMANDS
    refused = runner.invoke(
        app,
        ["--db", database_url, "check", "geometry", "--kind", "minefield-records",
         "--as-role", "public"],
    )  # fmt: skip
    assert isinstance(refused.exception, Forbidden)
    assert refused.exception.message == (
        "root (public) may not read minefield records: it needs the 'view_operational' permission."
    ).replace("root", refused.exception.message.split(" ")[0])
    everything = runner.invoke(app, ["--db", database_url, "check", "geometry", "--as-role",
                                     "public"])  # fmt: skip
    assert isinstance(everything.exception, Forbidden)
    unknown = runner.invoke(app, ["--db", database_url, "check", "geometry", "--kind", "victims"])
    assert isinstance(unknown.exception, InvalidRequestError)
    assert unknown.exception.message.startswith("no geometries to check in 'victims'")


def test_the_clean_demo_has_no_finding(demo_database_url: str) -> None:
    document = _check(demo_database_url)
    assert document["findings"] == [] and document["records"]["finds"] > 1000


def test_a_point_on_a_gazetteer_centre_is_a_placeholder() -> None:
    places = Places.of("AZ", [], {"AZ-FUZ": shapely.Point(47.15, 39.6)})
    assert places.centres == {}  # no district shape: nothing to place
    district = shapely.box(47.0, 39.5, 47.3, 39.7)
    places = Places(None, {"AZ-FUZ": district}, {"AZ-FUZ": (shapely.Point(47.1, 39.62),)})
    record = Located("finds", "F-1", shapely.Point(47.1, 39.62), "AZ-FUZ")
    (finding,) = record_findings(record, places, Limits())
    assert finding.problem.value == "placeholder_point"


def test_import_warnings_are_capped_per_file(store: Store, tmp_path: Path) -> None:
    from demine.ingest.geometry_warnings import MAX_WARNINGS

    _import(store, "admin-areas", "admin_areas.csv")
    path = tmp_path / "accidents.csv"
    rows = [f"ACC-{n},2024-05-02,UXO,46.5,40.5" for n in range(MAX_WARNINGS + 3)]
    path.write_text("external_id,occurred_on,device_category,lon,lat\n" + "\n".join(rows))
    notes = import_file(store, "accidents", path, country="AZ", today=TODAY).notes
    assert len([n for n in notes if "warning:" in n]) == MAX_WARNINGS
    # Each row is on a placeholder, and every row after the first duplicates the first.
    more = (MAX_WARNINGS + 3) + (MAX_WARNINGS + 2) - MAX_WARNINGS
    assert notes[-1] == f"accidents.csv: {more} more geometry warnings (run demine check geometry)"
