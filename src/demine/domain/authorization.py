"""Authorisation in one place: :func:`require` decides whether a principal may act.

Use cases call it themselves (never only the web or CLI layer in front of them), so
a command, a page and an API route refuse the same things with the same
:class:`~demine.errors.Forbidden` error and message.
"""

from __future__ import annotations

from demine.domain.access import Permission, Principal
from demine.domain.kinds import Kind
from demine.errors import Forbidden
from demine.i18n import _


def allowed(principal: Principal | None, permission: Permission) -> bool:
    """Whether ``principal`` holds ``permission`` (an absent principal holds none)."""
    return principal is not None and principal.can(permission)


def require(
    principal: Principal | None, permission: Permission, obj: str | Kind | None = None
) -> Principal:
    """``principal``, if it holds ``permission``; otherwise :class:`Forbidden`.

    ``obj`` says what was refused: an action in words ("approve reports") or a kind
    of record (reading it).
    """
    if principal is not None and principal.can(permission):
        return principal
    who = principal.describe() if principal is not None else _("an anonymous user")
    if isinstance(obj, Kind):
        action = _("read {kind}").format(kind=obj.title.lower())
    else:
        action = obj or _("do this")
    raise Forbidden(
        _("{who} may not {action}: it needs the '{permission}' permission.").format(
            who=who, action=action, permission=permission.value
        )
    )


def require_kind_read(principal: Principal | None, kind: Kind) -> Principal:
    """Refuse unless ``principal`` may read the records of ``kind``."""
    return require(principal, kind.read_permission, kind)
