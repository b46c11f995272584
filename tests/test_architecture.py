"""The layers the code promises: SQL only in the store, a domain that imports nothing
of ours, and packages whose imports never go round in a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "demine"
#: The domain may use these leaf modules of ours (they import nothing of ours).
DOMAIN_MAY_USE = {"demine.domain", "demine.errors", "demine.i18n"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


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


def _imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports when it runs (at its top or inside functions)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = dict(_modules())
IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> str:
    """The package (``demine.store``) or top-level module a module belongs to."""
    return ".".join(module.split(".")[:2])


def test_only_the_store_speaks_sql() -> None:
    offenders = sorted(
        module
        for module, imported in IMPORTS.items()
        if _layer(module) != "demine.store"
        and any(name == "sqlalchemy" or name.startswith("sqlalchemy.") for name in imported)
    )
    assert offenders == []


def test_the_domain_imports_nothing_of_ours() -> None:
    offenders = sorted(
        f"{module} imports {name}"
        for module, imported in IMPORTS.items()
        if _layer(module) == "demine.domain"
        for name in imported
        if name.startswith("demine")
        and not any(name == allowed or name.startswith(f"{allowed}.") for allowed in DOMAIN_MAY_USE)
    )
    assert offenders == []


@pytest.mark.parametrize("outer", ["demine.demo", "demine.cli", "demine.web"])
def test_ingest_does_not_import_outer_layers_or_the_demo(outer: str) -> None:
    offenders = sorted(
        module
        for module, imported in IMPORTS.items()
        if _layer(module) == "demine.ingest" and any(n.startswith(outer) for n in imported)
    )
    assert offenders == []


def _package_graph() -> dict[str, set[str]]:
    layers = {_layer(m) for m in MODULES}
    graph: dict[str, set[str]] = {}
    for module, imported in IMPORTS.items():
        source = _layer(module)
        for name in imported:
            target = _layer(name)
            if name.startswith("demine.") and target != source and target in layers:
                graph.setdefault(source, set()).add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for following in sorted(graph.get(node, ())):
            if state.get(following) == 1:
                return [*stack[stack.index(following) :], following]
            if following not in state and (found := visit(following)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle_between_packages() -> None:
    assert _cycle(_package_graph()) is None


@pytest.mark.parametrize("package", ["demine.store", "demine.domain"])
def test_inner_layers_do_not_import_outer_ones(package: str) -> None:
    outer = {"demine.web", "demine.cli", "demine.reports", "demine.analysis", "demine.demo"}
    assert not _package_graph().get(package, set()) & outer


def test_each_kind_is_described_once_and_its_entity_agrees() -> None:
    """The registry names every attribute of each kind's entity (besides its country,
    geometry and the programme's custom values): a field added to one and not the other
    fails here, not at run time. Every entity takes custom values (a programme's fields
    file may extend any kind)."""
    import dataclasses

    from demine.domain.kinds import KINDS

    for kind in KINDS.values():
        attributes = {a.name for a in dataclasses.fields(kind.entity)}
        described = {field.entity_attribute for field in kind.fields}
        assert attributes - {"country", "geometry", "custom"} == described, kind.name
        assert "custom" in attributes, kind.name
        assert ("geometry" in attributes) == kind.spatial, kind.name
