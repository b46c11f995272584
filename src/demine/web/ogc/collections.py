"""The feature collections served over OGC API – Features, derived from the registry.

Every kind of :mod:`demine.domain.kinds` with a ``collection`` id is served: its id,
title and description, the dates its ``datetime`` filter applies to (``Kind.dates``),
its extra condition (``collection_where``) and who may read it (``read_permission``:
districts are public, everything else needs the view-operational permission) all come
from there. What each feature shows is in :mod:`demine.store.reads.features`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from demine.domain.access import Principal
from demine.domain.authorization import allowed
from demine.domain.kinds import KINDS, Kind


@dataclass(frozen=True)
class DateWindow:
    """An instant or interval from the ``datetime`` parameter (either end may be open)."""

    start: date | None
    end: date | None


def served(kinds: Mapping[str, Kind] = KINDS) -> dict[str, Kind]:
    """Every kind served as a collection, by collection id, in the registry's order
    (``kinds``: as the programme's fields file extends them)."""
    return {kind.collection: kind for kind in kinds.values() if kind.collection is not None}


def collections_for(
    principal: Principal | None, kinds: Mapping[str, Kind] = KINDS
) -> dict[str, Kind]:
    """The collections ``principal`` may read, by collection id."""
    return {
        collection: kind
        for collection, kind in served(kinds).items()
        if allowed(principal, kind.read_permission)
    }
