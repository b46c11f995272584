"""The one table of route → permission names every route the application serves and
every command, nothing else, and the server refuses a route it does not name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from fastapi.testclient import TestClient

from demine.cli.commands_data import RECORD_KINDS
from demine.cli.docs import _commands
from demine.cli.main import app as cli_app
from demine.domain.kinds import KINDS
from demine.domain.permissions_table import COMMANDS, MAP_LAYERS, REST_KINDS, WEB_ROUTES
from demine.domain.route_access import ByParameter
from demine.settings import Settings
from demine.store.engine import open_store
from demine.store.reads.map_layers import layer_kind
from demine.web.app import create_app
from demine.web.ogc.collections import served
from demine.web.route_guard import served_routes
from demine.web.routes_api import Action, Kind
from demine.web.routes_map import Layer


def _app() -> Any:
    # Nothing is read from the store until a request needs it (no jobs interrupted, and
    # a jobs folder given so that none is derived from the store).
    settings = Settings(database_url="unused", country="AZ", jobs_dir=Path("unused"))
    return create_app(settings, None, interrupt_jobs=False)  # type: ignore[arg-type]


def test_every_route_served_is_declared_and_every_declaration_is_served() -> None:
    routes = [key for key, _endpoint in served_routes(_app())]
    assert len(routes) == len(set(routes))
    assert sorted(set(routes) - set(WEB_ROUTES)) == [], "routes without a declared permission"
    assert sorted(set(WEB_ROUTES) - set(routes)) == [], "declared routes the app does not serve"
    assert len(routes) == 65


def _leaf_commands() -> dict[str, Any]:
    tree = _commands(typer.main.get_command(cli_app), "demine")
    return {path: command for path, command in tree if not hasattr(command, "commands")}


def test_every_command_is_declared_and_every_declaration_is_a_command() -> None:
    commands = _leaf_commands()
    assert sorted(set(commands) - set(COMMANDS)) == [], "commands without a declared permission"
    assert sorted(set(COMMANDS) - set(commands)) == [], "declared commands that do not exist"
    assert len(commands) == 48


def test_commands_ask_for_a_role_exactly_when_the_table_says_one_counts() -> None:
    """A command declared with a permission (or a narrowing) takes ``--as-role``; one of
    the local operator or for anyone asks for no role, so none could be misread."""
    asks = {
        path
        for path, command in _leaf_commands().items()
        if any("--as-role" in parameter.opts for parameter in command.params)
    }
    declared = {
        name
        for name, rule in COMMANDS.items()
        for _values, access in (rule.choices if isinstance(rule, ByParameter) else [((), rule)])
        if access.needs is not None or access.narrowed
    }
    assert asks == declared == {
        "demine audit", "demine check geometry", "demine export", "demine import",
        "demine victims identifiers",
    }  # fmt: skip


def _choices(rule: ByParameter) -> list[str]:
    return [value for values, _access in rule.choices for value in values]


def test_parameter_choices_are_exactly_the_values_the_route_takes() -> None:
    takes = {
        "kind": sorted(kind.value for kind in Kind),
        "action": sorted(action.value for action in Action),
        "layer": sorted(layer.value for layer in Layer),
        "collection_id": sorted(served()),
    }
    assert sorted(REST_KINDS) == takes["kind"]
    for (method, path), rule in WEB_ROUTES.items():
        if isinstance(rule, ByParameter):
            assert f"{{{rule.parameter}}}" in path, (method, path)
            assert sorted(_choices(rule)) == takes[rule.parameter], (method, path)
    importable = _choices(COMMANDS["demine import"])  # type: ignore[arg-type]
    assert sorted(importable) == sorted([*RECORD_KINDS, "colombia", "bulletin"])


def test_map_layers_draw_the_kinds_the_table_says() -> None:
    assert {layer: layer_kind(layer).name for layer in MAP_LAYERS} == MAP_LAYERS
    assert set(MAP_LAYERS.values()) <= set(KINDS)


def test_a_route_declared_nowhere_is_refused_to_everyone(sqlite_url: str) -> None:
    store = open_store(sqlite_url, create=True)
    app = create_app(Settings(database_url=sqlite_url, country="AZ"), store, interrupt_jobs=False)

    def undeclared() -> dict[str, str]:
        return {"secret": "yes"}

    app.router.add_api_route("/undeclared/route", undeclared)
    answer = TestClient(app).get("/undeclared/route")
    assert answer.status_code == 403
    assert answer.json()["message"] == (
        "GET /undeclared/route has no declared permission "
        "(demine.domain.permissions_table), so it is refused to everyone"
    )
    store.dispose()
