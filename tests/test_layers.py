"""The layers the folder names promise: what each package of Demine may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "src" / "demine"


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` except the bodies of ``if TYPE_CHECKING:`` (annotations only)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return nodes


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file of ``package`` imports when it runs, at any depth of the file."""
    found: dict[str, set[str]] = {}
    for path in sorted((SOURCE / package).rglob("*.py")):
        names: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
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


def test_ingest_leaves_sql_to_the_store() -> None:
    assert offenders("ingest", "sqlalchemy") == []
