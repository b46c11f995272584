"""Property-based requests against the app's own OpenAPI document (Schemathesis): every
operation, with generated parameters and bodies (valid and invalid ones), as an
information manager. Whatever the request, the answer is never a server error (5xx):
bad input is the caller's to fix and must be answered as such (4xx with the reason).

The operations run in one test per database, driven by Hypothesis directly: the app
needs a fresh store from a fixture, and Schemathesis' lazy pytest loader does not run on
this pytest version.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.web_fixtures import Web, web_on

from demine.store.engine import Store

#: Examples per operation: enough to find the odd input, bounded to keep the suite quick.
EXAMPLES = 20


@pytest.fixture
def web(store: Store) -> Iterator[Web]:
    web = web_on(store)
    yield web
    # Generated uploads start imports; they must end before the store closes.
    web.client.app.state.jobs.close()  # type: ignore[attr-defined]


def _server_errors(web: Web, operation: schemathesis.APIOperation) -> str | None:
    """The first request to ``operation`` answered with a 5xx, described, or None."""
    cases = st.one_of(
        operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
    )
    headers = web.as_("ines")

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"
            f" → {response.status_code}: {response.text[:1000]}"
        )

    try:
        no_server_error()
    except AssertionError as failure:
        return str(failure)
    return None


def test_no_request_gets_a_server_error(web: Web) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "every router's operations are in the OpenAPI document"
    failures = [failure for operation in operations if (failure := _server_errors(web, operation))]
    assert not failures, "\n\n".join(failures)
