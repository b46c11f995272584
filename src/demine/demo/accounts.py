"""Demo web accounts, one per role, so that the demo can be tried in a browser at once.

They exist only in a database built by ``demine serve --demo``; their shared password is
printed at start. Never use them on a real register.
"""

from __future__ import annotations

from sqlalchemy import Connection

from demine.errors import InvalidRequestError
from demine.store.users import add_user

DEMO_PASSWORD = "demine-demo-password"

#: user name, role, organisation code, victim-data grant
DEMO_ACCOUNTS = (
    ("admin", "administrator", None, False),
    ("manager", "information_manager", None, True),
    ("clerk", "data_entry", "ANAMA", False),
    ("viewer", "viewer", None, False),
)


def ensure_demo_accounts(connection: Connection) -> list[str]:
    """Create the demo accounts that do not exist yet; return the names created."""
    created = []
    for username, role, organisation, victim_data in DEMO_ACCOUNTS:
        try:
            add_user(
                connection, username, DEMO_PASSWORD, role,
                organisation=organisation, victim_data=victim_data,
                display_name=f"Demo {role.replace('_', ' ')}",
            )  # fmt: skip
        except InvalidRequestError:
            continue  # already there
        created.append(username)
    return created
