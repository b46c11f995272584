"""The words of field forms: question labels and hints, choice labels, constraint
messages. English is the msgid; each form carries them in every language Demine
speaks (:func:`in_every_language`).

A question without a label here reads as its registry field's help, through the
catalogue; a code without a label reads as itself.
"""

from __future__ import annotations

from collections.abc import Callable

from demine.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, using_locale

#: Question labels, by field name (the same field reads alike in every kind).
QUESTIONS = {
    "kind": N_("Kind of work"),
    "organisation": N_("Organisation"),
    "district": N_("District"),
    "settlement": N_("Settlement"),
    "hazard": N_("Hazard area worked"),
    "start_date": N_("First day of the work"),
    "end_date": N_("Last day of the work"),
    "area_cancelled_m2": N_("Area cancelled (m²)"),
    "area_reduced_m2": N_("Area reduced (m²)"),
    "area_cleared_m2": N_("Area cleared (m²)"),
    "team_days": N_("Team-days worked"),
    "category": N_("Category"),
    "model": N_("Device model"),
    "quantity": N_("How many devices"),
    "found_on": N_("Day found"),
    "occurred_on": N_("Day of the accident"),
    "device_category": N_("Category of the device"),
    "device_model": N_("Device model"),
    "activity_at_time": N_("What the victims were doing"),
    "demining_accident": N_("Did it happen during demining?"),
    "inside_known_hazard": N_("Was it inside a known hazard area?"),
    "source": N_("Source of the report"),
    "narrative": N_("What happened"),
    "sex": N_("Sex"),
    "outcome": N_("Killed or injured"),
    "age": N_("Age in years"),
    "age_band": N_("Age band (if the age is not known)"),
    "external_id": N_("Identifier of the minefield record"),
    "status": N_("Result of the visit"),
    "stated_uncertainty_m": N_("Positional uncertainty found (m)"),
    "notes": N_("Notes"),
    "point_type": N_("What the point marks"),
    "description": N_("Description of the point"),
    "geometry": N_("Location"),
}

#: Questions' labels that depend on the kind (a category of victims is not one of devices).
KIND_QUESTIONS = {
    ("victims", "category"): N_("Victim was"),
    ("activities", "geometry"): N_("Worked area"),
    ("minefield-records", "geometry"): N_("Coverage found on the ground"),
}

#: Hints, by field name.
HINTS = {
    "hazard": N_("Hazard areas still open or being worked in the district chosen."),
    "model": N_("Models the register knows for the category chosen."),
    "device_model": N_("Models the register knows for the category chosen."),
    "external_id": N_("As written on the record, e.g. AZ-MFR-2024-001."),
    "found_on": N_("Not later than today."),
}

#: The hint of a district the register takes from the location when it is left empty.
DISTRICT_HINT = N_("Leave empty to take it from the location.")

#: The hint of a question holding personal data.
SENSITIVE_HINT = N_(
    "Personal data: kept for victim assistance and statistics only, never shown publicly."
)

#: The repeat groups' labels, by child kind.
REPEATS = {
    "finds": N_("Devices found"),
    "victims": N_("Victims"),
    "minefield-points": N_("Points of the record found"),
}

#: Yes or no (a boolean question). The vocabularies' codes read as
#: :mod:`demine.domain.vocabulary_labels` says, like on the data-entry page.
CODES = {"true": N_("Yes"), "false": N_("No")}

#: Constraint messages.
NOT_NEGATIVE = N_("Must not be negative.")
NOT_IN_FUTURE = N_("Must not be later than today.")
AFTER_START = N_("Must be on or after the first day, and not later than today.")
QUANTITY = N_("At least one device, at most {most}.")
AGE = N_("Between 0 and 120.")
TOO_LONG = N_("At most {most} characters.")
OUTSIDE_COUNTRY = N_(
    "The location must be inside the country ({west}–{east} E, {south}–{north} N)."
)


def language_column(column: str, language: str) -> str:
    """The XLSForm column of ``column`` in ``language`` (``label::Azərbaycanca (az)``):
    ODK shows the name and matches the code in brackets to the phone's language."""
    return f"{column}::{LANGUAGE_NAMES[language]} ({language})"


#: The form's default language, as its columns name it.
DEFAULT_LANGUAGE = f"{LANGUAGE_NAMES['en']} (en)"


def in_every_language(column: str, words: Callable[[], str]) -> dict[str, str]:
    """``column`` in each language: ``words`` called with each language in use."""
    result = {}
    for language in LANGUAGES:
        with using_locale(language):
            result[language_column(column, language)] = words()
    return result


def translated(msgid: str, **values: object) -> Callable[[], str]:
    """``msgid`` translated in the language in use, ``values`` put in."""
    return lambda: _(msgid).format(**values) if values else _(msgid)
