"""Synthetic victims with exact quotas: who they were, how old, what happened to them.

The quotas of the first span reproduce ANAMA's published figures as of 7 July 2024
(350 victims since the Second Garabagh War, 65 killed, more than 70% civilians; with
the baseline, 357 children and 38 women of all time). Which person gets which outcome,
and every age, is drawn from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from demine.domain.vocab import Outcome, Sex, VictimCategory


@dataclass(frozen=True)
class Profile:
    """One victim, before being placed in an accident."""

    category: VictimCategory
    sex: Sex
    outcome: Outcome
    age: int | None = None
    age_band: str | None = None


@dataclass(frozen=True)
class Quotas:
    """Exact counts of one span's victims (the rest of each split is implied)."""

    total: int
    killed: int
    unknown_outcome: int
    civilians: int
    military: int
    deminers: int
    #: Civilians under 18, of whom ``girls`` female.
    children: int
    girls: int
    #: Female civilians known to be adults, of whom two at most are 60 or over.
    women: int
    #: Civilian men aged 60 or over.
    elderly_men: int
    #: Civilian men whose age is not known at all.
    unknown_age_men: int

    @property
    def unknown_category(self) -> int:
        return self.total - self.civilians - self.military - self.deminers


#: 2020-11-10 to 2024-07-07: the published figures (see the module docstring).
SINCE_WAR_TO_SEED = Quotas(
    total=350, killed=65, unknown_outcome=0, civilians=254, military=56, deminers=36,
    children=27, girls=5, women=8, elderly_men=16, unknown_age_men=8,
)  # fmt: skip
#: 2024-07-08 to 2025-12-31: the same rate and mix, some outcomes not (yet) known.
AFTER_SEED = Quotas(
    total=140, killed=24, unknown_outcome=4, civilians=99, military=21, deminers=17,
    children=11, girls=3, women=4, elderly_men=6, unknown_age_men=3,
)  # fmt: skip


def _adult(
    rng: np.random.Generator, category: VictimCategory, low: int, high: int, band_share: float
) -> Profile:
    """A man of exact age, or (for ``band_share`` of people) known only as "18-59"."""
    if rng.random() < band_share:
        return Profile(category, Sex.MALE, _PENDING, age_band="18-59")
    return Profile(category, Sex.MALE, _PENDING, age=int(rng.integers(low, high + 1)))


#: Outcomes are dealt after everyone is drawn, so that their counts are exact.
_PENDING = Outcome.UNKNOWN


def _people(rng: np.random.Generator, quotas: Quotas) -> list[Profile]:
    civilian, male, female = VictimCategory.CIVILIAN, Sex.MALE, Sex.FEMALE
    people: list[Profile] = []
    for number in range(quotas.children):
        sex = female if number < quotas.girls else male
        people.append(Profile(civilian, sex, _PENDING, age=int(rng.integers(5, 18))))
    for number in range(quotas.women):
        age = int(rng.integers(60, 80)) if number < 2 else int(rng.integers(19, 60))
        people.append(Profile(civilian, female, _PENDING, age=age))
    for _ in range(quotas.elderly_men):
        people.append(Profile(civilian, male, _PENDING, age=int(rng.integers(60, 82))))
    people += [Profile(civilian, male, _PENDING) for _ in range(quotas.unknown_age_men)]
    men = quotas.civilians - len(people)
    people += [_adult(rng, civilian, 18, 59, 0.08) for _ in range(men)]
    people += [_adult(rng, VictimCategory.MILITARY, 19, 45, 0.3) for _ in range(quotas.military)]
    people += [_adult(rng, VictimCategory.DEMINER, 22, 55, 0.0) for _ in range(quotas.deminers)]
    for number in range(quotas.unknown_category):
        sex = Sex.UNKNOWN if number % 2 == 0 else male
        people.append(Profile(VictimCategory.UNKNOWN, sex, _PENDING))
    return people


def victim_profiles(rng: np.random.Generator, quotas: Quotas) -> list[Profile]:
    """``quotas.total`` victims meeting every quota exactly, outcomes drawn at random."""
    people = _people(rng, quotas)
    if len(people) != quotas.total:
        raise ValueError("the quotas do not add up")
    outcomes = [Outcome.KILLED] * quotas.killed + [Outcome.UNKNOWN] * quotas.unknown_outcome
    outcomes += [Outcome.INJURED] * (quotas.total - len(outcomes))
    order = rng.permutation(len(outcomes))
    return [
        replace(person, outcome=outcomes[int(i)]) for person, i in zip(people, order, strict=True)
    ]
