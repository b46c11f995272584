"""A web client on a store holding the sample register, with one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from tests.helpers import load_sample

from demine.settings import Settings
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.app import create_app

PASSWORD = "a long enough password"
#: Who acts in the web tests: user name, role, organisation.
ACCOUNTS = (
    ("vera", "viewer", None),
    ("dora", "data_entry", "ANAMA"),
    ("sami", "data_entry", "SAFE"),
    ("ines", "information_manager", None),
    ("adam", "administrator", None),
)
#: A user name per role, for matrices ("public" has no account).
BY_ROLE = {
    "public": "public",
    "viewer": "vera",
    "data_entry": "dora",
    "information_manager": "ines",
    "administrator": "adam",
}


@dataclass
class Web:
    client: TestClient
    headers: dict[str, dict[str, str]]
    store: Store

    def as_(self, who: str) -> dict[str, str]:
        return self.headers[who]


def web_on(store: Store, *, sample: bool = True) -> Web:
    """A client (redirects not followed) and bearer headers for every account."""
    if sample:
        load_sample(store)
    headers: dict[str, dict[str, str]] = {"public": {}}
    with store.write() as connection:
        for name, role, organisation in ACCOUNTS:
            # Without the sample there are no organisations to belong to.
            member_of = organisation if sample else None
            add_user(connection, name, PASSWORD, role, organisation=member_of)
            headers[name] = {"Authorization": f"Bearer {create_token(connection, name, 'test')}"}
    app = create_app(Settings(database_url="unused", country="AZ"), store)
    return Web(TestClient(app, follow_redirects=False), headers, store)


#: What the API answers beside a record's values (not sent back when changing it).
RECORD_STATE = ("review_status", "review_note", "version", "deleted")


def correct(web: Web, who: str, kind: str, key: str, **changes: Any) -> Response:
    """Change some values of a record through the REST API, as ``who`` (read, then
    write with the version read)."""
    read = web.client.get(f"/api/{kind}/{key}", headers=web.as_(who))
    body = {k: v for k, v in read.json().items() if k not in RECORD_STATE}
    return web.client.put(
        f"/api/{kind}/{key}",
        headers={**web.as_(who), "If-Match": read.headers["etag"]},
        json={**body, **changes},
    )
