"""Synthetic victim assistance for the demo's survivors (injured victims).

Every survivor is given emergency medical care on the day of the accident or soon
after; some go on to continuing care, rehabilitation and prosthetics, psychological
support and socio-economic inclusion, in shares drawn from the seed. Providers are the
demo's organisations that do such work (the emergency service, ANAMA's victim
assistance, the NGOs). A service still running at the end of the demo (31 December
2025) is ``ongoing``; some referrals are declined, not available or not yet taken up.
Its own random stream leaves every other demo record as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from demine.demo.casualties import LAST_DAY
from demine.demo.organisations import ANAMA, AZCBL, IRELI, MES
from demine.domain.assistance import Assistance
from demine.domain.entities import Accident, Victim
from demine.domain.vocab import AssistanceOutcome, AssistanceService, Outcome

S, R = AssistanceService, AssistanceOutcome


@dataclass(frozen=True)
class ServicePlan:
    """How survivors come to one service."""

    service: AssistanceService
    #: The share of survivors referred to it.
    share: float
    provider: str
    #: Days from the accident to the referral (about), and how long the service lasts.
    delay: int
    lasts: int
    #: Outcomes of referrals, with their weights.
    outcomes: tuple[tuple[AssistanceOutcome, float], ...]


PLAN = (
    ServicePlan(S.EMERGENCY_MEDICAL, 1.0, MES, 0, 21, ((R.PROVIDED, 1.0),)),
    ServicePlan(
        S.CONTINUING_MEDICAL, 0.6, ANAMA, 20, 120, ((R.PROVIDED, 0.85), (R.REFERRED, 0.15))
    ),
    ServicePlan(
        S.REHABILITATION, 0.45, ANAMA, 45, 180,
        ((R.PROVIDED, 0.75), (R.REFERRED, 0.15), (R.NOT_AVAILABLE, 0.1)),
    ),
    ServicePlan(S.PSYCHOLOGICAL, 0.35, IRELI, 30, 90, ((R.PROVIDED, 0.7), (R.DECLINED, 0.3))),
    ServicePlan(
        S.SOCIO_ECONOMIC, 0.3, AZCBL, 90, 365,
        ((R.PROVIDED, 0.5), (R.REFERRED, 0.3), (R.NOT_AVAILABLE, 0.2)),
    ),
)  # fmt: skip


def plan_assistance(
    seed: int, accidents: Sequence[Accident], victims: Sequence[Victim]
) -> tuple[Assistance, ...]:
    """Assistance records for every injured victim, the same for the same seed."""
    rng = np.random.default_rng([seed, 7])
    day_of = {accident.external_id: accident.occurred.latest for accident in accidents}
    records: list[Assistance] = []
    for victim in victims:
        if victim.outcome is not Outcome.INJURED:
            continue
        accident_day = day_of[victim.accident]
        for plan in PLAN:
            if rng.random() >= plan.share:
                continue
            # Emergency care starts on the day; other referrals come some days apart.
            waited = plan.delay + int(rng.integers(0, 15)) if plan.delay else 0
            referred = accident_day + timedelta(days=waited)
            if referred > LAST_DAY:
                continue
            names = [outcome for outcome, _ in plan.outcomes]
            weights = np.array([weight for _, weight in plan.outcomes])
            outcome = names[int(rng.choice(len(names), p=weights / weights.sum()))]
            span = int(plan.lasts * rng.uniform(0.5, 1.5))
            records.append(_record(victim, len(records) + 1, plan, referred, outcome, span))
    return tuple(records)


def _record(
    victim: Victim,
    number: int,
    plan: ServicePlan,
    referred: date,
    outcome: AssistanceOutcome,
    span: int,
) -> Assistance:
    start = end = None
    if outcome is AssistanceOutcome.PROVIDED:
        start = referred + timedelta(days=1 if plan.delay else 0)
        end = start + timedelta(days=span)
        if start > LAST_DAY:
            outcome, start, end = AssistanceOutcome.REFERRED, None, None
        elif end > LAST_DAY:
            outcome, end = AssistanceOutcome.ONGOING, None
    return Assistance(
        external_id=f"AZ-VA-{number:05d}",
        victim=victim.external_id,
        service=plan.service,
        outcome=outcome,
        provider=plan.provider,
        referred_on=referred,
        start_date=start,
        end_date=end,
    )
