"""The verdicts on a minefield record, and the thresholds that decide them.

Every number here is explained in ``docs/records-verification.md`` and can be changed
per run (``demine analyse records --min-coverage 0.6`` …): the defaults are a starting
point for a programme to agree on, not a standard.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from demine.i18n import _

#: Accidents counted against records by default: since the end of the 2020 war.
DEFAULT_ACCIDENTS_FROM = date(2020, 11, 10)


class Verdict(StrEnum):
    ACCURATE = "accurate"
    PARTLY_ACCURATE = "partly_accurate"
    INACCURATE = "inaccurate"
    NOT_YET_VERIFIABLE = "not_yet_verifiable"


@dataclass(frozen=True)
class Thresholds:
    """Distances (metres) and shares (0–1) that a record's verdict is judged by."""

    #: How far from a declared row or edge a find still counts as where the record said.
    tolerance_m: float = 25.0
    #: How far outside the declared area finds and accidents count as "nearby".
    nearby_m: float = 500.0
    #: Below this share of the declared area worked, no verdict is given.
    min_coverage: float = 0.5
    #: Accurate: at least this share of the expected mines found where declared …
    accurate_found_share: float = 0.8
    #: … and at most this share of the evidence lying nearby outside the declared area.
    accurate_max_outside_share: float = 0.1
    #: Inaccurate: less than this share of the expected mines found where declared …
    inaccurate_found_share: float = 0.3
    #: … or more than this share of the evidence lying nearby outside.
    inaccurate_outside_share: float = 0.5

    def __post_init__(self) -> None:
        for name in ("tolerance_m", "nearby_m"):
            if getattr(self, name) < 0:
                raise ValueError(_("{name} must not be negative").format(name=name))
        for name in (
            "min_coverage",
            "accurate_found_share",
            "accurate_max_outside_share",
            "inaccurate_found_share",
            "inaccurate_outside_share",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(_("{name} must be between 0 and 1").format(name=name))
        if self.inaccurate_found_share > self.accurate_found_share:
            raise ValueError(_("inaccurate_found_share must not exceed accurate_found_share"))
        if self.accurate_max_outside_share > self.inaccurate_outside_share:
            raise ValueError(
                _("accurate_max_outside_share must not exceed inaccurate_outside_share")
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
