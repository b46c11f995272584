"""An instance becomes records: drafts sent for review, through the editing service.

The mapping is generic, read from the form's spec (:mod:`demine.fieldforms.model`):
each asked field takes the answer of the question of its name, the form's fixed values
are added, the ``geometry`` question becomes the record's geometry, and each repeat
entry becomes a child record whose link field names the main record (and which takes
the main record's answers to the fields it has but its repeat does not ask, such as the
district). Records are
created (or, for an edited submission, updated) by :mod:`demine.editing.service` —
validated as an import row and as the entry page's records are, made drafts of the
submitter and submitted for review, so that nothing counts before someone approves it.

An answer the register refuses (an unknown hazard, a negative area …) is left out of the
record and kept as a problem beside its field; areas larger than what remains of the
hazard worked are kept, with a problem for the reviewer; a record that cannot be made without it
(a device count without its category) is not made, its problem kept. Problems never
abort the mapping: the information manager sees them in the review queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from demine.domain.workflow import ReviewStatus
from demine.editing.service import (
    Editor,
    StoredRecord,
    create,
    delete_record,
    get_record,
    kind_for,
    transition,
    update_record,
)
from demine.errors import DemineError, ImportRejected
from demine.fieldforms.model import GEOMETRY_QUESTION, FormSpec, RepeatSpec
from demine.i18n import _, format_number
from demine.ingest.specs import spec_of
from demine.store.reader import RegisterReader
from demine.submissions.geometry import GeometryAnswerError, odk_to_wkt
from demine.submissions.instance import Instance

#: The payload entry the editing service reads a geometry from.
_WKT = "wkt"
#: The field a record's organisation is named by (the submitter's when not answered).
_ORGANISATION = "organisation"


@dataclass(frozen=True)
class RecordRef:
    """A record a submission made: its kind and key."""

    kind: str
    key: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "key": self.key}


@dataclass(frozen=True)
class MappingProblem:
    """An answer the register refused, beside the field (and record) it was for."""

    kind: str
    key: str | None
    field: str | None
    value: str | None
    reason: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "key": self.key,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class Mapped:
    """What mapping one submission did."""

    records: list[RecordRef] = field(default_factory=list)
    problems: list[MappingProblem] = field(default_factory=list)

    @property
    def state(self) -> str:
        """``mapped``; ``problems`` (records made, some answers refused); ``rejected``
        (no record could be made)."""
        if not self.records:
            return "rejected"
        return "problems" if self.problems else "mapped"


def record_key(instance_id: str) -> str:
    """The key of the main record an instance makes: ``ODK-`` and its id's first 12
    hexadecimal digits (short enough to read aloud, unique enough for a programme)."""
    digits = "".join(c for c in instance_id.removeprefix("uuid:") if c.isalnum())
    return f"ODK-{digits[:12].upper()}"


def child_key(parent: str, repeat: RepeatSpec, number: int) -> str:
    return f"{parent}-{repeat.name.upper()}-{number}"


@dataclass(frozen=True)
class _Target:
    """Where records go: the reader, who submits, the country, when."""

    reader: RegisterReader
    editor: Editor
    country: str
    now: datetime


def _payload(
    kind: str,
    key: str,
    asked: Sequence[str],
    answers: Mapping[str, str],
    fixed: Mapping[str, Any],
    target: _Target,
    problems: list[MappingProblem],
) -> dict[str, Any]:
    described = kind_for(kind, target.reader.kinds)
    # An unanswered question is an empty value (a required one is then refused once).
    payload: dict[str, Any] = {name: answers.get(name) for name in asked}
    payload.update(fixed)
    payload[described.key if described.key in asked else spec_of(described).key_field] = key
    names = {f.name for f in described.fields}
    if _ORGANISATION in names and not payload.get(_ORGANISATION) and target.editor.organisation:
        payload[_ORGANISATION] = target.editor.organisation
    if answers.get(GEOMETRY_QUESTION):
        try:
            payload[_WKT] = odk_to_wkt(answers[GEOMETRY_QUESTION])
        except GeometryAnswerError as error:
            problems.append(
                MappingProblem(kind, key, GEOMETRY_QUESTION, answers[GEOMETRY_QUESTION], str(error))
            )
    return payload


def _field_of(problem_field: str | None) -> str | None:
    return GEOMETRY_QUESTION if problem_field == _WKT else problem_field


def _tolerant_write(
    kind: str,
    key: str,
    payload: dict[str, Any],
    target: _Target,
    problems: list[MappingProblem],
    existing: StoredRecord | None,
) -> StoredRecord | None:
    """Create (or update ``existing``) with ``payload``, leaving out each optional answer
    the register refuses (kept as a problem); None if the record cannot be made."""
    described = kind_for(kind, target.reader.kinds)
    required = {spec.name for spec in spec_of(described).fields if spec.required}
    while True:
        try:
            if existing is None:
                return create(
                    target.reader, kind, payload, target.editor, target.country, target.now
                )
            return update_record(
                target.reader, kind, key, payload, target.editor, existing.version,
                target.country, target.now,
            )  # fmt: skip
        except ImportRejected as error:
            left_out = False
            for problem in error.problems:
                # A geometry is validated as "geometry" and sent as "wkt".
                name = _WKT if problem.field == GEOMETRY_QUESTION else problem.field or ""
                answer = payload.get(name)
                problems.append(
                    MappingProblem(
                        kind,
                        key,
                        _field_of(problem.field),
                        None if answer is None else str(answer),
                        problem.reason,
                    )
                )
                if name in payload and name not in required:
                    del payload[name]
                    left_out = True
            if not left_out:
                return None
        except DemineError as error:
            problems.append(MappingProblem(kind, key, None, None, error.message))
            return None


def _send_for_review(
    kind: str, record: StoredRecord, target: _Target, problems: list[MappingProblem]
) -> None:
    """Submit a draft (or a corrected rejected record) for review."""
    if not kind_for(kind, target.reader.kinds).workflow:
        return
    if record.status not in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
        return
    try:
        transition(target.reader, kind, record.key, "submit", target.editor, now=target.now)
    except DemineError as error:
        problems.append(MappingProblem(kind, record.key, None, None, error.message))


def _existing(target: _Target, kind: str, key: str, earlier: set[RecordRef]) -> StoredRecord | None:
    if RecordRef(kind, key) not in earlier:
        return None
    try:
        return get_record(target.reader, kind, key, target.editor.principal)
    except DemineError:
        return None


def _write(
    kind: str,
    key: str,
    payload: dict[str, Any],
    target: _Target,
    mapped: Mapped,
    earlier: set[RecordRef],
) -> StoredRecord | None:
    existing = _existing(target, kind, key, earlier)
    record = _tolerant_write(kind, key, payload, target, mapped.problems, existing)
    if record is not None:
        mapped.records.append(RecordRef(kind, key))
        _send_for_review(kind, record, target, mapped.problems)
    return record


def _shared(repeat: RepeatSpec, parent: Mapping[str, Any], target: _Target) -> dict[str, Any]:
    """The parent's answers a child record takes for the fields it has but its repeat
    does not ask (a find made during an activity lies in the activity's district)."""
    described = kind_for(repeat.kind, target.reader.kinds)
    key_field = spec_of(described).key_field
    return {
        f.name: parent[f.name]
        for f in described.fields
        if f.name in parent and f.name not in (*repeat.fields, repeat.link_field, key_field)
    }


#: What remains to be released of a hazard, compared with the areas a report gives.
_REMAINING = "remaining_area_m2"
_AREA_SUFFIX = "_m2"


def _larger_than_its_hazard(
    kind: str, record: StoredRecord, target: _Target
) -> list[MappingProblem]:
    """A report's areas (its ``…_m2`` fields) adding up to more than remains of the area
    it refers to: kept, but shown to the reviewer beside its largest area."""
    described = kind_for(kind, target.reader.kinds)
    areas = {
        f.name: float(record.values.get(f.name) or 0)
        for f in described.fields
        if f.name.endswith(_AREA_SUFFIX)
    }
    if not areas or sum(areas.values()) <= 0:
        return []
    problems = []
    for field_ in described.fields:
        referred = target.reader.kinds.get(field_.references or "")
        key = record.values.get(field_.name)
        if referred is None or not key or _REMAINING not in {f.name for f in referred.fields}:
            continue
        try:
            area = get_record(target.reader, referred.name, str(key), target.editor.principal)
        except DemineError:
            continue
        remaining = area.values.get(_REMAINING)
        if remaining is not None and sum(areas.values()) > float(remaining):
            largest = max(areas, key=lambda name: areas[name])
            problems.append(
                MappingProblem(
                    kind,
                    record.key,
                    largest,
                    f"{areas[largest]:.10g}",
                    _(
                        "the areas reported ({area} m²) are larger than what remains of "
                        "{hazard} ({remaining} m²)"
                    ).format(
                        area=format_number(sum(areas.values()), 0),
                        hazard=key,
                        remaining=format_number(float(remaining), 0),
                    ),
                )
            )
    return problems


def _children(
    spec: FormSpec,
    parent: str,
    parent_payload: Mapping[str, Any],
    instance: Instance,
    target: _Target,
    mapped: Mapped,
    earlier: set[RecordRef],
) -> None:
    for repeat in spec.repeats:
        made: set[str] = set()
        shared = _shared(repeat, parent_payload, target)
        for number, answers in enumerate(instance.repeats.get(repeat.name, []), start=1):
            key = child_key(parent, repeat, number)
            payload = _payload(
                repeat.kind, key, repeat.fields, answers,
                {**shared, repeat.link_field: parent}, target, mapped.problems,
            )  # fmt: skip
            if _write(repeat.kind, key, payload, target, mapped, earlier) is not None:
                made.add(key)
        # An edited submission with fewer entries: the entries it no longer has go.
        for gone in sorted(ref.key for ref in earlier if ref.kind == repeat.kind):
            if gone not in made:
                _remove(repeat.kind, gone, target, mapped.problems)


def _remove(kind: str, key: str, target: _Target, problems: list[MappingProblem]) -> None:
    try:
        record = get_record(target.reader, kind, key, target.editor.principal)
        if not record.deleted:
            delete_record(target.reader, kind, key, target.editor, record.version, target.now)
    except DemineError as error:
        problems.append(MappingProblem(kind, key, None, None, error.message))


def map_instance(
    reader: RegisterReader,
    spec: FormSpec,
    instance: Instance,
    editor: Editor,
    country: str,
    now: datetime,
    earlier: Sequence[RecordRef] = (),
) -> Mapped:
    """Make (or, for an edit of a submission that made ``earlier``, update) the records
    ``instance`` reports, as drafts of ``editor`` submitted for review."""
    target = _Target(reader, editor, country, now)
    mapped = Mapped()
    earlier_set = set(earlier)
    described = kind_for(spec.kind, reader.kinds)
    main = [ref.key for ref in earlier if ref.kind == spec.kind]
    key_field = described.key if described.key in spec.fields else None
    key = (
        instance.answers.get(key_field or "")
        or (main[0] if main else None)
        or record_key(instance.instance_id)
    )
    payload = _payload(
        spec.kind, key, spec.fields, instance.answers, spec.fixed, target, mapped.problems
    )
    record = _write(spec.kind, key, payload, target, mapped, earlier_set)
    if record is None:
        mapped.problems.append(
            MappingProblem(spec.kind, key, None, None, _("no record could be made of it"))
        )
        return mapped
    mapped.problems.extend(_larger_than_its_hazard(spec.kind, record, target))
    _children(spec, key, payload, instance, target, mapped, earlier_set)
    return mapped
