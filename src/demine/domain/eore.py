"""Explosive ordnance risk education (EORE, IMAS 12.10): who was reached, where, how.

A session is one event of risk education — a talk in a school, a briefing of returnees
by a community focal point, a radio broadcast — held by an operator for a target group.
Its beneficiaries are counted by sex and age band as the standard and the Landmine
Monitor ask: girls and boys (under 18), women and men (18 and over), and, among them,
persons with disabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.rules import (
    PUNCTUAL,
    FieldProblem,
    RuleContext,
    check_geometry,
    check_non_negative,
    check_not_future,
)
from demine.domain.vocab import EoreMethod, EoreTargetGroup

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: The beneficiary counts of a session, by sex and age band (their sum is its total).
BENEFICIARY_GROUPS = ("girls", "boys", "women", "men")


@dataclass(frozen=True)
class EoreSession(Extensible):
    """A risk education session: date, place, operator, method, audience and reach."""

    external_id: str
    country: str
    district: str
    held_on: date
    organisation: str
    method: EoreMethod
    target_group: EoreTargetGroup
    settlement: str | None = None
    girls: int = 0
    boys: int = 0
    women: int = 0
    men: int = 0
    #: Persons with disabilities among the beneficiaries (not a further group).
    persons_with_disabilities: int = 0
    geometry: BaseGeometry | None = None

    @property
    def beneficiaries(self) -> int:
        return self.girls + self.boys + self.women + self.men


def check_eore_session(session: EoreSession, context: RuleContext) -> list[FieldProblem]:
    """Counts are whole numbers from zero; persons with disabilities are among the
    beneficiaries; a session is not held in the future; its place is a point."""
    problems = check_not_future("held_on", session.held_on, context)
    for name in (*BENEFICIARY_GROUPS, "persons_with_disabilities"):
        problems += check_non_negative(name, getattr(session, name))
    if session.persons_with_disabilities > session.beneficiaries:
        problems.append(
            (
                "persons_with_disabilities",
                f"{session.persons_with_disabilities} persons with disabilities among "
                f"{session.beneficiaries} beneficiaries",
            )
        )
    problems += check_geometry("geometry", session.geometry, context, PUNCTUAL)
    return problems
