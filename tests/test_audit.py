"""``demine audit``: administrators read who changed which record, with the values
before and after; anyone else is refused with the one Forbidden error (exit code 7)."""

from __future__ import annotations

import json

from tests.web_fixtures import correct, web_on
from typer.testing import CliRunner

from demine.cli.main import app
from demine.errors import DemineError, Forbidden
from demine.store.engine import Store

runner = CliRunner()


def _audit(url: str, *args: str) -> tuple[int, str]:
    """Exit code and output, as ``demine`` would end (a Demine error gives its code)."""
    result = runner.invoke(app, ["--db", url, "audit", *args])
    if isinstance(result.exception, DemineError):
        return result.exception.exit_code, result.exception.message
    return result.exit_code, result.output


def test_administrators_read_who_changed_what(store: Store, database_url: str) -> None:
    web = web_on(store)
    changed = correct(web, "ines", "hazards", "HA-002", remaining_area_m2=900000)
    assert changed.status_code == 200
    code, output = _audit(
        database_url, "--kind", "hazards", "--as-role", "administrator", "--format", "json"
    )
    assert code == 0, output
    entries = json.loads(output)
    update = next(e for e in entries if e["action"] == "update")
    assert update["record"] == "HA-002" and update["kind"] == "hazards"
    assert update["actor"].startswith("ines")
    assert update["changes"]["remaining_area_m2"]["after"] == 900000
    assert update["changes"]["remaining_area_m2"]["before"] != 900000
    code, text = _audit(database_url, "--record", "HA-002", "--as-role", "administrator")
    assert code == 0 and "HA-002" in text and "remaining_area_m2" in text


def test_only_administrators_read_the_audit_log(store: Store, database_url: str) -> None:
    web_on(store)
    code, output = _audit(database_url, "--as-role", "information_manager")
    assert code == Forbidden.exit_code == 7
    assert "may not read the audit log" in output
    code, output = _audit(database_url, "--log", "access")
    assert code == 7


def test_the_audit_and_history_pages(store: Store) -> None:
    web = web_on(store)
    correct(web, "ines", "hazards", "HA-002", remaining_area_m2=900000)
    audit = web.client.get("/audit?record=HA-002", headers=web.as_("adam"))
    assert audit.status_code == 200
    assert "remaining_area_m2" in audit.text and "900000" in audit.text
    assert web.client.get("/audit", headers=web.as_("ines")).status_code == 403
    assert web.client.get("/audit").status_code == 303  # anonymous: to the login form
    history = web.client.get("/records/hazards/HA-002/history", headers=web.as_("vera"))
    assert history.status_code == 200
    assert history.text.count("<tr data-version=") == 2
    assert "900000" in history.text and "ines" in history.text


def test_an_unknown_kind_is_a_clear_error_everywhere(store: Store, database_url: str) -> None:
    web = web_on(store)
    code, output = _audit(database_url, "--kind", "bogus", "--as-role", "administrator")
    assert code == 5 and "no record kind 'bogus'" in output
    assert web.client.get("/audit?kind=bogus", headers=web.as_("adam")).status_code == 404
    page = web.client.get("/records/bogus/X/history", headers=web.as_("vera"))
    assert page.status_code == 404
    assert web.client.get("/records/finds/NOPE/history", headers=web.as_("vera")).status_code == 404
