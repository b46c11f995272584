"""``demine forms pull``: submissions of the clearance progress report kept on ODK Central
and KoboToolbox, pulled into the review queue through the same pipeline as an OpenRosa
submission — without internet: a local HTTP server answers as those servers do.

The answers are shaped like the servers' documented examples:

- ODK Central API (https://docs.getodk.org/central-api-authentication/#logging-in,
  https://docs.getodk.org/central-api-submission-management/): ``POST /v1/sessions``
  gives ``{"createdAt", "expiresAt", "token"}`` (a refused login ``401`` with
  ``{"code": 401.2, "message": …}``); ``GET …/forms/{xmlFormId}/submissions`` lists
  ``{"instanceId", "submitterId", "deviceId", "createdAt", "updatedAt", "reviewState"}``;
  ``…/submissions/{instanceId}.xml`` is the instance as sent (its current version);
  ``…/attachments`` lists ``{"name", "exists"}`` and ``…/attachments/{name}`` is the file;
  an unknown form is ``404`` with ``{"code": 404.1, "message": …}``.
- KoboToolbox API v2 (https://support.kobotoolbox.org/api.html,
  ``/api/v2/assets/{uid}/data/``): ``{"count", "next", "previous", "results"}``, each
  result keyed by the questions' group paths, repeats as lists of such objects, files in
  ``_attachments`` with ``download_url``; ``Authorization: Token …``, refused with ``401``
  ``{"detail": "Invalid token."}``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select
from tests.openrosa_fixtures import ANSWERS, FINDS, JPEG, instance_xml
from tests.test_openrosa import counts, served_forms
from tests.web_fixtures import Web, web_on
from typer.testing import CliRunner

from demine.cli.main import app
from demine.errors import DemineError
from demine.store import schema
from demine.store.engine import Store
from demine.submissions import catalogue

runner = CliRunner()
FORM = "demine_clearance_progress"
TOKEN = "lSpAIeksRu1CNZs7!qjAot2T17dPzkrw9B4iTtpj7OoIJBmXvnHM8z8Ka4QPEjR7"
KOBO_TOKEN = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
FIRST = "uuid:85cb9aff-005e-4edd-9739-dc9c1a829c44"
EDITED = "uuid:9f3c7a52-1b64-4d0e-8a77-5e2b1c0d9e31"
THIRD = "uuid:0d8e6f4a-2c1b-4a3e-9f5d-7b6c5a4e3d21"
FOURTH = "uuid:5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c"
KOBO_UUIDS = ("2b1f6d4e-90aa-4c55-8f1e-1d2c3b4a5f60", "7c4e2a90-3d1b-4f6e-9a85-0b2c4d6e8f10")


@dataclass
class FakeServers:
    """What the fake ODK Central and KoboToolbox hold, and what they were asked."""

    url: str = ""
    #: Central: the submission's logical instanceId -> its versions (instanceID, XML),
    #: oldest first; the last is the current one.
    central: dict[str, list[tuple[str, bytes]]] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    #: Kobo: the submission numbers whose photo cannot be downloaded (404).
    lost_files: set[int] = field(default_factory=set)


def _central_listing(servers: FakeServers) -> list[dict[str, Any]]:
    return [
        {"instanceId": iid, "submitterId": 23, "deviceId": "imei:123456",
         "userAgent": "org.odk.collect.android/v2024.2.4", "reviewState": None,
         "createdAt": "2024-07-05T06:21:13.395Z", "updatedAt": None}
        for iid in servers.central
    ]  # fmt: skip


def _kobo_row(servers: FakeServers, number: int) -> dict[str, Any]:
    uuid = KOBO_UUIDS[number - 1]
    answers = {f"work/{name}": value for name, value in ANSWERS.items()}
    if number == 2:
        answers["work/area_cleared_m2"] = "1000"
    return {
        "_id": 1000 + number,
        "formhub/uuid": "b5c0f2d3e4a54f6e8d7c6b5a4f3e2d1c",
        "start": "2024-07-05T10:00:00.000+04:00",
        "end": "2024-07-05T10:20:00.000+04:00",
        **answers,
        "finds": [{f"finds/{k}": v for k, v in find.items()} for find in FINDS],
        "photo": "1733500000000.jpg",
        "__version__": "vX8a9Jq3Lh4",
        "meta/instanceID": f"uuid:{uuid}",
        "_xform_id_string": "aBcD3fGh1jK2LmN4pQr5sT",
        "_uuid": uuid,
        "_attachments": [
            {"download_url": f"{servers.url}/api/v2/assets/aBcD3fGh1jK2LmN4pQr5sT/data/"
             f"{1000 + number}/attachments/{number}/",
             "mimetype": "image/jpeg",
             "filename": f"dora/attachments/b5c0/{uuid}/1733500000000.jpg",
             "instance": 1000 + number, "xform": 7, "id": number,
             "media_file_basename": "1733500000000.jpg", "question_xpath": "photo"}
        ],
        "_status": "submitted_via_web",
        "_geolocation": [40.3, 46.91],
        "_submission_time": "2024-07-05T06:21:13",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "_submitted_by": "dora",
    }  # fmt: skip


def _handler(servers: FakeServers) -> type[BaseHTTPRequestHandler]:
    central_base = f"/v1/projects/1/forms/{FORM}"
    kobo_base = "/api/v2/assets/aBcD3fGh1jK2LmN4pQr5sT"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read the answers, not the stand-in server's log."""

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: object) -> None:
            self._send(status, json.dumps(value).encode())

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path != "/v1/sessions":
                return self._json(404, {"code": 404.1, "message": "Could not find the resource"})
            if (body["email"], body["password"]) != ("im@anama.gov.az", "central secret"):
                refused = "Could not authenticate with the provided credentials."
                return self._json(401, {"code": 401.2, "message": refused})
            self._json(
                200,
                {"createdAt": "2018-04-18T03:04:51.695Z", "expiresAt": "2018-04-19T03:04:51.695Z",
                 "token": TOKEN},
            )  # fmt: skip

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path.startswith("/v1/"):
                return self._central(path)
            if path.startswith("/api/v2/"):
                return self._kobo(path, urlsplit(self.path).query)
            self._json(404, {"detail": "Not found."})

        def _central(self, path: str) -> None:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._json(401, {"code": 401.2, "message": "Could not authenticate"})
            if not path.startswith(central_base + "/"):
                missing = "Could not find the resource you were looking for."
                return self._json(404, {"code": 404.1, "message": missing})
            rest = path.removeprefix(central_base + "/submissions").strip("/")
            if not rest:
                return self._json(200, _central_listing(servers))
            iid, _, tail = rest.partition("/")
            versions = servers.central.get(iid.removesuffix(".xml"), [])
            if iid.endswith(".xml") and versions:
                return self._send(200, versions[-1][1], "application/xml")
            if tail == "versions" and versions:  # newest first, as Central lists them
                return self._json(200, [
                    {"instanceId": vid, "submitterId": 23, "deviceId": None,
                     "createdAt": f"2024-07-0{5 + n}T06:21:13.395Z",
                     "current": n == len(versions) - 1}
                    for n, (vid, _xml) in reversed(list(enumerate(versions)))
                ])  # fmt: skip
            version = dict(versions).get(tail.removeprefix("versions/").removesuffix(".xml"))
            if tail.startswith("versions/") and tail.endswith(".xml") and version:
                return self._send(200, version, "application/xml")
            if tail.endswith("attachments"):
                listed = [{"name": "1733500000000.jpg", "exists": True},
                          {"name": "1733500099999.m4a", "exists": False}]  # fmt: skip
                return self._json(200, listed)
            if tail.endswith("attachments/1733500000000.jpg"):
                servers.downloads.append(path)
                return self._send(200, JPEG, "image/jpeg")
            self._json(404, {"code": 404.1, "message": "Could not find the resource"})

        def _kobo(self, path: str, query: str) -> None:
            if self.headers.get("Authorization") != f"Token {KOBO_TOKEN}":
                return self._json(401, {"detail": "Invalid token."})
            if path == f"{kobo_base}/data/":
                page = 2 if "start=1" in query else 1
                first = f"{servers.url}{kobo_base}/data/?format=json"
                following = f"{first}&limit=1&start=1"
                return self._json(
                    200,
                    {"count": 2, "next": following if page == 1 else None,
                     "previous": None if page == 1 else first,
                     "results": [_kobo_row(servers, page)]},
                )  # fmt: skip
            if "/attachments/" in path:
                if any(f"/data/{1000 + n}/" in path for n in servers.lost_files):
                    return self._json(404, {"detail": "Not found."})
                servers.downloads.append(path)
                return self._send(200, JPEG, "image/jpeg")
            self._json(404, {"detail": "Not found."})

    return Handler


@pytest.fixture
def servers() -> Iterator[FakeServers]:
    made = FakeServers()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(made))
    made.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield made
    server.shutdown()
    server.server_close()


@pytest.fixture
def web(store: Store, monkeypatch: pytest.MonkeyPatch) -> Web:
    made = web_on(store)
    monkeypatch.setattr(catalogue, "registered_forms", served_forms)
    return made


def pulled(database_url: str, *options: str, code: int = 0) -> str:
    result = runner.invoke(
        app, ["--db", database_url, "--country", "AZ", "forms", "pull", "--form", FORM, *options]
    )
    said, exit_code = " ".join(result.output.split()), result.exit_code
    if isinstance(result.exception, DemineError):  # what demine.cli.main.run reports
        said, exit_code = result.exception.message, result.exception.exit_code
    assert exit_code == code, said
    return said


def central(servers: FakeServers, password: str = "central secret") -> list[str]:
    return ["--central", servers.url, "--project", "1", "--user", "im@anama.gov.az",
            "--password", password]  # fmt: skip


def kobo(servers: FakeServers, token: str = KOBO_TOKEN) -> list[str]:
    return ["--kobo", servers.url, "--asset", "aBcD3fGh1jK2LmN4pQr5sT", "--token", token]


def test_central_pull_makes_drafts_once_and_follows_an_edit(
    web: Web, database_url: str, servers: FakeServers
) -> None:
    servers.central[FIRST] = [(FIRST, instance_xml(FIRST, version="2026120601"))]
    said = pulled(database_url, *central(servers))
    assert said.startswith(f"central:{servers.url}/projects/1/forms/{FORM}: 1 submission received")
    assert "0 already here" in said and "0 refused" in said
    stored = counts(web.store)
    assert stored[:2] == (1, 1), "the submission and its photo (the missing audio not asked)"
    activity = web.client.get("/api/activities/ODK-85CB9AFF005E", headers=web.as_("ines")).json()
    assert (activity["review_status"], activity["area_cleared_m2"]) == ("submitted", 5000)

    again = pulled(database_url, *central(servers))
    assert "0 submissions received" in again and "1 already here" in again
    assert counts(web.store) == stored
    assert len(servers.downloads) == 1, "a submission received before is not downloaded again"

    # Edited on Central: the same listed submission now holds a new version naming the first.
    edited = {**ANSWERS, "area_cleared_m2": "6000"}
    servers.central[FIRST].append((EDITED, instance_xml(EDITED, edited, deprecated_id=FIRST)))
    assert "1 submission received" in pulled(database_url, *central(servers))
    activity = web.client.get("/api/activities/ODK-85CB9AFF005E", headers=web.as_("ines")).json()
    assert activity["area_cleared_m2"] == 6000
    assert counts(web.store)[2] == stored[2], "the edit updated the activity, made no other"

    # Edited twice more before the next pull: the version in between is received first,
    # so that the last one finds the records it replaces.
    for vid, area in ((THIRD, "6500"), (FOURTH, "7000")):
        replaced = servers.central[FIRST][-1][0]
        answers = {**ANSWERS, "area_cleared_m2": area}
        servers.central[FIRST].append((vid, instance_xml(vid, answers, deprecated_id=replaced)))
    assert "1 submission received" in pulled(database_url, *central(servers))
    activity = web.client.get("/api/activities/ODK-85CB9AFF005E", headers=web.as_("ines")).json()
    assert activity["area_cleared_m2"] == 7000
    assert counts(web.store)[:3] == (4, 4, stored[2]), "four versions kept, one activity"
    with web.store.read() as connection:
        sources = connection.execute(select(schema.field_submissions.c.source)).scalars().all()
    assert set(sources) == {f"central:{servers.url}/projects/1/forms/{FORM}"}


def test_kobo_pull_follows_pages_and_changes_nothing_the_second_time(
    web: Web, database_url: str, servers: FakeServers
) -> None:
    said = pulled(database_url, *kobo(servers))
    assert said.startswith(f"kobo:{servers.url}/assets/aBcD3fGh1jK2LmN4pQr5sT: 2 submissions")
    stored = counts(web.store)
    assert stored[:2] == (2, 2)
    activity = web.client.get("/api/activities/ODK-7C4E2A903D1B", headers=web.as_("ines")).json()
    assert (activity["review_status"], activity["area_cleared_m2"]) == ("submitted", 1000)
    finds = web.client.get("/api/finds/ODK-7C4E2A903D1B-FINDS-1", headers=web.as_("ines")).json()
    assert (finds["category"], finds["quantity"]) == ("AT_MINE", 2)

    again = pulled(database_url, *kobo(servers))
    assert "0 submissions received" in again and "2 already here" in again
    assert counts(web.store) == stored
    assert len(servers.downloads) == 2


def test_refused_credentials_unknown_forms_and_no_server_are_clear_and_store_nothing(
    web: Web, database_url: str, servers: FakeServers, caplog: pytest.LogCaptureFixture
) -> None:
    servers.central[FIRST] = [(FIRST, instance_xml(FIRST))]
    said = pulled(database_url, *central(servers, "wrong"), code=9)
    assert f"ODK Central ({servers.url}) refused the credentials (HTTP 401)" in said
    said = pulled(database_url, *kobo(servers, "wrong"), code=9)
    assert f"KoboToolbox ({servers.url}) refused the credentials (HTTP 401)" in said
    said = pulled(database_url, *kobo(servers)[:3], "nothere", "--token", KOBO_TOKEN, code=5)
    assert said == f"KoboToolbox ({servers.url}) has no asset 'nothere'"
    options = central(servers)
    options[options.index("--project") + 1] = "2"
    said = pulled(database_url, *options, code=5)
    assert said == f"ODK Central ({servers.url}) has no form '{FORM}' in project 2"
    said = pulled(database_url, "--kobo", "http://127.0.0.1:9", "--asset", "a", "--token", "t",
                  code=13)  # fmt: skip
    assert "KoboToolbox (http://127.0.0.1:9) could not be reached" in said
    said = pulled(database_url, *central(servers), *kobo(servers), code=2)
    assert "name one server" in said
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "said once, by Demine"
    assert counts(web.store)[:2] == (0, 0)


def test_a_submission_whose_photo_cannot_be_fetched_is_not_received_half_way(
    web: Web, database_url: str, servers: FakeServers
) -> None:
    activities = counts(web.store)[2]
    servers.lost_files.add(1)
    said = pulled(database_url, *kobo(servers), "--progress", code=2)
    assert "1 submission received" in said and "1 refused" in said
    assert (
        f"{KOBO_UUIDS[0]}: KoboToolbox ({servers.url}) has no submission '{KOBO_UUIDS[0]}'" in said
    )
    assert counts(web.store)[:3] == (1, 1, activities + 1), "nothing of the first at all"
    servers.lost_files.clear()
    said = pulled(database_url, *kobo(servers))
    assert "1 submission received" in said and "1 already here" in said
    assert counts(web.store)[:3] == (2, 2, activities + 2)
