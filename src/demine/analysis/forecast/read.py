"""Reading what forecasts need from the register, as plain data keyed by district code.

The queries are in :mod:`demine.store.reads.forecast` and read through a
:class:`RegisterReader`: drafts and deleted records never count.
"""

from __future__ import annotations

from datetime import date

from shapely.geometry.base import BaseGeometry

from demine.analysis.landrelease.read import Register
from demine.domain.periods import Period
from demine.store.reader import RegisterReader
from demine.store.reads import forecast as reads
from demine.store.reads.forecast import LocatedFind


def weekly_releases(
    reader: RegisterReader, register: Register, weeks: list[Period]
) -> list[tuple[str, date, float, float]]:
    """Activities that ended in ``weeks``: (district code, end day, m² released, team-days)."""
    code_of = register.refs.areas.key_by_id
    return [
        (code_of[row.district_id], row.end_date, row.released_m2, row.team_days)
        for row in reads.releases_between(reader, weeks[0].start, weeks[-1].end)
    ]


def known_ground(
    reader: RegisterReader, as_of: date
) -> tuple[list[BaseGeometry], list[BaseGeometry]]:
    """The shapes of hazards recorded and of minefield records received by ``as_of``."""
    return reads.hazard_shapes(reader, as_of), reads.record_shapes(reader, as_of)


def located_accidents(
    reader: RegisterReader, since: date, as_of: date, district_id: int | None
) -> list[tuple[float, float, int]]:
    """Accidents with a location in ``since..as_of``: (lon, lat, district row id)."""
    return reads.located_accidents(reader, since, as_of, district_id)


def located_finds(
    reader: RegisterReader, since: date, as_of: date, district_id: int | None
) -> list[LocatedFind]:
    """Finds with a location in ``since..as_of``."""
    return reads.located_finds(reader, since, as_of, district_id)
