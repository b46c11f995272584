"""How an entity kind is stored: the contract every table mapping fulfils."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Table

from demine.store.refs import Refs

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

Row = dict[str, Any]
E = TypeVar("E")


@dataclass(frozen=True)
class TableMapping(Generic[E]):
    """How one entity kind is stored: its table, key column and row conversions."""

    table: Table
    key_column: str
    key_of: Callable[[E], str]
    to_row: Callable[[E, Refs], Row]
    from_row: Callable[[Mapping[str, Any], Refs], E]


def bbox_columns(geometry: BaseGeometry | None) -> Row:
    """The bounding-box columns of a row holding ``geometry``."""
    if geometry is None:
        return {"min_x": None, "min_y": None, "max_x": None, "max_y": None}
    min_x, min_y, max_x, max_y = geometry.bounds
    return {"min_x": min_x, "min_y": min_y, "max_x": max_x, "max_y": max_y}
