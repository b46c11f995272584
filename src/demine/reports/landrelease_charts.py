"""The former name of :mod:`demine.reports.landrelease.charts`.

Kept only for ``reports/projects_charts.py`` until it imports the new module; remove then.
"""

from __future__ import annotations

from demine.reports.landrelease.charts import (
    STATUS_COLOURS,
    draw_districts,
    hazards_on_map,
    status_label,
)

__all__ = ["STATUS_COLOURS", "draw_districts", "hazards_on_map", "status_label"]
