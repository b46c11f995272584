"""Development projects planned on land that may be contaminated.

Reconstruction, resettlement and energy projects (roads, power lines, pipelines, solar
and wind farms, resettled villages, farmland) cannot safely start while explosive
ordnance remains in or near the ground they need. A project is drawn as a polygon or a
line; the ground its builders work on is that shape widened by a working buffer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from demine.domain.custom_values import Extensible
from demine.domain.vocab import ProjectKind

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

#: Priorities run from 1 (most urgent) to 5 (least).
HIGHEST_PRIORITY = 1
LOWEST_PRIORITY = 5
#: A working buffer wider than this is almost surely a unit mistake (km for m).
MAX_BUFFER_M = 5_000.0


@dataclass(frozen=True)
class DevelopmentProject(Extensible):
    """A planned project: what it builds, for whom, where, and how urgently.

    ``buffer_m`` widens the drawn shape to the ground the works need (a road's verges
    and construction strip, a power line's corridor); a line needs one to have an area.
    """

    external_id: str
    country: str
    district: str
    name: str
    kind: ProjectKind
    priority: int
    buffer_m: float = 0.0
    owner: str | None = None
    people_benefiting: int | None = None
    planned_start: date | None = None
    notes: str | None = None
    geometry: BaseGeometry | None = None
