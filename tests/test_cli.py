"""The command line, in process: the demo week, Colombia, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest
from tests.conftest import DATA
from typer.testing import CliRunner

from demine.cli.commands_data import RECORD_KINDS
from demine.cli.main import app, installed_version, run
from demine.domain.kinds import entered_kinds
from demine.errors import ImportRejected, InvalidRequestError
from demine.ingest.importer import ImportReport
from demine.settings import Settings
from demine.store import migrate
from demine.store.engine import Store, open_store
from demine.store.users import list_users

runner = CliRunner()

SEED_DISTRICTS = [
    "Tartar", "Aghdam", "Aghdara", "Lachin", "Fuzuli", "Shusha", "Khojaly",
    "Khankendi", "Kalbajar", "Khojavend", "Jabrayil", "Gubadli", "Zangilan",
]  # fmt: skip


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def demo_url(demo_database_url: str) -> str:
    return demo_database_url


def test_demo_seed_week_matches_the_published_bulletin(demo_url: str) -> None:
    text = demine("--db", demo_url, "summary", "--from", "2024-07-01", "--to", "2024-07-07")
    assert "Devices found: AP mines 28, AT mines 107, UXO 830, other devices 0" in text
    assert "1,039.5 ha cleared" in text
    assert f"Districts (13): {', '.join(SEED_DISTRICTS)}" in text

    figures = json.loads(
        demine(
            "--db",
            demo_url,
            "summary",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-07",
            "--format",
            "json",
        )
    )
    assert (figures["ap_mines"], figures["at_mines"], figures["uxo"]) == (28, 107, 830)
    assert figures["hectares_cleared"] == 1039.5
    assert figures["districts"] == SEED_DISTRICTS
    assert figures["source"] == "records"
    assert [d["district"] for d in figures["by_district"]] == SEED_DISTRICTS
    assert sum(d["uxo"] for d in figures["by_district"]) == 830
    assert {"period_start", "period_end", "hectares_reduced", "hectares_cancelled"} <= set(figures)


def test_demo_is_deterministic_and_reloading_changes_nothing(demo_url: str) -> None:
    output = demine("--db", demo_url, "demo")
    assert "0 new, 0 changed" in output


def test_district_filter_and_unknown_district(demo_url: str) -> None:
    figures = json.loads(
        demine(
            "--db",
            demo_url,
            "summary",
            "--from",
            "2024-07-01",
            "--to",
            "2024-07-07",
            "--district",
            "Terter",
            "--format",
            "json",
        )
    )
    assert figures["district_filter"] == "Tartar"
    assert figures["districts"] == ["Tartar"]
    result = runner.invoke(
        app,
        ["--db", demo_url, "summary", "--from", "2024-07-01", "--to", "2024-07-07",
         "--district", "Atlantis"],
    )  # fmt: skip
    assert isinstance(result.exception, InvalidRequestError)
    assert "unknown district 'Atlantis' in AZ" in str(result.exception)


def _colombia_counts() -> Counter[tuple[int, str]]:
    counts: Counter[tuple[int, str]] = Counter()
    for path in sorted((DATA / "colombia-events").glob("*.json")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            counts[(int(feature["properties"]["AÑO"]), feature["properties"]["TIPO_EVENTO"])] += 1
    return counts


def test_colombia_summaries_agree_with_the_geojson(database_url: str) -> None:
    files = [str(p) for p in sorted((DATA / "colombia-events").glob("*.json"))]
    demine("--db", database_url, "--create", "import", "colombia", *files)
    expected = _colombia_counts()
    for year in range(1990, 2010):
        figures = json.loads(
            demine(
                "--db",
                database_url,
                "--country",
                "CO",
                "summary",
                "--from",
                f"{year}-01-01",
                "--to",
                f"{year}-12-31",
                "--format",
                "json",
            )
        )
        assert figures["accidents"] == expected[(year, "1")] + expected[(year, "2")], year
        assert figures["other_devices"] == expected[(year, "4")], year
        assert figures["hazards_recorded"] == expected[(year, "8")], year
        assert figures["unattributable_records"] == 0
    # A period inside a year cannot place year-only records: they are counted apart.
    half = json.loads(
        demine(
            "--db",
            database_url,
            "--country",
            "CO",
            "summary",
            "--from",
            "2005-01-01",
            "--to",
            "2005-06-30",
            "--format",
            "json",
        )
    )
    assert half["accidents"] == half["other_devices"] == 0
    assert half["unattributable_records"] == (
        expected[(2005, "1")] + expected[(2005, "2")] + expected[(2005, "4")]
    )


def test_2005_colombia_figures(database_url: str) -> None:
    files = [str(DATA / "colombia-events" / "2005.json")]
    demine("--db", database_url, "--create", "import", "colombia", *files)
    figures = json.loads(
        demine(
            "--db",
            database_url,
            "--country",
            "CO",
            "summary",
            "--from",
            "2005-01-01",
            "--to",
            "2005-12-31",
            "--format",
            "json",
        )
    )
    assert (figures["accidents"], figures["other_devices"], figures["hazards_recorded"]) == (
        612, 678, 104,
    )  # fmt: skip


def test_import_rejection_is_reported_in_process(tmp_path: Path) -> None:
    bad = tmp_path / "orgs.csv"
    bad.write_text("code,name,kind\nX,Some NGO,charity\n", encoding="utf-8")
    result = runner.invoke(
        app, ["--db", str(tmp_path / "t.db"), "--create", "import", "organisations", str(bad)]
    )
    assert isinstance(result.exception, ImportRejected)


def test_the_installed_command_prints_every_problem_and_exits_6(tmp_path: Path) -> None:
    bad = tmp_path / "orgs.csv"
    bad.write_text("code,name,kind\nX,Some NGO,charity\nY,,ngo\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-c", "from demine.cli.main import run; run()",
         "--db", str(tmp_path / "t.db"), "--create", "import", "organisations", str(bad)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=False,
    )  # fmt: skip
    assert completed.returncode == 6
    assert "2 problem(s) in 2 row(s) of orgs.csv; nothing was written." in completed.stderr
    assert "orgs.csv, row 2, field 'kind': unknown value 'charity'" in completed.stderr
    assert "orgs.csv, row 3, field 'name': required value is missing" in completed.stderr


def test_a_language_demine_does_not_speak_is_one_clear_error(demo_url: str) -> None:
    """``DEMINE_LOCALE=xx demine summary …``: exit 3 and one line naming the languages,
    never the locale library's traceback."""
    completed = subprocess.run(
        [sys.executable, "-c", "from demine.cli.main import run; run()", "--db", demo_url,
         "summary", "--from", "2024-07-01", "--to", "2024-07-07"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "COLUMNS": "200", "DEMINE_LOCALE": "xx"},
    )  # fmt: skip
    assert completed.returncode == 3
    assert completed.stdout == ""
    assert completed.stderr == (
        "Error: DEMINE_LOCALE=xx: Demine does not speak that language (available: en, az, ru)\n"
    )


def test_a_locale_with_its_region_names_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting, language in (
        ("ru_RU.UTF-8", "ru"),
        ("az-Latn-AZ", "az"),
        ("EN", "en"),
        ("", "en"),
    ):
        monkeypatch.setenv("DEMINE_LOCALE", setting)
        assert Settings.from_environment("sqlite:///x.db").locale == language


def _bad_organisations(tmp_path: Path, count: int) -> Path:
    bad = tmp_path / "orgs.csv"
    rows = "".join(f"X{number},Some NGO,charity\n" for number in range(count))
    bad.write_text(f"code,name,kind\n{rows}", encoding="utf-8")
    return bad


def test_a_long_problem_list_is_cut_at_20_with_a_count_of_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _bad_organisations(tmp_path, 25)
    arguments = ["demine", "--db", str(tmp_path / "t.db"), "--create", "import", "organisations",
                 str(bad)]  # fmt: skip
    monkeypatch.setattr(sys, "argv", arguments)
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as exited:
        run()
    assert exited.value.code == 6
    lines = capsys.readouterr().err.splitlines()
    assert len([line for line in lines if "orgs.csv, row" in line]) == 20
    assert "… and 5 more problems; use --all-problems to see every one" in lines


def test_all_problems_lists_every_problem(tmp_path: Path) -> None:
    bad = _bad_organisations(tmp_path, 25)
    result = runner.invoke(
        app,
        [
            "--db",
            str(tmp_path / "t.db"),
            "--create",
            "import",
            "organisations",
            str(bad),
            "--all-problems",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 6
    assert "25 problem(s) in 25 row(s) of orgs.csv; nothing was written." in result.stderr
    assert len([line for line in result.stderr.splitlines() if "orgs.csv, row" in line]) == 25
    assert "more problems" not in result.stderr


def test_version_prints_the_installed_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"demine {installed_version()}"
    assert installed_version() == version("demine")


def test_the_help_text_names_every_kind_of_the_registry() -> None:
    assert entered_kinds() == RECORD_KINDS


def test_progress_is_quiet_unless_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("code,name,kind\nX,Some NGO,ngo\n", encoding="utf-8")
    database = ["--db", str(tmp_path / "t.db"), "--create"]
    quiet = runner.invoke(app, [*database, "import", "organisations", str(path)])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    shown = runner.invoke(app, [*database, "import", "organisations", str(path), "--progress"])
    assert shown.exit_code == 0 and "Checking orgs.csv" in shown.stderr


def test_serve_demo_builds_the_demo_only_into_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demine.cli import commands_serve
    from demine.demo import load

    store = open_store(f"sqlite:///{tmp_path / 'serve.db'}", create=True)
    migrate.upgrade(store)
    built: list[int] = []
    real_load = load.load_demo

    def counting_load(store: Store, seed: int = 2024) -> ImportReport:
        built.append(seed)
        return real_load(store, seed)

    monkeypatch.setattr(load, "load_demo", counting_load)
    try:
        commands_serve.prepare_demo(store)
        commands_serve.prepare_demo(store)
        with store.read() as connection:
            users = [user.username for user in list_users(connection)]
    finally:
        store.dispose()
    assert built == [2024]  # the second start finds the register and leaves it
    assert set(users) >= {"admin", "manager", "clerk", "viewer"}


def test_serve_demo_leaves_an_existing_register_alone(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demine.cli import commands_serve
    from demine.demo import load

    url = database_url
    organisations = tmp_path / "orgs.csv"
    organisations.write_text("code,name,kind\nHALO,The HALO Trust,ngo\n", encoding="utf-8")
    demine("--db", url, "--create", "import", "organisations", str(organisations))
    monkeypatch.setattr(load, "load_demo", lambda *a, **k: pytest.fail("demo was built"))
    store = open_store(url)
    try:
        commands_serve.prepare_demo(store)
        with store.read() as connection:
            users = {user.username for user in list_users(connection)}
    finally:
        store.dispose()
    # The clerk belongs to ANAMA, which this register does not hold.
    assert users == {"admin", "manager", "viewer"}


def test_template_command_writes_csv(tmp_path: Path) -> None:
    path = tmp_path / "finds.csv"
    demine("template", "finds", "--output", str(path))
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "external_id,district,category,quantity,found_on,model,activity,wkt,example"


def test_export_command_writes_a_geopackage(demo_url: str, tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "demo.gpkg"
    demine(
        "--db", demo_url, "export", "--output", str(path), "--kind", "finds", "--kind", "hazards"
    )
    assert dict(pyogrio.list_layers(path)) == {
        "finds": "Point", "hazards_points": "Point", "hazards_areas": "MultiPolygon"
    }  # fmt: skip
    assert pyogrio.read_info(path, layer="hazards_points")["features"] == 11
    assert pyogrio.read_info(path, layer="hazards_areas")["features"] == 229


def test_a_report_on_a_database_without_a_register_says_so(tmp_path: Path) -> None:
    from demine.errors import StoreError

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(
        app, ["--db", url, "--create", "summary", "--from", "2024-07-01", "--to", "2024-07-07"]
    )
    assert isinstance(result.exception, StoreError)
    assert "holds no register yet" in result.exception.message


def test_a_command_loads_its_own_branch_of_the_tree_and_help_lists_every_one() -> None:
    """``demine report weekly`` imports the report commands, not those of imports, forms or
    the server (start-up time); help still lists every top-level command, in order."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from demine.cli.main import app\n"
        "result = CliRunner().invoke(app, ['report', 'weekly', '--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.startswith('demine.cli.commands_')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == str(
        ["demine.cli.commands_report", "demine.cli.commands_tasks"]
    )
    from demine.cli.lazy_tree import TOP_LEVEL

    listed = runner.invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
    names = [line.split()[1] for line in listed.splitlines() if line.startswith("│ ")]
    assert [name for name in names if name in TOP_LEVEL] == list(TOP_LEVEL)
