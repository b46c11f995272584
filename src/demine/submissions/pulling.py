"""``demine forms pull``: the submissions of a form on ODK Central or KoboToolbox,
received one by one as OpenRosa submissions are.

Each submission is fetched whole (instance and files) before it is received, and
received in one transaction (stored raw, mapped into drafts, idempotent on its
``instanceID``), so a pull that stops half-way — the server gone, a file missing —
leaves every submission either received whole or not at all; pulling again fetches the
files of the new submissions only, and changes nothing for those received before. An
edited submission (ODK Central keeps the edit with a ``deprecatedID``) updates the
records the earlier one made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from demine.domain.kinds import Kind
from demine.editing.service import Editor
from demine.errors import AuthenticationError, DemineError, Problem, RemoteServerError
from demine.fieldforms.model import BuiltForm
from demine.store.engine import Store
from demine.store.submissions import find_submission
from demine.submissions.importing import SubmissionsImported
from demine.submissions.instance import read_instance
from demine.submissions.receive import Received, Submission, form_of, receive, require_fill
from demine.submissions.remote import RemoteForm, RemoteSubmission


def _received_before(store: Store, instance_id: str) -> bool:
    with store.read() as connection:
        return find_submission(connection, instance_id) is not None


def pull_submissions(
    store: Store,
    forms: Sequence[BuiltForm],
    remote: RemoteForm,
    form_id: str,
    editor: Editor,
    country: str,
    kinds: Mapping[str, Kind],
    *,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> SubmissionsImported:
    """Receive every submission of ``remote`` as submissions of Demine's form ``form_id``.

    A login the server refuses, an unknown form there or a server that stops answering
    ends the pull with its error (what was received stays); a submission Demine refuses
    (malformed, another form, an id reused for other content) is reported and skipped.
    The form version is not checked: those servers number versions their own way."""
    form = form_of(forms, form_id)
    require_fill(editor.principal, form.spec, kinds)
    report = SubmissionsImported(remote.source)
    listed = remote.submissions(form.spec)
    for done, item in enumerate(listed, start=1):
        try:
            outcome = _pull_one(store, forms, remote, item, editor, country, kinds, now)
        except (AuthenticationError, RemoteServerError):
            raise
        except DemineError as error:
            report.refused.append(Problem(item.name, None, None, error.message))
        else:
            report.outcomes[outcome] += 1
        if progress is not None:
            progress(done, len(listed))
    return report


def _pull_one(
    store: Store,
    forms: Sequence[BuiltForm],
    remote: RemoteForm,
    item: RemoteSubmission,
    editor: Editor,
    country: str,
    kinds: Mapping[str, Kind],
    now: datetime | None,
) -> str:
    """What receiving ``item`` did: ``again``, or the state of the new submission."""
    xml = item.instance()
    head = read_instance(xml)
    if _received_before(store, head.instance_id):
        return "again"  # its files are not fetched again
    replaced = head.deprecated_id
    if replaced and item.earlier is not None and not _received_before(store, replaced):
        # Edited more than once since the last pull (or before the first): the versions
        # in between are received first, so the edit updates the records they made.
        for version in item.earlier():
            earlier_xml = version.instance()
            if not _received_before(store, read_instance(earlier_xml).instance_id):
                _receive(store, forms, remote, version, editor, country, kinds, now, earlier_xml)
    received = _receive(store, forms, remote, item, editor, country, kinds, now, xml)
    return "again" if received.again else received.stored.state


def _receive(
    store: Store,
    forms: Sequence[BuiltForm],
    remote: RemoteForm,
    item: RemoteSubmission,
    editor: Editor,
    country: str,
    kinds: Mapping[str, Kind],
    now: datetime | None,
    xml: bytes | None = None,
) -> Received:
    submission = Submission(xml or item.instance(), item.files(), source=remote.source[:400])
    return receive(store, forms, submission, editor, country, kinds, exported=True, now=now)
