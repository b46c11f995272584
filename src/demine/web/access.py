"""Who is calling over the web: the caller's principal.

Requests without a login act as the public: district-level aggregates only — no hazard
polygons, no minefield records, no victim records (IMAS data protection; minefield
locations are security-sensitive). What each permission opens is decided by
:func:`demine.domain.authorization.require` and the registry of kinds.
"""

from __future__ import annotations

from fastapi import Request

from demine.domain.access import Principal, Role

PUBLIC = Principal.of("public", Role.PUBLIC)


def caller(request: Request) -> Principal:
    """Whoever is calling (set by the authentication layer; otherwise the public)."""
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else PUBLIC
