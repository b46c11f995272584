"""Whether each live accident lay inside a known hazard area, kept by the database.

The test (:mod:`demine.domain.known_hazards`) reads every hazard box of a country; a
casualty report that ran it each time spent most of its time there. Triggers
(migration 0009) count the changes to hazards and accidents of each country in
``hazard_test_state.changes``, whoever writes; every saving transaction ends with
:func:`settle`, which decides again the countries whose changes moved past their last
test and keeps the answers in ``accident_hazard_tests``. A reader takes them only when
they are current (:func:`current_answers`) and otherwise decides in memory, so an answer
is never stale, only slower.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, delete, insert, inspect, select, update

from demine.store import schema
from demine.store.kept_answers import answers_are_current as answers_are_current
from demine.store.kept_answers import current_answers as current_answers
from demine.store.reader import RegisterReader

log = logging.getLogger(__name__)

state = schema.hazard_test_state
answers = schema.accident_hazard_tests
#: The tables the database keeps here (a restore writes the archive's over them).
KEPT_TABLES = (state.name, answers.name)


def settle(connection: Connection) -> list[str]:
    """Decide again the answers of every country whose hazards or accidents changed
    since they were last decided, inside the caller's transaction; the countries."""
    if not _present(connection):
        return []
    stale = connection.execute(
        select(state.c.country, state.c.changes)
        .where((state.c.tested.is_(None)) | (state.c.tested != state.c.changes))
        .order_by(state.c.country)
    ).all()
    for country, changes in stale:
        _decide(connection, country, changes)
    return [country for country, _ in stale]


def _decide(connection: Connection, country: str, changes: int) -> None:
    # Imported here: the geometry stack is loaded only by transactions that need it.
    from demine.store.reads.casualties import decide_inside_known_hazards, live_accident_points

    reader = RegisterReader(connection, country)
    decided = decide_inside_known_hazards(reader, live_accident_points(reader))
    connection.execute(delete(answers).where(answers.c.country == country))
    if decided:
        connection.execute(
            insert(answers),
            [
                {"accident_id": accident_id, "country": country, "inside": inside}
                for accident_id, inside in decided.items()
            ],
        )
    connection.execute(update(state).where(state.c.country == country).values(tested=changes))
    log.debug("inside known hazard decided for %d accidents of %s", len(decided), country)


def _present(connection: Connection) -> bool:
    """Whether the database has the tables yet (not before migration 0009)."""
    cached = connection.info.get("demine_hazard_tests_present")
    if cached:
        return True
    present = inspect(connection).has_table(state.name)
    if present:
        connection.info["demine_hazard_tests_present"] = True
    return present
