"""How a web route or a command says who may use it, and what each role gets from it.

A declaration is an :class:`Access` (what everyone calling it needs) or a
:class:`ByParameter` (the access depends on a path parameter or an argument: the kind of
record, the map layer, the review action). The declarations themselves are in
:mod:`demine.domain.permissions_table`; :func:`verdict` turns one into the answer a role
gets: allowed, refused, or filtered (allowed, with part of the answer withheld).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from demine.domain.access import Permission, Principal, Role


class Verdict(StrEnum):
    """What a role gets from a route or command."""

    ALLOWED = "allowed"
    #: 401/403 (pages: anonymous callers are sent to the login form); 404 when concealed.
    REFUSED = "refused"
    #: Allowed, but part of the answer (or some of the records) only with a permission.
    FILTERED = "filtered"


@dataclass(frozen=True)
class Narrowing:
    """Part of an answer withheld from those who lack ``unless``."""

    unless: Permission
    #: What the others do not get (or may not change), in words for the documentation.
    withheld: str


@dataclass(frozen=True)
class Access:
    """What calling a route or command needs."""

    #: The permission needed (None: anyone, even without an account).
    needs: Permission | None = None
    #: What is refused, in the refusal's words ("{who} may not {action}"); an English
    #: message id, translated when the refusal is raised.
    action: str = "do this"
    #: The refusal names this kind of record (``read hazard records``) instead of ``action``.
    of_kind: str | None = None
    narrowed: tuple[Narrowing, ...] = ()
    #: Refused as "not found" (404), without saying that the thing exists; the route
    #: itself answers so, in its own format (OGC API exceptions, import jobs).
    concealed: bool = False
    #: A command run by the local operator without any role being asked: whoever may
    #: open the database file may run it (command line only).
    operator: bool = False


#: Values of a parameter, and the access they need.
Choice = tuple[tuple[str, ...], Access]


@dataclass(frozen=True)
class ByParameter:
    """An access depending on the value of one parameter of the route or command."""

    parameter: str
    #: Values and the access they need, in the order the documentation lists them.
    choices: tuple[Choice, ...]
    #: Any other value: the route or command refuses it itself (404, 422).
    otherwise: Access

    def access_for(self, value: object) -> Access:
        for values, access in self.choices:
            if value in values:
                return access
        return self.otherwise


Rule = Access | ByParameter

#: The columns of the matrix and who each stands for. The victim-data grant is held
#: beside an ordinary role; the matrix gives it to a viewer, so that its column differs
#: from the viewer's by the grant alone.
MATRIX_ROLES: Mapping[str, Principal] = {
    "anonymous": Principal.of("anonymous", Role.PUBLIC),
    "viewer": Principal.of("viewer", Role.VIEWER),
    "data entry": Principal.of("data entry", Role.DATA_ENTRY),
    "information manager": Principal.of("information manager", Role.INFORMATION_MANAGER),
    "administrator": Principal.of("administrator", Role.ADMINISTRATOR),
    "victim-data grant": Principal.of("victim-data grant", Role.VIEWER, Role.VICTIM_DATA),
}


def verdict(access: Access, principal: Principal) -> Verdict:
    """What ``principal`` gets from a route or command declared with ``access``."""
    if access.needs is not None and not principal.can(access.needs):
        return Verdict.REFUSED
    if any(not principal.can(narrowing.unless) for narrowing in access.narrowed):
        return Verdict.FILTERED
    return Verdict.ALLOWED
