"""Who may do what: roles, the permissions they carry, and the acting principal.

Victim identifiers are health data. No role opens them by itself, not even
``administrator``: the ``victim_data`` grant must be given on purpose, and every read is
logged (see :mod:`demine.store.protected`). Until user accounts exist, the command line
trusts the local operator's ``--as-role``; the web layer will build principals from
logged-in users.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    """What an action needs."""

    #: Aggregates with small counts suppressed: anyone, even without an account.
    VIEW_PUBLIC = "view_public"
    #: The operational register: hazards, activities, finds, accidents, victim records.
    VIEW_OPERATIONAL = "view_operational"
    #: Victims' personal data (names, documents, contacts, medical notes).
    VICTIM_DATA = "victim_data"
    EDIT = "edit"
    APPROVE = "approve"
    ADMIN = "admin"


class Role(StrEnum):
    """A set of permissions given to a person (a principal may hold several)."""

    ADMINISTRATOR = "administrator"
    INFORMATION_MANAGER = "information_manager"
    DATA_ENTRY = "data_entry"
    VIEWER = "viewer"
    PUBLIC = "public"
    #: The victim-data grant, held beside an ordinary role by those who need it.
    VICTIM_DATA = "victim_data"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        {
            Permission.VIEW_PUBLIC,
            Permission.VIEW_OPERATIONAL,
            Permission.EDIT,
            Permission.APPROVE,
            Permission.ADMIN,
        }
    ),
    Role.INFORMATION_MANAGER: frozenset(
        {Permission.VIEW_PUBLIC, Permission.VIEW_OPERATIONAL, Permission.EDIT, Permission.APPROVE}
    ),
    Role.DATA_ENTRY: frozenset(
        {Permission.VIEW_PUBLIC, Permission.VIEW_OPERATIONAL, Permission.EDIT}
    ),
    Role.VIEWER: frozenset({Permission.VIEW_PUBLIC, Permission.VIEW_OPERATIONAL}),
    Role.PUBLIC: frozenset({Permission.VIEW_PUBLIC}),
    Role.VICTIM_DATA: frozenset({Permission.VICTIM_DATA}),
}


@dataclass(frozen=True)
class Principal:
    """Someone acting: a name for the access log and the roles they hold."""

    name: str
    roles: frozenset[Role]

    @classmethod
    def of(cls, name: str, *roles: Role) -> Principal:
        return cls(name, frozenset(roles))

    @functools.cached_property
    def permissions(self) -> frozenset[Permission]:
        # Asked for every row a reader shows: worked out once per principal.
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def describe(self) -> str:
        """``name (role, role)``, as the access log records the actor."""
        roles = ", ".join(sorted(role.value for role in self.roles)) or "no role"
        return f"{self.name} ({roles})"


def parse_role(text: str) -> Role:
    """The role named ``text`` (``information_manager`` or ``information-manager``)."""
    key = text.strip().casefold().replace("-", "_").replace(" ", "_")
    for role in Role:
        if role.value == key:
            return role
    accepted = ", ".join(role.value for role in Role)
    raise ValueError(f"unknown role '{text}' (accepted: {accepted})")
