"""The kept answers to whether each live accident lay inside a known hazard area, as a
reader takes them (see :mod:`demine.store.kept_hazard_tests`, which keeps them): only
when they are current, so an answer is never stale, only slower."""

from __future__ import annotations

from typing import Any

from demine.store.compiled import Parameters, Statement, run
from demine.store.reader import RegisterReader


def current_answers(reader: RegisterReader) -> dict[int, bool | None] | None:
    """The kept answers of the reader's country by accident row id, or None when they
    cannot serve this reader (drafts, a past day, every country) or are not current."""
    if not answers_are_current(reader):
        return None
    return {accident_id: inside for accident_id, inside in run(reader, _ANSWERS)}


def answers_are_current(reader: RegisterReader) -> bool:
    """Whether the kept answers serve the reader (live, as it stands, of one country)
    and were decided after the last change to its hazards and accidents."""
    if not reader.reads_kept_figures or reader.country is None:
        return False
    rows = run(reader, _STATE, country=reader.country)
    changes, tested = rows[0] if rows else (None, None)
    return changes is not None and tested == changes


def _answers(reader: RegisterReader, _shape: Any, _values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    answers = schema.accident_hazard_tests
    return select(answers.c.accident_id, answers.c.inside).where(
        answers.c.country == reader.country
    )


def _state(_reader: RegisterReader, _shape: Any, values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    state = schema.hazard_test_state
    return select(state.c.changes, state.c.tested).where(state.c.country == values.country)


_ANSWERS = Statement("kept_answers.answers", _answers)
_STATE = Statement("kept_answers.state", _state)
