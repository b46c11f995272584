"""The registry of record kinds (see :mod:`demine.domain.kinds.registry`)."""

from demine.domain.kinds.model import (
    DateSpan,
    Field,
    FieldType,
    Kind,
    Sensitivity,
)
from demine.domain.kinds.registry import (
    KIND_BY_COLLECTION,
    KIND_BY_ENTITY,
    KIND_BY_TABLE,
    KINDS,
    UnknownKindError,
    entered_kinds,
    geometry_checked_kinds,
    kind_named,
    workflow_kinds,
)
from demine.domain.kinds.shapes import LINEAR, POLYGONAL, PUNCTUAL

__all__ = [
    "KINDS",
    "KIND_BY_COLLECTION",
    "KIND_BY_ENTITY",
    "KIND_BY_TABLE",
    "LINEAR",
    "POLYGONAL",
    "PUNCTUAL",
    "DateSpan",
    "Field",
    "FieldType",
    "Kind",
    "Sensitivity",
    "UnknownKindError",
    "entered_kinds",
    "geometry_checked_kinds",
    "kind_named",
    "workflow_kinds",
]
