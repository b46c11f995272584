"""What people read for each casualty breakdown and its cells (translated on use)."""

from __future__ import annotations

from demine.i18n import N_, _

#: Breakdowns in the order reports show them, with their titles.
BREAKDOWN_TITLES: dict[str, str] = {
    "by_year": N_("Victims by year"),
    "by_month": N_("Victims by month"),
    "by_district": N_("Victims by district"),
    "by_device_category": N_("Victims by device category"),
    "by_victim_category": N_("Civilian, military and deminer victims"),
    "by_sex": N_("Victims by sex"),
    "by_age_band": N_("Victims by age"),
    "by_outcome": N_("Killed and injured"),
    "by_activity": N_("What the victims were doing"),
    "accidents_by_district": N_("Accidents by district"),
    "inside_known_hazard": N_("Accidents inside and outside known hazard areas"),
}

_CELL_LABELS: dict[str, dict[str, str]] = {
    "by_device_category": {
        "AP_MINE": N_("Anti-personnel mine"),
        "AT_MINE": N_("Anti-tank mine"),
        "UXO": N_("Unexploded ordnance"),
        "AXO": N_("Abandoned ordnance"),
        "IED": N_("Improvised explosive device"),
        "SUBMUNITION": N_("Cluster submunition"),
        "OTHER": N_("Other"),
    },
    "by_victim_category": {
        "civilian": N_("Civilian"),
        "military": N_("Military"),
        "deminer": N_("Deminer"),
    },
    "by_sex": {"female": N_("Female"), "male": N_("Male")},
    "by_age_band": {
        "0-17": N_("Children (under 18)"),
        "18-59": N_("18 to 59"),
        "60+": N_("60 and over"),
        "18+": N_("Adult, age not known"),
    },
    "by_outcome": {
        "killed": N_("Killed"),
        "injured": N_("Injured"),
        "unknown": N_("Outcome not known"),
    },
    "inside_known_hazard": {
        "inside": N_("Inside a known hazard area"),
        "outside": N_("Outside known hazard areas"),
    },
}

_UNKNOWN_LABELS = {
    "by_month": N_("Month not known"),
    "by_device_category": N_("Device not known"),
    "by_activity": N_("Not known"),
    "inside_known_hazard": N_("Location not known"),
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
