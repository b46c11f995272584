"""The feature collections served over OGC API – Features, derived from the registry.

Every kind of :mod:`demine.domain.kinds` with a ``collection`` id is served, one
collection per geometry layer (:func:`~demine.domain.kinds.exchange.geometry_layers`):
a kind whose records are points or polygons as ``hazards-points`` and
``hazards-areas``, a kind of one geometry family under its own id (``finds``), so that
each collection holds one geometry type, as GIS clients expect of a layer. Its title and
description, the dates its ``datetime`` filter applies to (``Kind.dates``), its extra
condition (``collection_where``) and who may read it (``read_permission``: districts
are public, everything else needs the view-operational permission) come from the kind.
What each feature shows is in :mod:`demine.store.reads.features`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from demine.domain.access import Principal
from demine.domain.authorization import allowed
from demine.domain.kinds import KINDS, Kind
from demine.domain.kinds.exchange import AREAS, LINES, POINTS, GeometryLayer, geometry_layers
from demine.i18n import N_, _


@dataclass(frozen=True)
class DateWindow:
    """An instant or interval from the ``datetime`` parameter (either end may be open)."""

    start: date | None
    end: date | None


#: How a collection of one geometry family of a kind is titled.
_FAMILY_TITLES = {
    POINTS: N_("{title}: points"),
    LINES: N_("{title}: lines"),
    AREAS: N_("{title}: areas"),
}


@dataclass(frozen=True)
class Collection:
    """One served collection: a geometry layer of a kind."""

    layer: GeometryLayer

    @property
    def id(self) -> str:
        collection = self.layer.collection
        assert collection is not None
        return collection

    @property
    def kind(self) -> Kind:
        return self.layer.kind

    @property
    def title(self) -> str:
        """The kind's title, with the geometry family when the kind is split."""
        if self.layer.suffix is None:
            return self.kind.title
        return _(_FAMILY_TITLES[self.layer.suffix]).format(title=self.kind.title)


def served(kinds: Mapping[str, Kind] = KINDS) -> dict[str, Collection]:
    """Every collection served, by id, in the registry's order (``kinds``: as the
    programme's fields file extends them)."""
    return {
        layer.collection: Collection(layer)
        for kind in kinds.values()
        if kind.collection is not None
        for layer in geometry_layers(kind)
        if layer.collection is not None
    }


def collections_for(
    principal: Principal | None, kinds: Mapping[str, Kind] = KINDS
) -> dict[str, Collection]:
    """The collections ``principal`` may read, by collection id."""
    return {
        collection_id: collection
        for collection_id, collection in served(kinds).items()
        if allowed(principal, collection.kind.read_permission)
    }
