"""Demine's per-district counts as plain numbers, for comparing with a reference's."""

from __future__ import annotations

from typing import Any

from demine.analysis.summary import Counts


def counts_figures(counts: Counts) -> dict[str, Any]:
    """The numbers of one district's counts that a reference recomputes."""
    return {
        "ap_mines": counts.ap_mines,
        "at_mines": counts.at_mines,
        "uxo": counts.uxo,
        "other_devices": counts.other_devices,
        "area_cleared_m2": counts.area_cleared_m2,
        "area_reduced_m2": counts.area_reduced_m2,
        "area_cancelled_m2": counts.area_cancelled_m2,
        "activities": counts.activities,
        "accidents": counts.accidents,
    }
