"""Field submissions as stored: the raw instance, its files, and what mapping did.

A submission row is written before its instance is mapped, in the mapping's own
transaction, and brought up to date with the mapping's outcome at its end; a failure
anywhere leaves nothing of either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from demine.store import schema
from demine.store.attachments import media_type_of

_versions = schema.field_form_versions
_submissions = schema.field_submissions
_files = schema.field_submission_files


@dataclass(frozen=True)
class StoredSubmission:
    """A submission as stored (without its XML and files)."""

    id: int
    instance_id: str
    deprecated_id: str | None
    form_id: str
    form_version: str
    submitter: str
    source: str
    received_at: datetime
    xml_sha256: str
    state: str
    problems: list[dict[str, Any]]
    records: list[dict[str, str]]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _stored(row: Any) -> StoredSubmission:
    values = row._mapping
    return StoredSubmission(
        id=values["id"],
        instance_id=values["instance_id"],
        deprecated_id=values["deprecated_id"],
        form_id=values["form_id"],
        form_version=values["form_version"],
        submitter=values["submitter"],
        source=values["source"],
        received_at=values["received_at"],
        xml_sha256=values["xml_sha256"],
        state=values["state"],
        problems=list(values["problems"] or []),
        records=list(values["records"] or []),
    )


_COLUMNS = [c for c in _submissions.c if c.name not in ("xml",)]


def remember_versions(
    connection: Connection, versions: Sequence[tuple[str, str, str]], now: datetime
) -> None:
    """Remember each (form id, version, XForm) served, unless remembered already."""
    known = {
        (form_id, version)
        for form_id, version in connection.execute(
            select(_versions.c.form_id, _versions.c.version).where(
                _versions.c.form_id.in_(sorted({v[0] for v in versions}))
            )
        )
    }
    new = [v for v in versions if (v[0], v[1]) not in known]
    if new:
        connection.execute(
            insert(_versions),
            [
                {"form_id": form_id, "version": version, "xform": xform, "served_at": now}
                for form_id, version, xform in new
            ],
        )


def was_served(connection: Connection, form_id: str, version: str) -> bool:
    """Whether ``version`` of the form ``form_id`` was ever served."""
    found = connection.execute(
        select(_versions.c.id).where(
            (_versions.c.form_id == form_id) & (_versions.c.version == version)
        )
    ).first()
    return found is not None


def find_submission(connection: Connection, instance_id: str) -> StoredSubmission | None:
    """The submission stored under ``instance_id``, if any."""
    row = connection.execute(
        select(*_COLUMNS).where(_submissions.c.instance_id == instance_id)
    ).first()
    return None if row is None else _stored(row)


def submissions(connection: Connection, *, states: Sequence[str] = ()) -> list[StoredSubmission]:
    """Stored submissions, oldest first (only those in ``states`` when given)."""
    statement = select(*_COLUMNS).order_by(_submissions.c.id)
    if states:
        statement = statement.where(_submissions.c.state.in_(list(states)))
    return [_stored(row) for row in connection.execute(statement)]


def submission_xml(connection: Connection, instance_id: str) -> str | None:
    return connection.execute(
        select(_submissions.c.xml).where(_submissions.c.instance_id == instance_id)
    ).scalar()


def store_submission(
    connection: Connection,
    *,
    instance_id: str,
    deprecated_id: str | None,
    form_id: str,
    form_version: str,
    submitter: str,
    source: str,
    received_at: datetime,
    xml: bytes,
    files: Mapping[str, bytes],
) -> int | None:
    """Store a received submission (state ``received``) and its files; its row id, or
    None if a submission with its id was stored meanwhile."""
    try:
        # A savepoint: the same submission sent twice at once (a phone retrying) is
        # inserted by one request; the other finds it here once the first commits.
        with connection.begin_nested():
            inserted = connection.execute(
                insert(_submissions).values(
                    instance_id=instance_id,
                    deprecated_id=deprecated_id,
                    form_id=form_id,
                    form_version=form_version,
                    submitter=submitter,
                    source=source,
                    received_at=received_at,
                    xml=xml.decode("utf-8"),
                    xml_sha256=sha256_of(xml),
                    state="received",
                    problems=[],
                    records=[],
                )
            ).inserted_primary_key
    except IntegrityError:
        return None
    assert inserted is not None
    submission_id = inserted[0]
    if files:
        connection.execute(
            insert(_files),
            [
                {
                    "submission_id": submission_id,
                    "file_name": name,
                    "media_type": media_type_of(content),
                    "size": len(content),
                    "sha256": sha256_of(content),
                    "content": content,
                }
                for name, content in files.items()
            ],
        )
    return int(submission_id)


def record_outcome(
    connection: Connection,
    submission_id: int,
    state: str,
    problems: Sequence[Mapping[str, Any]],
    records: Sequence[Mapping[str, str]],
) -> None:
    """What mapping the submission did."""
    connection.execute(
        update(_submissions)
        .where(_submissions.c.id == submission_id)
        .values(state=state, problems=list(problems), records=list(records))
    )


@dataclass(frozen=True)
class StoredFile:
    file_name: str
    media_type: str
    size: int
    sha256: str


def submission_files(connection: Connection, instance_id: str) -> list[StoredFile]:
    """The files stored with a submission (without their bytes)."""
    rows = connection.execute(
        select(_files.c.file_name, _files.c.media_type, _files.c.size, _files.c.sha256)
        .join(_submissions, _submissions.c.id == _files.c.submission_id)
        .where(_submissions.c.instance_id == instance_id)
        .order_by(_files.c.file_name)
    )
    return [StoredFile(*row) for row in rows]


def problems_of_records(
    connection: Connection, refs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The mapping problems of each record in ``refs`` ((kind, key) pairs) as the newest
    submission that made it left them: its own, and those of child records that could
    not be made under it (keyed after it). Records without problems are left out."""
    wanted = set(refs)
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    rows = connection.execute(
        select(_submissions.c.records, _submissions.c.problems).order_by(_submissions.c.id)
    )
    for records, problems in rows:
        made = {(record["kind"], record["key"]) for record in records or []}
        for ref in made & wanted:
            found[ref] = [
                problem
                for problem in problems or []
                if (problem.get("kind"), problem.get("key")) == ref
                or (
                    (problem.get("kind"), problem.get("key")) not in made
                    and str(problem.get("key") or "").startswith(ref[1] + "-")
                )
            ]
    return {ref: problems for ref, problems in found.items() if problems}
