"""The table of route → permission, applied before every route runs.

:func:`enforce` is a dependency of the whole application: it finds the declaration of
the route being called in :data:`demine.domain.permissions_table.WEB_ROUTES` and refuses,
through :func:`~demine.domain.authorization.require`, a caller lacking what it needs —
before the request's parameters and body are validated, so a refused caller learns
nothing from the answer (the body has been received, though: size limits are the
server's). A route declared nowhere is refused to everyone. Concealed routes (a collection or an
import job the caller may not see) answer 404 themselves, in their own format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, Route

from demine.domain.authorization import require
from demine.domain.kinds import KINDS
from demine.domain.permissions_table import WEB_ROUTES
from demine.domain.route_access import Access, ByParameter, Rule
from demine.errors import Forbidden
from demine.i18n import _
from demine.web.access import caller

#: A route as the table names it: method and path template.
RouteKey = tuple[str, str]


def served_routes(app: FastAPI) -> Iterator[tuple[RouteKey, Callable[..., Any] | None]]:
    """Every (method, path) ``app`` answers, with the endpoint of its API routes.

    ``HEAD`` beside ``GET`` is left out (it answers as ``GET`` does); a mount is named
    by its path with ``{path}``.
    """
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount):
            yield ("GET", str(context.path_format)), None
        elif isinstance(route, APIRoute | Route):
            methods = set(context.methods or ())
            if "GET" in methods:
                methods.discard("HEAD")
            endpoint = context.endpoint if isinstance(route, APIRoute) else None
            for method in sorted(methods):
                yield (method, str(context.path)), endpoint


Rules = dict[tuple[Callable[..., Any], str], tuple[RouteKey, Rule | None]]


def _rules(app: FastAPI) -> Rules:
    """The declaration of each API route of ``app``, by endpoint and method (built once)."""
    rules: Rules | None = getattr(app.state, "route_rules", None)
    if rules is None:
        rules = {
            (endpoint, key[0]): (key, WEB_ROUTES.get(key))
            for key, endpoint in served_routes(app)
            if endpoint is not None
        }
        app.state.route_rules = rules
    return rules


def access_of(rule: Rule, path_params: dict[str, Any]) -> Access:
    """The access a call needs, given its path parameters."""
    if isinstance(rule, ByParameter):
        return rule.access_for(path_params.get(rule.parameter))
    return rule


def enforce(request: Request) -> None:
    """Refuse the caller unless the route's declaration lets them through."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    key, rule = _rules(request.app).get(
        (route.endpoint, request.method), ((request.method, route.path), None)
    )
    if rule is None:
        raise Forbidden(
            _(
                "{method} {path} has no declared permission "
                "(demine.domain.permissions_table), so it is refused to everyone"
            ).format(method=key[0], path=key[1])
        )
    access = access_of(rule, dict(request.path_params))
    if access.concealed or access.needs is None:
        return
    refused = KINDS[access.of_kind] if access.of_kind else _(access.action)
    require(caller(request), access.needs, refused)
