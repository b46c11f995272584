"""Who a command acts as: the operator's login name and the roles they state.

The command line trusts the local operator (whoever can run it can read the database
file); the roles stated with ``--as-role`` decide what the use cases allow, exactly as a
web account's roles do.
"""

from __future__ import annotations

import getpass

from demine.domain.access import Principal, Role, parse_role
from demine.errors import InvalidRequestError


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "local-operator"


def cli_principal(roles: list[str] | None, user: str | None) -> Principal:
    """The principal a command runs as: the operator's name and their stated roles."""
    try:
        chosen = [parse_role(text) for text in roles] if roles else [Role.VIEWER]
    except ValueError as exc:
        raise InvalidRequestError(f"--as-role: {exc}") from exc
    return Principal.of(user or _operator(), *chosen)
