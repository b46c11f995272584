"""Defaults of the project assessment (light: the command line shows them in its help)."""

from __future__ import annotations

#: Metres around a footprint within which finds and accidents count.
DEFAULT_DISTANCE_M = 500.0
#: Months of clearance work that measure a district's productivity and tasking.
DEFAULT_WINDOW_MONTHS = 6
#: Predicted risk from which a cell of the risk layer counts as high (``--risk-threshold``).
DEFAULT_RISK_THRESHOLD = 0.5
