"""The annual profile's tables, once: every format (text, HTML, PDF, XLSX) lays them out.

Cells hold numbers, not text: the workbook keeps them as numbers and the documents
format them per locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from demine.analysis.annual_profile import AnnualProfile, KnownHazards
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.i18n import _
from demine.reports.casualties.labels import cell_label

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """A titled table: its column headers and rows (the first cell of a row is a label)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _ha(square_metres: float) -> float:
    return round(square_metres / SQUARE_METRES_PER_HECTARE, 4)


def _known_row(known: KnownHazards) -> list[Cell]:
    return [
        _("Known on {day}").format(day=known.day.isoformat()),
        known.hazards,
        round(known.total_m2, 2),
        round(known.cha_m2, 2),
        round(known.sha_m2, 2),
    ]


def hazard_table(profile: AnnualProfile) -> Table:
    return Table(
        "hazardous_areas",
        _("Hazardous areas known at the start and end of the year"),
        [_("Day"), _("Hazardous areas"), _("Area (m²)"), _("Confirmed (m²)"),
         _("Suspected (m²)")],
        [_known_row(profile.known_at_start), _known_row(profile.known_at_end)],
    )  # fmt: skip


def released_table(profile: AnnualProfile) -> Table:
    released = profile.released
    methods = (
        (_("Cancelled (non-technical survey)"), released.cancelled_m2),
        (_("Reduced (technical survey)"), released.reduced_m2),
        (_("Cleared"), released.cleared_m2),
        (_("Total released"), released.total_m2),
    )
    return Table(
        "released",
        _("Land released during the year, by method"),
        [_("Method"), _("Area (m²)"), _("Hectares")],
        [[label, round(m2, 2), _ha(m2)] for label, m2 in methods],
    )


def devices_table(profile: AnnualProfile) -> Table:
    rows: list[list[Cell]] = [
        [cell_label("by_device_category", category), count]
        for category, count in profile.devices.items()
    ]
    rows.append([_("Total"), sum(profile.devices.values())])
    return Table(
        "devices_destroyed", _("Devices destroyed, by type"), [_("Type"), _("Devices")], rows
    )


def risk_education_table(profile: AnnualProfile) -> Table:
    reach = profile.risk_education
    groups = (
        (_("Sessions held"), reach.sessions),
        (_("Girls (under 18)"), reach.girls),
        (_("Boys (under 18)"), reach.boys),
        (_("Women (18 and over)"), reach.women),
        (_("Men (18 and over)"), reach.men),
        (_("Beneficiaries in all"), reach.beneficiaries),
        (_("Persons with disabilities among them"), reach.persons_with_disabilities),
    )
    return Table(
        "risk_education",
        _("Explosive ordnance risk education: beneficiaries by sex and age"),
        [_("Group"), _("Number")],
        [[label, value] for label, value in groups],
    )


def casualty_table(profile: AnnualProfile) -> Table:
    casualties = profile.casualties
    ages = {"child": _("Children (under 18)"), "adult": _("Adults (18 and over)")}
    groups = (
        (_("Outcome"), "by_outcome", casualties.by_outcome),
        (_("Sex"), "by_sex", casualties.by_sex),
        (_("Age"), "by_age_band", casualties.by_age),
        (_("Civilian or military"), "by_victim_category", casualties.by_category),
        (_("Device"), "by_device_category", casualties.by_device),
    )
    rows: list[list[Cell]] = [[_("All victims"), "", casualties.total]]
    for title, breakdown, cells in groups:
        rows += [
            [title, ages.get(key) or cell_label(breakdown, key), value]
            for key, value in cells.items()
        ]
    return Table(
        "casualties",
        _("Casualties: by outcome, sex, age, civilian or military, and device"),
        [_("Breakdown"), _("Group"), _("Victims")],
        rows,
    )


def profile_tables(profile: AnnualProfile) -> list[Table]:
    """Every table of the profile, in the order it is filed."""
    return [
        hazard_table(profile),
        released_table(profile),
        devices_table(profile),
        risk_education_table(profile),
        casualty_table(profile),
    ]
