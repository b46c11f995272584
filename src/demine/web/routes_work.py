"""Pages for people who change the register: data entry, review, import, user accounts.

The pages only render forms and lists; saving goes through the REST API (from the page's
script), so a page can do nothing the API would not let the same person do.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from demine.domain.access import Permission, Principal, Role
from demine.domain.authorization import allowed
from demine.domain.jobs import Job, JobState, sees_every_job
from demine.domain.kinds import KINDS
from demine.domain.permissions_table import FIELD_REPORT_KINDS, REFERENCE_KINDS
from demine.domain.workflow import Ownership, ReviewStatus, WorkflowError, check_edit
from demine.editing.drafts import QUEUE_LIMIT, finds_of_activity, own_drafts, review_queue
from demine.editing.service import StoredRecord, get_record
from demine.errors import NotFoundError
from demine.i18n import N_, _
from demine.ingest.specs import SPECS
from demine.jobs.imports import IMPORT
from demine.jobs.runner import JobRunner
from demine.store.news_items import StoredNewsItem, news_items
from demine.store.reader import RegisterReader
from demine.store.records_edit import editing_reader
from demine.store.submissions import problems_of_records, submissions
from demine.store.users import list_users
from demine.web.entry_form import choices_for, form_fields, geometry_words
from demine.web.pages import needs, render
from demine.web.routes_api import Kind

#: The roles an account may be given, as the users page names them.
ROLE_NAMES = {
    Role.VIEWER: N_("Viewer"),
    Role.DATA_ENTRY: N_("Data entry"),
    Role.INFORMATION_MANAGER: N_("Information manager"),
    Role.ADMINISTRATOR: N_("Administrator"),
}

router = APIRouter(tags=["Pages"], include_in_schema=False)


def _organisation(request: Request) -> str | None:
    user = getattr(request.state, "user", None)
    return user.organisation if user is not None else None


def _country(request: Request) -> str:
    return str(request.app.state.settings.country)


def _entry_words() -> dict[str, str]:
    return {
        "saved": _("Saved as a draft. Nothing counts until it is approved."),
        "stored": _("Saved."),
        "submitted": _("Submitted for review."),
        "fix": _("Nothing more was saved: correct the marked fields."),
        "changed": _("Someone changed this report meanwhile: reload the page."),
        "failed": _("Saving failed."),
        "remove": _("Remove"),
        "find": _("Find"),
        **geometry_words(),
    }


def _editable(request: Request, principal: Principal, record: StoredRecord) -> str | None:
    """Why ``principal`` may not change ``record`` in the form, or None. A record without
    an organisation belongs to whoever created it: the REST API checks that on saving."""
    status = ReviewStatus(record.status or ReviewStatus.APPROVED)
    organisation = _organisation(request)
    try:
        check_edit(
            principal,
            organisation,
            Ownership(record.values.get("organisation", organisation), status),
        )
    except WorkflowError as error:
        return str(error)
    return None


#: Kinds of report the data-entry page takes: every field-report kind; a find is entered
#: with the activity it was made in.
ENTRY_KINDS = tuple(name for name in FIELD_REPORT_KINDS if name != "finds")


def entry_kinds(principal: Principal) -> tuple[str, ...]:
    """The kinds ``principal`` enters on the page: field reports, and for information
    managers the reference data they keep too (tasks, accreditations, projects …)."""
    if allowed(principal, Permission.APPROVE):
        return (*ENTRY_KINDS, *REFERENCE_KINDS)
    return ENTRY_KINDS


@router.get("/entry", response_class=HTMLResponse)
def entry(
    request: Request,
    principal: Annotated[Principal, Depends(needs(Permission.EDIT))],
    activity: str | None = None,
    kind: str = "activities",
    key: str | None = None,
) -> Response:
    offered = entry_kinds(principal)
    if kind not in offered:
        if kind in REFERENCE_KINDS:
            return render(request, "message.html.j2", _("Data entry"), status=403,
                          reason=_("only information managers enter {kind}").format(
                              kind=_(KINDS[kind].title)))  # fmt: skip
        return render(request, "message.html.j2", _("Data entry"), status=404,
                      reason=_("no report kind '{kind}'").format(kind=kind))  # fmt: skip
    organisation = None if allowed(principal, Permission.APPROVE) else _organisation(request)
    loaded: dict[str, Any] | None = None
    with request.app.state.store.read() as connection:
        options = choices_for(RegisterReader(connection, _country(request)), organisation)
        reader = editing_reader(connection, _country(request), principal, request.app.state.kinds)
        drafts = own_drafts(reader, kind, principal) if KINDS[kind].workflow else []
        wanted = activity if kind == "activities" else key
        if wanted:
            try:
                record, finds = (
                    finds_of_activity(reader, wanted, principal)
                    if kind == "activities"
                    else (get_record(reader, kind, wanted, principal), [])
                )
            except NotFoundError as error:
                return render(request, "message.html.j2", _("Data entry"), status=404,
                              reason=error.message)  # fmt: skip
            reason = _editable(request, principal, record)
            if reason is not None:
                return render(request, "message.html.j2", _("Data entry"), status=403,
                              reason=reason)  # fmt: skip
            loaded = {"activity": record.to_json(), "finds": [f.to_json() for f in finds]}
    fields = (options["districts"], options["organisations"])
    return render(
        request,
        "entry.html.j2",
        _("Data entry"),
        kind=kind,
        kind_title=_(KINDS[kind].title),
        entry_kinds=[(name, _(KINDS[name].title)) for name in offered],
        reviewed=KINDS[kind].workflow,
        spatial=KINDS[kind].spatial,
        geometry_types=KINDS[kind].geometry,
        extent=options["extent"],
        record_fields=form_fields(
            kind, *fields, request.app.state.kinds, district_labels=options["district_labels"]
        ),
        find_fields=form_fields(
            "finds", *fields, request.app.state.kinds, district_labels=options["district_labels"]
        ),
        drafts=drafts,
        loaded=loaded,
        default_organisation=organisation or "",
        words=_entry_words(),
    )


def _summary(reader: RegisterReader, kind: str, record: StoredRecord) -> list[tuple[str, Any]]:
    """The record's filled columns after its key, as the import file names them."""
    names = [field.name for field in reader.kinds[kind].fields[1:]]
    return [
        (name, record.values[name])
        for name in names
        if record.values.get(name) not in (None, "", [])
    ]


@router.get("/review", response_class=HTMLResponse)
def review(
    request: Request, principal: Annotated[Principal, Depends(needs(Permission.APPROVE))]
) -> Response:
    with request.app.state.store.read() as connection:
        reader = editing_reader(connection, _country(request), principal, request.app.state.kinds)
        queue = review_queue(reader, principal)
        waiting = [(kind, record.key) for kind, records in queue.items() for record in records]
        flagged = problems_of_records(connection, waiting)
        unmapped = submissions(connection, states=("rejected",))[-QUEUE_LIMIT:]
        read_items = news_items(connection, _country(request), ReviewStatus.SUBMITTED,
                                limit=QUEUE_LIMIT)  # fmt: skip
    sections = [
        (
            kind,
            _(KINDS[kind].title),
            [(record, _summary(reader, kind, record)) for record in records],
        )
        for kind, records in queue.items()
    ]
    words = {
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "reasonNeeded": _("A rejection needs its reason."),
        "failed": _("The action failed."),
    }
    return render(
        request, "review.html.j2", _("Review"), sections=sections, words=words,
        flagged={f"{kind}/{key}": problems for (kind, key), problems in flagged.items()},
        unmapped=unmapped, read_items=[(item, _read_period(item)) for item in read_items],
    )  # fmt: skip


def _read_period(item: StoredNewsItem) -> str:
    """The item's period as read (``2024-07-01 – 2024-07-07``), or that it was not read."""
    values = item.read_values()
    start, end = values.get("period_start"), values.get("period_end")
    if start is None and end is None:
        return _("period not read")
    return f"{start or '?'} – {end or '?'}"


def _job_state(job: Job) -> str:
    """How an import job stands, in words."""
    if job.state is JobState.SUCCEEDED and job.parameters.get("dry_run"):
        return _("Checked (dry run: nothing was written)")
    words = {
        JobState.QUEUED: _("Waiting"),
        JobState.RUNNING: _("Running"),
        JobState.SUCCEEDED: _("Imported"),
        JobState.FAILED: _("Failed: nothing was written"),
        JobState.INTERRUPTED: _("Interrupted: nothing was written"),
    }
    return words[job.state]


def _recent_imports(request: Request, principal: Principal) -> list[dict[str, Any]]:
    runner = request.app.state.jobs
    assert isinstance(runner, JobRunner)
    owner = None if sees_every_job(principal) else principal.name
    return [
        {
            "created": job.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            "owner": job.owner,
            "kind": job.parameters.get("kind"),
            "file_name": job.file_name,
            "state": _job_state(job),
            "explanation": job.explanation(),
            "rows": f"{job.done}/{job.total}" if job.total else "",
        }
        for job in runner.recent(IMPORT, owner=owner)
    ]


@router.get("/import", response_class=HTMLResponse)
def import_page(
    request: Request, principal: Annotated[Principal, Depends(needs(Permission.APPROVE))]
) -> Response:
    kinds = [(kind.value, _(KINDS[kind.value].title), _(SPECS[kind.value].help)) for kind in Kind]
    words = {
        "queued": _("Waiting for an earlier import to finish…"),
        "running": _("Reading and checking rows…"),
        "done": _("Import finished."),
        "dryRun": _("Dry run: nothing was written."),
        "failed": _("Nothing was written."),
        "interrupted": _("Interrupted: the server stopped during the import."),
        "rows": _("Rows"),
        "inserted": _("New records"),
        "updated": _("Changed records"),
        "unchanged": _("Unchanged records"),
        "file": _("File"),
        "row": _("Row"),
        "field": _("Field"),
        "reason": _("Problem"),
        "chooseFile": _("Choose a file first."),
    }
    recent = _recent_imports(request, principal)
    return render(request, "import.html.j2", _("Import"), kinds=kinds, words=words, recent=recent)


@router.get("/users", response_class=HTMLResponse)
def users_page(
    request: Request, principal: Annotated[Principal, Depends(needs(Permission.ADMIN))]
) -> Response:
    with request.app.state.store.read() as connection:
        users = list_users(connection)
        organisations = choices_for(RegisterReader(connection, _country(request)), None)[
            "organisations"
        ]
    roles = [(role.value, _(ROLE_NAMES[role])) for role in ROLE_NAMES]
    words = {
        "failed": _("The change failed."),
        "disable": _("Disable"),
        "enable": _("Enable"),
    }
    return render(
        request, "users.html.j2", _("Users"), users=users, roles=roles,
        organisations=organisations, me=principal.name, words=words,
        role_names={role.value: _(name) for role, name in ROLE_NAMES.items()},
    )  # fmt: skip
