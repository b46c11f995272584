"""The route × role matrix (docs/permissions.md) holds for live requests of every role.

Every route of the one table (each group of parameter values that the table answers
alike) is called by every role of the matrix: reads with keys of the fixture register,
changes that succeed when allowed (fresh drafts, the record's current ETag), or — where
the table refuses before the body counts — an invalid body. Each answer is classed as
refused (401/403, the login redirect of a page, 404 for a concealed route) or not, and
as complete or lacking what others get; a role's verdict is refused when every answer
is, filtered when only some are or some lack something, allowed otherwise. It must be
the table's. The commands that ask for a role are checked the same way. SQLite and PostGIS.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from httpx import Response
from sqlalchemy import delete, select
from tests.casualty_fixtures import CASUALTY_FILES, LOADER, load_casualty_sample
from tests.conftest import DATA
from tests.helpers import REGISTER, TODAY
from tests.openrosa_fixtures import ANSWERS, instance_xml, served_forms
from tests.risk_fixtures import store_risk_layer
from tests.web_fixtures import PASSWORD, RECORD_STATE, Web, web_on
from typer.testing import CliRunner

from demine.cli.main import app as cli_app
from demine.domain.permissions_table import (
    COMMANDS,
    FIELD_REPORT_KINDS,
    GEOMETRY_KINDS,
    REST_KINDS,
    WEB_ROUTES,
)
from demine.domain.route_access import MATRIX_ROLES, Access, Rule, Verdict, verdict
from demine.errors import Forbidden
from demine.ingest.importer import import_file
from demine.ingest.news_items import parse_news_item
from demine.ingest.news_items.summaries import stored_reading, text_digest
from demine.ingest.specs import SPECS
from demine.store import schema
from demine.store.engine import Store
from demine.store.news_items import NewNewsItem, add_items, news_items
from demine.store.users import add_user, create_token

#: The account acting for each role of the matrix ("public" has none).
#: The read news item the review routes are asked about (stored afresh for each call).
NEWS_ITEM = (DATA / "bulletins" / "seed-bulletin.txt").read_text(encoding="utf-8")
ROLE_USERS = {
    "anonymous": "public",
    "viewer": "vera",
    "data entry": "dora",
    "information manager": "ines",
    "administrator": "adam",
    "victim-data grant": "vita",
}
RECORDS = REGISTER.parent / "records"
TASKS = REGISTER.parent / "tasks"
ACTIVITY = {
    "kind": "clearance", "district": "Tartar", "start_date": "2024-07-01",
    "end_date": "2024-07-05", "area_cleared_m2": 5000, "team_days": 3,
}  # fmt: skip
PROJECT = {
    "external_id": "PRJ-MATRIX", "name": "Matrix road", "kind": "road", "priority": 1,
    "buffer_m": 20, "wkt": "LINESTRING (46.951 40.001, 46.958 40.008)",
}  # fmt: skip


@dataclass
class Call:
    """One request of a probe."""

    method: str
    url: str
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Whether an answer that is not refused is the whole answer (what others get).
    complete: Callable[[Response], bool] | None = None


@dataclass
class World:
    """The register the roles call, and what the probes need to know of it."""

    web: Web
    #: A live record's key, per kind served over the REST API.
    keys: dict[str, str] = field(default_factory=dict)
    #: A feature id, per OGC collection.
    items: dict[str, str] = field(default_factory=dict)
    #: Import jobs of the information manager and of the administrator.
    jobs: list[str] = field(default_factory=list)
    drafts: dict[str, str] = field(default_factory=dict)
    numbers: Iterator[int] = field(default_factory=itertools.count)
    requests: int = 0
    setup_requests: int = 0

    def send(self, who: str, call: Call, *, setup: bool = False) -> Response:
        headers = {**self.web.as_(who), **call.headers}
        response = self.web.client.request(
            call.method, call.url, json=call.json, data=call.data, files=call.files,
            headers=headers,
        )  # fmt: skip
        # A login sets a cookie: the next caller must not inherit it.
        self.web.client.cookies.clear()
        if setup:
            self.setup_requests += 1
        else:
            self.requests += 1
        return response

    def setup(self, who: str, method: str, url: str, **parts: Any) -> Response:
        return self.send(who, Call(method, url, **parts), setup=True)

    def activity(self, author: str, organisation: str, *, submitted: bool = False) -> str:
        """A fresh field report of ``organisation``, made by ``author`` (a draft)."""
        key = f"ACT-MATRIX-{next(self.numbers)}"
        body = {**ACTIVITY, "external_id": key, "organisation": organisation}
        assert self.setup(author, "POST", "/api/activities", json=body).status_code == 201
        if submitted:
            answer = self.setup(author, "POST", f"/api/activities/{key}/submit")
            assert answer.status_code == 200
        return key

    def news_item(self) -> int:
        """A fresh read news item waiting for review (the seed item, made unique)."""
        number = next(self.numbers)
        text = f"{NEWS_ITEM}\n\n(matrix item {number})\n"
        reading = stored_reading(parse_news_item(text, source="matrix.txt"), text)
        item = NewNewsItem(text_digest(text), "AZ", f"matrix-{number}.txt", "matrix.txt",
                           text, reading)  # fmt: skip
        with self.web.store.write() as connection:
            add_items(connection, [item], "operator", datetime.now(UTC))
            return max(stored.id for stored in news_items(connection, "AZ"))

    def current(self, kind: str, key: str) -> tuple[dict[str, Any], str]:
        """A record's values (as they are sent back) and its ETag, read by a manager."""
        read = self.setup("ines", "GET", f"/api/{kind}/{key}")
        assert read.status_code == 200, read.text
        values = {k: v for k, v in read.json().items() if k not in RECORD_STATE}
        return values, read.headers["etag"]


# The probes: what each route is asked, by a role, for a group of parameter values.
Probe = Callable[[World, str, tuple[str, ...]], list[Call]]


def _has(text: str) -> Callable[[Response], bool]:
    return lambda response: text in response.text


def _found(response: Response) -> bool:
    return response.status_code == 200


def _free_text_shown(response: Response) -> bool:
    return response.status_code == 200 and '"withheld"' not in response.text


def _map_layers(response: Response) -> list[str]:
    found = re.search(r'id="map-config">(.*?)</script>', response.text, re.S)
    assert found is not None
    return list(json.loads(found.group(1))["layers"])


def _collections(response: Response) -> list[str]:
    return [c["id"] for c in response.json()["collections"]]


def _get(url: str, complete: Callable[[Response], bool] | None = None) -> Probe:
    return lambda world, who, values: [Call("GET", url, complete=complete)]


def _each_kind(pattern: str) -> Probe:
    """A read of every kind; drafts are what those who may not edit do not get."""

    def probe(world: World, who: str, values: tuple[str, ...]) -> list[Call]:
        calls = [Call("GET", pattern.format(kind=k, key=world.keys[k])) for k in REST_KINDS]
        draft = pattern.format(kind="activities", key=world.drafts["own"])
        # An accident's narrative: free text, withheld without the victim-data grant.
        narrative = pattern.format(kind="accidents", key=world.keys["accidents"])
        calls.append(Call("GET", narrative, complete=_free_text_shown))
        if pattern == "/api/{kind}":
            draft += "?limit=1000"
            return [*calls, Call("GET", draft, complete=_has(world.drafts["own"]))]
        return [*calls, Call("GET", draft, complete=_found)]

    return probe


def _create(world: World, who: str, kinds: tuple[str, ...]) -> list[Call]:
    # An empty body is refused by the table before it is validated, or is invalid.
    calls = [Call("POST", f"/api/{kind}", json={}) for kind in kinds]
    if kinds == FIELD_REPORT_KINDS:
        for organisation in ("ANAMA", "SAFE"):
            key = f"ACT-MATRIX-{next(world.numbers)}"
            body = {**ACTIVITY, "external_id": key, "organisation": organisation}
            calls.append(Call("POST", "/api/activities", json=body))
    return calls


def _replace(world: World, who: str, kinds: tuple[str, ...]) -> list[Call]:
    # Without If-Match: 428 once authorised, so nothing changes.
    calls = [Call("PUT", f"/api/{kind}/{world.keys[kind]}", json={}) for kind in kinds]
    if kinds == FIELD_REPORT_KINDS:
        for key in (world.drafts["own"], world.drafts["other"]):
            values, etag = world.current("activities", key)
            body = {**values, "team_days": values["team_days"] + 1}
            calls.append(
                Call("PUT", f"/api/activities/{key}", json=body, headers={"If-Match": etag})
            )
    return calls


def _delete(world: World, who: str, kinds: tuple[str, ...]) -> list[Call]:
    calls = [Call("DELETE", f"/api/{kind}/{world.keys[kind]}") for kind in kinds]
    if kinds == FIELD_REPORT_KINDS:
        for author, organisation in (("dora", "ANAMA"), ("sami", "SAFE")):
            key = world.activity(author, organisation)
            etag = world.current("activities", key)[1]
            calls.append(Call("DELETE", f"/api/activities/{key}", headers={"If-Match": etag}))
    return calls


def _review(world: World, who: str, actions: tuple[str, ...]) -> list[Call]:
    calls = []
    for action in actions:
        if action == "submit":
            for author, organisation in (("dora", "ANAMA"), ("sami", "SAFE")):
                key = world.activity(author, organisation)
                calls.append(Call("POST", f"/api/activities/{key}/submit"))
        else:
            key = world.activity("dora", "ANAMA", submitted=True)
            reason = {"reason": "the matrix says so"} if action == "reject" else None
            calls.append(Call("POST", f"/api/activities/{key}/{action}", json=reason))
    return calls


def _news_item_review(world: World, who: str, values: tuple[str, ...]) -> list[Call]:
    approve = Call("POST", f"/api/news-items/{world.news_item()}/approve", json={"values": {}})
    body = {"reason": "the matrix says so"}
    reject = Call("POST", f"/api/news-items/{world.news_item()}/reject", json=body)
    return [approve, reject]


def _ogc(suffix: str) -> Probe:
    def probe(world: World, who: str, collections: tuple[str, ...]) -> list[Call]:
        # A collection the world holds no feature of (hazards drawn as points) has no
        # item to ask for.
        return [
            Call("GET", f"/ogc/collections/{c}{suffix.format(item=world.items.get(c))}")
            for c in collections
            if "{item}" not in suffix or c in world.items
        ]

    return probe


def _history_page(world: World, who: str, values: tuple[str, ...]) -> list[Call]:
    return [
        Call("GET", f"/records/hazards/{world.keys['hazards']}/history"),
        Call("GET", f"/records/activities/{world.drafts['own']}/history", complete=_found),
    ]


def _user_change(action: str) -> Probe:
    return lambda world, who, values: [Call("POST", f"/api/users/tess/{action}")]


def _forms(what: str) -> Probe:
    """A field form's ``what`` (form.xml, manifest, media/…): a report every editor
    fills, and the minefield record visit only information managers do."""
    return lambda world, who, values: [
        Call("GET", f"/openrosa/forms/{form_id}/{what.format(media=media)}")
        for form_id, media in (
            ("demine_clearance_progress", "hazards.csv"),
            ("demine_minefield_verification", "records.csv"),
        )
    ]


def _submissions(world: World, who: str, values: tuple[str, ...]) -> list[Call]:
    """A clearance report of the caller's own organisation and one of another: made a
    draft for those who may enter it, kept without a record otherwise."""
    calls = []
    for organisation in ("ANAMA", "SAFE"):
        answers = {**ANSWERS, "organisation": organisation}
        xml = instance_xml(f"uuid:matrix-{next(world.numbers)}", answers, ())
        calls.append(
            Call(
                "POST",
                "/openrosa/submission",
                files={"xml_submission_file": ("s.xml", xml, "text/xml")},
                complete=_has("waits for review"),
            )
        )
    return calls


PROBES: dict[tuple[str, str], Probe] = {
    ("POST", "/login"): lambda world, who, values: [
        Call("POST", "/login", data={"username": "vera", "password": PASSWORD})
    ],
    ("POST", "/logout"): lambda world, who, values: [Call("POST", "/logout")],
    # English: the users' later answers stay in the language the other probes expect.
    ("POST", "/language"): lambda world, who, values: [
        Call("POST", "/language", data={"language": "en", "next": "/"})
    ],
    ("GET", "/api/me"): _get("/api/me"),
    ("GET", "/api/map/{layer}"): lambda world, who, layers: [
        Call("GET", f"/api/map/{layer}") for layer in layers
    ],
    ("GET", "/api/public/districts"): _get("/api/public/districts"),
    # Without a file: 422 once authorised.
    ("POST", "/api/imports"): lambda world, who, values: [
        Call("POST", "/api/imports", data={"kind": "finds"})
    ],
    ("GET", "/api/imports/{job_id}"): lambda world, who, values: [
        Call("GET", f"/api/imports/{job}") for job in world.jobs
    ],
    ("POST", "/api/geometry/typed"): lambda world, who, values: [
        Call("POST", "/api/geometry/typed", json={"text": "40.1 46.9"})
    ],
    ("POST", "/api/geometry/file"): lambda world, who, values: [
        Call("POST", "/api/geometry/file", files={"file": ("p.kml", b"<kml/>", "text/xml")})
    ],
    ("GET", "/api/users"): _get("/api/users"),
    ("POST", "/api/users"): lambda world, who, values: [Call("POST", "/api/users", json={})],
    ("POST", "/api/users/{username}/disable"): _user_change("disable"),
    ("POST", "/api/users/{username}/enable"): _user_change("enable"),
    ("GET", "/api/users/{username}/tokens"): _get("/api/users/tess/tokens"),
    # A token that does not exist: 404 once authorised.
    ("POST", "/api/users/{username}/tokens/{token_id}/revoke"): lambda world, who, values: [
        Call("POST", "/api/users/tess/tokens/999999/revoke")
    ],
    ("GET", "/api/minefield-records/{key}/attachments"): lambda world, who, values: [
        Call("GET", f"/api/minefield-records/{world.keys['minefield-records']}/attachments")
    ],
    # An attachment that does not exist: 404 once authorised.
    ("GET", "/api/minefield-records/{key}/attachments/{sha256}"): lambda world, who, values: [
        Call(
            "GET",
            f"/api/minefield-records/{world.keys['minefield-records']}/attachments/" + "0" * 64,
        )
    ],
    ("GET", "/api/{kind}"): _each_kind("/api/{kind}"),
    ("GET", "/api/{kind}/{key}"): _each_kind("/api/{kind}/{key}"),
    ("GET", "/api/{kind}/{key}/history"): _each_kind("/api/{kind}/{key}/history"),
    ("POST", "/api/{kind}"): _create,
    ("PUT", "/api/{kind}/{key}"): _replace,
    ("DELETE", "/api/{kind}/{key}"): _delete,
    ("POST", "/api/{kind}/{key}/{action}"): _review,
    ("POST", "/api/news-items/{item_id}/{action}"): _news_item_review,
    ("GET", "/ogc/"): _get("/ogc/"),
    ("GET", "/ogc/conformance"): _get("/ogc/conformance"),
    ("GET", "/ogc/api"): _get("/ogc/api"),
    ("GET", "/ogc/collections"): _get(
        "/ogc/collections", lambda response: "hazards-areas" in _collections(response)
    ),
    ("GET", "/ogc/collections/{collection_id}"): _ogc(""),
    ("GET", "/ogc/collections/{collection_id}/schema"): _ogc("/schema"),
    ("GET", "/ogc/collections/{collection_id}/queryables"): _ogc("/queryables"),
    ("GET", "/ogc/collections/{collection_id}/items"): _ogc("/items?limit=1"),
    ("GET", "/ogc/collections/{collection_id}/items/{item_id}"): _ogc("/items/{item}"),
    ("GET", "/ogc/tileMatrixSets"): _get("/ogc/tileMatrixSets"),
    ("GET", "/ogc/tileMatrixSets/{tile_matrix_set_id}"): _get(
        "/ogc/tileMatrixSets/WebMercatorQuad"
    ),
    ("GET", "/ogc/collections/{collection_id}/tiles"): _ogc("/tiles"),
    ("GET", "/ogc/collections/{collection_id}/tiles/{tile_matrix_set_id}"): _ogc(
        "/tiles/WebMercatorQuad"
    ),
    (
        "GET",
        "/ogc/collections/{collection_id}/tiles/{tile_matrix_set_id}"
        "/{tile_matrix}/{tile_row}/{tile_col}",
    ): _ogc("/tiles/WebMercatorQuad/0/0/0"),
    ("GET", "/"): _get("/", lambda response: "hazards" in _map_layers(response)),
    # A week that cannot be: 400 once authorised (the charts cost a second per role).
    ("GET", "/dashboard/charts"): _get("/dashboard/charts?week=2024-W99"),
    ("GET", "/login"): _get("/login"),
    ("GET", "/bulletin"): _get("/bulletin?week=2024-W27"),
    # A week that cannot be: 400 once authorised (a rendered PDF per role costs seconds).
    ("GET", "/bulletin.html"): _get("/bulletin.html?week=2024-W99"),
    ("GET", "/bulletin.pdf"): _get("/bulletin.pdf?week=2024-W99"),
    ("GET", "/entry"): _get("/entry", _has('<option value="SAFE"')),
    ("GET", "/review"): _get("/review"),
    ("GET", "/review/news-items/{item_id}"): lambda world, who, values: [
        Call("GET", f"/review/news-items/{world.news_item()}")
    ],
    ("GET", "/import"): _get("/import"),
    ("GET", "/users"): _get("/users"),
    ("GET", "/audit"): _get("/audit"),
    ("GET", "/records/{kind}/{key}/history"): _history_page,
    ("GET", "/openrosa/formList"): _get(
        "/openrosa/formList", _has("<formID>demine_minefield_verification</formID>")
    ),
    ("GET", "/openrosa/forms/{form_id}/form.xml"): _forms("form.xml"),
    ("GET", "/openrosa/forms/{form_id}/manifest"): _forms("manifest"),
    ("GET", "/openrosa/forms/{form_id}/media/{file_name}"): _forms("media/{media}"),
    ("HEAD", "/openrosa/submission"): lambda world, who, values: [
        Call("HEAD", "/openrosa/submission")
    ],
    ("POST", "/openrosa/submission"): _submissions,
    ("GET", "/forms"): _get("/forms", _has('href="/forms/demine_minefield_verification"')),
    ("GET", "/forms/offline.js"): _get("/forms/offline.js"),
    ("GET", "/forms/{form_id}"): lambda world, who, values: [
        Call("GET", f"/forms/{form_id}")
        for form_id in ("demine_clearance_progress", "demine_minefield_verification")
    ],
    ("GET", "/openapi.json"): _get("/openapi.json"),
    ("GET", "/docs"): _get("/docs"),
    ("GET", "/static/{path}"): _get("/static/demine.css"),
}


def choices(rule: Rule) -> list[tuple[tuple[str, ...], Access]]:
    return [((), rule)] if isinstance(rule, Access) else list(rule.choices)


def _refused(response: Response, *, concealed: bool) -> bool:
    if concealed:
        return response.status_code == 404
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("location", "")
    return response.status_code == 303 and location.startswith("/login")


def observed(answers: list[tuple[bool, bool]]) -> Verdict:
    """The verdict of a role's answers: ``(refused, complete)`` each."""
    if all(refused for refused, _complete in answers):
        return Verdict.REFUSED
    if any(refused or not complete for refused, complete in answers):
        return Verdict.FILTERED
    return Verdict.ALLOWED


def _wait_for(world: World, who: str, job: str) -> None:
    for _attempt in range(600):
        state = world.setup(who, "GET", f"/api/imports/{job}").json()["state"]
        if state not in ("queued", "running"):
            assert state == "done", state
            return
        time.sleep(0.05)
    raise AssertionError(f"import job {job} did not finish")


def build_world(store: Store) -> World:
    """The sample register, casualties, minefield records, risk education sessions, a
    stored risk layer and a project; an account per role; drafts of two organisations;
    two finished import jobs."""
    web = web_on(store)
    web.client.app.state.field_forms = served_forms  # type: ignore[attr-defined]
    for kind, name in CASUALTY_FILES:
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY, principal=LOADER)
    for kind, name in (
        ("minefield-records", "minefield_records.geojson"),
        ("minefield-rows", "minefield_rows.csv"),
        ("minefield-points", "minefield_points.csv"),
    ):
        import_file(store, kind, RECORDS / name, country="AZ", today=TODAY)
    for kind in ("accreditations", "tasks"):
        import_file(store, kind, TASKS / f"{kind}.csv", country="AZ", today=TODAY)
    for kind, name in (
        ("quality-inspections", "quality_inspections.csv"),
        ("non-conformities", "non_conformities.csv"),
    ):
        import_file(store, kind, REGISTER / name, country="AZ", today=TODAY)
    import_file(store, "eore-sessions", REGISTER / "eore_sessions.csv", country="AZ", today=TODAY)
    store_risk_layer(store)
    with store.write() as connection:
        add_user(connection, "vita", PASSWORD, "viewer", victim_data=True)
        add_user(connection, "tess", PASSWORD, "viewer")
        token = create_token(connection, "vita", "matrix")
    web.headers["vita"] = {"Authorization": f"Bearer {token}"}
    world = World(web)
    assert world.setup("ines", "POST", "/api/projects", json=PROJECT).status_code == 201
    for kind in REST_KINDS:
        key = SPECS[kind].key_field
        listed = world.setup("vera", "GET", f"/api/{kind}?limit=1").json()["items"]
        assert listed, f"the fixture register has no live {kind} record"
        world.keys[kind] = str(listed[0][key])
    collections = _collections(world.setup("ines", "GET", "/ogc/collections"))
    for collection in collections:
        features = world.setup("ines", "GET", f"/ogc/collections/{collection}/items?limit=1")
        for feature in features.json()["features"]:
            world.items[collection] = str(feature["id"])
    world.drafts = {"own": world.activity("dora", "ANAMA"), "other": world.activity("sami", "SAFE")}
    for who in ("ines", "adam"):
        upload = {"file": ("finds.csv", (REGISTER / "finds.csv").read_bytes(), "text/csv")}
        started = world.setup(
            who, "POST", "/api/imports", data={"kind": "finds", "dry_run": "true"}, files=upload
        )
        assert started.status_code == 202, started.text
        world.jobs.append(started.json()["id"])
        _wait_for(world, who, world.jobs[-1])
    return world


#: Rows and cells of the matrix judged (an empty collection has no item to ask for).
ROWS, CELLS = 186, 1104  # 186 × 6 roles, less the items of projects-areas and tasks-points


def test_every_route_answers_every_role_as_the_table_says(store: Store) -> None:
    assert set(PROBES) == set(WEB_ROUTES), "a route of the table has no probe here"
    started, cpu = time.monotonic(), time.process_time()
    world = build_world(store)
    for role, user in ROLE_USERS.items():
        me = world.setup(user, "GET", "/api/me").json()
        assert me["roles"] == sorted(r.value for r in MATRIX_ROLES[role].roles), role
    mismatches, rows, cells = [], 0, 0
    for (method, path), rule in WEB_ROUTES.items():
        for values, access in choices(rule):
            rows += 1
            for role, user in ROLE_USERS.items():
                calls = PROBES[method, path](world, user, values)
                if not calls:
                    continue  # nothing of it in the world to ask for (an empty collection)
                cells += 1
                answers = []
                for call in calls:
                    response = world.send(user, call)
                    assert response.status_code < 500, (call, response.text)
                    refused = _refused(response, concealed=access.concealed)
                    complete = refused or call.complete is None or call.complete(response)
                    answers.append((refused, complete))
                seen = observed(answers)
                expected = verdict(access, MATRIX_ROLES[role])
                if seen is not expected:
                    mismatches.append(f"{method} {path} {values} as {role}: {seen}, not {expected}")
    print(
        f"\npermission matrix: {len(WEB_ROUTES)} routes, {rows} rows, {cells} cells, "
        f"{world.requests} requests (+{world.setup_requests} to set up) "
        f"in {time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s of CPU)"
    )
    assert not mismatches, "\n".join(mismatches)
    assert rows == ROWS and cells == CELLS


# The commands that ask for a role, called with each role stated by --as-role.
runner = CliRunner()
#: --as-role arguments of each role of the matrix (the command line has no anonymous).
AS_ROLE = {
    "viewer": ["viewer"],
    "data entry": ["data_entry"],
    "information manager": ["information_manager"],
    "administrator": ["administrator"],
    "victim-data grant": ["viewer", "victim_data"],
}


def _command_calls(command: str, values: tuple[str, ...], out: Path) -> list[list[str]]:
    if command == "demine audit":
        return [["audit", "--limit", "1"], ["audit", "--log", "access", "--limit", "1"]]
    if command == "demine check geometry":
        return [["check", "geometry", "--kind", *values, "--format", "json"]]
    if command == "demine victims identifiers":
        return [["victims", "identifiers", "--victim", "VIC-001", "--purpose", "matrix"]]
    if command == "demine export":
        export = ["export", "--format", "csv", "--output", str(out)]
        return [
            [*export, "--kind", "hazards"],
            [*export, "--kind", "victim-identifiers", "--purpose", "matrix"],
            [*export, "--kind", "activities", "--include-drafts"],
        ]
    assert command == "demine import" and "victim-identifiers" in values
    return [
        ["import", kind, str(REGISTER / f"{kind.replace('-', '_')}.csv"), "--dry-run"]
        for kind in values
    ]


def test_commands_asking_for_a_role_answer_as_the_table_says(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    load_casualty_sample(store)
    checked, invocations, mismatches = 0, 0, []
    for command, rule in COMMANDS.items():
        for values, access in choices(rule):
            if access.needs is None and not access.narrowed:
                continue  # no role is asked
            checked += 1
            for role, roles in AS_ROLE.items():
                answers = []
                for arguments in _command_calls(command, values, tmp_path / "out"):
                    stated = [part for name in roles for part in ("--as-role", name)]
                    result = runner.invoke(cli_app, ["--db", database_url, *arguments, *stated])
                    invocations += 1
                    refused = isinstance(result.exception, Forbidden)
                    assert refused or result.exit_code == 0, (arguments, result.output)
                    answers.append((refused, True))
                seen, expected = observed(answers), verdict(access, MATRIX_ROLES[role])
                if seen is not expected:
                    mismatches.append(f"{command} {values} as {role}: {seen}, not {expected}")
    print(f"\ncommand matrix: {checked} rows, {invocations} invocations")
    assert not mismatches, "\n".join(mismatches)
    assert checked == 4 + len(GEOMETRY_KINDS)


def test_importing_victims_personal_data_needs_the_grant(store: Store, database_url: str) -> None:
    load_casualty_sample(store)
    with store.write() as connection:
        connection.execute(delete(schema.victim_identifiers))
    file = str(REGISTER / "victim_identifiers.csv")
    command = ["--db", database_url, "import", "victim-identifiers", file]
    refused = runner.invoke(cli_app, [*command, "--as-role", "information_manager"])
    assert isinstance(refused.exception, Forbidden)
    assert refused.exception.message.endswith(
        "(information_manager) may not import victims' personal data: "
        "it needs the 'victim_data' permission."
    )
    assert _identifiers(store) == 0
    granted = runner.invoke(cli_app, [*command, "--as-role", "viewer", "--as-role", "victim_data"])
    assert granted.exit_code == 0, granted.output
    assert _identifiers(store) == 2


def _identifiers(store: Store) -> int:
    with store.read() as connection:
        return len(connection.execute(select(schema.victim_identifiers.c.id)).all())
