"""Eight writers at once through the REST API of a real ``demine serve`` process; and a
write that SQLite's one writer kept waiting too long.

Each writer reads a find, adds one to its quantity and writes it back with the ETag it
read (``If-Match``), over and over, alternating between one find every writer changes
and one of its own. Whatever the interleaving, no update may be lost (the final
quantity is the first plus the number of writes answered 200), a stale version is
answered 412 and a change without ``If-Match`` 428, and no writer ever sees a server
error or SQLite's ``database is locked``. Then all eight create the same new find at
once: one creates it, the others are told it exists (none gets a server error).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Connection, text
from tests.helpers import TODAY, load_sample
from tests.web_fixtures import correct, web_on
from tests.web_server import serving

from demine.errors import StoreError
from demine.ingest.importer import import_file
from demine.store import migrate
from demine.store.aggregates import AGGREGATES, rebuild
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader
from demine.store.users import add_user, create_token

WRITERS = 8
#: Read-and-write rounds per writer (half on the shared find, half on its own).
ROUNDS = 12
SHARED = "CONC-SHARED"
#: Every find's quantity before the writers start.
START = 1
PASSWORD = "a long enough password"
#: What the API answers beside a record's values (not sent back when changing it).
RECORD_STATE = ("review_status", "review_note", "version", "deleted")
LOCKED = "database is locked"


@dataclass
class Tally:
    """What the writers saw, added up under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    increments: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    locked: int = 0
    unexpected: list[str] = field(default_factory=list)

    def saw(self, response: httpx.Response, *expected: int) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            if LOCKED in response.text:
                self.locked += 1
            if response.status_code not in expected:
                self.unexpected.append(
                    f"{response.request.method} {response.request.url.path}: "
                    f"{response.status_code} {response.text[:200]}"
                )


def _finds_csv(path: Path) -> Path:
    lines = ["external_id,district,category,quantity,found_on,model,lon,lat"]
    keys = [SHARED, *(f"CONC-{i}" for i in range(WRITERS))]
    lines += [f"{key},Tartar,UXO,{START},2024-07-02,RPG-7,46.9021,40.3014" for key in keys]
    path.write_text("\n".join(lines) + "\n")
    return path


def _prepare(url: str, tmp_path: Path) -> list[str]:
    """The sample register, the finds the writers change, and one token per writer."""
    store = open_store(url, create=True)
    try:
        migrate.upgrade(store)
        load_sample(store)
        import_file(store, "finds", _finds_csv(tmp_path / "conc.csv"), country="AZ", today=TODAY)
        with store.write() as connection:
            tokens = []
            for i in range(WRITERS):
                add_user(connection, f"writer{i}", PASSWORD, "information_manager")
                tokens.append(create_token(connection, f"writer{i}", "concurrency"))
    finally:
        store.dispose()
    return tokens


def _writer(base: str, token: str, own: str, barrier: threading.Barrier, tally: Tally) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
        barrier.wait()
        for round_ in range(ROUNDS):
            key = SHARED if round_ % 2 == 0 else own
            read = client.get(f"/api/finds/{key}")
            tally.saw(read, 200)
            body = {k: v for k, v in read.json().items() if k not in RECORD_STATE}
            body["quantity"] += 1
            if round_ == 1:
                tally.saw(client.put(f"/api/finds/{key}", json=body), 428)
            written = client.put(
                f"/api/finds/{key}", json=body, headers={"If-Match": read.headers["etag"]}
            )
            tally.saw(written, 200, 412)
            if written.status_code == 200:
                with tally.lock:
                    tally.increments[key] += 1


def _race_to_create(base: str, tokens: list[str]) -> list[tuple[int, str]]:
    """Every writer creates the same new find at once: what each is answered."""
    barrier = threading.Barrier(WRITERS)
    answers: list[tuple[int, str]] = []
    new_find = {"external_id": "CONC-NEW", "district": "Tartar", "category": "UXO",
                "quantity": 1, "found_on": "2024-07-02"}  # fmt: skip

    def create(token: str) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            barrier.wait()
            answer = client.post(
                "/api/finds", json=new_find, headers={"Authorization": f"Bearer {token}"}
            )
        json = answer.headers.get("content-type") == "application/json"
        answers.append(
            (answer.status_code, answer.json().get("message", "") if json else answer.text)
        )

    threads = [threading.Thread(target=create, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(answers)


def _aggregates_agree(url: str) -> bool:
    """Whether the figures the database keeps equal a recount from the records."""
    store: Store = open_store(url, create=True)
    try:
        with store.write(rollback=True) as connection:
            kept = {a.table: _rows(connection, a.table) for a in AGGREGATES}
            rebuild(connection)
            recounted = {a.table: _rows(connection, a.table) for a in AGGREGATES}
    finally:
        store.dispose()
    return kept == recounted


def _rows(connection: Connection, table: str) -> list[tuple[object, ...]]:
    return sorted(tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}")))


@pytest.mark.slow
def test_eight_writers_lose_no_update(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEMINE_COUNTRY", "AZ")
    tokens = _prepare(database_url, tmp_path)
    tally = Tally()
    barrier = threading.Barrier(WRITERS)
    with serving(database_url) as base:
        writers = [
            threading.Thread(target=_writer, args=(base, tokens[i], f"CONC-{i}", barrier, tally))
            for i in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        auth = {"Authorization": f"Bearer {tokens[0]}"}
        final = {
            key: httpx.get(f"{base}/api/finds/{key}", headers=auth).json()["quantity"]
            for key in [SHARED, *(f"CONC-{i}" for i in range(WRITERS))]
        }
        created = _race_to_create(base, tokens)

    increments = {key: quantity - START for key, quantity in final.items()}
    lost = sum(tally.increments.values()) - sum(increments.values())
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(
        f"\n{database_url.split(':')[0]}: {WRITERS} writers × {ROUNDS} rounds: "
        f"statuses {dict(sorted(tally.statuses.items()))}, increments {sum(increments.values())}, "
        f"lost updates {lost}, 5xx {server_errors}, '{LOCKED}' {tally.locked}; "
        f"creating one find: {dict(Counter(status for status, _ in created))}"
    )
    assert tally.unexpected == []
    assert (lost, server_errors, tally.locked) == (0, 0, 0)
    assert increments == {key: tally.increments[key] for key in final}
    # Every writer's own find took every one of its writes; the shared one was fought over.
    assert all(increments[f"CONC-{i}"] == ROUNDS // 2 for i in range(WRITERS))
    assert tally.statuses[428] == WRITERS
    assert tally.statuses[412] > 0
    assert increments[SHARED] + tally.statuses[412] == WRITERS * ROUNDS // 2
    # Eight creators of one record: one creates it, seven are told it exists.
    exists = "finds record 'CONC-NEW' already exists"
    assert created == [(201, "")] + [(400, exists)] * (WRITERS - 1)
    assert _aggregates_agree(database_url)


BUSY = (
    "The database is busy with another change (an import?) that did not end within 0.2 s; "
    "nothing was written. Try again later."
)


def test_a_write_kept_waiting_too_long_is_told_the_database_is_busy(sqlite_url: str) -> None:
    importing = open_store(sqlite_url, create=True)
    migrate.upgrade(importing)
    editing = open_store(sqlite_url, busy_seconds=0.2)
    web = web_on(editing)
    with importing.write():  # a long import holds SQLite's one writer
        with pytest.raises(StoreError) as raised, editing.write():
            pass
        answer = correct(web, "ines", "finds", "FND-001", quantity=4)
        with editing.read() as connection:  # reads never wait for the writer
            assert RegisterReader(connection, "AZ").count("finds") == 6
    assert raised.value.message == BUSY
    assert (answer.status_code, answer.json()["message"]) == (503, BUSY)
    assert correct(web, "ines", "finds", "FND-001", quantity=4).status_code == 200
    importing.dispose()
    editing.dispose()
