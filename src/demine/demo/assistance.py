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
from datetime import date, timedelta

import numpy as np

from demine.demo.casualties import LAST_DAY
from demine.demo.organisations import ANAMA, AZCBL, IRELI, MES
from demine.domain.assistance import Assistance
from demine.domain.entities import Accident, Victim
from demine.domain.vocab import AssistanceOutcome, AssistanceService, Outcome

S, R = AssistanceService, AssistanceOutcome

#: Per service: the share of survivors referred, the provider, days from the accident
#: to the referral, days the service lasts, and the outcomes of referrals (weights).
PLAN: tuple[tuple[S, float, str, int, int, tuple[tuple[R, float], ...]], ...] = (
    (S.EMERGENCY_MEDICAL, 1.0, MES, 0, 21, ((R.PROVIDED, 1.0),)),
    (S.CONTINUING_MEDICAL, 0.6, ANAMA, 20, 120, ((R.PROVIDED, 0.85), (R.REFERRED, 0.15))),
    (
        S.REHABILITATION,
        0.45,
        ANAMA,
        45,
        180,
        ((R.PROVIDED, 0.75), (R.REFERRED, 0.15), (R.NOT_AVAILABLE, 0.1)),
    ),
    (S.PSYCHOLOGICAL, 0.35, IRELI, 30, 90, ((R.PROVIDED, 0.7), (R.DECLINED, 0.3))),
    (
        S.SOCIO_ECONOMIC,
        0.3,
        AZCBL,
        90,
        365,
        ((R.PROVIDED, 0.5), (R.REFERRED, 0.3), (R.NOT_AVAILABLE, 0.2)),
    ),
)


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
        for service, share, provider, delay, lasts, outcomes in PLAN:
            if rng.random() >= share:
                continue
            # Emergency care starts on the day; other referrals come some days apart.
            waited = delay + int(rng.integers(0, 15)) if delay else 0
            referred = accident_day + timedelta(days=waited)
            if referred > LAST_DAY:
                continue
            names = [outcome for outcome, _ in outcomes]
            weights = np.array([weight for _, weight in outcomes])
            outcome = names[int(rng.choice(len(names), p=weights / weights.sum()))]
            span = int(lasts * rng.uniform(0.5, 1.5))
            records.append(
                _record(victim, len(records) + 1, service, provider, referred, outcome, span)
            )
    return tuple(records)


def _record(
    victim: Victim,
    number: int,
    service: AssistanceService,
    provider: str,
    referred: date,
    outcome: AssistanceOutcome,
    span: int,
) -> Assistance:
    start = end = None
    if outcome is AssistanceOutcome.PROVIDED:
        start = referred + timedelta(days=1 if service is not S.EMERGENCY_MEDICAL else 0)
        end = start + timedelta(days=span)
        if start > LAST_DAY:
            outcome, start, end = AssistanceOutcome.REFERRED, None, None
        elif end > LAST_DAY:
            outcome, end = AssistanceOutcome.ONGOING, None
    return Assistance(
        external_id=f"AZ-VA-{number:05d}",
        victim=victim.external_id,
        service=service,
        outcome=outcome,
        provider=provider,
        referred_on=referred,
        start_date=start,
        end_date=end,
    )
