"""Verifying minefield records: every verdict and both programme shares, exactly.

The scenario (tests/records_scenario.py) places records, rows, finds and accidents at
known distances in metres; its docstring gives the ground truth asserted here.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from shapely.geometry import Point, box
from sqlalchemy import Table, update
from tests.records_scenario import (
    AS_OF,
    FOUND_ON,
    SOURCE_2021,
    SOURCE_2024,
    lonlat,
    scenario,
    shape,
)

from demine.analysis.records.thresholds import Thresholds, Verdict
from demine.analysis.records.verify import RecordsVerification, verify_records
from demine.domain.entities import Activity, DeviceFind
from demine.domain.vocab import ActivityKind, EOCategory
from demine.ingest.importer import save_entities
from demine.reports.records.document import RecordsFormat, render_records
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader


@pytest.fixture
def verified(store: Store) -> RecordsVerification:
    save_entities(
        store, scenario(), kind="test", source_name="scenario", sha256="0" * 64, country="AZ"
    )
    with store.read() as connection:
        return verify_records(RegisterReader(connection, "AZ"), AS_OF)


def _by_id(result: RecordsVerification) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in result.to_json()["records"]}


def test_every_verdict_is_right(verified: RecordsVerification) -> None:
    records = _by_id(verified)
    assert {key: r["verdict"] for key, r in records.items()} == {
        "A": "accurate",
        "B": "partly_accurate",
        "C": "inaccurate",
        "D": "not_yet_verifiable",
        "E": "accurate",
        "F": "not_yet_verifiable",
    }  # G was received after the as-of date


def test_reasons_say_what_the_verdict_rests_on(verified: RecordsVerification) -> None:
    reasons = {key: r["reason"] for key, r in _by_id(verified).items()}
    assert reasons["A"] == (
        "38 of 40 declared AT mines found within 25 m of the declared rows; "
        "2 AP mines found 140 m outside the declared area."
    )
    assert reasons["B"] == (
        "12 of 20 declared AP mines found in the declared area; 6 of 10 declared AT mines "
        "found in the declared area; 4 AP mines found 200 m outside the declared area."
    )
    assert reasons["C"] == (
        "3 of 30 declared AT mines found in the declared area; 12 AT mines found 300 m "
        "outside the declared area; 1 accident 250 m outside it."
    )
    assert reasons["D"] == (
        "Only 30% of the declared area has been worked so far (50% needed to judge the record)."
    )
    assert reasons["E"] == (
        "8 of 10 declared AP mines found in the declared area (8 expected in the part worked "
        "so far); nothing found within 500 m outside it."
    )


def test_measures_are_in_metres(verified: RecordsVerification) -> None:
    records = _by_id(verified)
    a = records["A"]
    assert a["coverage_share"] == pytest.approx(1.0)
    assert a["declared_area_m2"] == pytest.approx(80_000, abs=0.5)
    assert a["declared"] == {"ap_mines": 0, "at_mines": 40, "other_devices": 0,
                             "models": {"TM-62M": 40}}  # fmt: skip
    assert a["found_inside"]["at_mines"] == 38
    assert a["found_inside"]["on_rows"] == {"at_mines": 38}
    assert a["found_inside"]["models"] == {"TM-62M": 38}
    # F's five AP mines lie 260-340 m east of A but inside F: they count against neither.
    assert a["found_outside_nearby"] == {
        "ap_mines": 2, "at_mines": 0, "other_devices": 0, "accidents": 0,
        "distance_m": {"min": 140.0, "max": 140.0},
    }  # fmt: skip
    assert records["D"]["coverage_share"] == pytest.approx(0.3)
    assert records["E"]["coverage_share"] == pytest.approx(0.8)
    assert records["E"]["tolerance_m"] == 60.0  # its own stated uncertainty
    assert records["E"]["expected"]["ap_mines"] == pytest.approx(8.0)
    assert records["C"]["found_outside_nearby"]["accidents"] == 1


def test_programme_shares_are_exact(verified: RecordsVerification) -> None:
    programme = verified.to_json()["programme"]
    assert programme["records_total"] == 6
    assert programme["records_verified"] == 4
    assert programme["accurate_share"] == 0.5
    assert programme["accidents_total"] == 5  # 2019 is before the period
    assert programme["accidents_located"] == 4
    assert programme["accidents_outside_records_share"] == 0.5
    by_district = {d["code"]: d for d in programme["by_district"]}
    assert list(by_district) == ["AZ-TAR", "AZ-AGD"]  # reporting order
    assert (by_district["AZ-TAR"]["records_total"], by_district["AZ-TAR"]["accurate_share"]) == (
        2,
        0.0,
    )
    assert by_district["AZ-TAR"]["accidents_outside_records_share"] == pytest.approx(0.6667)
    assert by_district["AZ-AGD"]["accurate_share"] == pytest.approx(0.6667)
    assert by_district["AZ-AGD"]["accidents_outside_records_share"] == 0.0
    by_source = {s["source"]: s for s in programme["by_source"]}
    assert by_source[SOURCE_2021]["accurate_share"] == pytest.approx(0.6667)
    assert by_source[SOURCE_2024]["records_verified"] == 1
    assert by_source[SOURCE_2024]["accurate_share"] == 0.0


def test_thresholds_change_the_verdicts(store: Store) -> None:
    save_entities(
        store, scenario(), kind="test", source_name="scenario", sha256="0" * 64, country="AZ"
    )
    with store.read() as connection:
        strict = verify_records(
            RegisterReader(connection, "AZ"), AS_OF, Thresholds(accurate_found_share=0.99)
        )
        early = verify_records(RegisterReader(connection, "AZ"), date(2022, 12, 31))
    assert {r.measure.record.external_id: r.verdict for r in strict.records}["A"] is (
        Verdict.PARTLY_ACCURATE
    )
    # Before anything was worked, no 2021 record can be judged; 2024 records are unknown.
    assert [r.verdict for r in early.records] == [Verdict.NOT_YET_VERIFIABLE] * 3
    assert early.to_json()["programme"]["accurate_share"] is None


def test_reports_render_in_every_format(verified: RecordsVerification) -> None:
    data = json.loads(render_records(verified, RecordsFormat.JSON))
    assert set(data) >= {"records", "programme"}
    text = render_records(verified, RecordsFormat.TEXT)
    assert isinstance(text, str) and "38 of 40 declared AT mines" in text
    html = render_records(verified, RecordsFormat.HTML)
    assert isinstance(html, str) and html.count("data:image/svg+xml;base64,") >= 2
    pdf = render_records(verified, RecordsFormat.PDF)
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def _hide(store: Store, table: Table, *, draft: str = "", deleted: str = "") -> None:
    """Turn the record ``draft`` back into a draft and soft-delete ``deleted``."""
    with store.write() as connection:
        key = table.c.external_id
        connection.execute(update(table).where(key == draft).values(review_status="draft"))
        connection.execute(update(table).where(key == deleted).values(deleted_at=datetime.now(UTC)))


def test_draft_and_deleted_evidence_changes_no_verdict(store: Store) -> None:
    """A draft and a soft-deleted find inside record C (27 AT mines each), and a deleted
    clearance over all of D, would change C's and D's measures if they counted: hidden,
    they leave every verdict, reason and programme figure as it was."""
    save_entities(
        store, scenario(), kind="test", source_name="scenario", sha256="0" * 64, country="AZ"
    )
    with store.read() as connection:
        before = verify_records(RegisterReader(connection, "AZ"), AS_OF).to_json()
    extra = [
        DeviceFind("C-DRAFT", "AZ", "AZ-TAR", EOCategory.AT_MINE, 27, FOUND_ON,
                   geometry=Point(lonlat(5_000, 20))),
        DeviceFind("C-DELETED", "AZ", "AZ-TAR", EOCategory.AT_MINE, 27, FOUND_ON,
                   geometry=Point(lonlat(5_000, -20))),
        Activity("W-D-ALL", "AZ", ActivityKind.CLEARANCE, "ANAMA", "AZ-TAR", date(2023, 6, 1),
                 date(2023, 6, 30), geometry=shape(box(7_790, -210, 8_210, 210))),
    ]  # fmt: skip
    save_entities(store, extra, kind="test", source_name="extra", sha256="1" * 64, country="AZ")
    with store.read() as connection:
        live = _by_id(verify_records(RegisterReader(connection, "AZ"), AS_OF))
    assert live["C"]["found_inside"]["at_mines"] == 3 + 27 + 27
    assert live["D"]["coverage_share"] == pytest.approx(1.0)
    _hide(store, schema.device_finds, draft="C-DRAFT", deleted="C-DELETED")
    _hide(store, schema.activities, deleted="W-D-ALL")
    with store.read() as connection:
        after = verify_records(RegisterReader(connection, "AZ"), AS_OF).to_json()
    assert after == before
