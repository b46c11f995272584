"""Receiving a submission: checked, stored raw, mapped into drafts — all in one
transaction — and idempotent on its ``instanceID``.

A submission for a form that is not served (or not in the version served), a malformed
instance or a form the submitter may not fill is refused before anything is stored.
A submission received again with the same content changes nothing; one reusing an
``instanceID`` for other content is refused. An edited submission (its ``deprecatedID``
naming an earlier one) updates the records the earlier one made, their history kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from demine.domain.access import Permission, Principal
from demine.domain.authorization import allowed, require
from demine.domain.kinds import Kind, Sensitivity
from demine.editing.service import Editor
from demine.errors import Conflict, NotFoundError, UploadTooLarge
from demine.fieldforms.model import BuiltForm, FormSpec
from demine.i18n import _
from demine.settings import MB
from demine.store.engine import Store
from demine.store.records_edit import editing_reader
from demine.store.submissions import (
    StoredSubmission,
    find_submission,
    record_outcome,
    sha256_of,
    store_submission,
    was_served,
)
from demine.submissions.instance import read_instance
from demine.submissions.mapping import RecordRef, map_instance

#: The largest submission (instance and files together) a server takes.
MAX_SUBMISSION_BYTES = 50 * MB


def needed_permission(spec: FormSpec, kinds: Mapping[str, Kind]) -> Permission | None:
    """What filling ``spec`` needs: field reports data entry, reference data the
    approval right; None when its records are not entered one by one (personal data)."""
    kind = kinds.get(spec.kind)
    if kind is None or kind.sensitivity is Sensitivity.PERSONAL:
        return None
    return Permission.EDIT if kind.workflow else Permission.APPROVE


def may_fill(principal: Principal, spec: FormSpec, kinds: Mapping[str, Kind]) -> bool:
    needed = needed_permission(spec, kinds)
    return needed is not None and allowed(principal, needed)


def require_fill(principal: Principal, spec: FormSpec, kinds: Mapping[str, Kind]) -> None:
    """Refuse (403) a submitter who may not fill ``spec``."""
    needed = needed_permission(spec, kinds) or Permission.ADMIN
    require(principal, needed, _("submit the form '{form}'").format(form=spec.form_id))


@dataclass(frozen=True)
class Submission:
    """What a client sent: the instance and its files (photos), and where from."""

    xml: bytes
    files: Mapping[str, bytes]
    #: ``openrosa``, or the export file the submission was read from.
    source: str = "openrosa"


@dataclass(frozen=True)
class Received:
    stored: StoredSubmission
    #: True when the same submission had been received before: nothing changed.
    again: bool


def form_of(forms: Sequence[BuiltForm], form_id: str) -> BuiltForm:
    """The served form ``form_id``."""
    for form in forms:
        if form.spec.form_id == form_id:
            return form
    raise NotFoundError(_("no form '{form}' is served here").format(form=form_id))


def check_version(store: Store, form: BuiltForm, version: str) -> None:
    """Refuse (409) a version of ``form`` this server never served: the current one and
    every one served before are taken (a team may fill an older version offline)."""
    if version == form.version:
        return
    with store.read() as connection:
        if was_served(connection, form.spec.form_id, version):
            return
    raise Conflict(
        _(
            "the submission is for version '{version}' of the form '{form}', "
            "which is now at version '{current}': download the form again"
        ).format(version=version, form=form.spec.form_id, current=form.version)
    )


def _check_size(submission: Submission) -> None:
    size = len(submission.xml) + sum(len(content) for content in submission.files.values())
    if size > MAX_SUBMISSION_BYTES:
        raise UploadTooLarge(
            _("the submission is larger than {size} MB, the most this server accepts").format(
                size=MAX_SUBMISSION_BYTES // MB
            )
        )


def _again(stored: StoredSubmission, submission: Submission, exported: bool) -> Received:
    """A submission received before: nothing changes (refused if its content differs)."""
    if not exported and stored.xml_sha256 != sha256_of(submission.xml):
        raise Conflict(
            _(
                "a different submission with the instanceID '{id}' was received "
                "before: an edited submission needs a new instanceID and the old "
                "one as its deprecatedID"
            ).format(id=stored.instance_id)
        )
    return Received(stored, again=True)


def receive(
    store: Store,
    forms: Sequence[BuiltForm],
    submission: Submission,
    editor: Editor,
    country: str,
    kinds: Mapping[str, Kind],
    *,
    exported: bool = False,
    now: datetime | None = None,
) -> Received:
    """Store ``submission`` and map it into drafts of ``editor`` (see the module).

    An ``exported`` submission (a row of a Kobo or ODK Central export) is not checked
    against the form's version (those servers number versions their own way), and one
    whose id was received before changes nothing even when a column differs (their
    exports add review notes and statuses as time goes by)."""
    now = now or datetime.now(UTC)
    _check_size(submission)
    head = read_instance(submission.xml)
    form = form_of(forms, head.form_id)
    if not exported:
        check_version(store, form, head.version)
    require_fill(editor.principal, form.spec, kinds)
    instance = read_instance(submission.xml, frozenset(repeat.name for repeat in form.spec.repeats))
    with store.write() as connection:
        stored = find_submission(connection, instance.instance_id)
        if stored is not None:
            return _again(stored, submission, exported)
        earlier: list[RecordRef] = []
        if instance.deprecated_id is not None:
            replaced = find_submission(connection, instance.deprecated_id)
            if replaced is not None:
                earlier = [RecordRef(r["kind"], r["key"]) for r in replaced.records]
        submission_id = store_submission(
            connection,
            instance_id=instance.instance_id,
            deprecated_id=instance.deprecated_id,
            form_id=form.spec.form_id,
            form_version=instance.version,
            submitter=editor.principal.name,
            source=submission.source,
            received_at=now,
            xml=submission.xml,
            files=submission.files,
        )
        if submission_id is None:
            stored = find_submission(connection, instance.instance_id)
            assert stored is not None
            return _again(stored, submission, exported)
        reader = editing_reader(connection, country, editor.principal, kinds)
        mapped = map_instance(reader, form.spec, instance, editor, country, now, earlier)
        record_outcome(
            connection,
            submission_id,
            mapped.state,
            [problem.to_json() for problem in mapped.problems],
            [ref.to_json() for ref in mapped.records],
        )
        received = find_submission(connection, instance.instance_id)
    assert received is not None
    return Received(received, again=False)
