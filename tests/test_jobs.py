"""Jobs are rows of the database: any server process answers for any job, a server start
marks the jobs a stopped server left unfinished as interrupted (having written nothing),
the uploaded file lives exactly as long as its job, and only its owner and information
managers or administrators can follow a job."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.helpers import REGISTER, TODAY
from tests.web_fixtures import PASSWORD, Web, web_on

from demine.domain.jobs import Job, JobState, interrupted_message, new_job_id
from demine.errors import Problem
from demine.ingest.importer import import_file
from demine.jobs import imports
from demine.jobs.runner import PROGRESS_FILE, JobRunner
from demine.settings import Settings
from demine.store import jobs as rows
from demine.store import schema
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.app import create_app

NEW_FINDS = """external_id,district,category,quantity,found_on,lon,lat
FND-UP-1,Tartar,AP_MINE,2,2024-07-02,46.91,40.31
FND-UP-2,Aghdam,UXO,4,2024-07-03,,
"""
BAD_FINDS = """external_id,district,category,quantity,found_on
FND-BAD-1,Tartar,BANANA,2,2024-07-02
"""
#: Seconds a test waits for a job, a held import or a server process at most.
PATIENCE = 60


@pytest.fixture
def web(store: Store) -> Iterator[Web]:
    # The districts the uploaded finds name; the rest of the sample register is not needed.
    import_file(store, "admin-areas", REGISTER / "admin_areas.csv", country="AZ", today=TODAY)
    web = web_on(store, sample=False)
    yield web
    _runner(web).close()


def _runner(web: Web) -> JobRunner:
    runner = web.client.app.state.jobs  # type: ignore[attr-defined]
    assert isinstance(runner, JobRunner)
    return runner


def _another_worker(web: Web, *, restart: bool = False) -> Web:
    """A second server process on the same database: started beside the first, or
    (``restart``) a new server started after the first stopped."""
    settings = Settings(database_url="unused", country="AZ")
    app = create_app(settings, web.store, interrupt_jobs=restart)
    return Web(TestClient(app, follow_redirects=False), web.headers, web.store)


def _upload(web: Web, who: str, content: str = NEW_FINDS, name: str = "new-finds.csv") -> Any:
    answer = web.client.post(
        "/api/imports",
        headers=web.as_(who),
        files={"file": (name, content.encode(), "text/csv")},
        data={"kind": "finds"},
    )
    assert answer.status_code == 202, answer.text
    return answer.json()


def _finished(web: Web, who: str, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        job = web.client.get(url, headers=web.as_(who)).json()
        if job["state"] in ("done", "failed", "interrupted"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"the import at {url} did not finish")


class Gate:
    """Holds every import at its progress report until released (a slow import)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, report_first: bool = True) -> None:
        self.reached = threading.Event()
        self.released = threading.Event()
        real = imports.import_file

        def held(*args: Any, progress: Any, **kwargs: Any) -> Any:
            def report(done: int, total: int) -> None:
                if report_first:
                    progress(done, total)
                self.reached.set()
                self.released.wait(PATIENCE)
                if not report_first:
                    progress(done, total)

            return real(*args, progress=report, **kwargs)

        monkeypatch.setattr(imports, "import_file", held)

    def wait(self) -> None:
        assert self.reached.wait(PATIENCE), "the import never reached its progress report"


def _register_rows(store: Store) -> tuple[int, int]:
    """Finds of the uploaded file, and import batches of it, in the register."""
    finds, batches = schema.device_finds, schema.import_batches
    with store.read() as connection:
        found = connection.execute(
            select(func.count()).where(finds.c.external_id.in_(["FND-UP-1", "FND-UP-2"]))
        ).scalar_one()
        batch = connection.execute(
            select(func.count()).where(batches.c.file_name == "new-finds.csv")
        ).scalar_one()
    return int(found), int(batch)


def test_a_job_started_on_one_worker_is_followed_on_another(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _another_worker(web)
    gate = Gate(monkeypatch)
    try:
        started = _upload(web, "ines")
        url = started["status_url"]
        gate.wait()
        running = other.client.get(url, headers=other.as_("ines")).json()
        assert (running["state"], running["done"], running["total"]) == ("running", 2, 2)
        assert running["report"] is None and running["finished_at"] is None
        assert running["started_at"] is not None
    finally:
        gate.released.set()
    job = _finished(other, "ines", url)
    report = job.pop("report")
    assert isinstance(report.pop("batch_id"), int)
    assert report == {
        "kind": "finds", "file_name": "new-finds.csv", "rows": 2, "inserted": 2,
        "updated": 0, "unchanged": 0, "dry_run": False, "notes": [],
    }  # fmt: skip
    assert {k: v for k, v in job.items() if not k.endswith("_at")} == {
        "id": started["id"], "kind": "finds", "file_name": "new-finds.csv",
        "dry_run": False, "state": "done", "done": 2, "total": 2, "problems": [],
        "message": None, "owner": "ines",
    }  # fmt: skip
    assert job["created_at"] <= job["started_at"] <= job["finished_at"]
    # The first worker reads the same row.
    assert web.client.get(url, headers=web.as_("ines")).json()["state"] == "done"
    with web.store.read() as connection:
        stored = rows.get_job(connection, started["id"])
    assert stored is not None and stored.state is JobState.SUCCEEDED
    assert _register_rows(web.store) == (2, 1)


def test_a_rejected_file_keeps_its_problems_in_the_row(web: Web) -> None:
    started = _upload(web, "ines", BAD_FINDS, "bad.csv")
    job = _finished(_another_worker(web), "ines", started["status_url"])
    assert job["state"] == "failed"
    assert job["message"] == "1 problem(s) in 1 row(s) of bad.csv; nothing was written."
    assert [(p["file"], p["row"], p["field"]) for p in job["problems"]] == [
        ("bad.csv", 2, "category")
    ]
    with web.store.read() as connection:
        stored = rows.get_job(connection, started["id"])
    assert stored is not None and stored.state is JobState.FAILED
    assert [(p.file, p.row, p.field) for p in stored.errors] == [("bad.csv", 2, "category")]


def test_the_uploaded_file_is_kept_until_the_job_ends(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _runner(web)
    gate = Gate(monkeypatch)
    try:
        started = _upload(web, "ines")
        gate.wait()
        folder = runner.folder(started["id"])
        assert (folder / "new-finds.csv").read_text(encoding="utf-8") == NEW_FINDS
    finally:
        gate.released.set()
    assert _finished(web, "ines", started["status_url"])["state"] == "done"
    assert not folder.exists()
    failed = _upload(web, "ines", BAD_FINDS, "bad.csv")
    assert _finished(web, "ines", failed["status_url"])["state"] == "failed"
    assert not runner.folder(failed["id"]).exists()


# A server that is killed (SIGKILL) in the middle of an import: it holds the import,
# its rows saved but not committed, after the import's progress report.
_KILLED_SERVER = """
import sys, threading
from fastapi.testclient import TestClient
from demine.jobs import imports
from demine.settings import Settings
from demine.store.engine import open_store
from demine.web.app import create_app

url, token, content = sys.argv[1], sys.argv[2], sys.stdin.read()
real = imports.import_file

def held(*args, progress, **kwargs):
    def report(done, total):
        progress(done, total)
        print(f"holding {done}/{total}", flush=True)
        threading.Event().wait()
    return real(*args, progress=report, **kwargs)

imports.import_file = held
app = create_app(Settings(database_url=url, country="AZ"), open_store(url))
answer = TestClient(app).post(
    "/api/imports", headers={"Authorization": "Bearer " + token},
    files={"file": ("new-finds.csv", content.encode(), "text/csv")}, data={"kind": "finds"},
)
print("job " + answer.json()["id"], flush=True)
threading.Event().wait()
"""


def _lines(process: subprocess.Popen[str], count: int) -> list[str]:
    """The next ``count`` lines the process prints (or a failure after PATIENCE)."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + PATIENCE
    lines: list[str] = []
    while len(lines) < count:
        left = deadline - time.monotonic()
        assert left > 0 and selector.select(left), "the server printed nothing"
        line = process.stdout.readline()
        assert line, "the server stopped"
        lines.append(line.strip())
    return lines


def test_a_job_left_running_by_a_killed_server_is_interrupted_at_the_next_start(
    web: Web, tmp_path: Path
) -> None:
    url = web.store.engine.url.render_as_string(hide_password=False)
    token = web.as_("ines")["Authorization"].removeprefix("Bearer ")
    errors = (tmp_path / "server.err").open("w")
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_SERVER, url, token],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert process.stdin is not None
        process.stdin.write(NEW_FINDS)
        process.stdin.close()
        said = _lines(process, 2)
        assert "holding 2/2" in said, said
        job_id = next(line.removeprefix("job ") for line in said if line.startswith("job "))
        status = f"/api/imports/{job_id}"
        # While the killed server still runs: another worker sees the job running.
        running = _another_worker(web).client.get(status, headers=web.as_("adam")).json()
        assert (running["state"], running["done"], running["total"]) == ("running", 2, 2)
        assert (_runner(web).folder(job_id) / "new-finds.csv").is_file()
    finally:
        process.kill()
        process.wait(PATIENCE)
        errors.close()
    assert process.returncode == -9

    restarted = _another_worker(web, restart=True)
    job = restarted.client.get(status, headers=web.as_("ines")).json()
    assert (job["state"], job["done"], job["total"]) == ("interrupted", 2, 2)
    assert job["message"] == interrupted_message()
    assert job["report"] is None and job["finished_at"] is not None
    assert _register_rows(web.store) == (0, 0)  # its transaction was never committed
    assert not _runner(web).folder(job_id).exists()
    page = restarted.client.get("/import", headers=web.as_("ines"))
    assert "new-finds.csv" in page.text and "Interrupted: nothing was written" in page.text
    _runner(restarted).close()


def test_an_import_marked_interrupted_while_it_runs_writes_nothing(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    if web.store.dialect == "sqlite":
        pytest.skip("SQLite has one writer: no server can start beside a running import")
    gate = Gate(monkeypatch, report_first=False)
    try:
        started = _upload(web, "ines")
        gate.wait()
        assert rows.interrupt_unfinished(web.store, datetime.now(UTC)) == [started["id"]]
    finally:
        gate.released.set()
    _runner(web).close()  # the import has ended
    job = web.client.get(started["status_url"], headers=web.as_("ines")).json()
    assert job["state"] == "interrupted"
    assert _register_rows(web.store) == (0, 0)
    assert not _runner(web).folder(started["id"]).exists()


def _job(owner: str, state: JobState = JobState.SUCCEEDED, **values: Any) -> Job:
    return Job(
        id=new_job_id(),
        kind=imports.IMPORT,
        state=state,
        owner=owner,
        country="AZ",
        created_at=datetime.now(UTC),
        file_name="theirs.csv",
        parameters={"kind": "finds", "dry_run": False},
        **values,
    )


def test_only_the_owner_and_information_managers_or_administrators_see_a_job(
    web: Web,
) -> None:
    with web.store.write() as connection:
        add_user(connection, "irma", PASSWORD, "information_manager")
        irma = {"Authorization": f"Bearer {create_token(connection, 'irma', 'test')}"}
    url = _upload(web, "ines")["status_url"]
    _finished(web, "ines", url)
    assert web.client.get(url, headers=irma).status_code == 200
    assert web.client.get(url, headers=web.as_("adam")).status_code == 200
    for who in ("vera", "dora", "public"):
        refused = web.client.get(url, headers=web.as_(who))
        assert refused.status_code == 404, who
        assert refused.json()["message"] == f"no import job '{url.rsplit('/', 1)[1]}'"
    # A job of someone without the right to follow everyone's (written as a later kind of
    # job might be): its owner follows it, a colleague of the same role does not.
    doras = _job("dora", errors=(Problem("theirs.csv", 2, "category", "unknown"),))
    rows.add_job(web.store, doras)
    mine = web.client.get(f"/api/imports/{doras.id}", headers=web.as_("dora"))
    assert mine.status_code == 200 and mine.json()["problems"][0]["row"] == 2
    assert web.client.get(f"/api/imports/{doras.id}", headers=web.as_("sami")).status_code == 404
    assert web.client.get("/api/imports/" + "0" * 32, headers=web.as_("adam")).status_code == 404
    assert web.client.get("/api/imports/nope", headers=web.as_("adam")).status_code == 404


def test_a_server_start_interrupts_only_unfinished_jobs_and_clears_their_files(
    web: Web,
) -> None:
    runner = _runner(web)
    queued, running = _job("ines", JobState.QUEUED), _job("ines", JobState.RUNNING)
    ended = _job("ines", JobState.FAILED, message="bad")
    stranger = runner.folder(new_job_id())  # another database's job sharing the folder
    for job in (queued, running, ended):
        rows.add_job(web.store, job)
        runner.folder(job.id).mkdir(parents=True)
        (runner.folder(job.id) / "theirs.csv").write_text("x", encoding="utf-8")
    stranger.mkdir()
    (runner.folder(running.id) / PROGRESS_FILE).write_text('{"done": 5, "total": 9}')
    seen = runner.get(running.id)
    assert seen is not None
    if rows.progress_in_database(web.store):
        assert (seen.done, seen.total) == (0, 0)
    else:  # SQLite: the progress kept beside the upload
        assert (seen.done, seen.total) == (5, 9)

    assert sorted(runner.interrupt_unfinished()) == sorted([queued.id, running.id])
    with web.store.read() as connection:
        states = {
            j.id: (j.state, j.done, j.total) for j in rows.recent_jobs(connection, imports.IMPORT)
        }
    # How far the interrupted job got is kept from its progress file.
    assert states == {
        queued.id: (JobState.INTERRUPTED, 0, 0),
        running.id: (JobState.INTERRUPTED, 5, 9),
        ended.id: (JobState.FAILED, 0, 0),
    }
    assert [p.exists() for p in map(runner.folder, (queued.id, running.id, ended.id))] == [
        False,
        False,
        False,
    ]
    assert stranger.is_dir()
    stranger.rmdir()
    # A job interrupted meanwhile is not finished over by its runner.
    assert not rows.start_job(web.store, queued.id, datetime.now(UTC))
    assert not rows.finish_job(
        web.store, running.id, JobState.SUCCEEDED, datetime.now(UTC), done=1, total=1
    )
    assert runner.interrupt_unfinished() == []


def test_a_worker_of_several_leaves_the_interrupting_to_the_server_start(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from demine.cli.commands_serve import interrupt_unfinished_jobs
    from demine.web.asgi import app_from_environment, worker_app_from_environment

    url = store.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DEMINE_DATABASE_URL", url)
    left = _job("ines", JobState.RUNNING)
    rows.add_job(store, left)

    def state() -> JobState:
        with store.read() as connection:
            job = rows.get_job(connection, left.id)
        assert job is not None
        return job.state

    worker = worker_app_from_environment()
    assert state() is JobState.RUNNING
    worker.state.store.dispose()
    interrupt_unfinished_jobs(Settings(database_url=url), store)
    assert state() is JobState.INTERRUPTED
    again = _job("ines", JobState.QUEUED)
    rows.add_job(store, again)
    single = app_from_environment()
    single.state.store.dispose()
    with store.read() as connection:
        job = rows.get_job(connection, again.id)
    assert job is not None and job.state is JobState.INTERRUPTED
