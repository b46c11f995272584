"""Record attachments and the demo's verification, through the command line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.helpers import TODAY, load_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.demo.records import DESIGNS
from demine.errors import NotFoundError
from demine.ingest.importer import import_file
from demine.store import schema
from demine.store.attachments import attach_files, attachment_content, list_attachments
from demine.store.engine import Store

runner = CliRunner()
RECORDS = Path(__file__).parent / "fixtures" / "records"


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def with_record(store: Store) -> Store:
    load_sample(store)
    import_file(
        store,
        "minefield-records",
        RECORDS / "minefield_records.geojson",
        country="AZ",
        today=TODAY,
    )
    return store


def _scans(folder: Path) -> list[Path]:
    sheet = folder / "sheet-1.png"
    sheet.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    form = folder / "form.pdf"
    form.write_bytes(b"%PDF-1.4 scanned form")
    return [sheet, form]


def _stored(store: Store) -> int:
    with store.read() as connection:
        table = schema.record_attachments
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_attachments_are_stored_checksummed_and_once(with_record: Store, tmp_path: Path) -> None:
    sheet, form = _scans(tmp_path)
    first = attach_files(with_record, "MFR-001", [sheet, form])
    assert [(a.added, a.attachment.media_type) for a in first] == [
        (True, "image/png"),
        (True, "application/pdf"),
    ]
    digest = hashlib.sha256(sheet.read_bytes()).hexdigest()
    assert first[0].attachment.sha256 == digest
    assert first[0].attachment.size == sheet.stat().st_size
    # The same bytes again, even under another name, change nothing.
    copy = tmp_path / "copy-of-sheet.png"
    copy.write_bytes(sheet.read_bytes())
    again = attach_files(with_record, "MFR-001", [sheet, copy])
    assert [a.added for a in again] == [False, False]
    assert _stored(with_record) == 2
    assert [a.file_name for a in list_attachments(with_record, "MFR-001")] == [
        "sheet-1.png",
        "form.pdf",
    ]
    assert attachment_content(with_record, "MFR-001", digest) == sheet.read_bytes()
    # Another record may hold the same scan.
    assert attach_files(with_record, "MFR-003", [sheet])[0].added
    with pytest.raises(NotFoundError):
        attach_files(with_record, "MFR-404", [sheet])


def test_attach_and_list_from_the_command_line(
    with_record: Store, database_url: str, tmp_path: Path
) -> None:
    sheet, form = _scans(tmp_path)
    output = demine("--db", database_url, "records", "attach", "MFR-001", str(sheet), str(form))
    assert "sheet-1.png: attached" in output and "form.pdf: attached" in output
    output = demine("--db", database_url, "records", "attach", "MFR-001", str(sheet))
    assert "sheet-1.png: already attached" in output
    listing = demine("--db", database_url, "records", "attachments", "MFR-001")
    digest = hashlib.sha256(form.read_bytes()).hexdigest()
    assert f"form.pdf\tapplication/pdf\t{form.stat().st_size}\t{digest}" in listing
    assert _stored(with_record) == 2


def test_demo_records_verify_as_published(demo_database_url: str) -> None:
    """Of the demo's judged records about a quarter prove accurate, and most accidents
    since the war lie outside every record (the seed bulletin's two figures)."""
    arguments = ["--db", demo_database_url, "analyse", "records", "--as-of", "2026-01-01"]
    data = json.loads(demine(*arguments, "--format", "json"))
    programme = data["programme"]
    assert 0.2 <= programme["accurate_share"] <= 0.3
    verdicts = {r["id"]: r["verdict"] for r in data["records"]}
    assert {d.key: verdicts[d.key] for d in DESIGNS} == {d.key: d.intended for d in DESIGNS}
    if programme["accidents_located"]:
        assert programme["accidents_outside_records_share"] > 0.55
    assert {s["source"] for s in programme["by_source"]} == {
        "handed over June 2021 (Aghdam maps)",
        "handed over July 2021 (Fuzuli and Zangilan maps)",
        "handed over February 2024 (8 forms)",
    }
