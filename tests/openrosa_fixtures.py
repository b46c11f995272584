"""A field form as the contract shapes it, and XForm instances as ODK Collect sends them.

The form is the register's clearance progress report (``demine.fieldforms.specs``) with a
fixed version and a hand-written XForm, so that the submission path is tested apart
from the form builder (its own tests convert and validate every generated form).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from demine.domain.kinds import Kind
from demine.fieldforms.model import BuiltForm
from demine.fieldforms.specs import FIELD_REPORTS
from demine.store.engine import Store

CLEARANCE = next(s for s in FIELD_REPORTS if s.form_id == "demine_clearance_progress")
MINEFIELD_VISIT = next(s for s in FIELD_REPORTS if s.form_id == "demine_minefield_verification")
VERSION = "2026120601"
XFORM = (
    '<?xml version="1.0"?><h:html xmlns="http://www.w3.org/2002/xforms" '
    'xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>Clearance</h:title>'
    '<model><instance><demine_clearance_progress id="demine_clearance_progress" '
    f'version="{VERSION}"/></instance></model></h:head><h:body/></h:html>'
)
FORMS = [
    BuiltForm(CLEARANCE, VERSION, b"", XFORM, {"hazards.csv": b"name,label\nHA-001,HA-001\n"}),
    BuiltForm(MINEFIELD_VISIT, "1", b"", "<h:html/>", {"records.csv": b"name,label\n"}),
]


def served_forms(store: Store, kinds: Mapping[str, Kind], country: str) -> Sequence[BuiltForm]:
    return FORMS


#: A clearance of 5,000 m² in HA-001 with two AT mines and one UXO found.
ANSWERS = {
    "kind": "clearance",
    "organisation": "ANAMA",
    "district": "Tartar",
    "hazard": "HA-001",
    "start_date": "2024-07-01",
    "end_date": "2024-07-05",
    "area_reduced_m2": "0",
    "area_cleared_m2": "5000",
    "team_days": "3",
    "geometry": "40.3 46.91 0 4.5;40.3 46.912 0 4.5;40.302 46.912 0 4.5;40.3 46.91 0 4.5",
}
FINDS = (
    {"category": "AT_MINE", "model": "TM-62M", "quantity": "2", "found_on": "2024-07-02",
     "geometry": "40.3011 46.9105 0 3"},
    {"category": "UXO", "quantity": "1", "found_on": "2024-07-03"},
)  # fmt: skip


def instance_xml(
    instance_id: str,
    answers: Mapping[str, str] = ANSWERS,
    finds: Sequence[Mapping[str, str]] = FINDS,
    *,
    version: str = VERSION,
    form_id: str = "demine_clearance_progress",
    deprecated_id: str | None = None,
    photo: str | None = "1733500000000.jpg",
) -> bytes:
    """The instance ODK Collect writes for the clearance form (answers in a group, as
    pyxform nests them when the form has groups; ``meta`` last)."""

    def leaves(values: Mapping[str, str]) -> str:
        return "".join(f"<{name}>{value}</{name}>" for name, value in values.items())

    repeats = "".join(f"<finds>{leaves(find)}</finds>" for find in finds)
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    picture = f"<photo>{photo}</photo>" if photo else ""
    return (
        "<?xml version='1.0' ?>"
        f'<{form_id} xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">'
        "<start>2024-07-05T10:00:00.000+04:00</start>"
        f"<work>{leaves(answers)}</work>{repeats}{picture}"
        f"<meta><instanceID>{instance_id}</instanceID>{deprecated}</meta>"
        f"</{form_id}>"
    ).encode()


#: The first bytes of a JPEG and some more: what a phone's camera sends.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 40
