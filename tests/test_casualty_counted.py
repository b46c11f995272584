"""Casualty statistics counted by the database (one grouped query per breakdown) equal
those counted from the victims and accidents read one by one (SQLite and PostGIS)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import update
from tests.casualty_fixtures import IMPORTER, load_casualty_sample

from demine.analysis.casualties import casualty_statistics
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader, Visibility

#: (as of, since): the reference date's default, a start inside the records, a start
#: and an end that cut rough dates (ACC-105 is dated 2020-11, ACC-107 2024-07), the
#: baseline's day.
WINDOWS = [
    (date(2024, 7, 7), None),
    (date(2024, 7, 7), date(2020, 11, 10)),
    (date(2024, 7, 31), date(2020, 11, 15)),
    (date(2023, 1, 1), date(2021, 6, 1)),
    (date(2020, 11, 9), None),
    (date(2019, 1, 1), None),
]


@pytest.fixture
def scenario(store: Store) -> Store:
    load_casualty_sample(store)
    return store


def _both(reader: RegisterReader, *args: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    facts = casualty_statistics(reader, *args, with_shapes=False)
    counted = casualty_statistics(reader, *args, with_shapes=False, with_facts=False)
    return facts.to_json(), counted.to_json()


def test_counted_figures_equal_the_figures_of_the_facts(scenario: Store) -> None:
    with scenario.read() as connection:
        reader = RegisterReader(connection, "AZ")
        districts = [None, *casualty_statistics(reader, date(2024, 7, 7)).records.district_names]
        for as_of, since in WINDOWS:
            for district in districts:
                facts, counted = _both(reader, as_of, since, district)
                assert counted == facts, (as_of, since, district)
        statistics = casualty_statistics(reader, date(2024, 7, 7), with_facts=False)
    assert statistics.victims == [] and statistics.accidents == []
    assert statistics.since_counts.total == 11


def test_stale_hazard_answers_are_decided_again_as_the_facts_are(scenario: Store) -> None:
    """A change the answers were not decided after (here, counted behind the saving
    code's back): accidents are read and decided, as without the database's count."""
    with scenario.write() as connection:
        state = schema.hazard_test_state
        connection.execute(update(state).values(changes=state.c.changes + 1))
    with scenario.read() as connection:
        facts, counted = _both(RegisterReader(connection, "AZ"), date(2024, 7, 7), None)
    assert counted == facts
    assert counted["inside_known_hazard"] == {"inside": 3, "outside": 3, "unknown": 1}


def test_answers_missing_an_accident_are_not_counted_from(scenario: Store) -> None:
    """Current answers that miss a live accident (removed behind the saving code's
    back): the accidents are read and decided, as without the database's count."""
    answers = schema.accident_hazard_tests
    with scenario.write() as connection:
        first = connection.execute(answers.select().order_by(answers.c.accident_id)).first()
        assert first is not None
        connection.execute(answers.delete().where(answers.c.accident_id == first.accident_id))
    with scenario.read() as connection:
        facts, counted = _both(RegisterReader(connection, "AZ"), date(2024, 7, 7), None)
    assert counted == facts
    assert counted["inside_known_hazard"] == {"inside": 3, "outside": 3, "unknown": 1}


def test_a_reader_of_drafts_counts_the_facts(scenario: Store) -> None:
    """The kept figures count the live register only: a reader of drafts reads facts."""
    with scenario.read() as connection:
        reader = RegisterReader(connection, "AZ", visibility=Visibility.ALL, principal=IMPORTER)
        statistics = casualty_statistics(reader, date(2024, 7, 7), with_facts=False)
    assert statistics.victims and statistics.accidents
