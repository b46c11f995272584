"""Logging in: passwords, throttling, disabled accounts, API tokens, append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError

from demine.errors import InvalidRequestError
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store
from demine.store.users import add_user, create_token, set_disabled
from demine.web.app import create_app

PASSWORD = "a long enough password"


@pytest.fixture
def client(store: Store) -> TestClient:
    with store.write() as connection:
        add_user(connection, "ines", PASSWORD, "information_manager", victim_data=True)
        add_user(connection, "vera", PASSWORD, "viewer")
    return TestClient(create_app(Settings(database_url="unused"), store))


def test_login_sets_a_session_and_me_reports_the_roles(client: TestClient) -> None:
    assert client.get("/api/me").json() == {"name": "public", "roles": ["public"]}
    response = client.post("/login", data={"username": "ines", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/me").json() == {
        "name": "ines",
        "roles": ["information_manager", "victim_data"],
    }


def test_passwords_are_hashed_with_argon2id_at_the_application_cost(
    store: Store, production_hashes: PasswordHasher
) -> None:
    """The suite hashes at Argon2's smallest cost (tests/conftest.py); the application
    hashes at argon2-cffi's own: 64 MiB, 3 passes, 4 lanes."""
    with store.write() as connection:
        add_user(connection, "ines", PASSWORD, "information_manager")
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    client = TestClient(create_app(Settings(database_url="unused"), store))
    assert client.post("/login", data={"username": "ines", "password": "wrong"}).status_code == 401
    assert client.post("/login", data={"username": "ines", "password": PASSWORD}).status_code == 200
    assert production_hashes.verify(stored, PASSWORD)


def test_wrong_password_and_throttling(client: TestClient, store: Store) -> None:
    for _ in range(3):
        response = client.post("/login", data={"username": "vera", "password": "wrong"})
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"
    # Three more failures from this address just now: the next attempt waits 2**3 s, and
    # until then not even the right password is checked.
    with store.write() as connection:
        for _ in range(3):
            connection.execute(
                insert(schema.login_attempts).values(
                    username="vera", address="testclient", at=datetime.now(UTC), succeeded=False
                )
            )
    blocked = client.post("/login", data={"username": "vera", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "8"
    assert blocked.json() == {
        "code": "too_many_attempts",
        "message": "too many failed logins; try again in 8 seconds",
    }


def test_disabled_account_ends_sessions_and_tokens(client: TestClient, store: Store) -> None:
    client.post("/login", data={"username": "vera", "password": PASSWORD})
    with store.write() as connection:
        token = create_token(connection, "vera", "script")
    assert client.get("/api/me").json()["name"] == "vera"
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).json()["name"] == "vera"
    with store.write() as connection:
        set_disabled(connection, "vera", True)
    assert client.get("/api/me").json()["name"] == "public"
    assert client.get("/api/me", headers=headers).status_code == 401


def test_bad_tokens_are_refused(client: TestClient) -> None:
    response = client.get("/api/me", headers={"Authorization": "Bearer dmn_nonsense"})
    assert response.status_code == 401
    assert response.json()["message"] == "invalid or revoked API token"


def test_accounts_need_a_real_role_and_a_long_password(store: Store) -> None:
    with store.write() as connection:
        with pytest.raises(InvalidRequestError, match="at least 10 characters"):
            add_user(connection, "x", "short", "viewer")
        with pytest.raises(InvalidRequestError, match="not an account role"):
            add_user(connection, "x", PASSWORD, "public")
        with pytest.raises(ValueError, match="unknown role 'boss'"):
            add_user(connection, "x", PASSWORD, "boss")


def test_audit_log_is_append_only(store: Store) -> None:
    with store.write() as connection:
        connection.execute(
            insert(schema.audit_log).values(
                at=datetime.now(UTC), actor="ines", action="approve", table_name="activities",
                record_key="ACT-1", before=None, after={"review_status": "approved"},
            )
        )  # fmt: skip
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.write() as connection:
            connection.execute(text(statement))
