"""Land released in a period, by method, and how efficiently it was cleared.

Land counts in the period in which its activity ended, as in every bulletin, so the
hectares cleared here are the summary's. Efficiency is measured on clearance
activities (manual and mechanical clearance and battle-area clearance): the surveys
cancel and reduce land with far less work and would flatter the rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.vocab import ActivityKind

#: Activities whose released land is cleared ground, and whose team-days measure clearance.
CLEARING_KINDS = (ActivityKind.CLEARANCE, ActivityKind.BATTLE_AREA_CLEARANCE)


def hectares(square_metres: float) -> float:
    return round(square_metres / SQUARE_METRES_PER_HECTARE, 4)


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


@dataclass
class Released:
    """Land released by method (m²) and how many activities released it."""

    cancelled_m2: float = 0.0
    reduced_m2: float = 0.0
    cleared_m2: float = 0.0
    activities: int = 0

    @property
    def total_m2(self) -> float:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2

    def add(self, cancelled: float, reduced: float, cleared: float, count: int = 1) -> None:
        self.cancelled_m2 += cancelled
        self.reduced_m2 += reduced
        self.cleared_m2 += cleared
        self.activities += count

    def to_json(self) -> dict[str, Any]:
        return {
            "hectares_cancelled": hectares(self.cancelled_m2),
            "hectares_reduced": hectares(self.reduced_m2),
            "hectares_cleared": hectares(self.cleared_m2),
            "hectares_released": hectares(self.total_m2),
            "activities": self.activities,
        }


@dataclass
class Efficiency:
    """How clearance went: area per team-day, devices per hectare, ground with finds."""

    #: Clearance activities' cleared area and the team-days they report (both only
    #: for activities that report team-days).
    timed_cleared_m2: float = 0.0
    team_days: float = 0.0
    #: All clearance activities' cleared area, and the part whose activity found anything.
    clearance_m2: float = 0.0
    clearance_with_finds_m2: float = 0.0
    devices: int = 0
    method_shares: dict[str, float | None] = field(default_factory=dict)

    @property
    def m2_per_team_day(self) -> float | None:
        return round(self.timed_cleared_m2 / self.team_days, 2) if self.team_days > 0 else None

    @property
    def devices_per_hectare(self) -> float | None:
        if self.clearance_m2 <= 0:
            return None
        return round(self.devices / (self.clearance_m2 / SQUARE_METRES_PER_HECTARE), 4)

    @property
    def share_with_finds(self) -> float | None:
        return _share(self.clearance_with_finds_m2, self.clearance_m2)

    def to_json(self) -> dict[str, Any]:
        return {
            "cleared_m2_per_team_day": self.m2_per_team_day,
            "clearance_team_days": round(self.team_days, 2),
            "devices_per_hectare_cleared": self.devices_per_hectare,
            "devices_found_by_clearance": self.devices,
            "hectares_cleared_by_clearance": hectares(self.clearance_m2),
            "cleared_share_with_finds": self.share_with_finds,
            "method_shares": self.method_shares,
        }


def clearance_efficiency(
    work: Iterable[tuple[float, float | None, int]], total: Released
) -> Efficiency:
    """Efficiency of clearance ``work`` (area cleared, team-days, devices found per
    activity); ``total`` is all the land released in the period, by method."""
    efficiency = Efficiency()
    for cleared, team_days, devices in work:
        efficiency.clearance_m2 += cleared
        efficiency.devices += int(devices or 0)
        if devices:
            efficiency.clearance_with_finds_m2 += cleared
        if team_days:
            efficiency.timed_cleared_m2 += cleared
            efficiency.team_days += float(team_days)
    efficiency.method_shares = {
        "cancelled": _share(total.cancelled_m2, total.total_m2),
        "reduced": _share(total.reduced_m2, total.total_m2),
        "cleared": _share(total.cleared_m2, total.total_m2),
    }
    return efficiency
