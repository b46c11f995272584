"""The registry of record kinds: each kind of the register, described once.

Everything that depends on what a kind is — its table and stable key, its fields and
their types, the dates a period or ``datetime`` filter applies to, its category and
district, its geometry, its approval workflow, who may read it, its OGC collection,
what it exports, its HXL hashtags and labels — is read from here. The importer and
its templates, the table mappings, the REST and OGC APIs and the exports derive from
this registry instead of keeping their own lists (see ``docs/kinds.md``).
"""

from __future__ import annotations

from demine.domain.kinds.assistance import ASSISTANCE
from demine.domain.kinds.casualties import (
    ACCIDENTS,
    CASUALTY_BASELINES,
    VICTIM_IDENTIFIERS,
    VICTIMS,
)
from demine.domain.kinds.eore import EORE_SESSIONS
from demine.domain.kinds.model import Kind
from demine.domain.kinds.operations import ACTIVITIES, FINDS, HAZARD_CHANGES, HAZARDS, SUMMARIES
from demine.domain.kinds.places import ADMIN_AREAS, ORGANISATIONS
from demine.domain.kinds.projects import PROJECTS
from demine.domain.kinds.quality import NON_CONFORMITIES, QUALITY_INSPECTIONS
from demine.domain.kinds.records import MINEFIELD_POINTS, MINEFIELD_RECORDS, MINEFIELD_ROWS
from demine.domain.kinds.risk import RISK_CELLS
from demine.domain.kinds.tasks import ACCREDITATIONS, TASKS
from demine.errors import NotFoundError

#: Every kind, in the order records depend on each other (imports follow it).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        ADMIN_AREAS,
        ORGANISATIONS,
        HAZARDS,
        HAZARD_CHANGES,
        ACTIVITIES,
        FINDS,
        SUMMARIES,
        ACCIDENTS,
        VICTIMS,
        VICTIM_IDENTIFIERS,
        ASSISTANCE,
        CASUALTY_BASELINES,
        MINEFIELD_RECORDS,
        MINEFIELD_ROWS,
        MINEFIELD_POINTS,
        PROJECTS,
        ACCREDITATIONS,
        TASKS,
        QUALITY_INSPECTIONS,
        NON_CONFORMITIES,
        EORE_SESSIONS,
        RISK_CELLS,
    )
}

KIND_BY_ENTITY: dict[type, Kind] = {kind.entity: kind for kind in KINDS.values()}
KIND_BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in KINDS.values()}
KIND_BY_COLLECTION: dict[str, Kind] = {
    kind.collection: kind for kind in KINDS.values() if kind.collection is not None
}


class UnknownKindError(NotFoundError):
    """No kind of that name (a command, URL or file named one the registry lacks)."""


def kind_named(name: str) -> Kind:
    """The kind called ``name``; :class:`UnknownKindError` lists the accepted ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKindError(f"no record kind '{name}' (accepted: {', '.join(KINDS)})") from None


def workflow_kinds() -> tuple[str, ...]:
    """Kinds whose records are field reports going through the approval workflow."""
    return tuple(name for name, kind in KINDS.items() if kind.workflow)


def entered_kinds() -> tuple[str, ...]:
    """Kinds whose records are imported, entered or changed one by one: all but the
    machine-made ones, which the command computing them writes whole."""
    return tuple(name for name, kind in KINDS.items() if not kind.machine_made)


def geometry_checked_kinds() -> tuple[Kind, ...]:
    """Kinds whose geometries ``demine check geometry`` checks: every spatial kind but
    the admin areas, which the others are checked against."""
    return tuple(kind for kind in KINDS.values() if kind.spatial and kind is not ADMIN_AREAS)
