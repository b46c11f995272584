"""A read replica: reading requests read it, changes (and what follows them) the primary.

A real streaming replica needs a second server (see bench/replica.py); here the
"replica" is a second database of the same dialect holding the same register with one
difference, a hazard's name, so that every answer says where it was read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.conftest import _postgis_schema
from tests.helpers import load_sample
from tests.migrated_copies import MigratedSchemas
from tests.web_fixtures import PASSWORD, Web, correct, web_on

from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store, open_store
from demine.store.replica import replica_reads
from demine.web.app import create_app
from demine.web.read_routing import COOKIE

ON_PRIMARY = "Former line of contact north"
ON_REPLICA = "Read from the replica"
HAZARD = "/api/hazards/HA-001"


@pytest.fixture
def replica_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second empty database of the store's dialect."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path_factory.mktemp('replica') / 'replica.db'}"
    else:
        yield from _postgis_schema()


@dataclass
class Routed:
    web: Web
    #: The primary and the replica on their own (no routing).
    primary: Store
    replica: Store
    both: Store


@pytest.fixture
def routed(
    store: Store, database_url: str, replica_url: str, migrated_schemas: MigratedSchemas
) -> Iterator[Routed]:
    served = web_on(store)
    replica = migrated_schemas.fresh_store(replica_url)
    load_sample(replica)
    with replica.write() as connection:
        hazards = schema.hazard_areas
        connection.execute(
            update(hazards).where(hazards.c.external_id == "HA-001").values(name=ON_REPLICA)
        )
    both = open_store(database_url, read_replica_url=replica_url)
    app = create_app(Settings(database_url=database_url, read_replica_url=replica_url), both)
    web = Web(TestClient(app, follow_redirects=False), served.headers, both)
    yield Routed(web, store, replica, both)
    both.dispose()
    replica.dispose()


def _name(store: Store, *, replica: bool = False) -> str:
    hazards = schema.hazard_areas
    query = select(hazards.c.name).where(hazards.c.external_id == "HA-001")
    if not replica:
        with store.read() as connection:
            return str(connection.execute(query).scalar_one())
    with replica_reads(), store.read() as connection:
        return str(connection.execute(query).scalar_one())


def test_a_reading_request_reads_the_replica(routed: Routed) -> None:
    # The API tokens exist on the primary only: the replica does not know them (a token
    # made a moment ago), so the caller is looked up again on the primary.
    for path in (HAZARD, "/ogc/collections/hazards-areas/items?limit=100"):
        answer = routed.web.client.get(path, headers=routed.web.as_("ines"))
        assert answer.status_code == 200, answer.text
        assert ON_REPLICA in answer.text and ON_PRIMARY not in answer.text
        assert COOKIE not in answer.headers.get("set-cookie", "")


def test_a_change_goes_to_the_primary_and_its_client_reads_the_primary_after(
    routed: Routed,
) -> None:
    changed = correct(routed.web, "ines", "hazards", "HA-001", name="Renamed on the primary")
    assert changed.status_code == 200, changed.text
    assert f"{COOKIE}=" in changed.headers["set-cookie"]
    assert _name(routed.primary) == "Renamed on the primary"
    assert _name(routed.replica) == ON_REPLICA
    # The client that changed the record sees its change, whatever the replica's lag...
    after = routed.web.client.get(HAZARD, headers=routed.web.as_("ines"))
    assert after.json()["name"] == "Renamed on the primary"
    # ... while another client (no cookie) reads the replica.
    routed.web.client.cookies.clear()
    other = routed.web.client.get(HAZARD, headers=routed.web.as_("vera"))
    assert other.json()["name"] == ON_REPLICA


def test_a_session_started_a_moment_ago_is_found_though_the_replica_lacks_it(
    routed: Routed,
) -> None:
    client = routed.web.client
    logged_in = client.post("/login", data={"username": "adam", "password": PASSWORD})
    assert logged_in.status_code == 200
    client.cookies.delete(COOKIE)
    assert client.get("/api/me").json()["name"] == "adam"


def test_reads_after_a_write_of_the_same_request_go_to_the_primary(routed: Routed) -> None:
    both = routed.both
    with replica_reads():
        assert _name(both, replica=True) == ON_REPLICA
        with both.write() as connection:
            hazards = schema.hazard_areas
            # Read inside the write: the write's own connection, on the primary.
            assert (
                connection.execute(
                    select(hazards.c.name).where(hazards.c.external_id == "HA-001")
                ).scalar_one()
                == ON_PRIMARY
            )
        assert both.reads_replica is False
        with both.read() as connection:
            assert (
                connection.execute(
                    select(hazards.c.name).where(hazards.c.external_id == "HA-001")
                ).scalar_one()
                == ON_PRIMARY
            )
    # Outside a request that allows it, every read is the primary's.
    assert _name(both) == ON_PRIMARY


def test_pages_layers_and_ogc_are_served_by_a_replica_that_refuses_writes(
    routed: Routed,
) -> None:
    # The SQLite "replica" is opened read-only (as a hot standby refuses writes): a
    # reading request that wrote on a connection it read with would fail here.
    paths = ("/", "/bulletin", "/review", "/audit", "/api/map/hazards", "/api/map/finds",
             "/ogc/collections", "/api/hazards", "/api/public/districts")  # fmt: skip
    for path in paths:
        answer = routed.web.client.get(path, headers=routed.web.as_("adam"))
        assert answer.status_code == 200, (path, answer.text[:300])
        assert COOKIE not in answer.headers.get("set-cookie", ""), path


def test_serve_reads_the_replica_the_option_or_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from demine.cli.main import app

    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda served, **options: apps.append(served))
    primary, replica = tmp_path / "primary.db", tmp_path / "replica.db"
    runner = CliRunner()
    for database in (primary, replica):
        assert runner.invoke(app, ["--db", str(database), "db", "upgrade"]).exit_code == 0
    monkeypatch.setenv("DEMINE_READ_REPLICA_URL", "elsewhere.db")
    result = runner.invoke(app, ["--db", str(primary), "serve", "--read-replica", str(replica)])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("DEMINE_READ_REPLICA_URL", str(replica))
    result = runner.invoke(app, ["--db", str(primary), "serve"])
    assert result.exit_code == 0, result.output
    for served in apps:
        store = served.state.store
        assert served.state.settings.read_replica_url == f"sqlite:///{replica}"
        assert store.replica is not None and store.replica.url.database == str(replica)
        store.dispose()
