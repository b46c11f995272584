"""Read statements compiled once by SQLAlchemy and run on a plain DB-API connection.

A read-only report (``demine report weekly`` …) spends a third of its time importing
SQLAlchemy and building the schema's Table objects before it asks the database
anything. Each statement on such a path is declared once as a :class:`Statement`: a
name and a builder that makes the SQLAlchemy Core statement (the one definition of
the query) from the reader and a *shape* (which optional parts it has), with every
value the caller gives as a named bound parameter. On a :class:`PlainConnection` the
statement is compiled for the database's dialect the first time it is needed, and
its SQL, constant parameters and how to convert each result column (as the column's
SQLAlchemy type would) are kept in a cache file (:mod:`.statement_cache`); later runs
take the SQL from there and never import SQLAlchemy. On a SQLAlchemy connection the
statement is built and executed as any other, so both paths give the same rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from demine.errors import InvalidRequestError
from demine.i18n import _

if TYPE_CHECKING:
    from demine.store.reader import RegisterReader
    from demine.store.statement_cache import StatementCache

#: Prefix of the bound parameters a caller gives values for.
_PARAMETER = "p_"


class Parameters:
    """What a builder writes for a value the caller gives: ``values.start`` is the bound
    parameter ``start`` (an ``IN`` list when named in ``expanding``)."""

    def __init__(self, expanding: Sequence[str] = ()) -> None:
        self._expanding = frozenset(expanding)

    def __getattr__(self, name: str) -> Any:
        from sqlalchemy import bindparam

        return bindparam(_PARAMETER + name, expanding=name in self._expanding)


#: Makes the statement from the reader it serves (None for one that depends on no
#: reader: key maps, areas), its shape and its parameters.
Builder = Callable[[Any, Mapping[str, Any], Parameters], Any]


@dataclass(frozen=True)
class Statement:
    """One read statement: its name (unique) and its SQLAlchemy builder.

    The builder may depend on the reader (its country and visibility, part of the key)
    and on the shape (booleans, names, tuples: their ``repr`` is part of the key), never
    on a value the caller gives, which it writes as a parameter of ``values``.
    """

    name: str
    build: Builder
    #: Parameters that are lists (``IN``): the SQL takes one placeholder per item.
    expanding: tuple[str, ...] = ()


class Compiled(NamedTuple):
    """A statement compiled for one dialect, as the cache keeps it."""

    sql: str
    #: Values of the parameters the builder wrote as constants, already as the driver takes them.
    constants: dict[str, Any]
    #: How each result column is converted (:data:`_CONVERTERS`).
    results: list[str]
    columns: list[str]


class Dialect(NamedTuple):
    name: str


class NotCompilable(Exception):
    """A statement the cache cannot keep (a builder mistake, found by the tests)."""


class PlainConnection:
    """A DB-API connection (``sqlite3`` or ``psycopg``) in a read transaction, with the
    statement cache of its database's dialect and schema revision."""

    def __init__(self, raw: Any, dialect: str, cache: StatementCache) -> None:
        self.raw = raw
        self.dialect = Dialect(dialect)
        self.cache = cache

    def run(
        self,
        reader: RegisterReader | None,
        statement: Statement,
        shape: Mapping[str, Any],
        values: Mapping[str, Any],
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        key = _key(reader, statement, shape)
        compiled = self.cache.get(key)
        if compiled is None:
            compiled = compile_statement(reader, statement, shape, self.dialect.name)
            self.cache.put(key, compiled)
        sql, parameters = _bound(compiled, statement.expanding, values, self.dialect.name)
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, parameters)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        converters = [_CONVERTERS[tag] for tag in compiled.results]
        if any(converter is not None for converter in converters):
            rows = [
                tuple(
                    value if convert is None or value is None else convert(value)
                    for convert, value in zip(converters, row, strict=True)
                )
                for row in rows
            ]
        else:
            rows = [tuple(row) for row in rows]
        return compiled.columns, rows


def run(
    reader: RegisterReader,
    statement: Statement,
    shape: Mapping[str, Any] | None = None,
    **values: Any,
) -> list[tuple[Any, ...]]:
    """The rows of ``statement`` of ``shape`` with ``values`` for its parameters."""
    return run_with_columns(reader, statement, shape, **values)[1]


def run_mappings(
    reader: RegisterReader,
    statement: Statement,
    shape: Mapping[str, Any] | None = None,
    **values: Any,
) -> list[dict[str, Any]]:
    """The rows of ``statement`` as dictionaries by column name."""
    columns, rows = run_with_columns(reader, statement, shape, **values)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def run_with_columns(
    reader: RegisterReader,
    statement: Statement,
    shape: Mapping[str, Any] | None = None,
    **values: Any,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    return _run(reader.connection, reader, statement, shape or {}, values)


def run_on(
    connection: Any,
    statement: Statement,
    shape: Mapping[str, Any] | None = None,
    **values: Any,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """``statement`` (built for no reader) on ``connection``: its columns and rows."""
    return _run(connection, None, statement, shape or {}, values)


def _run(
    connection: Any,
    reader: RegisterReader | None,
    statement: Statement,
    shape: Mapping[str, Any],
    values: Mapping[str, Any],
) -> tuple[list[str], list[tuple[Any, ...]]]:
    _refuse_nul(values)
    if isinstance(connection, PlainConnection):
        return connection.run(reader, statement, shape, values)
    built = _built(reader, statement, shape, connection.dialect.name)
    result = connection.execute(built, {_PARAMETER + k: v for k, v in values.items()})
    return list(result.keys()), [tuple(row) for row in result]


#: Statements built for SQLAlchemy connections, by key and dialect. Built once, a
#: statement is found in SQLAlchemy's cache of compiled statements by the key it
#: computed the first time: a summary of five years ran some forty statements, and
#: building each and computing its key again cost more than SQLite's reading.
_BUILT: dict[str, Any] = {}
#: Enough for every statement and shape the application runs, for a few countries.
_MOST_BUILT = 2000


def _built(
    reader: RegisterReader | None, statement: Statement, shape: Mapping[str, Any], dialect: str
) -> Any:
    try:
        key = f"{_key(reader, statement, shape)}|{dialect}"
    except ValueError:
        # A reader of a past day (temporary tables) or of a programme's own fields.
        return statement.build(reader, shape, Parameters(statement.expanding))
    built = _BUILT.get(key)
    if built is None:
        if len(_BUILT) >= _MOST_BUILT:
            _BUILT.clear()
        built = _BUILT[key] = statement.build(reader, shape, Parameters(statement.expanding))
    return built


def _refuse_nul(values: Mapping[str, Any]) -> None:
    # As the SQLAlchemy engines do (see :mod:`demine.store.engine`).
    for value in values.values():
        if isinstance(value, str) and "\x00" in value:
            raise InvalidRequestError(
                _("the request holds a NUL character (\\x00), which no text may hold")
            )


def _key(reader: RegisterReader | None, statement: Statement, shape: Mapping[str, Any]) -> str:
    served = reader.statement_key() if reader is not None else ("-",)
    parts = [statement.name, *served, *(f"{k}={shape[k]!r}" for k in sorted(shape))]
    return "|".join(str(part) for part in parts)


def sqlalchemy_dialect(name: str) -> Any:
    """The SQLAlchemy dialect statements are compiled for (as the engines use it)."""
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

        return PGDialect_psycopg()  # type: ignore[no-untyped-call]
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    return SQLiteDialect_pysqlite(paramstyle="named")


def compile_statement(
    reader: RegisterReader | None, statement: Statement, shape: Mapping[str, Any], dialect_name: str
) -> Compiled:
    """``statement`` built and compiled for ``dialect_name``: its SQL, the values of its
    constants (as their types bind them) and its result columns' converters."""
    dialect = sqlalchemy_dialect(dialect_name)
    built = statement.build(reader, shape, Parameters(statement.expanding))
    compiled = built.compile(dialect=dialect)
    constants: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        if name.startswith(_PARAMETER):
            continue
        value = bind.effective_value
        if isinstance(value, date | datetime) or not _json_safe(value):
            # A value that changes from one call to the next would be kept as a constant.
            raise NotCompilable(f"{statement.name}: {name}={value!r} is not a parameter")
        processor = bind.type._cached_bind_processor(dialect)
        constants[name] = processor(value) if processor is not None else value
    if "__[POSTCOMPILE_" in re.sub(r"__\[POSTCOMPILE_p_\w+\]", "", compiled.string):
        raise NotCompilable(f"{statement.name}: a constant list or literal left to render")
    results = [_converter(column.type, dialect) for column in built.selected_columns]
    columns = list(built.selected_columns.keys())
    return Compiled(compiled.string, constants, results, columns)


def _json_safe(value: Any) -> bool:
    try:
        return bool(json.loads(json.dumps(value)) == value)
    except (TypeError, ValueError):
        return False


def _converter(column_type: Any, dialect: Any) -> str:
    """How a result column of ``column_type`` is converted, as SQLAlchemy would."""
    from sqlalchemy import JSON, Boolean, Date, DateTime, Float

    from demine.store.geometry import Geometry, StoredWkb
    from demine.store.types import UtcDateTime

    if isinstance(column_type, UtcDateTime):
        return "utc_datetime"
    if isinstance(column_type, StoredWkb):
        return "wkb"
    if isinstance(column_type, Geometry):
        return "geometry"
    if dialect.name == "postgresql" and isinstance(column_type, Float):
        return "float"
    if dialect.name == "postgresql" and isinstance(column_type, Date | DateTime | Boolean | JSON):
        return "none"
    if column_type._cached_result_processor(dialect, None) is None:
        return "none"
    if isinstance(column_type, DateTime):
        return "datetime"
    for kind, tag in ((Date, "date"), (Boolean, "bool"), (JSON, "json")):
        if isinstance(column_type, kind):
            return tag
    raise NotCompilable(f"no converter for {column_type!r} on {dialect.name}")


def _bound(
    compiled: Compiled, expanding: Sequence[str], values: Mapping[str, Any], dialect: str
) -> tuple[str, dict[str, Any]]:
    """The SQL to execute and its parameters (``IN`` lists spread out)."""
    parameters = dict(compiled.constants)
    sql = compiled.sql
    for name, value in values.items():
        if name in expanding:
            items = list(value)
            if not items:
                raise ValueError(f"{name}: an empty list (the caller skips the query)")
            names = [f"{_PARAMETER}{name}_{n}" for n in range(len(items))]
            marks = ", ".join(_placeholder(n, dialect) for n in names)
            sql = sql.replace(f"__[POSTCOMPILE_{_PARAMETER}{name}]", marks)
            parameters.update(zip(names, (_bind_value(v, dialect) for v in items), strict=True))
        else:
            parameters[_PARAMETER + name] = _bind_value(value, dialect)
    return sql, parameters


def _placeholder(name: str, dialect: str) -> str:
    return f"%({name})s" if dialect == "postgresql" else f":{name}"


def _bind_value(value: Any, dialect: str) -> Any:
    """``value`` as SQLAlchemy's types bind it (SQLite keeps days and moments as text)."""
    if dialect == "postgresql":
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


_DAY = re.compile(r"(\d+)-(\d+)-(\d+)")
_MOMENT = re.compile(r"(\d+)-(\d+)-(\d+)(?:[ T](\d+):(\d+):(\d+)(?:\.(\d{1,6})\d*)?)?")


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        found = _DAY.match(str(value))
        if found is None:
            raise ValueError(f"Couldn't parse date string: {value!r}") from None
        return date(*map(int, found.groups()))


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    found = _MOMENT.match(str(value))
    if found is None:
        raise ValueError(f"Couldn't parse datetime string: {value!r}")
    year, month, day, hour, minute, second = (int(part or 0) for part in found.groups()[:6])
    fraction = found.group(7)
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return datetime(year, month, day, hour, minute, second, micro)


def _utc_moment(value: Any) -> datetime:
    moment = _moment(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json(value: Any) -> Any:
    # As SQLAlchemy's SQLite JSON type: a number SQLite gives back as one stays one.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _geometry(value: Any) -> Any:
    import shapely

    return shapely.from_wkb(bytes(value))


_CONVERTERS: dict[str, Callable[[Any], Any] | None] = {
    "none": None,
    "date": _day,
    "datetime": _moment,
    "utc_datetime": _utc_moment,
    "bool": bool,
    "json": _json,
    "float": float,
    "geometry": _geometry,
    "wkb": bytes,
}
