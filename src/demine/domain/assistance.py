"""Victim assistance: the services a survivor was referred to and received.

Each record is one need of one victim (emergency or continuing medical care,
rehabilitation and prosthetics, psychological support, socio-economic inclusion), who
provides it, when it was referred, started and ended, and how it turned out. Together
with the victim they name, these are health data: read and exported only with the
victim-data grant, counted in public only through the disclosure rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demine.domain.custom_values import Extensible
from demine.domain.rules import FieldProblem, RuleContext, check_not_future
from demine.domain.vocab import AssistanceOutcome, AssistanceService


@dataclass(frozen=True)
class Assistance(Extensible):
    """One service for one victim: referral, provider, dates and outcome."""

    external_id: str
    victim: str
    service: AssistanceService
    outcome: AssistanceOutcome
    provider: str | None = None
    referred_on: date | None = None
    start_date: date | None = None
    end_date: date | None = None
    notes: str | None = None

    @property
    def reached(self) -> bool:
        """The survivor received (or is receiving) the service."""
        return self.outcome in (AssistanceOutcome.PROVIDED, AssistanceOutcome.ONGOING)


def check_assistance(record: Assistance, context: RuleContext) -> list[FieldProblem]:
    """Dates not in the future, in order (referred, started, ended); an outcome of
    ``provided`` or ``ongoing`` needs the day the service started."""
    problems: list[FieldProblem] = []
    for name in ("referred_on", "start_date", "end_date"):
        problems += check_not_future(name, getattr(record, name), context)
    if record.start_date and record.referred_on and record.start_date < record.referred_on:
        problems.append(("start_date", "the service started before the referral"))
    if record.end_date and record.start_date and record.end_date < record.start_date:
        problems.append(("end_date", "the service ended before it started"))
    if record.reached and record.start_date is None:
        problems.append(
            ("start_date", f"a service {record.outcome.value} needs the day it started")
        )
    return problems
