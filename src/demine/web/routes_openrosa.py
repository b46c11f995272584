"""Demine as an OpenRosa server: ODK Collect's server URL is ``http://server/openrosa``.

Thin routes around :mod:`demine.web.openrosa` (the documents) and
:mod:`demine.submissions.receive` (the use case): the form list (the forms the caller
may fill), each form's XForm, media manifest and media files, and ``HEAD``/``POST
/openrosa/submission``. Callers authenticate with HTTP Basic — a Demine account's user
name and password, or any name and a device's API token as the password
(:mod:`demine.web.auth`). Forms are built from the register when asked
(``app.state.field_forms``), so a list that changed gives a new form version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from demine.domain.access import Principal
from demine.editing.service import Editor
from demine.errors import InvalidRequestError, NotFoundError
from demine.fieldforms.model import BuiltForm
from demine.i18n import _
from demine.submissions.catalogue import FormSource, remember_served
from demine.submissions.receive import (
    MAX_SUBMISSION_BYTES,
    Received,
    Submission,
    form_of,
    may_fill,
    receive,
    require_fill,
)
from demine.web import openrosa
from demine.web.auth import current_principal

router = APIRouter(prefix=openrosa.PREFIX, tags=["OpenRosa"], include_in_schema=False)
CallerPrincipal = Annotated[Principal, Depends(current_principal)]


#: The multipart part holding the instance, as ODK Collect names it.
INSTANCE_PART = "xml_submission_file"


def _answer(answer: openrosa.Answer) -> Response:
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=answer.all_headers(),
    )


def _forms(request: Request) -> Sequence[BuiltForm]:
    source: FormSource = request.app.state.field_forms
    return source(request.app.state.store, request.app.state.kinds, _country(request))


def _country(request: Request) -> str:
    return str(request.app.state.settings.country)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def fillable(request: Request, principal: Principal) -> list[BuiltForm]:
    """The forms ``principal`` may fill (the form list, and the browser's /forms page)."""
    kinds = request.app.state.kinds
    return [form for form in _forms(request) if may_fill(principal, form.spec, kinds)]


def served(request: Request, principal: Principal, form_id: str) -> BuiltForm:
    """The form ``form_id``, if ``principal`` may fill it (else NotFound or Forbidden)."""
    form = form_of(_forms(request), form_id)
    require_fill(principal, form.spec, request.app.state.kinds)
    return form


@router.get("/formList")
def form_list(
    request: Request,
    principal: CallerPrincipal,
    form_id: Annotated[str | None, Query(alias="formID")] = None,
) -> Response:
    """The forms the caller may fill (OpenRosa ``xformsList``; Enketo asks for one form
    with ``formID``)."""
    forms = [
        form
        for form in fillable(request, principal)
        if form_id is None or form.spec.form_id == form_id
    ]
    remember_served(request.app.state.store, forms)
    titles = {form.spec.form_id: _(form.spec.title) for form in forms}
    return _answer(openrosa.form_list(forms, _base(request), titles))


@router.get("/forms/{form_id}/form.xml")
def form_download(request: Request, principal: CallerPrincipal, form_id: str) -> Response:
    """The form's XForm."""
    form = served(request, principal, form_id)
    remember_served(request.app.state.store, [form])
    return _answer(openrosa.Answer(200, form.xform))


@router.get("/forms/{form_id}/manifest")
def form_manifest(request: Request, principal: CallerPrincipal, form_id: str) -> Response:
    """The form's media files (OpenRosa ``xformsManifest``)."""
    return _answer(openrosa.manifest(served(request, principal, form_id), _base(request)))


@router.get("/forms/{form_id}/media/{file_name}")
def form_media(
    request: Request, principal: CallerPrincipal, form_id: str, file_name: str
) -> Response:
    """One media file of the form (a choice list as CSV)."""
    media = served(request, principal, form_id).media
    if file_name not in media:
        raise NotFoundError(
            _("the form '{form}' has no file '{name}'").format(form=form_id, name=file_name)
        )
    return Response(
        media[file_name], media_type="text/csv", headers=openrosa.Answer(200, "").all_headers()
    )


_ACCEPT = {"X-OpenRosa-Accept-Content-Length": str(MAX_SUBMISSION_BYTES)}


@router.head("/submission", status_code=204)
def submission_check(principal: CallerPrincipal) -> Response:
    """What ODK Collect asks before it sends: may it, and how large at most."""
    return _answer(openrosa.Answer(204, "", _ACCEPT))


async def _parts(request: Request) -> Submission:
    form = await request.form(max_files=100, max_fields=100)
    instance: bytes | None = None
    files: dict[str, bytes] = {}
    for name, value in form.multi_items():
        if not isinstance(value, UploadFile):
            continue
        content = await value.read()
        if name == INSTANCE_PART:
            instance = content
        else:
            files[value.filename or name] = content
    if instance is None:
        raise InvalidRequestError(
            _("the submission has no '{part}' part").format(part=INSTANCE_PART)
        )
    return Submission(instance, files)


@router.post("/submission")
async def submission(request: Request, principal: CallerPrincipal) -> Response:
    """Receive a submission (multipart: ``xml_submission_file`` and its photos)."""
    sent = await _parts(request)
    user = getattr(request.state, "user", None)
    editor = Editor(principal, user.organisation if user is not None else None)
    received = await run_in_threadpool(_receive, request, sent, editor)
    if received.again:
        return _answer(
            openrosa.message(202, _("This submission was received before; nothing changed."))
        )
    return _answer(openrosa.message(201, _state_words(received.stored.state), headers=_ACCEPT))


def _receive(request: Request, sent: Submission, editor: Editor) -> Received:
    app = request.app
    return receive(
        app.state.store, _forms(request), sent, editor, _country(request), app.state.kinds
    )


def _state_words(state: str) -> str:
    words = {
        "mapped": _("Received: the report waits for review."),
        "problems": _(
            "Received: the report waits for review; some answers were refused and are "
            "shown to the reviewer."
        ),
        "rejected": _(
            "Received and kept, but no record could be made of it: the reviewer sees why."
        ),
    }
    return words.get(state, _("Received."))
