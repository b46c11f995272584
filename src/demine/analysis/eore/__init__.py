"""Risk education (EORE) figures: sessions held and people reached, by sex and age."""

from demine.analysis.eore.reach import Reach, reach, reach_by

__all__ = ["Reach", "reach", "reach_by"]
