"""The ``demine`` command tree, built a branch at a time.

Every top-level command (or group) is named here with the part of the code that adds
it; that code — its command modules, and what they import — is loaded only when the
command runs, or when help or the generated docs list every command. ``demine report
weekly`` thus loads the report commands and nothing of imports, forms or the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from functools import cache
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command, Context

#: Adds one part of the tree to the Typer it is given.
Wiring = Callable[[typer.Typer], None]


def _data(part: typer.Typer) -> None:
    from demine.cli import commands_data

    commands_data.register(part)


def _report(part: typer.Typer) -> None:
    from demine.cli import commands_report, commands_tasks

    commands_report.register(part)
    commands_tasks.register(commands_report.app)


def _serve(part: typer.Typer) -> None:
    from demine.cli import commands_serve

    commands_serve.register(part)


def _audit(part: typer.Typer) -> None:
    from demine.cli import commands_audit

    commands_audit.register(part)


def _analyse(part: typer.Typer) -> None:
    from demine.cli import commands_analyse, commands_projects

    part.add_typer(commands_analyse.app, name="analyse")
    commands_projects.register(part, commands_analyse.app)


def _db(part: typer.Typer) -> None:
    from demine.cli import commands_db

    part.add_typer(commands_db.app, name="db")


def _users(part: typer.Typer) -> None:
    from demine.cli import commands_users

    part.add_typer(commands_users.app, name="user")


def _records(part: typer.Typer) -> None:
    from demine.cli import commands_records

    part.add_typer(commands_records.app, name="records")


def _check(part: typer.Typer) -> None:
    from demine.cli import commands_check

    commands_check.register(part)


def _victims(part: typer.Typer) -> None:
    from demine.cli import commands_victims

    commands_victims.register(part)


def _risk(part: typer.Typer) -> None:
    from demine.cli import commands_risk

    commands_risk.register(part)


def _forms(part: typer.Typer) -> None:
    from demine.cli import commands_forms

    commands_forms.register(part)


#: Every top-level command in the order help lists them (commands, then groups) and
#: the wiring that adds it; commands added together share one wiring.
TOP_LEVEL: dict[str, Wiring] = {
    "import": _data,
    "export": _data,
    "template": _data,
    "demo": _data,
    "parse-bulletin": _data,
    "summary": _report,
    "serve": _serve,
    "audit": _audit,
    "forecast": _analyse,
    "db": _db,
    "user": _users,
    "records": _records,
    "analyse": _analyse,
    "check": _check,
    "report": _report,
    "victims": _victims,
    "forms": _forms,
    "risk": _risk,
}


@cache
def _wired(wiring: Wiring) -> typer.Typer:
    """The Typer ``wiring`` fills, once per process (command modules' own Typers are
    module-level, so adding to them twice would add their commands twice)."""
    # The settings the root passes down to what it converts (see ``main.app``).
    part = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
    wiring(part)
    return part


class _Branches(MutableMapping[str, "Command"]):
    """A group's commands by name, each converted when first asked for."""

    def __init__(self, table: dict[str, Wiring]) -> None:
        self._table = table
        self._names = list(table)
        self._converted: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._converted:
            wiring = self._table[name]
            converted = typer.main.get_group(_wired(wiring)).commands
            expected = {other for other, by in self._table.items() if by is wiring}
            if set(converted) != expected:
                raise RuntimeError(
                    f"{wiring.__name__} adds {sorted(converted)}, the table says {sorted(expected)}"
                )
            self._converted.update(converted)
        return self._converted[name]

    def __setitem__(self, name: str, command: Command) -> None:
        if name not in self._names:
            self._names.append(name)
        self._converted[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._converted.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


class LazyGroup(TyperGroup):
    """The root group: its commands are :data:`TOP_LEVEL`, each loaded on first use."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.commands = _Branches(TOP_LEVEL)

    def list_commands(self, ctx: Context) -> list[str]:
        # Names only: listing must not load every command (the base class reads items).
        return list(self.commands)
