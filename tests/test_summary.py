"""Period summaries: from records, else from published totals, never guessing dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.helpers import REGISTER, TODAY, load_sample

from demine.analysis.summary import FigureSource, summarise_period
from demine.errors import InvalidRequestError
from demine.ingest.importer import import_file
from demine.store.engine import Store
from demine.store.reader import RegisterReader


def test_week_from_records(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, "AZ"), date(2024, 7, 1), date(2024, 7, 7)
        )
    assert summary.source is FigureSource.RECORDS
    total = summary.total
    assert (total.ap_mines, total.at_mines, total.uxo, total.other_devices) == (5, 3, 13, 0)
    assert total.area_cleared_m2 == 125000.5
    assert total.area_reduced_m2 == 40000
    assert total.area_cancelled_m2 == 250000
    assert total.activities == 3
    # Reporting order: Tartar (1), Aghdam (2), Fuzuli (5).
    assert summary.districts == ["AZ-TAR", "AZ-AGD", "AZ-FUZ"]
    # FND-006 is dated only "2024": it overlaps the week but cannot be placed in it.
    assert summary.unattributable_records == 1
    json = summary.to_json()
    assert json["hectares_cleared"] == 12.5
    assert json["districts"] == ["Tartar", "Aghdam", "Fuzuli"]
    assert json["by_district"][0] == {
        "district": "Tartar",
        "code": "AZ-TAR",
        "ap_mines": 5,
        "at_mines": 3,
        "uxo": 0,
        "other_devices": 0,
        "hectares_cleared": 12.5,
        "hectares_reduced": 0.0,
        "hectares_cancelled": 0.0,
        "activities": 1,
        "accidents": 0,
    }


def test_year_only_records_count_in_a_whole_year(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, "AZ"), date(2024, 1, 1), date(2024, 12, 31)
        )
    assert summary.total.other_devices == 1  # FND-006, "2024"
    assert summary.unattributable_records == 0
    assert summary.total.accidents == 1  # ACC-001 (2024-06-30); ACC-002 is 2023-11


def test_month_precision_accident(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        november = summarise_period(
            RegisterReader(connection, "AZ"), date(2023, 11, 1), date(2023, 11, 30)
        )
        part = summarise_period(
            RegisterReader(connection, "AZ"), date(2023, 11, 1), date(2023, 11, 15)
        )
    assert november.total.accidents == 1
    assert part.total.accidents == 0 and part.unattributable_records == 1


def test_published_totals_fill_periods_without_records(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        national = summarise_period(
            RegisterReader(connection, "AZ"), date(2023, 12, 11), date(2023, 12, 17)
        )
        tartar = summarise_period(
            RegisterReader(connection, "AZ"),
            date(2023, 12, 11),
            date(2023, 12, 17),
            district="Terter",
        )
    assert national.source is FigureSource.REPORTED_SUMMARIES
    assert (national.total.ap_mines, national.total.at_mines, national.total.uxo) == (22, 17, 234)
    assert national.total.area_cleared_m2 == pytest.approx(3_256_000)
    assert national.source_references == ["published weekly report"]
    assert national.districts == ["AZ-TAR", "AZ-AGD"]  # named by the published text
    assert national.by_district == {}  # but it gives no figure per district
    assert tartar.source is FigureSource.REPORTED_SUMMARIES
    assert (tartar.total.ap_mines, tartar.total.uxo) == (5, 40)
    assert tartar.districts == ["AZ-TAR"]


def test_nothing_known_says_so(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, "AZ"), date(2022, 1, 1), date(2022, 1, 7)
        )
    assert summary.source is FigureSource.NONE
    assert summary.total.devices == 0


def test_bad_periods_and_districts_are_refused(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        with pytest.raises(InvalidRequestError, match=r"ends \(2024-07-01\) before it starts"):
            summarise_period(RegisterReader(connection, "AZ"), date(2024, 7, 7), date(2024, 7, 1))
        with pytest.raises(InvalidRequestError, match="unknown district 'Nowhere' in AZ"):
            summarise_period(
                RegisterReader(connection, "AZ"), date(2024, 7, 1), date(2024, 7, 7), "Nowhere"
            )


def test_overlapping_and_conflicting_published_totals(store: Store, tmp_path: Path) -> None:
    load_sample(store)
    extra = tmp_path / "more_summaries.csv"
    header = (REGISTER / "summaries.csv").read_text(encoding="utf-8").splitlines()[0]
    extra.write_text(
        header + "\n"
        # The same week again from another outlet, with a different UXO count.
        "RS-2023-W50-B,ANAMA,2023-12-11,2023-12-17,,22,17,243,,325.6,second outlet,,\n"
        # The same week a third time, agreeing with the first: a repeat, not a conflict.
        "RS-2023-W50-C,ANAMA,2023-12-11,2023-12-17,,22,17,234,,325.6,third outlet,,\n"
        # A monthly total containing that week.
        "RS-2023-12,ANAMA,2023-12-01,2023-12-31,,100,80,1000,,1500,monthly report,,\n",
        encoding="utf-8",
    )
    import_file(store, "summaries", extra, country="AZ", today=TODAY)
    with store.read() as connection:
        week = summarise_period(
            RegisterReader(connection, "AZ"), date(2023, 12, 11), date(2023, 12, 17)
        )
        december = summarise_period(
            RegisterReader(connection, "AZ"), date(2023, 12, 1), date(2023, 12, 31)
        )
    assert week.total.uxo == 234  # the first stored, not 234 + 243 + 234
    assert week.conflicts == [
        "2023-12-11..2023-12-17: published weekly report (ap_mines=22, at_mines=17, uxo=234, "
        "area_cleared_m2=3256000.0) disagrees with second outlet (ap_mines=22, at_mines=17, "
        "uxo=243, area_cleared_m2=3256000.0); the first is used"
    ]
    assert december.total.uxo == 1000  # the month, not the month plus its weeks
    assert december.source_references == ["monthly report"]


def test_a_summary_names_only_its_own_countrys_areas(store: Store, tmp_path: Path) -> None:
    """A register of two countries: each summary reads its own country's areas only
    (a neighbour's district of the same name neither joins nor confuses it)."""
    load_sample(store)
    week = (date(2024, 7, 1), date(2024, 7, 7))
    with store.read() as connection:
        before = summarise_period(RegisterReader(connection, "AZ"), *week).to_json()
    neighbour = tmp_path / "neighbour_areas.csv"
    neighbour.write_text(
        "code,name,level,parent,aliases,reporting_order,geometry_approximate,wkt\n"
        'GE,Georgia,country,,,,true,"POLYGON ((40 41, 46 41, 46 43.5, 40 43.5, 40 41))"\n'
        'GE-AGD,Aghdam,district,GE,Agdam,1,true,"POLYGON ((44 41.5, 45 41.5, 45 42, 44 42, '
        '44 41.5))"\n',
        encoding="utf-8",
    )
    import_file(store, "admin-areas", neighbour, country="GE", today=TODAY)
    with store.read() as connection:
        azerbaijan = RegisterReader(connection, "AZ")
        assert summarise_period(azerbaijan, *week).to_json() == before
        aghdam = summarise_period(azerbaijan, *week, district="Agdam")
        georgia = summarise_period(RegisterReader(connection, "GE"), *week)
    assert aghdam.districts == ["AZ-AGD"]
    assert georgia.districts == [] and georgia.total.devices == 0
