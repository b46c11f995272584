"""Server-rendered pages: templates, the navigation each role sees, and who may open a page.

Who may open a page is decided by :func:`demine.domain.authorization.require`, like
every other refusal, and answered by :func:`refused` for page routes (those tagged
``PAGES``): an anonymous caller is sent to the login form (303, coming back
afterwards), a logged-in one is refused (403) with the reason, since logging in again
would not help. API routes answer the same :class:`~demine.errors.Forbidden` with JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment

from demine.domain.access import Permission, Principal, Role
from demine.domain.authorization import allowed, require
from demine.errors import Forbidden
from demine.i18n import LANGUAGE_NAMES, N_, _, current_locale
from demine.reports.templating import template_environment_for
from demine.web.access import caller

#: The menu: path, label and the permission that shows it.
NAVIGATION = (
    ("/", N_("Dashboard"), Permission.VIEW_PUBLIC),
    ("/bulletin", N_("Bulletin"), Permission.VIEW_OPERATIONAL),
    ("/entry", N_("Data entry"), Permission.EDIT),
    ("/forms", N_("Field forms"), Permission.EDIT),
    ("/review", N_("Review"), Permission.APPROVE),
    ("/import", N_("Import"), Permission.APPROVE),
    ("/users", N_("Users"), Permission.ADMIN),
    ("/audit", N_("Audit log"), Permission.ADMIN),
)
#: The tag of page routes: a refusal there answers with a page, not JSON.
PAGES = "Pages"


@functools.cache
def environment() -> Environment:
    """The page templates (built on first use, never at import)."""
    return template_environment_for(__file__)


def safe_next(target: str | None) -> str:
    """A local path to return to after logging in; anything else (``//host``, URLs) is ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def is_public(principal: Principal) -> bool:
    return principal.roles <= {Role.PUBLIC}


def needs(permission: Permission) -> Callable[[Request], Principal]:
    """A dependency letting through callers who hold ``permission`` (others: Forbidden)."""

    def check(request: Request) -> Principal:
        return require(caller(request), permission, _("open this page"))

    return check


def is_page(request: Request) -> bool:
    """Whether ``request`` went to a page route (rather than an API route)."""
    route = request.scope.get("route")
    return isinstance(route, APIRoute) and PAGES in route.tags


def refused(request: Request, error: Forbidden) -> Response:
    """Anonymous callers go to the login form; others are told why they may not enter."""
    if is_public(caller(request)):
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
    return render(
        request,
        "message.html.j2",
        _("Not allowed"),
        status=403,
        reason=_("Your role may not open this page."),
        detail=error.message,
    )


def render(
    request: Request,
    template: str,
    title: str,
    *,
    status: int = 200,
    words: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``template`` inside the common layout, with the caller's menu.

    ``words`` are the translated strings the page's script shows (handed over as JSON).
    """
    principal = caller(request)
    menu = [
        (path, _(label)) for path, label, permission in NAVIGATION if allowed(principal, permission)
    ]
    page = (
        environment()
        .get_template(template)
        .render(
            locale=current_locale(),
            title=title,
            principal=principal,
            anonymous=is_public(principal),
            menu=menu,
            current=request.url.path,
            # The page to come back to after choosing a language with the switcher.
            here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            languages=LANGUAGE_NAMES,
            words=dict(words or {}),
            **context,
        )
    )
    return HTMLResponse(page, status_code=status)
