"""The administrative areas a report of one country names (and draws)."""

from __future__ import annotations

from demine.domain.entities import AdminArea
from demine.store.entity_reads import load_all
from demine.store.reader import RegisterReader
from demine.store.refs import Refs, load_admin_area_refs


def country_areas(
    reader: RegisterReader, *, with_geometry: bool = True
) -> tuple[Refs, list[AdminArea]]:
    """The key map of every area, and the areas of the reader's country (of every
    country for a reader of all) with their aliases (and shapes, ``with_geometry``).

    Only the country's areas are read and built: a register of ten countries holds ten
    times the areas one country's summary names (reading them all made a weekly summary
    of a ten-country register 1.7 times slower than one of a national register)."""
    refs = load_admin_area_refs(reader.connection)
    areas = load_all(
        reader.connection, AdminArea, refs, reader.country, with_geometry=with_geometry
    )
    return refs, areas
