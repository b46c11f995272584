"""Risk education (EORE) figures: sessions held and people reached, by sex and age."""

from demine.analysis.eore.public import PublicReach, public_json, public_reach
from demine.analysis.eore.reach import Reach, reach, reach_by, reach_by_district

__all__ = [
    "PublicReach",
    "Reach",
    "public_json",
    "public_reach",
    "reach",
    "reach_by",
    "reach_by_district",
]
