"""The documentation lists every command and setting, and the generated pages are current."""

from __future__ import annotations

from tests.conftest import REPO

from demine.cli.docs import cli_reference, command_names, formats_reference, kinds_reference
from demine.cli.permissions_doc import permissions_reference
from demine.settings import SETTINGS_HELP


def test_generated_references_are_up_to_date() -> None:
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run python -m demine.cli.docs"
    )
    assert (REPO / "docs" / "kinds.md").read_text(encoding="utf-8") == kinds_reference(), (
        "docs/kinds.md is stale: run python -m demine.cli.docs"
    )
    assert (REPO / "docs" / "formats.md").read_text(encoding="utf-8") == formats_reference(), (
        "docs/formats.md is stale: run python -m demine.cli.docs"
    )
    assert (REPO / "docs" / "permissions.md").read_text(encoding="utf-8") == (
        permissions_reference()
    ), "docs/permissions.md is stale: run python -m demine.cli.docs"


def test_readme_names_every_command_and_setting() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in command_names():
        if command != "demine db":
            assert f"`{command}" in readme, f"README does not mention {command}"
    for setting in SETTINGS_HELP:
        assert f"`{setting}`" in readme


def test_readme_quick_start_is_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Quick start")
    section = readme[start : readme.index("\n## ", start + 1)]
    commands = [line for line in section.splitlines() if line.startswith("pip install")]
    assert commands == [
        "pip install . && demine demo && demine summary --from 2024-07-01 --to 2024-07-07"
        " && demine serve --demo",
        "pip install -e '.[test]' && python -m pytest",
    ]
