"""Published bulletins into the register, once reviewed: the seed week back out, sources
kept apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import DATA
from typer.testing import CliRunner

from demine.analysis.summary import FigureSource, summarise_period
from demine.cli.main import app
from demine.domain.access import Principal, Role
from demine.domain.periods import parse_iso_week
from demine.domain.workflow import ReviewStatus
from demine.editing.news_items import review_news_item
from demine.errors import ImportRejected
from demine.ingest.gazetteers import gazetteer
from demine.ingest.news_items.summaries import import_news_items
from demine.store.engine import Store, open_store
from demine.store.news_items import news_items
from demine.store.reader import RegisterReader

runner = CliRunner()
BULLETINS = DATA / "bulletins"
SEED = BULLETINS / "seed-bulletin.txt"
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


def approve_waiting(store: Store) -> None:
    """An information manager approves every read item waiting, as read."""
    manager = Principal.of("ines", Role.INFORMATION_MANAGER)
    with store.write() as connection:
        for item in news_items(connection, "AZ", ReviewStatus.SUBMITTED):
            review_news_item(connection, item.id, "approve", manager)


def test_seed_text_round_trip_into_an_empty_database(database_url: str) -> None:
    demine("--db", database_url, "--create", "import", "bulletin", str(SEED))
    store = open_store(database_url)
    approve_waiting(store)
    store.dispose()
    text = demine("--db", database_url, "report", "weekly", "--week", "2024-W27")
    assert text.startswith(SEED_PARAGRAPH)
    assert "(Figures as published: seed-bulletin.txt.)" in text
    figures = json.loads(
        demine("--db", database_url, "summary", "--from", "2024-07-01", "--to", "2024-07-07",
               "--format", "json")
    )  # fmt: skip
    assert figures["source"] == "reported_summaries"
    assert (figures["ap_mines"], figures["at_mines"], figures["uxo"]) == (28, 107, 830)
    assert figures["hectares_cleared"] == 1039.5
    assert figures["districts"][0] == "Tartar" and figures["districts"][-1] == "Zangilan"


def test_reimporting_a_bulletin_changes_nothing(store: Store) -> None:
    first = import_news_items(store, [SEED], country="AZ", gazetteer=gazetteer("AZ"))
    again = import_news_items(store, [SEED], country="AZ", gazetteer=gazetteer("AZ"))
    assert first.counts.inserted == 15  # the country and 14 districts; the item waits
    assert "1 read news item was stored for review." in first.notes
    assert (again.counts.inserted, again.counts.updated) == (0, 0)
    assert "0 read news items were stored for review." in again.notes


def test_two_outlets_agreeing_count_once_and_disagreeing_are_flagged(
    store: Store, tmp_path: Path
) -> None:
    # 095.txt is another outlet's item on the seed week, with the same figures.
    import_news_items(store, [SEED, BULLETINS / "095.txt"], country="AZ", gazetteer=gazetteer("AZ"))
    approve_waiting(store)
    week = parse_iso_week("2024-W27")
    with store.read() as connection:
        summary = summarise_period(RegisterReader(connection, "AZ"), week.start, week.end)
    assert summary.source is FigureSource.REPORTED_SUMMARIES
    assert summary.total.uxo == 830 and summary.conflicts == []

    garbled = tmp_path / "other-outlet.txt"
    garbled.write_text(
        SEED.read_text(encoding="utf-8").replace("830 unexploded", "803 unexploded"),
        encoding="utf-8",
    )
    import_news_items(store, [garbled], country="AZ")
    approve_waiting(store)
    with store.read() as connection:
        summary = summarise_period(RegisterReader(connection, "AZ"), week.start, week.end)
    assert summary.total.uxo == 830
    assert len(summary.conflicts) == 1
    assert "uxo=830" in summary.conflicts[0] and "uxo=803" in summary.conflicts[0]


def test_parse_bulletin_prints_the_agreed_keys() -> None:
    items = json.loads(demine("parse-bulletin", str(SEED), str(BULLETINS / "035.txt")))
    assert [item["file"] for item in items] == ["seed-bulletin.txt", "035.txt"]
    seed = items[0]
    assert set(seed) == {
        "file", "period_start", "period_end", "kind", "ap_mines", "at_mines", "uxo",
        "hectares", "area_sq_m", "districts", "victims", "extra_periods", "evidence",
        "warnings", "fields",
    }  # fmt: skip
    assert (seed["period_start"], seed["period_end"]) == ("2024-07-01", "2024-07-07")
    assert seed["victims"]["total_all_time"] == 3429
    # "in July": a month without its year and no publication date (never deduced).
    assert items[1]["period_start"] is None
    assert any("year is not written" in w for w in items[1]["warnings"])


def test_parse_bulletin_as_text_states_a_period_only_when_known() -> None:
    text = demine("parse-bulletin", "--format", "text", str(SEED), str(BULLETINS / "035.txt"))
    lines = text.splitlines()
    assert "seed-bulletin.txt: mixed 2024-07-01..2024-07-07" in lines
    assert "035.txt: mixed, period not stated" in lines
    assert "None" not in text


def test_an_undated_report_is_not_approved_without_its_period(store: Store) -> None:
    report = import_news_items(
        store, [BULLETINS / "035.txt"], country="AZ", gazetteer=gazetteer("AZ")
    )
    assert report.counts.inserted == 15  # the gazetteer only
    with pytest.raises(ImportRejected) as refused:
        approve_waiting(store)
    assert [str(problem) for problem in refused.value.problems] == [
        "035.txt, field 'period_start': a report with figures needs its period",
    ]
