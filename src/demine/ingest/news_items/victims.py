"""Casualty statistics quoted in news items, by the span of time they cover.

A victims sentence (one that counts people and says what mines did to them) is read in
three steps:

1. **Scope**: since the war (``since the Second Garabagh War``, ``since November 10,
   2020``, ``after the end of the Second Karabakh War``), all time (``The total number
   of landmine victims in Azerbaijan``), or another span (``in 2024``, ``last year``,
   ``From 1992 to 2020``), which is not recorded. A sentence that only refers back
   (``Of them``, ``595 of those people``, ``during the specified period``) takes the
   scope of the victims sentence just before it. No scope, no figure.
2. **Counts and roles**, read by :mod:`victim_counts`.
3. **Checks**: one field stated twice with different values is left out, with a
   warning; a total that is not killed + injured is flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from demine.i18n import N_, _
from demine.ingest.news_items.model import Candidate, FieldReading, VictimFigures
from demine.ingest.news_items.numbers import find_numbers
from demine.ingest.news_items.text import span_of
from demine.ingest.news_items.victim_counts import RoleCount, counts_people, roles
from demine.ingest.news_items.victim_dates import reference_date
from demine.ingest.news_items.victim_words import (
    ALL_TIME,
    ANAPHORA,
    MINE_CONTEXT,
    OTHER_SPAN,
    ROLE,
    SINCE_WAR,
    VICTIM_WORDS,
)

#: How each field's span of time is said in a reading's reason.
_SCOPE_WORDS = {
    "total_since_war": N_("since the war (10 November 2020)"),
    "killed_since_war": N_("since the war (10 November 2020)"),
    "injured_since_war": N_("since the war (10 November 2020)"),
    "total_all_time": N_("all time"),
    "killed_all_time": N_("all time"),
    "children": N_("all time"),
    "women": N_("all time"),
    "civilians_since_war": N_("since the war (10 November 2020)"),
    "civilians_killed_since_war": N_("since the war (10 November 2020)"),
    "civilians_injured_since_war": N_("since the war (10 November 2020)"),
}


class Scope(StrEnum):
    """The span of time a victims sentence covers."""

    SINCE_WAR = "since_war"
    ALL_TIME = "all_time"
    OTHER = "other"


_FIELDS = {
    (Scope.SINCE_WAR, "total"): "total_since_war",
    (Scope.SINCE_WAR, "killed"): "killed_since_war",
    (Scope.SINCE_WAR, "injured"): "injured_since_war",
    (Scope.ALL_TIME, "total"): "total_all_time",
    (Scope.ALL_TIME, "killed"): "killed_all_time",
    (Scope.ALL_TIME, "children"): "children",
    (Scope.ALL_TIME, "women"): "women",
    (Scope.SINCE_WAR, "civilian_total"): "civilians_since_war",
    (Scope.SINCE_WAR, "civilian_killed"): "civilians_killed_since_war",
    (Scope.SINCE_WAR, "civilian_injured"): "civilians_injured_since_war",
}


@dataclass
class VictimReading:
    """Victim statistics of an item, where each came from, and what was left out."""

    figures: VictimFigures | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    #: Every victims field set or abstained on, by its name (``total_since_war`` …).
    readings: dict[str, FieldReading] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Indexes of the sentences that state victim figures (not read for demining results).
    statements: frozenset[int] = frozenset()


def read_victims(sentences: Sequence[str], published: date | None = None) -> VictimReading:
    """The casualty statistics stated in ``sentences`` (all the sentences of one item).

    ``published`` dates figures stated "so far" (see :mod:`victim_dates`).
    """
    reading = VictimReading()
    values: dict[str, list[tuple[RoleCount, str]]] = {}
    statements: set[int] = set()
    previous_scope: Scope | None = None
    for index, sentence in enumerate(sentences):
        before = sentences[index - 1] if index else ""
        if not is_victim_statement(sentence, before):
            previous_scope = None
            continue
        statements.add(index)
        scope = _scope(sentence, previous_scope if index - 1 in statements else None)
        previous_scope = scope
        if scope is None:
            reading.warnings.append(
                _("victim figures for an unstated period not recorded: '{s}'").format(s=sentence)
            )
            continue
        if scope is Scope.OTHER:
            reading.warnings.append(
                _("victim figures for another period not recorded: '{s}'").format(s=sentence)
            )
            continue
        for count in roles(sentence, reading.warnings):
            name = _FIELDS.get((scope, count.role))
            if name is None:
                reading.warnings.append(
                    _("{role} count {value} ({scope}) has no field; not recorded").format(
                        role=count.role, value=count.value, scope=scope.value
                    )
                )
                continue
            values.setdefault(name, []).append((count, sentence))
    reading.statements = frozenset(statements)
    if statements:
        figures = _settle(values, reading)
        recorded = list(dict.fromkeys(s for stated in values.values() for _c, s in stated))
        if recorded:
            as_of, as_of_sentence = reference_date(recorded, published)
            reading.readings["as_of"] = as_of
            if isinstance(as_of.value, date) and as_of_sentence is not None:
                figures = replace(figures, as_of=as_of.value)
                reading.evidence["victims.as_of"] = as_of_sentence
        reading.figures = figures
    return reading


def is_victim_statement(sentence: str, before: str = "") -> bool:
    """True when ``sentence`` counts people killed or injured by mines or ordnance."""
    if not (ROLE.search(sentence) or VICTIM_WORDS.search(sentence)):
        return False
    if not (MINE_CONTEXT.search(sentence) or MINE_CONTEXT.search(before)):
        return False
    return counts_people(sentence)


def _scope(sentence: str, previous: Scope | None) -> Scope | None:
    since_war = SINCE_WAR.search(sentence)
    other = OTHER_SPAN.search(sentence)
    if since_war and other:
        return None
    if since_war:
        return Scope.SINCE_WAR
    if other:
        return Scope.OTHER
    if ALL_TIME.search(sentence):
        return Scope.ALL_TIME
    return previous if ANAPHORA.search(sentence) else None


def read_number_or_zero(written: str) -> float:
    """The first number written in ``written`` (digits or words), 0 when there is none."""
    numbers = [token.value for token in find_numbers(written) if token.value is not None]
    return numbers[0] if numbers else 0.0


def _settle(
    values: dict[str, list[tuple[RoleCount, str]]], reading: VictimReading
) -> VictimFigures:
    settled: dict[str, int | None] = {}
    for name, stated in values.items():
        distinct = sorted({count.value for count, _sentence in stated})
        candidates = tuple(
            dict.fromkeys(
                Candidate(count.value, span_of(sentence, count.start, count.end))
                for count, sentence in stated
            )
        )
        if len(distinct) > 1:
            listed = ", ".join(map(str, distinct))
            reading.warnings.append(
                _("victims {field}: the item gives {values}; left out").format(
                    field=name, values=listed
                )
            )
            settled[name] = None
            reading.readings[name] = FieldReading(
                None,
                candidates=candidates,
                reason=_("the item gives {values}").format(values=listed),
            )
            continue
        count, sentence = stated[0]
        settled[name] = count.value
        reading.evidence[f"victims.{name}"] = sentence
        written = sentence[count.start : count.end]
        reason = _("{scope}: '{written}'").format(scope=_(_SCOPE_WORDS[name]), written=written)
        if count.parts:
            reason = _("{scope}: the sum of '{written}'").format(
                scope=_(_SCOPE_WORDS[name]), written=written
            )
        parts = tuple(
            Candidate(int(read_number_or_zero(sentence[a:b])), span_of(sentence, a, b))
            for a, b in count.parts
        )
        reading.readings[name] = FieldReading(
            count.value,
            span_of(sentence, count.start, count.end),
            1.0,
            reason=reason,
            parts=parts,
        )
    figures = VictimFigures(
        total_since_war=settled.get("total_since_war"),
        killed_since_war=settled.get("killed_since_war"),
        injured_since_war=settled.get("injured_since_war"),
        total_all_time=settled.get("total_all_time"),
        children=settled.get("children"),
        women=settled.get("women"),
        killed_all_time=settled.get("killed_all_time"),
        civilians_since_war=settled.get("civilians_since_war"),
        civilians_killed_since_war=settled.get("civilians_killed_since_war"),
        civilians_injured_since_war=settled.get("civilians_injured_since_war"),
    )
    total, killed, injured = (
        figures.total_since_war,
        figures.killed_since_war,
        figures.injured_since_war,
    )
    if None not in (total, killed, injured) and total != (killed or 0) + (injured or 0):
        reading.warnings.append(
            _("victims since the war: {t} is not {k} killed + {i} injured").format(
                t=total, k=killed, i=injured
            )
        )
    return figures
