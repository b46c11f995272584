"""The data-entry form, described from the import specs so that it asks for exactly the
columns an import file has (and the REST API validates them the same way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from demine.domain.kinds import KINDS, Field, FieldType, Kind
from demine.domain.kinds.custom import CustomType
from demine.domain.places import shown_names
from demine.domain.vocab import AdminLevel
from demine.domain.vocabulary_labels import choice_labels
from demine.errors import InvalidRequestError
from demine.i18n import N_, _, current_locale
from demine.ingest import fields as f
from demine.ingest.fields import FieldSpec
from demine.ingest.importer import parse_context
from demine.ingest.specs import spec_of
from demine.store.reader import RegisterReader

#: Columns the form fills in itself (a find belongs to the activity it is entered under).
FILLED_BY_FORM = {"finds": {"activity"}}
#: Labels clearer in a form than the import help (which lists the accepted codes).
LABELS = {
    "kind": N_("Kind of activity"),
    "organisation": N_("Organisation"),
    "district": N_("District"),
    "hazard": N_("Hazard area worked (its identifier)"),
    "category": N_("Category of explosive ordnance"),
}


@dataclass(frozen=True)
class FormField:
    """One input: the import column it fills, its label and what kind of input it is."""

    name: str
    label: str
    example: str
    required: bool
    input: str  # text, number, date or select
    choices: tuple[str, ...] = ()
    #: What each choice reads as (its code when empty).
    choice_labels: tuple[str, ...] = ()


def _input(spec: FieldSpec) -> str:
    if spec.parse is f.day:
        return "date"
    if spec.parse in (f.number, f.integer):
        return "number"
    return "text"


def _vocabularies(kind: str) -> dict[str, list[str]]:
    """Choices of the kind's fields that take one code of a vocabulary, by column name."""
    return {
        field.name: [code.value for code in field.vocabulary]
        for field in KINDS[kind].fields
        if field.type is FieldType.CODE and field.vocabulary is not None
    }


def _custom_input(field: Field) -> FormField:
    """The input of a field the programme's fields file adds, its choices labelled in
    the current language."""
    custom = field.custom
    assert custom is not None
    language = current_locale()
    inputs = {CustomType.INTEGER: "number", CustomType.DECIMAL: "number", CustomType.DATE: "date"}
    single = custom.type is CustomType.CHOICE
    return FormField(
        name=field.name,
        label=custom.label(language),
        example=field.example,
        required=field.required,
        input="select" if single else inputs.get(custom.type, "text"),
        choices=tuple(choice.code for choice in custom.choices) if single else (),
        choice_labels=tuple(choice.label(language) for choice in custom.choices) if single else (),
    )


def form_fields(
    kind: str,
    districts: list[str],
    organisations: list[str],
    kinds: Mapping[str, Kind] = KINDS,
    *,
    district_labels: Sequence[str] = (),
) -> list[FormField]:
    """The inputs of a ``kind`` record, in the import file's column order (with the
    fields the programme's fields file adds: ``kinds``)."""
    choices: dict[str, list[str]] = {
        **_vocabularies(kind), "district": districts, "organisation": organisations,
    }  # fmt: skip
    described = kinds[kind]
    coded = _vocabularies(kind)
    vocabularies = {
        field.name: field.vocabulary.__name__
        for field in kinds[kind].fields
        if field.type is FieldType.CODE and field.vocabulary is not None
    }
    result = []
    for field, spec in zip(described.fields, spec_of(described).fields, strict=True):
        if spec.name in FILLED_BY_FORM.get(kind, set()):
            continue
        if field.custom is not None:
            result.append(_custom_input(field))
            continue
        options = tuple(choices.get(spec.name, ()))
        # A code's help lists its codes, which the choices already show: name it instead.
        named = spec.name.replace("_", " ").capitalize() if spec.name in coded else spec.help
        result.append(
            FormField(
                name=spec.name,
                label=_(LABELS.get(spec.name, named)),
                example=spec.example,
                required=spec.required,
                input="select" if options else _input(spec),
                choices=options,
                choice_labels=tuple(district_labels)
                if spec.name == "district"
                else choice_labels(vocabularies[spec.name], options)
                if spec.name in vocabularies
                else (),
            )
        )
    return result


def choices_for(reader: RegisterReader, organisation: str | None) -> dict[str, Any]:
    """District names and organisation codes to pick from (data entry: its own only).

    A district is sent by its canonical name and reads in the page's language
    (``district_labels``), sorted as that language reads.
    """
    if reader.country is None:
        raise InvalidRequestError(_("the form enters records of one country"))
    context = parse_context(reader.connection, reader.country)
    names = context.places.names(
        code for code, area in context.places.areas.items() if area.level is AdminLevel.DISTRICT
    )
    shown = shown_names(names)
    codes = sorted(names, key=lambda code: (shown[code], names[code]))
    organisations = [organisation] if organisation else sorted(set(context.organisations.values()))
    extent = context.places.extent()
    box = (extent.min_lon, extent.min_lat, extent.max_lon, extent.max_lat) if extent else WORLD
    return {
        "districts": [names[code] for code in codes],
        "district_labels": [shown[code] for code in codes],
        "organisations": organisations,
        "extent": box,
    }


#: The map's view when the country has no known extent.
WORLD = (-180.0, -60.0, 180.0, 75.0)


def geometry_words() -> dict[str, str]:
    """What the entry page's map says (its script takes them from the page)."""
    return {
        "area": _("Area: {m2} m² ({ha} ha)"),
        "length": _("Length: {m} m"),
        "crossing": _("A polygon may not cross itself: place the point elsewhere, or undo it."),
        "crossingEdit": _("That change would make the polygon cross itself; it was undone."),
        "hazard": _("Hazard area {key}"),
        "noHazard": _("Hazard area {key} has no polygon to show."),
        "read": _("Put on the map"),
        "unreadable": _("The coordinates could not be read."),
        # The drawing tools' own words (leaflet-geoman's keys, flattened).
        "pm.tooltips.placeMarker": _("Click to place the point"),
        "pm.tooltips.firstVertex": _("Click to place the first corner"),
        "pm.tooltips.continueLine": _("Click to place the next corner"),
        "pm.tooltips.finishLine": _("Click the last corner again to finish"),
        "pm.tooltips.finishPoly": _("Click the first corner to finish"),
        "pm.tooltips.finishRect": _("Click to finish"),
        "pm.actions.finish": _("Finish"),
        "pm.actions.cancel": _("Cancel"),
        "pm.actions.removeLastVertex": _("Remove the last corner"),
        "pm.buttonTitles.drawMarkerButton": _("Draw a point"),
        "pm.buttonTitles.drawPolyButton": _("Draw a polygon"),
        "pm.buttonTitles.drawLineButton": _("Draw a line"),
        "pm.buttonTitles.drawRectButton": _("Draw a rectangle"),
        "pm.buttonTitles.editButton": _("Move corners"),
        "pm.buttonTitles.dragButton": _("Move the whole shape"),
        "pm.buttonTitles.deleteButton": _("Remove the shape"),
    }
