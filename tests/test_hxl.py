"""HXL exports, read by the HXL standard's own library (libhxl), and public CSVs whose
count columns are numbers (SQLite and PostGIS).

``demine export --format csv --hxl`` and ``demine export --public --hxl`` put the
hashtag row under each CSV's header; libhxl must parse every column's tag, read the same
data rows as a plain CSV reader, and find nothing wrong with libhxl's default schema
(dates are dates; ``#affected``, ``#reached``, ``#indicator+num`` are numbers).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import hxl
import pandas as pd
import pytest
from hxl.model import Column
from tests.casualty_fixtures import load_casualty_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.kinds import KINDS
from demine.domain.kinds.exchange import exchange_columns
from demine.errors import InvalidRequestError
from demine.export.hxl import column_hashtags, generic_hashtag, hashtag_row
from demine.export.public_columns import (
    PUBLIC_COLUMNS,
    Level,
    columns_of,
    hashtags,
    header,
)
from demine.store.engine import Store

runner = CliRunner()
DOCS = Path(__file__).parents[1] / "docs" / "public-data.md"
#: The seed week and its figures (``demine summary --from 2024-07-01 --to 2024-07-07``).
WEEK = ("2024-07-01", "2024-07-07")
SEED_WEEK = {"ap_mines": 28, "at_mines": 107, "uxo": 830, "hectares_cleared": 1039.5}


def _demine(*args: str) -> None:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def error_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rules of libhxl's default schema whose breach is an error (dates are dates;
    ``#affected``, ``#reached``, ``#indicator+num``… are numbers), without its spelling
    and outlier hints, which take seconds per file and say nothing of the format."""
    default = json.loads((resources.files("hxl") / "hxl-default-schema.json").read_text())
    rules = [rule for rule in default if rule["#valid_severity"] == "error"]
    assert len(rules) == 2
    path = tmp_path_factory.mktemp("hxl") / "error-rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    return path


def _read_hxl(path: Path, rules: Path) -> tuple[list[str], list[list[str]], list[Any]]:
    """libhxl's view of ``path``: each column's tag, the data rows, the schema's errors."""
    local = hxl.InputOptions(allow_local=True)
    source = hxl.data(str(path), local).cache()
    tags = [column.display_tag for column in source.columns]
    rows = [list(row.values) for row in source]
    errors: list[Any] = []
    hxl.schema(hxl.data(str(rules), local), callback=errors.append).validate(source)
    return tags, rows, errors


# -- the registry's hashtags -------------------------------------------------------------


def test_every_field_of_the_registry_has_a_hashtag_libhxl_parses() -> None:
    for kind in KINDS.values():
        untagged = [f.name for f in kind.fields if f.hxl is None]
        assert untagged == [], kind.name
        tags = column_hashtags(kind)
        for column in exchange_columns(kind):
            parsed = Column.parse(tags[column.name])
            assert parsed and parsed.display_tag == tags[column.name], (kind.name, column.name)


def test_a_column_without_a_hashtag_gets_a_generic_one() -> None:
    # A date's precision (derived) and a programme's own fields have no tag of their own.
    finds = KINDS["finds"]
    assert hashtag_row(finds, ["found_on", "found_earliest", "found_latest", "date_precision"]) == [
        "#date", "#date+start", "#date+end", "#meta+date_precision"
    ]  # fmt: skip
    assert hashtag_row(finds, ["wkt", "review_status", "deleted", "Crop-type"]) == [
        "#geo+wkt", "#status+review", "#meta+deleted", "#meta+crop_type"
    ]  # fmt: skip
    for name in ("2nd_visit", "_x", "plain"):
        assert Column.parse(generic_hashtag(name)), name


def test_the_public_columns_have_one_tag_each_and_core_hashtags() -> None:
    for level in Level:
        tags, names = hashtags(level), header(level)
        assert len(tags) == len(names) and all(Column.parse(tag) for tag in tags)
    by_name = {column.name: column.hxl for column in PUBLIC_COLUMNS}
    assert (by_name["district"], by_name["district_code"]) == ("#adm2+name", "#adm2+code")
    assert (by_name["period_start"], by_name["period_end"]) == ("#date+start", "#date+end")
    assert by_name["killed"] == "#affected+killed" and by_name["children"] == "#affected+children"
    assert by_name["women"] == "#affected+f+adults" and by_name["uxo"] == "#indicator+num+uxo"
    assert by_name["hectares_cleared"] == "#indicator+num+area_cleared_ha"
    # The national figures no output breaks down by district are in the national file only.
    assert [c.name for c in columns_of(Level.NATIONAL) if c not in columns_of(Level.DISTRICT)] == [
        "children", "women", "civilians"
    ]  # fmt: skip


def test_the_docs_describe_every_public_column_and_its_tag() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for column in PUBLIC_COLUMNS:
        assert re.search(rf"`{column.name}`.*`{re.escape(column.hxl)}`", text), column.name
    for needed in ("--hxl", "_status", "suppressed", "withheld", "public-aggregates-national.csv"):
        assert needed in text, needed


def test_the_text_of_a_hidden_count_fails_the_hxl_schema(tmp_path: Path, error_rules: Path) -> None:
    """Why a hidden count is an empty cell: issue 14's file, as Demine wrote it, tagged
    with today's hashtags, has ``<5`` in number columns, which libhxl reports."""
    before = Path(__file__).parent / "fixtures" / "issue14_public_before" / "public-aggregates.csv"
    rows = _csv_rows(before)
    by_name = {column.name: column.hxl for column in PUBLIC_COLUMNS}
    tagged = tmp_path / "before.csv"
    with tagged.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([rows[0], [by_name[n] for n in rows[0]], *rows[1:]])
    _tags, data, errors = _read_hxl(tagged, error_rules)
    assert len(data) == len(rows) - 1
    assert errors and {e.value for e in errors} == {"<5"}


def test_hxl_tags_csv_only() -> None:
    result = runner.invoke(app, ["export", "--hxl", "--format", "gpkg", "-o", "unused.gpkg"])
    assert isinstance(result.exception, InvalidRequestError)
    assert "--format csv" in result.exception.message


# -- the demo register's exports ---------------------------------------------------------


@pytest.fixture(scope="module")
def register_exports(
    demo_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path]]:
    """Every kind's CSV of the demo register with the hashtag row, and two without."""
    folder = tmp_path_factory.mktemp("register")
    plain, tagged = folder / "plain", folder / "hxl"
    _demine("--db", demo_database_url, "export", "--format", "csv", "--kind", "hazards",
            "--kind", "victims", "-o", str(plain))  # fmt: skip
    _demine("--db", demo_database_url, "export", "--format", "csv", "--hxl", "-o", str(tagged))
    yield plain, tagged


def test_libhxl_reads_every_kind_of_the_register_export(
    register_exports: tuple[Path, Path], error_rules: Path
) -> None:
    plain, tagged = register_exports
    files = sorted(path.name for path in tagged.iterdir())
    kinds = [kind for kind in KINDS.values() if kind.exported_by_default]
    assert files == sorted(f"{kind.name.replace('-', '_')}.csv" for kind in kinds)
    counts = {}
    for kind in kinds:
        name = f"{kind.name.replace('-', '_')}.csv"
        rows = _csv_rows(tagged / name)
        if (plain / name).exists():
            # The plain export with the hashtag row under its header, nothing else.
            assert [rows[0], *rows[2:]] == _csv_rows(plain / name), name
        assert rows[1] == hashtag_row(kind, rows[0])
        tags, data, errors = _read_hxl(tagged / name, error_rules)
        assert tags == rows[1] and all(tags), name
        assert data == rows[2:], name
        assert errors == [], (name, [(e.column.display_tag, e.value) for e in errors[:3]])
        counts[kind.name] = len(data)
    # The demo's live records (finds and activities are the large ones).
    assert counts["finds"] > 50_000 and counts["activities"] > 20_000
    assert counts["admin-areas"] == 15 and counts["organisations"] == 12
    assert sorted(path.name for path in plain.iterdir()) == ["hazards.csv", "victims.csv"]


# -- the public aggregates ---------------------------------------------------------------


@pytest.fixture(scope="module")
def public_week(demo_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("public")
    _demine("--db", demo_database_url, "export", "--public", "--hxl", "--format", "csv",
            "--since", WEEK[0], "--as-of", WEEK[1], "-o", str(folder))  # fmt: skip
    return folder


def test_libhxl_reads_the_public_aggregates(public_week: Path, error_rules: Path) -> None:
    document = json.loads((public_week / "public-aggregates.json").read_text(encoding="utf-8"))
    for name, level, count in (
        ("public-aggregates.csv", Level.DISTRICT, len(document["districts"])),
        ("public-aggregates-national.csv", Level.NATIONAL, 1),
    ):
        rows = _csv_rows(public_week / name)
        assert rows[0] == header(level) and rows[1] == hashtags(level)
        tags, data, errors = _read_hxl(public_week / name, error_rules)
        assert tags == hashtags(level) and data == rows[2:] and len(data) == count
        assert errors == [], name
    assert count == 1 and len(document["districts"]) == 14


def test_public_count_columns_read_as_numbers(public_week: Path) -> None:
    """pandas (as a donor reads the file, skipping the hashtag row) finds numbers in
    every count column; a hidden count is a missing value with its status beside it."""
    for name, level in (
        ("public-aggregates.csv", Level.DISTRICT),
        ("public-aggregates-national.csv", Level.NATIONAL),
    ):
        numeric = [c.name for c in columns_of(level) if c.type.value in ("integer", "decimal")]
        table = pd.read_csv(public_week / name, skiprows=[1], keep_default_na=False,
                            na_values={name: [""] for name in numeric})  # fmt: skip
        for column in columns_of(level):
            if column.type.value in ("integer", "decimal"):
                assert pd.api.types.is_numeric_dtype(table[column.name]), (name, column.name)
            if column.hideable:
                hidden = table[column.name].isna()
                status = table[column.status_column]
                assert (status[hidden] != "").all() and (status[~hidden] == "").all()
                assert set(status) <= {"", "suppressed", "withheld"}
    # The seed week hides some counts, so the check above saw empty cells.
    districts = pd.read_csv(public_week / "public-aggregates.csv", skiprows=[1])
    assert districts["accidents"].isna().any()
    hideable = [c.name for c in columns_of(Level.DISTRICT) if c.hideable and c.name != "accidents"]
    assert any(districts[name].isna().any() for name in hideable)


def test_the_seed_week_in_the_public_files(public_week: Path) -> None:
    national_file = (public_week / "public-aggregates-national.csv").read_text(encoding="utf-8")
    (_tags, national) = csv.DictReader(national_file.splitlines())
    assert {k: float(national[k]) for k in SEED_WEEK} == SEED_WEEK
    assert (national["period_start"], national["period_end"]) == WEEK
    assert national["country_code"] == "AZ" and national["suppression_threshold"] == "5"
    district_file = (public_week / "public-aggregates.csv").read_text(encoding="utf-8")
    districts = list(csv.DictReader(district_file.splitlines()))[1:]
    # Devices describe no one: exact in every district, adding up to the national row.
    for key in ("ap_mines", "at_mines", "uxo"):
        assert sum(int(row[key]) for row in districts) == SEED_WEEK[key]
    assert round(sum(float(r["hectares_cleared"]) for r in districts), 4) == 1039.5
    document = json.loads((public_week / "public-aggregates.json").read_text(encoding="utf-8"))
    assert {k: document["national"][k] for k in SEED_WEEK} == SEED_WEEK
    assert list(document["national"]) == header(Level.NATIONAL)
    # JSON: a hidden count is null with its status, as the CSV's empty cell.
    hidden = [(k, v) for k, v in document["national"].items() if k.endswith("_status") and v]
    assert hidden and all(document["national"][k[: -len("_status")]] is None for k, _ in hidden)
    assert {v for _, v in hidden} <= {"suppressed", "withheld"}


def test_without_hxl_no_hashtag_row(demo_database_url: str, tmp_path: Path) -> None:
    _demine("--db", demo_database_url, "export", "--public", "--since", WEEK[0],
            "--as-of", WEEK[1], "-o", str(tmp_path))  # fmt: skip
    rows = _csv_rows(tmp_path / "public-aggregates-national.csv")
    assert len(rows) == 2 and rows[1][0] == "AZ"


def test_personal_kinds_and_review_columns_are_tagged_too(
    store: Store, database_url: str, tmp_path: Path, error_rules: Path
) -> None:
    """The kinds not exported by default (victims' identifiers, assistance) and the
    columns --include-drafts adds, as a reviewer with the victim-data grant gets them."""
    load_casualty_sample(store)
    kinds = ["victim-identifiers", "assistance", "victims", "accidents"]
    _demine("--db", database_url, "export", "--format", "csv", "--hxl", "--include-drafts",
            "--as-role", "victim_data", "--as-role", "information_manager",
            "--purpose", "HXL check", *[a for k in kinds for a in ("--kind", k)],
            "-o", str(tmp_path))  # fmt: skip
    for name in kinds:
        path = tmp_path / f"{name.replace('-', '_')}.csv"
        rows = _csv_rows(path)
        tags, data, errors = _read_hxl(path, error_rules)
        assert tags == rows[1] == hashtag_row(KINDS[name], rows[0]) and all(tags)
        assert data == rows[2:] and errors == [], name
    accidents = _csv_rows(tmp_path / "accidents.csv")
    assert dict(zip(accidents[0], accidents[1], strict=True)).items() >= {
        "wkt": "#geo+wkt", "review_status": "#status+review", "deleted": "#meta+deleted",
        "occurred_on": "#date",
    }.items()  # fmt: skip
    assert len(_csv_rows(tmp_path / "victim_identifiers.csv")) > 2
