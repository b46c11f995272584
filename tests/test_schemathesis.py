"""Property-based requests against the app's own OpenAPI document (Schemathesis): every
operation, with generated parameters and bodies (valid and invalid ones), as anonymous and
as each role. Whatever the request:

- the answer is never a server error (5xx): bad input is the caller's to fix and must be
  answered as such (4xx with the reason);
- the answer is what the document promises: a documented status code, a documented
  content type, the documented headers, and a body matching the documented schema.

Generated paths mostly name nothing, and generated logins fail: for the operations that
name a record, an account or an OGC collection, and for logging in, half as many cases
again name ones that exist (and log in with the right password), so that the answers
about real records, accounts and features are checked too.

The operations run in one test per role and database, driven by Hypothesis directly with a
fixed seed (``derandomize``): the app needs a fresh store from a fixture, and Schemathesis'
lazy pytest loader does not run on this pytest version. Every case runs to the end and
every failure is collected, so a failing run says how many cases broke which check.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.web_fixtures import ACCOUNTS, PASSWORD, Web, web_on

from demine.ingest.specs import SPECS
from demine.store.engine import Store
from demine.store.users import add_user, create_token
from demine.web.routes_api import Kind

#: Examples per operation and role: enough to find the odd input, bounded to keep the
#: suite quick. A longer search: ``DEMINE_FUZZ_EXAMPLES=500 pytest tests/test_schemathesis.py``.
EXAMPLES = int(os.environ.get("DEMINE_FUZZ_EXAMPLES", "15"))
#: The same cases on every run (``derandomize`` alone would derive the seed from this
#: file's source, so that any edit of the test would change the cases).
SEED = 20240707
#: Who calls, by role: the accounts of ``tests.web_fixtures`` and one holding the
#: victim-data grant (beside the information manager's role, as it is given in practice).
CALLERS = {
    "anonymous": "public",
    "viewer": "vera",
    "data_entry": "dora",
    "information_manager": "ines",
    "administrator": "adam",
    "victim_data": "vicky",
}
#: What every response is checked for.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def web(store: Store) -> Iterator[Web]:
    web = web_on(store)
    with store.write() as connection:
        add_user(connection, "vicky", PASSWORD, "information_manager", victim_data=True)
        token = create_token(connection, "vicky", "test")
    web.headers["vicky"] = {"Authorization": f"Bearer {token}"}
    yield web
    # Generated uploads start imports; they must end before the store closes.
    web.client.app.state.jobs.close()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Known:
    """Names of what exists in the sample register."""

    #: A few record keys of each kind, by kind.
    keys: dict[str, list[str]]
    accounts: list[str]
    #: A few feature ids of each OGC collection, by collection id.
    features: dict[str, list[str]]


def _known(web: Web) -> Known:
    def read(path: str) -> Any:
        return web.client.get(path, headers=web.as_("ines")).json()

    keys = {
        kind.value: [
            str(item[SPECS[kind.value].fields[0].name])
            for item in read(f"/api/{kind.value}?limit=3")["items"]
        ]
        for kind in Kind
    }
    features = {
        collection["id"]: [
            str(feature["id"])
            for feature in read(f"/ogc/collections/{collection['id']}/items?limit=3")["features"]
        ]
        for collection in read("/ogc/collections")["collections"]
    }
    accounts = [name for name, _role, _organisation in ACCOUNTS] + ["vicky"]
    return Known(keys, accounts, features)


def _naming_known(case: schemathesis.Case, known: Known) -> st.SearchStrategy[schemathesis.Case]:
    """``case`` naming a record, an account or a feature that exists, or logging in."""
    path = case.path_parameters
    if "collection_id" in path:
        return st.sampled_from(sorted(known.features)).flatmap(partial(_in_collection, case, known))
    # A record's key, under its kind (or the kind the path names: a minefield record's scans).
    parts = case.operation.path.split("/")
    kind = str(path["kind"]) if "kind" in path else (parts[2] if len(parts) > 2 else "")
    if "key" in path and known.keys.get(kind):
        return st.sampled_from(known.keys[kind]).map(partial(_with, case, "key"))
    if "username" in path:
        return st.sampled_from(known.accounts).map(partial(_with, case, "username"))
    if case.operation.path == "/login" and isinstance(case.body, dict):
        return st.sampled_from(known.accounts).map(partial(_logging_in, case))
    return st.just(case)


def _in_collection(
    case: schemathesis.Case, known: Known, collection: str
) -> st.SearchStrategy[schemathesis.Case]:
    named = _with(case, "collection_id", collection)
    if "item_id" in case.path_parameters and known.features[collection]:
        return st.sampled_from(known.features[collection]).map(partial(_with, named, "item_id"))
    return st.just(named)


def _with(case: schemathesis.Case, name: str, value: str) -> schemathesis.Case:
    named = case.derive()
    named.path_parameters[name] = value
    return named


def _logging_in(case: schemathesis.Case, username: str) -> schemathesis.Case:
    named = case.derive()
    named.body = {**named.body, "username": username, "password": PASSWORD}
    return named


@dataclass
class Findings:
    """What a run found: cases sent, and the failures of each check."""

    cases: int = 0
    #: Answers by operation and status (what the cases reached).
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    #: One described example per (operation, check, status), the first seen.
    examples: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def crash(self, case: schemathesis.Case, error: Exception) -> None:
        """A request the app answered with an exception (a server error)."""
        self.failures["ServerError"] += 1
        self.examples.setdefault(
            (case.operation.label, "ServerError", 500),
            f"{self.describe(case)} → {type(error).__name__}: {str(error)[:600]}",
        )

    @staticmethod
    def describe(case: schemathesis.Case) -> str:
        sent = "" if isinstance(case.body, NotSet) else f" body={case.body!r}"
        return (
            f"{case.method} {case.formatted_path} query={case.query} headers={case.headers}{sent}"
        )

    def record(self, case: schemathesis.Case, status: int, failure: Failure) -> None:
        check = type(failure).__name__
        self.failures[check] += 1
        self.examples.setdefault(
            (case.operation.label, check, status),
            f"{self.describe(case)} → {status}: {failure.title}\n{failure.message[:600]}",
        )


def _send(
    web: Web,
    who: str,
    cases: st.SearchStrategy[schemathesis.Case],
    examples: int,
    found: Findings,
) -> None:
    """Send up to ``examples`` requests drawn from ``cases`` as ``who``, and check each
    answer."""
    headers = web.as_(who)

    @seed(SEED)
    @given(case=cases)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: schemathesis.Case) -> None:
        found.cases += 1
        try:
            response = case.call(headers=headers)
        except Exception as error:  # the test client re-raises what the app did not answer
            found.crash(case, error)
            return
        found.statuses[(case.operation.label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                found.record(case, response.status_code, failure)
        except Failure as failure:
            found.record(case, response.status_code, failure)

    conforms()


def _names_things(operation: schemathesis.APIOperation) -> bool:
    """Whether :func:`_naming_known` has something to name in ``operation``'s requests."""
    names = ("{key}", "{username}", "{collection_id}")
    return operation.path == "/login" or any(name in operation.path for name in names)


@pytest.mark.parametrize("role", CALLERS)
def test_every_answer_is_documented_and_no_server_error(web: Web, role: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "every router's operations are in the OpenAPI document"
    known = _known(web)
    found = Findings()
    for operation in operations:
        positive = operation.as_strategy(schemathesis.GenerationMode.POSITIVE)
        negative = operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)
        _send(web, CALLERS[role], st.one_of(positive, negative), EXAMPLES, found)
        if _names_things(operation):
            naming = positive.flatmap(partial(_naming_known, known=known))
            _send(web, CALLERS[role], naming, EXAMPLES // 2, found)
    # Run with -s to read what the cases reached.
    print(f"\n{role}: {found.cases} cases, answers {sorted(found.statuses.items())}")
    described = "\n\n".join(
        f"[{operation} · {check} · {status}] {example}"
        for (operation, check, status), example in sorted(found.examples.items())
    )
    assert not found.failures, (
        f"{found.cases} cases as {role}: {dict(found.failures)}\n\n{described}"
    )
