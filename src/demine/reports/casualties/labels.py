"""What people read for each casualty breakdown and its cells (translated on use)."""

from __future__ import annotations

from demine.i18n import _

#: Breakdowns in the order reports show them, with their titles.
BREAKDOWN_TITLES: dict[str, str] = {
    "by_year": "Victims by year",
    "by_month": "Victims by month",
    "by_district": "Victims by district",
    "by_device_category": "Victims by device category",
    "by_victim_category": "Civilian, military and deminer victims",
    "by_sex": "Victims by sex",
    "by_age_band": "Victims by age",
    "by_outcome": "Killed and injured",
    "by_activity": "What the victims were doing",
    "accidents_by_district": "Accidents by district",
    "inside_known_hazard": "Accidents inside and outside known hazard areas",
}

_CELL_LABELS: dict[str, dict[str, str]] = {
    "by_device_category": {
        "AP_MINE": "Anti-personnel mine",
        "AT_MINE": "Anti-tank mine",
        "UXO": "Unexploded ordnance",
        "AXO": "Abandoned ordnance",
        "IED": "Improvised explosive device",
        "SUBMUNITION": "Cluster submunition",
        "OTHER": "Other",
    },
    "by_victim_category": {
        "civilian": "Civilian",
        "military": "Military",
        "deminer": "Deminer",
    },
    "by_sex": {"female": "Female", "male": "Male"},
    "by_age_band": {
        "0-17": "Children (under 18)",
        "18-59": "18 to 59",
        "60+": "60 and over",
        "18+": "Adult, age not known",
    },
    "by_outcome": {"killed": "Killed", "injured": "Injured", "unknown": "Outcome not known"},
    "inside_known_hazard": {
        "inside": "Inside a known hazard area",
        "outside": "Outside known hazard areas",
    },
}

_UNKNOWN_LABELS = {
    "by_month": "Month not known",
    "by_device_category": "Device not known",
    "by_activity": "Not known",
    "inside_known_hazard": "Location not known",
}


def breakdown_title(key: str) -> str:
    return _(BREAKDOWN_TITLES[key])


def cell_label(breakdown: str, key: str) -> str:
    """The label of one cell: a category's name, a year, a month, a district…"""
    if key == "unknown":
        return _(_UNKNOWN_LABELS.get(breakdown, "Not known"))
    label = _CELL_LABELS.get(breakdown, {}).get(key)
    # Years, months, districts and activities are shown as recorded.
    return _(label) if label else key
