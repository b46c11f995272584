"""The contract of an import kind: its columns, and how a row becomes an entity and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from demine.domain import rules
from demine.domain.repair import Repair
from demine.ingest.fields import FieldSpec, ParseContext

Values = dict[str, Any]


@dataclass(frozen=True)
class EntitySpec:
    """One kind of import: its columns, how a row becomes an entity and back."""

    kind: str
    entity_type: type
    help: str
    fields: tuple[FieldSpec, ...]
    build: Callable[[Values, BaseGeometry | None, ParseContext], Any]
    flatten: Callable[[Any], Values]
    check: Callable[[Any, rules.RuleContext], list[rules.FieldProblem]]
    #: Rules against other records of the register (see :class:`rules.RegisterLookup`).
    register_check: rules.RegisterCheck | None = None
    geometry_help: str = "no geometry"
    #: A missing district is taken from the district polygon containing the geometry.
    infer_district: bool = False
    #: Mends an invalid geometry when there is one obvious repair (the import notes it).
    repair: Callable[[BaseGeometry], Repair | None] | None = None

    @property
    def key_field(self) -> str:
        return self.fields[0].name

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)
