"""Fields a programme adds to kinds without code (its fields file).

A :class:`CustomField` describes one: the kind it extends, its name, its type, its
choices with their labels per language, whether it is required, its help. Each becomes
a :class:`~demine.domain.kinds.Field` of an extended copy of its kind
(:func:`extended_kinds`), so everything derived from the registry — import template and
importer, REST API, OGC API, exports, entry page — shows it. Values are kept in the
record's ``custom`` (:mod:`demine.domain.custom_values`), stored in the kind table's
one JSON column: a programme's fields need no migration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from demine.domain.kinds.model import Field, FieldType, Kind

#: The languages labels may be given in (English is the fallback).
LANGUAGES = ("en", "az", "ru")
#: The record attribute holding custom values (:class:`~demine.domain.custom_values.Extensible`).
CUSTOM_ATTRIBUTE = "custom"


class CustomType(StrEnum):
    """The types a fields file may give a field."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"


_FIELD_TYPES = {
    CustomType.TEXT: FieldType.TEXT,
    CustomType.INTEGER: FieldType.INTEGER,
    CustomType.DECIMAL: FieldType.DECIMAL,
    CustomType.DATE: FieldType.DAY,
    CustomType.CHOICE: FieldType.CODE,
    CustomType.MULTIPLE_CHOICE: FieldType.CODES,
}
_EXAMPLES = {
    CustomType.TEXT: "text",
    CustomType.INTEGER: "1",
    CustomType.DECIMAL: "1.5",
    CustomType.DATE: "2024-05-01",
}
#: The longest custom text (what both databases keep in a JSON value without fuss).
MAX_TEXT_LENGTH = 2000


def label_in(labels: Mapping[str, str], locale: str, fallback: str) -> str:
    """The label for ``locale`` (``az_AZ`` reads ``az``), else English, else ``fallback``."""
    language = locale.split("_")[0].split("-")[0].lower()
    return labels.get(language) or labels.get("en") or fallback


@dataclass(frozen=True)
class Choice:
    """One accepted code of a choice field, with its labels by language."""

    code: str
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, locale: str) -> str:
        return label_in(dict(self.labels), locale, self.code)


@dataclass(frozen=True)
class CustomField:
    """One field a programme adds to a kind."""

    kind: str
    name: str
    type: CustomType
    help: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    #: The field's own label by language (default: its name).
    labels: tuple[tuple[str, str], ...] = ()

    def label(self, locale: str) -> str:
        return label_in(dict(self.labels), locale, self.name)

    def as_field(self) -> Field:
        """The field of the extended kind."""
        vocabulary = _vocabulary(f"{self.kind}.{self.name}", self.choices)
        example = self.choices[0].code if self.choices else _EXAMPLES.get(self.type, self.name)
        return Field(
            self.name,
            _FIELD_TYPES[self.type],
            self.help or self.name,
            example,
            self.required,
            vocabulary=vocabulary,
            max_length=MAX_TEXT_LENGTH if self.type is CustomType.TEXT else None,
            stored=False,
            custom=self,
        )


def _vocabulary(name: str, choices: tuple[Choice, ...]) -> type[StrEnum] | None:
    """The choices as a vocabulary, as the registry's code fields have one."""
    if not choices:
        return None
    members = {choice.code: choice.code for choice in choices}
    vocabulary: type[StrEnum] = StrEnum(name, members)  # type: ignore[misc]
    return vocabulary


def extended_kinds(kinds: Mapping[str, Kind], fields: Sequence[CustomField]) -> dict[str, Kind]:
    """Copies of ``kinds`` with ``fields`` added after their own (those without custom
    fields are the same objects). The fields are checked beforehand
    (:mod:`demine.ingest.fields_file`)."""
    added: dict[str, list[Field]] = {}
    for custom in fields:
        added.setdefault(custom.kind, []).append(custom.as_field())
    return {
        name: dataclasses.replace(kind, fields=(*kind.fields, *added[name]))
        if name in added
        else kind
        for name, kind in kinds.items()
    }


def custom_fields_of(kind: Kind) -> tuple[Field, ...]:
    """The programme's fields of ``kind`` (none for a kind as the registry has it)."""
    return tuple(field for field in kind.fields if field.custom is not None)
