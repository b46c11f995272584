"""``demine import submissions``: a KoboToolbox XLSX export (and an ODK Central CSV) of
the clearance progress report, received row by row as OpenRosa submissions are — the
same mapping, the same idempotency on the submission id, the same review queue."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from tests.openrosa_fixtures import ANSWERS, FINDS
from tests.test_openrosa import counts, served_forms, weekly
from tests.web_fixtures import Web, web_on
from typer.testing import CliRunner

from demine.cli.main import app
from demine.store import schema
from demine.store.engine import Store
from demine.submissions import catalogue

KOBO_UUID = "2b1f6d4e-90aa-4c55-8f1e-1d2c3b4a5f60"
KEY = "ODK-2B1F6D4E90AA"
runner = CliRunner()


def kobo_export(path: Path) -> Path:
    """The export KoboToolbox writes (XLS, "XML values and headers", group names kept):
    the submissions on the first sheet, each repeat group on a sheet of its own."""
    workbook = Workbook()
    main = workbook.active
    assert main is not None
    main.title = "Clearance progress"
    header = ["start", "end", *(f"work/{name}" for name in ANSWERS), "photo",
              "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status",
              "_submitted_by", "__version__", "_index"]  # fmt: skip
    main.append(header)
    main.append(
        ["2024-07-05T10:00:00.000+04:00", "2024-07-05T10:20:00.000+04:00", *ANSWERS.values(),
         "1733500000000.jpg", f"uuid:{KOBO_UUID}", 1001, KOBO_UUID, "2024-07-05T06:21:13",
         "", "dora", "vX8a9Jq3", 1]
    )  # fmt: skip
    finds = workbook.create_sheet("finds")
    columns = ["category", "model", "quantity", "found_on", "geometry"]
    finds.append([*(f"finds/{c}" for c in columns), "_index", "_parent_table_name",
                  "_parent_index", "_submission__uuid"])  # fmt: skip
    for number, find in enumerate(FINDS, start=1):
        finds.append([*(find.get(c) for c in columns), number, main.title, 1, KOBO_UUID])
    workbook.save(path)
    return path


@pytest.fixture
def web(store: Store, monkeypatch: pytest.MonkeyPatch) -> Web:
    made = web_on(store)
    made.client.app.state.field_forms = served_forms  # type: ignore[attr-defined]
    monkeypatch.setattr(catalogue, "registered_forms", served_forms)
    return made


def imported(web: Web, database_url: str, path: Path, *extra: str) -> str:
    result = runner.invoke(
        app,
        ["--db", database_url, "--country", "AZ", "import", "submissions", str(path),
         "--form", "demine_clearance_progress", *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_kobo_export_goes_into_review_once_and_counts_once_approved(
    web: Web, database_url: str, tmp_path: Path
) -> None:
    before = weekly(web.store)
    export = kobo_export(tmp_path / "clearance_progress_2024-07-05.xlsx")
    said = imported(web, database_url, export)
    assert said.startswith(f"{export.name}: 1 submission into review, 0 with answers left out")
    assert said.endswith("0 rows refused")
    stored = counts(web.store)
    assert stored == (1, 0, stored[2], stored[3])
    again = imported(web, database_url, export)
    assert "1 received before" in again
    assert counts(web.store) == stored

    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert (activity["review_status"], activity["area_cleared_m2"]) == ("submitted", 5000)
    assert activity["organisation"] == "ANAMA"
    finds = [
        web.client.get(f"/api/finds/{KEY}-FINDS-{n}", headers=web.as_("ines")).json()
        for n in (1, 2)
    ]
    assert [(f["category"], f["quantity"], f["district"]) for f in finds] == [
        ("AT_MINE", 2, "AZ-TAR"), ("UXO", 1, "AZ-TAR"),
    ]  # fmt: skip
    assert weekly(web.store) == before
    for kind, key in (
        ("activities", KEY),
        ("finds", f"{KEY}-FINDS-1"),
        ("finds", f"{KEY}-FINDS-2"),
    ):
        assert (
            web.client.post(f"/api/{kind}/{key}/approve", headers=web.as_("ines")).status_code
            == 200
        )
    cleared, at_mines = weekly(web.store)
    assert (cleared - before[0], at_mines - before[1]) == (5000, 2)
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert (row["instance_id"], row["source"], row["state"]) == (
        f"uuid:{KOBO_UUID}", export.name, "mapped",
    )  # fmt: skip
    assert "<_submitted_by>dora</_submitted_by>" in row["xml"], "every column is kept"


def test_odk_central_csv_export(web: Web, database_url: str, tmp_path: Path) -> None:
    """ODK Central's CSV: group paths joined by '-', the id in meta-instanceID and KEY."""
    path = tmp_path / "demine_clearance_progress.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["SubmissionDate", *(f"work-{n}" for n in ANSWERS), "meta-instanceID",
                         "KEY", "SubmitterName", "FormVersion"])  # fmt: skip
        writer.writerow(["2024-07-05T06:21:13.000Z", *ANSWERS.values(), "uuid:c-1", "uuid:c-1",
                         "dora", "2026120601"])  # fmt: skip
        writer.writerow(["2024-07-05T06:25:00.000Z", *ANSWERS.values(), "", "", "dora", ""])
    result = runner.invoke(
        app,
        ["--db", database_url, "--country", "AZ", "import", "submissions", str(path),
         "--form", "demine_clearance_progress"],
    )  # fmt: skip
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "1 submission into review" in said and "1 row refused" in said
    assert "row 3, field '_uuid': the row has no submission id" in said
    activity = web.client.get("/api/activities/ODK-C1", headers=web.as_("ines")).json()
    assert (activity["district"], activity["team_days"]) == ("AZ-TAR", 3)
