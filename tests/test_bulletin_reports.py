"""Operations bulletins from the register: the authority's paragraph, documents, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, insert, select
from tests.helpers import load_sample
from typer.testing import CliRunner

from demine.analysis.bulletin import bulletin_figures
from demine.analysis.summary import Counts, FigureSource, PeriodSummary
from demine.cli.main import app
from demine.domain.periods import parse_iso_week
from demine.reports.bulletin.paragraph import bulletin_paragraph
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader

runner = CliRunner()
SEED_PARAGRAPH = (
    "28 anti-personnel mines, 107 anti-tank mines, and 830 unexploded ordnances (UXOs) were "
    "discovered in Tartar, Aghdam, Aghdara, Lachin, Fuzuli, Shusha, Khojaly, Khankendi, "
    "Kalbajar, Khojavend, Jabrayil, Gubadli, and Zangilan.\n\n"
    "An area of 1,039.5 hectares was cleared of mines and UXOs."
)


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_weekly_text_is_the_seed_paragraph(demo_database_url: str) -> None:
    text = demine("--db", demo_database_url, "report", "weekly", "--week", "2024-W27")
    assert text.startswith(SEED_PARAGRAPH + "\n\n")
    # Then the casualty paragraph, as the seed bulletin has it.
    assert "the number of mine victims since the Second Garabagh War has reached 350" in text
    same = demine(
        "--db", demo_database_url, "report", "weekly", "--from", "2024-07-01", "--to", "2024-07-07"
    )
    assert same == text


def test_weekly_json_has_summary_keys_previous_period_and_trend(demo_database_url: str) -> None:
    figures = json.loads(
        demine(
            "--db", demo_database_url, "report", "weekly", "--week", "2024-W27", "--format", "json"
        )
    )
    assert (figures["ap_mines"], figures["at_mines"], figures["uxo"]) == (28, 107, 830)
    assert figures["hectares_cleared"] == 1039.5
    assert figures["period_label"] == "2024-W27"
    assert figures["previous_period"]["period_start"] == "2024-06-24"
    assert figures["previous_period"]["period_end"] == "2024-06-30"
    assert len(figures["trend"]) == 12
    assert figures["trend"][-1]["period"] == "2024-W27"
    assert figures["trend"][-1]["uxo"] == 830
    assert figures["trend"][0]["period"] == "2024-W16"
    assert figures["cumulative"][0]["period"] == "2021-01"
    assert figures["cumulative"][-1]["period"] == "2024-07"
    assert figures["provenance"]["find_records"] > 0
    assert figures["provenance"]["imports"][0]["kind"] == "demo"


def test_monthly_and_annual_reports(demo_database_url: str) -> None:
    monthly = json.loads(
        demine(
            "--db", demo_database_url, "report", "monthly", "--month", "2024-07", "--format", "json"
        )
    )
    assert monthly["period_start"] == "2024-07-01" and monthly["period_end"] == "2024-07-31"
    assert monthly["previous_period"]["period_start"] == "2024-06-01"
    annual = json.loads(
        demine(
            "--db",
            demo_database_url,
            "report",
            "annual",
            "--year",
            "2023",
            "--district",
            "Fizuli",
            "--format",
            "json",
        )
    )
    assert annual["districts"] == ["Fuzuli"]
    assert annual["trend"][0]["period"] == "2012"
    assert annual["trend"][-1]["period"] == "2023"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_weekly_pdf_has_table_charts_and_map(demo_database_url: str, tmp_path: Path) -> None:
    pdf = tmp_path / "weekly.pdf"
    demine(
        "--db", demo_database_url, "report", "weekly", "--week", "2024-W27", "--format", "pdf",
        "--output", str(pdf),
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Weekly operations report", "By district", "Trend", "Since operations began",
                     "Map", "Provenance", "Zangilan", "1,039.5"):  # fmt: skip
        assert expected in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    artefacts = Path("test-artifacts")
    artefacts.mkdir(exist_ok=True)
    for page in pages:
        shutil.copy(page, artefacts / f"weekly-{page.name}")
        assert _ink_share(page) > 0.01, f"{page.name} is blank"


def _ink_share(png: Path) -> float:
    """Share of pixels that are not white (a blank page is 0)."""
    import matplotlib.image

    pixels = matplotlib.image.imread(png)
    return float((pixels[..., :3].mean(axis=2) < 0.95).mean())


def test_html_is_self_contained(demo_database_url: str, tmp_path: Path) -> None:
    page = demine(
        "--db", demo_database_url, "report", "weekly", "--week", "2024-W27", "--format", "html"
    )
    assert page.count("data:image/svg+xml;base64,") == 3
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "<td>Zangilan</td>" in page


def _summary(ap: int, at: int, uxo: int, cleared_m2: float, districts: list[str]) -> PeriodSummary:
    counts = Counts(ap_mines=ap, at_mines=at, uxo=uxo, area_cleared_m2=cleared_m2)
    names = {code: code.title() for code in districts}
    return PeriodSummary(
        "AZ", date(2024, 7, 1), date(2024, 7, 7), FigureSource.RECORDS, counts,
        {code: counts for code in districts}, names,
    )  # fmt: skip


def test_paragraph_singular_plural_and_zeros() -> None:
    assert bulletin_paragraph(_summary(1, 0, 1, 0, ["lachin"])) == (
        "1 anti-personnel mine and 1 unexploded ordnance (UXO) were discovered in Lachin."
    )
    assert bulletin_paragraph(_summary(0, 0, 1, 5_000, ["lachin", "shusha"])) == (
        "1 unexploded ordnance (UXO) was discovered in Lachin and Shusha.\n\n"
        "An area of 0.5 hectares was cleared of mines and UXOs."
    )
    assert bulletin_paragraph(_summary(0, 0, 0, 0, [])) == (
        "No mines or unexploded ordnance were reported found."
    )
    assert "4,106 unexploded ordnances" in bulletin_paragraph(_summary(0, 0, 4106, 0, ["x"]))


def _copy(connection: Connection, table: Table, original: str, **changes: Any) -> None:
    """Store a copy of the row ``original`` (its external id) of ``table``, with ``changes``."""
    row = dict(
        connection.execute(select(table).where(table.c.external_id == original)).one()._mapping
    )
    del row["id"]
    connection.execute(insert(table).values({**row, **changes}))


def _bulletin(store: Store) -> tuple[dict[str, Any], list[Any], list[Any]]:
    week = parse_iso_week("2024-W27")
    with store.read() as connection:
        figures = bulletin_figures(RegisterReader(connection, "AZ"), week, now=NOW)
    finds = sorted((c, g.wkt, q) for c, g, q in figures.map.finds)
    released = sorted((k, g.wkt) for k, g in figures.map.released)
    return figures.to_json(), finds, released


NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_drafts_and_deleted_rows_change_no_bulletin_figure(store: Store) -> None:
    """Map features, provenance and the cumulative series' start count live rows only."""
    load_sample(store)
    before, finds_before, released_before = _bulletin(store)
    assert before["provenance"]["find_records"] > 0 and finds_before and released_before
    deleted = datetime(2025, 1, 1, tzinfo=UTC)
    long_ago = {"found_earliest": date(2019, 1, 5), "found_latest": date(2019, 1, 5)}
    finds, activities = schema.device_finds, schema.activities
    with store.write() as connection:
        # In the bulletin's week, with a location and a large quantity…
        _copy(connection, finds, "FND-001", external_id="D-1", review_status="draft", quantity=900)
        _copy(connection, finds, "FND-002", external_id="D-2", deleted_at=deleted, quantity=900)
        _copy(connection, activities, "ACT-001", external_id="D-3", review_status="draft")
        _copy(connection, activities, "ACT-003", external_id="D-4", deleted_at=deleted)
        # …and years before any live record, where the cumulative series would start.
        _copy(connection, finds, "FND-001", external_id="D-5", review_status="draft", **long_ago)
        _copy(connection, finds, "FND-002", external_id="D-6", deleted_at=deleted, **long_ago)
        early = {"start_date": date(2019, 2, 1), "end_date": date(2019, 2, 1)}
        _copy(connection, activities, "ACT-001", external_id="D-7", review_status="draft", **early)
        _copy(connection, activities, "ACT-003", external_id="D-8", deleted_at=deleted, **early)
    after, finds_after, released_after = _bulletin(store)
    assert finds_after == finds_before
    assert released_after == released_before
    assert after["provenance"] == before["provenance"]
    assert after["cumulative"][0]["period"] == before["cumulative"][0]["period"] != "2019-01"
    assert after == before
