"""Every stored entity of a kind, as the domain holds it (admin areas with their aliases).

Read through compiled statements (:mod:`demine.store.compiled`), so a report on a plain
connection reads its areas without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from demine.domain.entities import AdminArea
from demine.domain.kinds import KIND_BY_ENTITY, KINDS
from demine.store.compiled import Parameters, Statement, run_on
from demine.store.entity_rows import entity_from_row
from demine.store.refs import Refs

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from demine.store.compiled import PlainConnection

E = TypeVar("E")


def _rows(_reader: None, shape: Mapping[str, Any], values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    kind = KINDS[shape["kind"]]
    table = schema.metadata.tables[kind.table]
    columns = [c for c in table.c if shape["with_geometry"] or c.name != "geometry"]
    statement = select(*columns).order_by(table.c[kind.key])
    if shape["country"] and "country" in table.c:
        statement = statement.where(table.c.country == values.country)
    return statement


def _aliases(_reader: None, _shape: Mapping[str, Any], _values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    table = schema.admin_area_aliases
    return select(table.c.area_id, table.c.alias)


_ROWS = Statement("entities.rows", _rows)
_ALIASES = Statement("entities.aliases", _aliases)


def load_all(
    connection: Connection | PlainConnection,
    entity_type: type[E],
    refs: Refs,
    country: str | None = None,
    *,
    with_geometry: bool = True,
) -> list[E]:
    """Every stored entity of ``entity_type`` (of one ``country`` if given), by key;
    without ``with_geometry`` their geometries are neither read nor decoded (None)."""
    kind = KIND_BY_ENTITY[entity_type]
    shape = {"kind": kind.name, "with_geometry": with_geometry, "country": country is not None}
    values = {} if country is None else {"country": country}
    names, found = run_on(connection, _ROWS, shape, **values)
    rows: Iterable[Mapping[str, Any]] = (dict(zip(names, row, strict=True)) for row in found)
    if not with_geometry and kind.spatial:
        rows = ({**row, "geometry": None} for row in rows)
    if entity_type is AdminArea:
        aliases = _all_aliases(connection)
        rows = ({**row, "aliases": sorted(aliases.get(row["id"], ()))} for row in rows)
    return [entity_from_row(kind, row, refs) for row in rows]


def _all_aliases(connection: Connection | PlainConnection) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for area_id, alias in run_on(connection, _ALIASES)[1]:
        result.setdefault(area_id, []).append(alias)
    return result
