"""Demo web accounts, one per role, so that the demo can be tried in a browser at once.

They exist only in a database built by ``demine serve --demo``; their shared password is
printed at start. Never use them on a real register.
"""

from __future__ import annotations

from demine.errors import InvalidRequestError, NotFoundError
from demine.store.engine import Connection
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
    """Create the demo accounts that do not exist yet; return the names of all there.

    An account of an organisation the register does not hold (a register that is not
    the demo's) is left out.
    """
    present = []
    for username, role, organisation, victim_data in DEMO_ACCOUNTS:
        try:
            add_user(
                connection, username, DEMO_PASSWORD, role,
                organisation=organisation, victim_data=victim_data,
                display_name=f"Demo {role.replace('_', ' ')}",
            )  # fmt: skip
        except InvalidRequestError:
            pass  # already there
        except NotFoundError:
            continue  # no such organisation here
        present.append(username)
    return present
