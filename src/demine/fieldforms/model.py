"""What a field form is: the report it asks for, declared once against the registry.

A :class:`FormSpec` names the registry kind its main record goes to, the fields it asks
(each question is named after its field), the values it sets by itself and the child
records it repeats (finds of a clearance report, victims of an accident). Everything a
question needs — its type, its choices, its constraints, its label — is read from the
registry and the register when the form is built (:mod:`demine.fieldforms.build`), so
nothing about a field is typed twice. A submission maps back through the same spec:
question name → field, ``fixed`` values, repeats → child records linked to the parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: ODK's geometry question types, by what a kind's records may be.
GEOPOINT, GEOTRACE, GEOSHAPE = "geopoint", "geotrace", "geoshape"

#: The question holding a record's geometry (ODK text: ``lat lon alt acc`` points
#: separated by ``;``).
GEOMETRY_QUESTION = "geometry"


@dataclass(frozen=True)
class RepeatSpec:
    """Child records asked as a repeat group of a form (finds of an activity)."""

    #: The repeat group's name: the child kind's name (``finds``).
    name: str
    kind: str
    #: The child's field naming the parent record (``activity``): set by the mapping,
    #: never asked.
    link_field: str
    fields: tuple[str, ...]
    #: The geometry question of each child (``geopoint``…), or None.
    geometry: str | None = None
    #: Fields holding personal data: marked sensitive in the form, never in media.
    sensitive: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    """One field report, declared once."""

    #: The form's id in ODK (``demine_clearance_progress``): the instance's root element.
    form_id: str
    #: The form's title (English, the catalogue's msgid).
    title: str
    #: The registry kind the main record goes to (``activities``).
    kind: str
    #: Values the form sets by itself (``{"kind": "clearance"}``): not asked.
    fixed: Mapping[str, str]
    #: Registry field names asked, in order (question name == field name). A record's
    #: key (``external_id``) is not asked: the mapping derives it from the instance id.
    fields: tuple[str, ...]
    repeats: tuple[RepeatSpec, ...] = ()
    #: The geometry question (``geopoint``, ``geotrace``, ``geoshape``), or None.
    geometry: str | None = None
    #: For a code field, the only codes this form offers (``kind`` of a clearance
    #: report: technical survey, clearance, battle-area clearance).
    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Fields holding personal data: marked sensitive in the form, never in media.
    sensitive: tuple[str, ...] = ()
    #: What the form is for, shown to a field coordinator (English msgid).
    description: str = ""
    #: The form reports on a record already in the register, named by its key question
    #: (``external_id``): a submission is a draft edit of that record, not a new one.
    edits: bool = False


@dataclass(frozen=True)
class BuiltForm:
    """A form built for one register at one moment: its XLSForm, XForm and media."""

    spec: FormSpec
    #: Changes whenever anything the form holds changes (its lists included).
    version: str
    #: The XLSForm workbook (``.xlsx``).
    xlsform: bytes
    #: The XForm XML pyxform made of it.
    xform: str
    #: Files the form refers to (choice lists as CSV), by file name.
    media: Mapping[str, bytes]

    @property
    def form_id(self) -> str:
        return self.spec.form_id
