"""``demine import submissions``: an export's rows received one by one as submissions.

Each row is its own submission (stored raw, mapped, idempotent on its instance id), so
importing the same export again changes nothing and a later export of the same project
adds only the new submissions. A row that is refused (no instance id, malformed, an id
reused for other content) is reported with its line and stores nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from demine.domain.kinds import Kind
from demine.editing.service import Editor
from demine.errors import DemineError, Problem
from demine.fieldforms.model import BuiltForm
from demine.i18n import _
from demine.store.engine import Store
from demine.submissions.exports import read_export
from demine.submissions.receive import Submission, form_of, receive, require_fill


@dataclass
class SubmissionsImported:
    """What importing an export did: submissions by outcome, and the rows refused."""

    file_name: str
    #: ``mapped``, ``problems``, ``rejected`` (stored, no record made), ``again``.
    outcomes: Counter[str] = field(default_factory=Counter)
    refused: list[Problem] = field(default_factory=list)


def import_submissions(
    store: Store,
    forms: Sequence[BuiltForm],
    path: Path,
    form_id: str,
    editor: Editor,
    country: str,
    kinds: Mapping[str, Kind],
    now: datetime | None = None,
) -> SubmissionsImported:
    """Receive every submission of the export ``path`` of the form ``form_id``. The form
    version is not checked: Kobo and ODK Central number versions their own way."""
    form = form_of(forms, form_id)
    require_fill(editor.principal, form.spec, kinds)
    report = SubmissionsImported(path.name)
    for row in read_export(path, form.spec):
        if row.instance_id is None:
            report.refused.append(
                Problem(path.name, row.line, "_uuid", _("the row has no submission id"))
            )
            continue
        try:
            received = receive(
                store, forms, Submission(row.xml, {}, source=path.name), editor, country,
                kinds, exported=True, now=now,
            )  # fmt: skip
        except DemineError as error:
            report.refused.append(Problem(path.name, row.line, None, error.message))
            continue
        report.outcomes["again" if received.again else received.stored.state] += 1
    return report
