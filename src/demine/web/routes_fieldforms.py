"""The field forms filled in the browser with ODK Web Forms (the vendored bundle).

``/forms`` lists the forms the signed-in user may fill (the same filter as the OpenRosa
form list); ``/forms/{form_id}`` loads the form's XForm from ``/openrosa`` into ODK Web
Forms. The page's script posts each submission to ``/openrosa/submission`` with the
session cookie (the same-origin check of :mod:`demine.web.csrf` applies, as to every
change sent with the cookie) and keeps it in the browser (IndexedDB) until the server
has answered, so a report filled without a connection is sent when the server is
reachable again; a resend is harmless, the server keeps a submission once per
``instanceID``. ``/forms/offline.js`` is the service worker that keeps the pages and
their scripts for use offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from demine.domain.access import Permission, Principal
from demine.i18n import _
from demine.web.pages import PAGES, needs, render
from demine.web.routes_openrosa import fillable, served
from demine.web.security import content_security_policy

router = APIRouter(tags=[PAGES], include_in_schema=False)
Editor = Annotated[Principal, Depends(needs(Permission.EDIT))]

SERVICE_WORKER = Path(__file__).parent / "static" / "demine-offline.js"


def _words() -> dict[str, str]:
    """What the page's script says, in the reader's language."""
    return {
        "sending": _("Sending…"),
        "sent": _("Sent: {message}"),
        "queued": _(
            "The server cannot be reached: the report is kept in this browser and will be "
            "sent when the server is reachable again."
        ),
        "refused": _("The server refused the report: {message}"),
        "login": _("Your session has ended: log in again, then send the reports kept here."),
        "loadFailed": _("The form could not be loaded: {message}"),
        "nothingWaiting": _("No report waits to be sent from this browser."),
        "nothingSent": _("No report has been sent from this browser yet."),
        "sendAgain": _("Send again"),
        "discard": _("Discard"),
        "discardConfirm": _("Discard this report? It was not received by the server."),
        "savedAt": _("kept since {time}"),
        "sentAt": _("sent at {time}"),
        "offline": _("You are offline: reports are kept in this browser until you are back."),
        "noStorage": _(
            "This browser cannot keep reports (storage refused): stay online to submit."
        ),
    }


@router.get("/forms", response_class=HTMLResponse)
def forms_page(request: Request, principal: Editor) -> Response:
    """The field forms the caller may fill, and the reports kept in this browser."""
    forms = [(form.spec.form_id, _(form.spec.title)) for form in fillable(request, principal)]
    return render(
        request,
        "fieldforms.html.j2",
        _("Field forms"),
        forms=forms,
        user=principal.name,
        words=_words(),
    )


@router.get("/forms/offline.js")
def service_worker() -> Response:
    """The service worker keeping the forms' pages, scripts and XForms for offline use
    (scope ``/forms``: served from ``/forms/`` and allowed the list page too)."""
    return Response(
        SERVICE_WORKER.read_bytes(),
        media_type="text/javascript",
        headers={"Service-Worker-Allowed": "/forms", "Cache-Control": "no-cache"},
    )


@router.get("/forms/{form_id}", response_class=HTMLResponse)
def form_page(request: Request, principal: Editor, form_id: str) -> Response:
    """One field form in ODK Web Forms."""
    form = served(request, principal, form_id)
    title = _(form.spec.title)
    page = render(
        request,
        "fieldform.html.j2",
        title,
        form={
            "id": form.spec.form_id,
            "title": title,
            "version": form.version,
            "xml": f"/openrosa/forms/{form.spec.form_id}/form.xml",
            "media": f"/openrosa/forms/{form.spec.form_id}/media/",
            "submission": "/openrosa/submission",
        },
        user=principal.name,
        words=_words(),
    )
    page.headers["Content-Security-Policy"] = content_security_policy(odk_web_forms=True)
    return page
