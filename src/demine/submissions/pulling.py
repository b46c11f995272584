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
from demine.submissions.receive import Submission, form_of, receive, require_fill
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
    if _received_before(store, read_instance(xml).instance_id):
        return "again"  # its files are not fetched again
    submission = Submission(xml, item.files(), source=remote.source[:400])
    received = receive(
        store, forms, submission, editor, country, kinds, exported=True, now=now
    )  # fmt: skip
    return "again" if received.again else received.stored.state
