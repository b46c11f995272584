"""A geometry column that is WKB in SQLite and a PostGIS ``geometry`` in PostgreSQL.

Values in and out are shapely geometries in WGS84 (EPSG:4326). The dialect difference
lives only here: SQLite stores plain WKB (the stock Python cannot load SpatiaLite),
PostGIS converts WKB on the way in and out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler, TypeCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import UserDefinedType

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

WGS84 = 4326


def is_geometry(value: Any) -> bool:
    """Whether ``value`` is a shapely geometry. None exists before shapely is loaded,
    and this test does not load it: commands that handle no geometry start faster."""
    base = sys.modules.get("shapely.geometry.base")
    return base is not None and isinstance(value, base.BaseGeometry)


class Geometry(UserDefinedType["BaseGeometry"]):
    """Any geometry in WGS84 (shapely is loaded only when a geometry is read or written)."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "GEOMETRY"

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        return _GeometryFromWkb(bindvalue, type_=self)

    def column_expression(self, colexpr: Any) -> ColumnElement[Any]:
        return _GeometryAsWkb(colexpr, type_=self)

    def bind_processor(self, dialect: Any) -> Callable[[Any], bytes | None]:
        import shapely

        def process(value: Any) -> bytes | None:
            if value is None:
                return None
            return bytes(shapely.to_wkb(value, include_srid=False))

        return process

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], BaseGeometry | None]:
        import shapely

        def process(value: Any) -> BaseGeometry | None:
            if value is None:
                return None
            return shapely.from_wkb(bytes(value))

        return process


class StoredWkb(Geometry):
    """A geometry read as its WKB bytes, without making a shapely object of it: a key
    for what is written from it (:mod:`demine.web.ogc.geometry_text`)."""

    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Callable[[Any], bytes | None]:
        def process(value: Any) -> bytes | None:
            return None if value is None else bytes(value)

        return process


@compiles(Geometry, "postgresql")
def _geometry_pg(type_: Geometry, compiler: TypeCompiler, **kw: Any) -> str:
    return f"geometry(Geometry,{WGS84})"


@compiles(Geometry, "sqlite")
def _geometry_sqlite(type_: Geometry, compiler: TypeCompiler, **kw: Any) -> str:
    return "BLOB"


class _TypedFunction(FunctionElement[Any]):
    inherit_cache = True

    def __init__(self, expression: Any, type_: Geometry) -> None:
        super().__init__(expression)
        self.type = type_


class _GeometryFromWkb(_TypedFunction):
    inherit_cache = True
    name = "geometry_from_wkb"


class _GeometryAsWkb(_TypedFunction):
    inherit_cache = True
    name = "geometry_as_wkb"


@compiles(_GeometryFromWkb)
def _from_wkb_plain(element: _GeometryFromWkb, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_GeometryFromWkb, "postgresql")
def _from_wkb_pg(element: _GeometryFromWkb, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_GeomFromWKB({compiler.process(element.clauses, **kw)}, {WGS84})"


@compiles(_GeometryAsWkb)
def _as_wkb_plain(element: _GeometryAsWkb, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_GeometryAsWkb, "postgresql")
def _as_wkb_pg(element: _GeometryAsWkb, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ST_AsBinary({compiler.process(element.clauses, **kw)})"
