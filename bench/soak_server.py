"""The server half of the kill soak: ``demine serve`` killed during a web import and
writes, restarted, and checked.

Each round starts the server, checks that it answers with what the database holds,
uploads a finds file (``POST /api/imports``) while a writer increments one find's
quantity through the REST API (``If-Match``, as a client would), and kills the server
with SIGKILL at a random moment of the import or as it finishes (its job reports every
row done: the batch is being closed and committed). Then the database is checked as
after a killed ``demine import``, and no write the server acknowledged (200) may be
missing: the find's quantity is the last acknowledged one, or the one of a write still
unanswered when the server died.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from soak_checks import Before, Imported, Verdict, before, check

#: What the API answers beside a record's values (not sent back when changing it).
RECORD_STATE = ("review_status", "review_note", "version", "deleted")
SECRET = "soak-secret-soak-secret-soak-secret-0123"


@dataclass
class ServerTally:
    kills: int = 0
    moments: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    torn: int = 0
    integrity_failures: int = 0
    acknowledged_writes: int = 0
    lost_acknowledged_writes: int = 0
    server_errors: int = 0
    restarts: int = 0
    problems: list[str] = field(default_factory=list)


class Writer(threading.Thread):
    """Increments one find's quantity through the REST API until the server dies."""

    def __init__(self, base: str, token: str, key: str) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.key = base, token, key
        self.acknowledged: int | None = None
        self.pending: int | None = None
        self.writes = 0
        self.server_errors = 0
        self.stop = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with httpx.Client(base_url=self.base, headers=headers, timeout=60) as client:
                while not self.stop.is_set():
                    read = client.get(f"/api/finds/{self.key}")
                    if read.status_code != 200:
                        self.server_errors += read.status_code >= 500
                        continue
                    body = {k: v for k, v in read.json().items() if k not in RECORD_STATE}
                    body["quantity"] += 1
                    self.pending = body["quantity"]
                    written = client.put(
                        f"/api/finds/{self.key}",
                        json=body,
                        headers={"If-Match": read.headers["etag"]},
                    )
                    if written.status_code >= 500:
                        self.server_errors += 1
                    if written.status_code == 200:
                        self.acknowledged, self.writes = self.pending, self.writes + 1
                    self.pending = None
        except httpx.TransportError:
            pass  # the server was killed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``demine --db URL serve`` on a free port of 127.0.0.1."""

    def __init__(self, url: str, log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DEMINE_COUNTRY": "XA", "DEMINE_SECRET_KEY": SECRET}
        self.log = log_path.open("ab")
        command = [sys.executable, "-m", "demine", "--db", url, "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=self.log, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{self.base}/ogc/conformance", timeout=2)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError(f"demine serve did not start (see {log_path})") from None
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()


def upload(base: str, token: str, path: Path) -> str:
    """Start the web import of ``path`` as finds; the job's id."""
    with path.open("rb") as handle:
        started = httpx.post(
            f"{base}/api/imports",
            headers={"Authorization": f"Bearer {token}"},
            data={"kind": "finds"},
            files={"file": (path.name, handle, "application/geopackage+sqlite3")},
            timeout=60,
        )
    if started.status_code != 202:
        raise RuntimeError(f"upload of {path.name}: {started.status_code} {started.text}")
    return str(started.json()["id"])


def job(base: str, token: str, job_id: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{base}/api/imports/{job_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    return dict(answer.json())


def wait_for_job(base: str, token: str, job_id: str) -> dict[str, Any]:
    while True:
        state = job(base, token, job_id)
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.02)


def wait_until_writing_ends(base: str, token: str, job_id: str) -> str:
    """Poll the job until every row is saved (the import is closing and committing);
    ``commit``, or ``finished`` when it was already over."""
    while True:
        state = job(base, token, job_id)
        if state["state"] in ("done", "failed"):
            return "finished"
        if state["total"] and state["done"] >= state["total"]:
            return "commit"
        time.sleep(0.003)


@dataclass
class Round:
    """What one server round needs: where, as whom, which file, which find to write."""

    url: str
    serve_url: str
    token: str
    written_key: str
    log_path: Path


def calibrate(round_: Round, imported: Imported, path: Path) -> float:
    """Seconds from upload to the end of an uninterrupted web import of ``path``."""
    server = Server(round_.serve_url, round_.log_path)
    try:
        started = time.perf_counter()
        finished = wait_for_job(server.base, round_.token, upload(server.base, round_.token, path))
        elapsed = time.perf_counter() - started
    finally:
        server.kill()
    if finished["state"] != "done":
        raise RuntimeError(f"calibration web import failed: {finished}")
    return elapsed


def kill_round(
    round_: Round,
    imported: Imported,
    path: Path,
    duration: float,
    rng: random.Random,
    settle: Callable[[], None],
) -> tuple[str, float, Verdict, Writer, int]:
    """Start the server, upload ``path``, write, kill; the moment's kind, the delay,
    the database's verdict, the writer, and the quantity the database now holds."""
    was: Before = before(round_.url)
    server = Server(round_.serve_url, round_.log_path)
    restart_problems = served_as_stored(server, round_)
    writer = Writer(server.base, round_.token, round_.written_key)
    writer.start()
    job_id = upload(server.base, round_.token, path)
    started = time.perf_counter()
    moment = "commit" if rng.random() < 0.3 else "anywhere"
    if moment == "commit":
        moment = wait_until_writing_ends(server.base, round_.token, job_id)
    else:
        time.sleep(rng.uniform(0, duration))
        if job(server.base, round_.token, job_id)["state"] in ("done", "failed"):
            moment = "finished"
    delay = time.perf_counter() - started
    server.kill()
    writer.stop.set()
    writer.join()
    settle()
    verdict = check(round_.url, was, imported)
    verdict.problems = restart_problems + verdict.problems
    return moment, delay, verdict, writer, quantity_in(round_.url, round_.written_key)


def served_as_stored(server: Server, round_: Round) -> list[str]:
    """A (re)started server answers the written find as the database holds it."""
    stored = quantity_in(round_.url, round_.written_key)
    answer = httpx.get(
        f"{server.base}/api/finds/{round_.written_key}",
        headers={"Authorization": f"Bearer {round_.token}"},
        timeout=30,
    )
    if answer.status_code != 200 or answer.json()["quantity"] != stored:
        return [
            f"restarted server answers {answer.status_code} {answer.text[:200]}, "
            f"the database holds quantity {stored}"
        ]
    return []


def restart_check(round_: Round) -> list[str]:
    """Start the server once more after the last kill: it must serve what is stored."""
    server = Server(round_.serve_url, round_.log_path)
    try:
        return served_as_stored(server, round_)
    finally:
        server.kill()


def quantity_in(url: str, key: str) -> int:
    from sqlalchemy import select

    from demine.store import schema
    from demine.store.engine import open_store

    store = open_store(url)
    try:
        with store.read() as connection:
            table = schema.device_finds
            return int(
                connection.execute(
                    select(table.c.quantity).where(table.c.external_id == key)
                ).scalar_one()
            )
    finally:
        store.dispose()
