"""The layers the folder names promise: what each package of Demine may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "src" / "demine"


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file of ``package`` imports, at any depth of the file."""
    found: dict[str, set[str]] = {}
    for path in sorted((SOURCE / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(SOURCE))] = names
    return found


def offenders(package: str, forbidden: str) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imported_modules(package).items()
        for name in sorted(names)
        if name == forbidden or name.startswith(f"{forbidden}.")
    ]


@pytest.mark.parametrize("forbidden", ["demine.demo", "demine.cli", "demine.web"])
def test_ingest_does_not_import_outer_layers_or_the_demo(forbidden: str) -> None:
    assert offenders("ingest", forbidden) == []
