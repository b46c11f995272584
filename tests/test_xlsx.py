"""``--format xlsx``: every report's tables and the register's records as workbooks.

Each workbook is opened with openpyxl (and pandas): one sheet per table, the header in
row 1 and frozen, an autofilter, typed cells (numbers, Excel dates, booleans, empty
cells), and the same figures as the report's JSON — exact for the seed week 2024-W27.
The register workbook holds as many records per kind as the CSV export. Both databases,
on the session's demo register (read only).
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.kinds import KINDS
from demine.reports.workbook import MAX_SHEET_NAME, SheetTable, sheet_names, workbook_bytes

runner = CliRunner()

#: Each report: its command (without --format/-o) and the sheets its workbook holds.
REPORTS: dict[str, tuple[list[str], list[str]]] = {
    "weekly": (
        ["report", "weekly", "--week", "2024-W27"],
        ["Headline figures", "By district", "Last 12 periods", "Cumulative by month",
         "Risk education", "Casualties", "Imports"],
    ),
    "monthly": (
        ["report", "monthly", "--month", "2024-07"],
        ["Headline figures", "By district", "Last 12 periods", "Cumulative by month",
         "Risk education", "Casualties", "Imports"],
    ),
    "series": (["report", "series", "--from", "2024-01", "--to", "2024-03"], ["Weekly series"]),
    "summary": (
        ["summary", "--from", "2024-07-01", "--to", "2024-07-07"], ["Summary", "By district"]
    ),
    "assistance": (["victims", "assistance", "--public"], ["Victim assistance"]),
    "geometry": (["check", "geometry"], ["Findings", "Problems", "Records checked"]),
    "casualties": (
        ["report", "casualties", "--as-of", "2024-12-31"],
        ["Casualties", "By year", "By month", "By district", "By device", "By victim category",
         "By sex", "By age", "By outcome", "By activity", "Accidents by district",
         "Inside known hazard areas"],
    ),
    "public-casualties": (
        ["report", "casualties", "--as-of", "2024-12-31", "--public"],
        ["Casualties", "By year", "By month", "By district", "By device", "By victim category",
         "By sex", "By age", "By outcome", "By activity", "Accidents by district",
         "Inside known hazard areas"],
    ),
    "landrelease": (
        ["report", "landrelease", "--from", "2024-01-01", "--to", "2024-12-31"],
        ["Land release", "Released by period", "By district"],
    ),
    "quality": (
        ["report", "quality", "--from", "2024-01-01", "--to", "2024-12-31"],
        ["By operator", "All operators", "Land reopened"],
    ),
    "article7": (
        ["report", "article7", "--year", "2024"],
        ["Hazardous areas", "Land released", "Devices destroyed", "Risk education", "Casualties"],
    ),
    "records": (
        ["analyse", "records", "--as-of", "2024-12-31"],
        ["Records", "Programme", "By district", "By source", "Thresholds"],
    ),
    "projects": (
        ["analyse", "projects", "--as-of", "2025-12-28"],
        ["Projects", "Hazards in footprints", "Effort by district", "Productivity", "Settings"],
    ),
    "forecast": (
        ["forecast", "--as-of", "2025-12-28", "--teams", "+10"],
        ["By district", "Total", "Weekly release", "Area remaining", "Unknown contamination",
         "Settings"],
    ),
}  # fmt: skip


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def reports(
    demo_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every report's workbook and its JSON, written once per database."""
    folder = tmp_path_factory.mktemp("xlsx")
    written = {}
    for name, (command, _sheets) in REPORTS.items():
        path = folder / f"{name}.xlsx"
        demine("--db", demo_database_url, *command, "--format", "xlsx", "-o", str(path))
        data = json.loads(demine("--db", demo_database_url, *command, "--format", "json"))
        written[name] = (path, data)
    return written


def rows_of(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def as_dicts(sheet: Worksheet) -> list[dict[str, Any]]:
    header, *rows = rows_of(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def figures(sheet: Worksheet) -> dict[str, Any]:
    """A sheet of single figures: label → value."""
    return {row[0]: row[1] for row in rows_of(sheet)[1:]}


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_workbook_has_its_tables_laid_out_alike(
    reports: dict[str, tuple[Path, dict[str, Any]]], name: str
) -> None:
    workbook = load_workbook(reports[name][0])
    assert workbook.sheetnames == REPORTS[name][1]
    for sheet in workbook.worksheets:
        assert len(sheet.title) <= MAX_SHEET_NAME
        assert sheet.freeze_panes == "A2"
        header = rows_of(sheet)[0]
        assert all(isinstance(label, str) and label for label in header)
        assert all(cell.font.bold for cell in sheet[1])
        last = sheet.cell(1, len(header)).column_letter
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        assert sheet.column_dimensions["A"].width >= 8


def test_the_weekly_bulletin_workbook_holds_the_seed_weeks_figures(
    reports: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    workbook = load_workbook(reports["weekly"][0])
    headline = rows_of(workbook["Headline figures"])
    assert headline[0] == ("Figure", "2024-W27", "Previous period")
    now = {row[0]: row[1] for row in headline[1:]}
    assert now["First day"] == datetime(2024, 7, 1) and now["Last day"] == datetime(2024, 7, 7)
    assert workbook["Headline figures"]["B2"].is_date
    assert (now["AP mines"], now["AT mines"], now["UXO"]) == (28, 107, 830)
    assert all(type(now[k]) is int for k in ("AP mines", "AT mines", "UXO", "Activities"))
    assert now["Hectares cleared"] == 1039.5 and isinstance(now["Hectares cleared"], float)
    assert now["Activities"] == 98 and now["Source"] == "records"
    districts = as_dicts(workbook["By district"])
    assert len(districts) == 13
    assert sum(d["AP mines"] for d in districts) == 28
    assert sum(d["UXO"] for d in districts) == 830
    assert sum(d["Hectares cleared"] for d in districts) == pytest.approx(1039.5, abs=0.05)
    tartar = next(d for d in districts if d["Code"] == "AZ-TAR")
    assert (tartar["AP mines"], tartar["AT mines"], tartar["Hectares cleared"]) == (4, 15, 77.19)
    trend = as_dicts(workbook["Last 12 periods"])
    assert trend[-1]["Period"] == "2024-W27" and trend[-1]["AT mines"] == 107
    assert trend[-1]["First day"] == datetime(2024, 7, 1)


def test_sheet_names_and_headers_are_in_the_reports_language(
    demo_database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "weekly-ru.xlsx"
    demine("--db", demo_database_url, "report", "weekly", "--week", "2024-W27",
           "--format", "xlsx", "-o", str(path), "--lang", "ru")  # fmt: skip
    workbook = load_workbook(path)
    assert "По районам" in workbook.sheetnames and "By district" not in workbook.sheetnames
    header, *rows = rows_of(workbook["По районам"])
    assert header[0] == "Район"
    # Cell values stay machine values: ISO codes, numbers.
    assert ("AZ-TAR", 4) in {(row[1], row[2]) for row in rows}


def test_pandas_reads_typed_cells() -> None:
    pandas = pytest.importorskip("pandas")
    table = SheetTable(
        "T",
        ["n", "x", "day", "flag", "text"],
        [[1, 1.5, date(2024, 7, 1), True, "a"], [2, None, None, False, None]],
    )
    frame = pandas.read_excel(BytesIO(workbook_bytes([table])), sheet_name="T")
    assert list(frame.columns) == ["n", "x", "day", "flag", "text"]
    assert str(frame["n"].dtype) == "int64" and str(frame["day"].dtype).startswith("datetime64")
    assert frame["flag"].tolist() == [True, False] and frame["x"].isna().tolist() == [False, True]


def test_pandas_reads_the_report_figures(
    reports: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    pandas = pytest.importorskip("pandas")
    path, _data = reports["weekly"]
    frame = pandas.read_excel(path, sheet_name="By district")
    assert int(frame["AP mines"].sum()) == 28 and int(frame["AT mines"].sum()) == 107
    assert str(frame["UXO"].dtype) == "int64"
    series = pandas.read_excel(reports["series"][0], sheet_name="Weekly series")
    assert len(series) == len(reports["series"][1]["weeks"]) == 13
    assert str(series["First day"].dtype).startswith("datetime64")


def test_report_workbooks_agree_with_their_json(
    reports: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    path, data = reports["landrelease"]
    workbook = load_workbook(path)
    summary = figures(workbook["Land release"])
    assert summary["Hectares cleared"] == data["hectares_cleared"]
    assert summary["First day"] == datetime(2024, 1, 1)
    steps = as_dicts(workbook["Released by period"])
    assert [s["Period"] for s in steps] == [s["period"] for s in data["steps"]]
    path, data = reports["quality"]
    total = as_dicts(load_workbook(path)["All operators"])[0]
    assert total["Inspections"] == data["total"]["inspections"]
    assert total["Major"] == data["total"]["non_conformities_by_grade"]["major"]
    path, data = reports["records"]
    records = as_dicts(load_workbook(path)["Records"])
    assert [r["Record"] for r in records] == [r["id"] for r in data["records"]]
    assert records[0]["Received on"] == datetime.fromisoformat(data["records"][0]["received_on"])
    path, data = reports["projects"]
    projects = as_dicts(load_workbook(path)["Projects"])
    assert [p["Rank"] for p in projects] == [p["rank"] for p in data["projects"]]
    assert all(isinstance(p["Starts before clear"], bool) for p in projects)
    path, data = reports["forecast"]
    workbook = load_workbook(path)
    total = as_dicts(workbook["Total"])[0]
    assert total["Hectares remaining"] == data["total"]["remaining_hectares"]
    assert total["Scenario: weeks needed"] == data["total"]["scenario"]["weeks_needed"]
    assert len(as_dicts(workbook["By district"])) == len(data["districts"])
    path, data = reports["article7"]
    devices = figures(load_workbook(path)["Devices destroyed"])
    assert devices["Total"] == data["devices_destroyed"]["total"]


def test_casualty_workbook_public_hides_what_the_public_report_hides(
    reports: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    exact_path, exact = reports["casualties"]
    public_path, public = reports["public-casualties"]
    exact_book, public_book = load_workbook(exact_path), load_workbook(public_path)
    summary = figures(exact_book["Casualties"])
    assert summary["Victims since the first day"] == exact["since_total"]
    assert summary["First day counted"] == datetime(2020, 11, 10)
    by_sex = {row["Sex"]: row for row in as_dicts(exact_book["By sex"])}
    assert by_sex["male"]["Victims"] == exact["by_sex"]["male"]
    assert "Status" not in by_sex["male"]
    for sheet, key, column in (
        ("By sex", "by_sex", "Sex"),
        ("By outcome", "by_outcome", "Outcome"),
    ):
        rows = {row[column]: row for row in as_dicts(public_book[sheet])}
        for code, cell in public[key].items():
            if isinstance(cell, str):
                # A hidden count: an empty number cell and its status beside it, never text.
                assert rows[code]["Victims"] is None and rows[code]["Status"] == cell
            else:
                assert rows[code]["Victims"] == cell and rows[code]["Status"] is None
    hidden = [cell for cell in public["by_month"].values() if isinstance(cell, str)]
    months = as_dicts(public_book["By month"])
    assert sorted(str(m["Status"]) for m in months if m["Status"]) == sorted(hidden)
    assert all(isinstance(m["Victims"], int) or m["Victims"] is None for m in months)


@dataclass(frozen=True)
class RegisterExports:
    """The register exported as a workbook (opened once: reading a hundred thousand
    rows' shared strings takes seconds) and as CSV files."""

    path: Path
    workbook: Workbook
    csv_rows: dict[str, int]


@pytest.fixture(scope="module")
def register(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> RegisterExports:
    folder = tmp_path_factory.mktemp("register")
    path, csv_folder = folder / "register.xlsx", folder / "csv"
    demine("--db", demo_database_url, "export", "--format", "xlsx", "-o", str(path))
    demine("--db", demo_database_url, "export", "--format", "csv", "-o", str(csv_folder))
    csv_rows = {}
    for table in csv_folder.glob("*.csv"):
        with table.open(encoding="utf-8") as handle:
            csv_rows[table.stem] = sum(1 for _row in csv.DictReader(handle))
    return RegisterExports(path, load_workbook(path, read_only=True), csv_rows)


def _rows_in_sheets(path: Path) -> list[int]:
    """Each sheet's rows below the header, counted in the file's XML (in sheet order)."""
    with zipfile.ZipFile(path) as archive:
        names = sorted(
            (n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        return [archive.read(name).count(b"<row ") - 1 for name in names]


def _kind_of(sheet: str) -> str:
    """The kind whose records a sheet holds (its layer's name starts with the kind's)."""
    names = sorted((k.name.replace("-", "_") for k in KINDS.values()), key=len, reverse=True)
    return next(name for name in names if sheet.startswith(name))


def test_the_register_workbook_holds_every_record_of_the_csv_export(
    register: RegisterExports,
) -> None:
    counts: dict[str, int] = {}
    sheets = register.workbook.sheetnames
    for sheet, rows in zip(sheets, _rows_in_sheets(register.path), strict=True):
        counts[_kind_of(sheet)] = counts.get(_kind_of(sheet), 0) + rows
    assert counts == register.csv_rows
    assert counts["finds"] == 61002 and counts["hazards"] == 240


def _first_rows(workbook: Workbook, sheet: str) -> dict[str, Any]:
    header, first = workbook[sheet].iter_rows(min_row=1, max_row=2, values_only=True)
    return dict(zip(header, first, strict=True))


def test_register_sheets_are_layers_with_typed_columns(register: RegisterExports) -> None:
    workbook = register.workbook
    assert {"hazards_points", "hazards_areas", "finds", "activities_no_geometry"} <= set(
        workbook.sheetnames
    )
    find = _first_rows(workbook, "finds")
    header = list(find)
    assert header[-1] == "wkt" and header.index("found_earliest") == header.index("found_on") + 1
    assert isinstance(find["found_earliest"], datetime) and isinstance(find["quantity"], int)
    assert find["date_precision"] == "day"
    assert find["wkt"].startswith("POINT (")
    decimals = [len(n.split(".")[1]) for n in find["wkt"][7:-1].split() if "." in n]
    assert max(decimals) <= 7
    assert _first_rows(workbook, "hazards_areas")["wkt"].startswith("MULTIPOLYGON (((")
    assert _first_rows(workbook, "hazards_areas")["evidence"] == '{"withheld": true}'
    assert isinstance(_first_rows(workbook, "accidents")["demining_accident"], bool)
    assert "wkt" not in _first_rows(workbook, "activities_no_geometry")


def test_the_summary_assistance_and_geometry_workbooks_hold_their_figures(
    reports: dict[str, tuple[Path, dict[str, Any]]],
) -> None:
    summary = figures(load_workbook(reports["summary"][0])["Summary"])
    assert (summary["AP mines"], summary["AT mines"], summary["UXO"]) == (28, 107, 830)
    assert summary["Hectares cleared"] == 1039.5 and summary["First day"] == datetime(2024, 7, 1)
    path, data = reports["assistance"]
    services = {row["Service"]: row for row in as_dicts(load_workbook(path)["Victim assistance"])}
    assert services.keys() == data["referred"].keys()
    assert services["rehabilitation"]["Reached"] == data["reached"]["rehabilitation"]
    path, data = reports["geometry"]
    workbook = load_workbook(path)
    assert len(as_dicts(workbook["Findings"])) == len(data["findings"])
    checked = {row["Kind"]: row["Records"] for row in as_dicts(workbook["Records checked"])}
    assert checked == data["records"]


def test_a_hidden_count_in_a_table_is_an_empty_cell_with_its_status() -> None:
    from demine.reports.sheets import records_sheet

    sheet = records_sheet(
        "Services",
        [{"service": "rehabilitation", "reached": "<5"}, {"service": "psychological",
                                                          "reached": 12}],
        [("service", "Service"), ("reached", "Reached")],
    )  # fmt: skip
    assert list(sheet.headers) == ["Service", "Reached", "Reached: status"]
    assert list(sheet.rows) == [["rehabilitation", None, "<5"], ["psychological", 12, None]]


def test_sheet_names_fit_excel() -> None:
    names = sheet_names(["By district", "by district", "a/b:c?", "x" * 40, "x" * 40, ""])
    assert names[0] == "By district" and names[1] == "by district (2)"
    assert names[2] == "a-b-c-"
    assert names[3] == "x" * 31 and names[4] == "x" * 27 + " (2)"
    assert names[5] == "Sheet"
    assert all(len(name) <= MAX_SHEET_NAME for name in names)


def test_cells_keep_their_types() -> None:
    moment = datetime(2024, 7, 1, 12, 30, tzinfo=UTC)
    table = SheetTable("Cells", ["int", "float", "day", "time", "yes", "none", "text"],
                       [[3, 2.5, date(2024, 7, 1), moment, True, None, "AZ-TAR"]])  # fmt: skip
    workbook = load_workbook(BytesIO(workbook_bytes([table, SheetTable("Empty", ["a"], [])])))
    cells = workbook["Cells"][2]
    assert [c.value for c in cells] == [
        3, 2.5, datetime(2024, 7, 1), datetime(2024, 7, 1, 12, 30), True, None, "AZ-TAR",
    ]  # fmt: skip
    assert cells[2].is_date and cells[2].number_format == "yyyy-mm-dd"
    assert cells[4].data_type == "b" and cells[0].data_type == "n"
    assert workbook["Empty"].auto_filter.ref == "A1:A1"
