"""The data-entry form, described from the import specs so that it asks for exactly the
columns an import file has (and the REST API validates them the same way)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from demine.domain.kinds import KINDS, Field, FieldType, Kind
from demine.domain.kinds.custom import CustomType
from demine.domain.vocab import AdminLevel
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
) -> list[FormField]:
    """The inputs of a ``kind`` record, in the import file's column order (with the
    fields the programme's fields file adds: ``kinds``)."""
    choices: dict[str, list[str]] = {
        **_vocabularies(kind), "district": districts, "organisation": organisations,
    }  # fmt: skip
    described = kinds[kind]
    coded = _vocabularies(kind)
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
            )
        )
    return result


def choices_for(reader: RegisterReader, organisation: str | None) -> dict[str, Any]:
    """District names and organisation codes to pick from (data entry: its own only)."""
    if reader.country is None:
        raise InvalidRequestError(_("the form enters records of one country"))
    context = parse_context(reader.connection, reader.country)
    districts = sorted(
        area.name for area in context.places.areas.values() if area.level is AdminLevel.DISTRICT
    )
    organisations = [organisation] if organisation else sorted(set(context.organisations.values()))
    return {"districts": districts, "organisations": organisations}
