"""Translating between the identifiers people use (codes, external ids) and row keys.

Which kinds other records refer to follows from the registry of kinds (every
``REFERENCE`` field names one): a new kind that is referred to needs nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from demine.domain.kinds import KIND_BY_TABLE, KINDS, Kind
from demine.store.compiled import Parameters, Statement, run_on

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from demine.store.compiled import PlainConnection

#: Kinds that records of other kinds refer to (by code or external id).
REFERRED_KINDS: tuple[str, ...] = tuple(
    sorted({f.references for kind in KINDS.values() for f in kind.fields if f.references})
)


@dataclass
class KeyMap:
    """Two-way map between a table's public identifier and its row id."""

    id_by_key: dict[str, int] = field(default_factory=dict)
    key_by_id: dict[int, str] = field(default_factory=dict)

    def add(self, key: str, row_id: int) -> None:
        self.id_by_key[key] = row_id
        self.key_by_id[row_id] = key

    def id_of(self, key: str | None) -> int | None:
        if key is None:
            return None
        return self.id_by_key[key]

    def key_of(self, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        return self.key_by_id[row_id]


@dataclass
class Refs:
    """Key maps of every kind that other records refer to, by kind name."""

    maps: dict[str, KeyMap] = field(
        default_factory=lambda: {kind: KeyMap() for kind in REFERRED_KINDS}
    )

    def of(self, kind: str) -> KeyMap:
        """The key map of ``kind``'s records."""
        return self.maps[kind]

    @property
    def areas(self) -> KeyMap:
        return self.maps["admin-areas"]

    @property
    def organisations(self) -> KeyMap:
        return self.maps["organisations"]

    @property
    def hazards(self) -> KeyMap:
        return self.maps["hazards"]

    @property
    def activities(self) -> KeyMap:
        return self.maps["activities"]

    @property
    def accidents(self) -> KeyMap:
        return self.maps["accidents"]

    @property
    def victims(self) -> KeyMap:
        return self.maps["victims"]

    @property
    def minefield_records(self) -> KeyMap:
        return self.maps["minefield-records"]


def _keys(_reader: None, shape: Mapping[str, Any], _values: Parameters) -> Any:
    from sqlalchemy import select

    from demine.store import schema

    kind = KINDS[shape["kind"]]
    table = schema.metadata.tables[kind.table]
    return select(table.c.id, table.c[kind.key])


_KEYS = Statement("refs.keys", _keys)


def _load(connection: Connection | PlainConnection, kind: Kind) -> KeyMap:
    keys = KeyMap()
    for row_id, key in run_on(connection, _KEYS, {"kind": kind.name})[1]:
        keys.add(key, row_id)
    return keys


def _refs(connection: Connection | PlainConnection, kinds: Iterable[str]) -> Refs:
    refs = Refs()
    for name in kinds:
        refs.maps[name] = _load(connection, KINDS[name])
    return refs


def load_refs(connection: Connection | PlainConnection) -> Refs:
    """Load the key maps (a few MB even for a national programme's activities)."""
    return _refs(connection, REFERRED_KINDS)


#: Kinds with few records, which summaries and casualty reports look up.
_SMALL_KINDS = ("admin-areas", "organisations", "minefield-records")


def load_area_refs(connection: Connection | PlainConnection) -> Refs:
    """Key maps of admin areas, organisations and minefield records only.

    :func:`load_refs` reads the key of every hazard, activity, accident and victim:
    hundreds of thousands of rows in a national register, which a summary or a casualty
    report never looks up. Those maps are left empty here (loading an entity that refers
    to one of them with these refs fails loudly, with a KeyError).
    """
    return _refs(connection, _SMALL_KINDS)


def load_admin_area_refs(connection: Connection | PlainConnection) -> Refs:
    """The key map of admin areas only: what reading areas (whose parent is an area)
    and the figures of a summary or a casualty report look up."""
    return _refs(connection, ("admin-areas",))


def key_map_of(refs: Refs, kind: str) -> KeyMap:
    """The key map of the records of ``kind`` (a kind other records refer to)."""
    return refs.of(kind)


def key_map_of_table(refs: Refs, table_name: str) -> KeyMap | None:
    """The key map of the records kept in ``table_name``, if other records refer to them."""
    kind = KIND_BY_TABLE.get(table_name)
    return None if kind is None or kind.name not in refs.maps else refs.of(kind.name)
