"""The field reports Demine's forms ask for, declared against the registry of kinds.

Each report names its kind and fields only; types, choices, constraints and labels come
from the registry when the form is built. :func:`form_specs` keeps the reports whose
kinds and fields the registry in use has (a programme's registry may lack a kind).
"""

from __future__ import annotations

from collections.abc import Mapping

from demine.domain.kinds import Kind
from demine.domain.vocab import ActivityKind, RecordStatus
from demine.fieldforms.model import GEOPOINT, GEOSHAPE, FormSpec, RepeatSpec
from demine.i18n import N_

#: Devices found during the work, by category and model.
_FINDS = RepeatSpec(
    "finds",
    "finds",
    "activity",
    ("category", "model", "quantity", "found_on"),
    geometry=GEOPOINT,
)

#: The work of a land-release activity: who, where, when, which hazard.
_WORK = ("organisation", "district", "hazard", "start_date", "end_date")

FIELD_REPORTS: tuple[FormSpec, ...] = (
    FormSpec(
        "demine_non_technical_survey",
        N_("Non-technical survey"),
        "activities",
        {"kind": ActivityKind.NON_TECHNICAL_SURVEY.value},
        (*_WORK, "area_cancelled_m2", "team_days"),
        geometry=GEOSHAPE,
        description=N_("Land cancelled by a non-technical survey, with the surveyed area."),
    ),
    FormSpec(
        "demine_clearance_progress",
        N_("Technical survey and clearance progress report"),
        "activities",
        {},
        ("kind", *_WORK, "area_reduced_m2", "area_cleared_m2", "team_days"),
        repeats=(_FINDS,),
        geometry=GEOSHAPE,
        only={
            "kind": (
                ActivityKind.TECHNICAL_SURVEY.value,
                ActivityKind.CLEARANCE.value,
                ActivityKind.BATTLE_AREA_CLEARANCE.value,
            )
        },
        description=N_(
            "Land reduced and cleared in a period, the devices found by category and "
            "model, and the worked area."
        ),
    ),
    FormSpec(
        "demine_eod_spot_task",
        N_("EOD spot task"),
        "activities",
        {"kind": ActivityKind.EOD_SPOT_TASK.value},
        (*_WORK, "team_days"),
        repeats=(_FINDS,),
        description=N_("An explosive ordnance disposal call-out and the devices removed."),
    ),
    FormSpec(
        "demine_device_find",
        N_("Device find"),
        "finds",
        {},
        ("district", "category", "model", "quantity", "found_on"),
        geometry=GEOPOINT,
        description=N_("Explosive ordnance found outside a reported task."),
    ),
    FormSpec(
        "demine_accident",
        N_("Accident and victim report"),
        "accidents",
        {},
        (
            "district",
            "settlement",
            "occurred_on",
            "device_category",
            "device_model",
            "activity_at_time",
            "demining_accident",
            "inside_known_hazard",
            "source",
            "narrative",
        ),
        repeats=(
            RepeatSpec(
                "victims",
                "victims",
                "accident",
                ("sex", "category", "outcome", "age", "age_band"),
                sensitive=("sex", "age", "age_band"),
            ),
        ),
        geometry=GEOPOINT,
        sensitive=("source", "narrative"),
        description=N_("An explosive ordnance accident and the people killed or injured."),
    ),
    FormSpec(
        "demine_minefield_verification",
        N_("Minefield record verification visit"),
        "minefield-records",
        {},
        ("external_id", "status", "stated_uncertainty_m", "notes"),
        repeats=(
            RepeatSpec(
                "minefield-points",
                "minefield-points",
                "record",
                ("point_type", "description"),
                geometry=GEOPOINT,
            ),
        ),
        geometry=GEOSHAPE,
        only={
            "status": (RecordStatus.UNDER_VERIFICATION.value, RecordStatus.VERIFIED.value),
        },
        sensitive=("notes",),
        edits=True,
        description=N_(
            "A visit checking a handed-over minefield record on the ground: the record "
            "(by its identifier), what was found of its coverage and points."
        ),
    ),
)


def form_specs(kinds: Mapping[str, Kind]) -> tuple[FormSpec, ...]:
    """The field reports the registry ``kinds`` can take: those whose kinds and fields
    it has (every one of Demine's own registry)."""
    return tuple(spec for spec in FIELD_REPORTS if _fits(spec, kinds))


def _fits(spec: FormSpec, kinds: Mapping[str, Kind]) -> bool:
    asked = [(spec.kind, (*spec.fields, *spec.fixed))]
    asked += [(repeat.kind, (*repeat.fields, repeat.link_field)) for repeat in spec.repeats]
    for kind_name, names in asked:
        kind = kinds.get(kind_name)
        if kind is None or not set(names) <= {f.name for f in kind.fields}:
            return False
    return True
