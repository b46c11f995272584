"""Reading what assessing projects needs from the register, as known on the as-of day.

Only live rows (approved, not deleted) of the reader's country are read
(:mod:`demine.store.reads.projects`): a draft or deleted project, hazard, find,
accident or activity never enters the assessment or the ranking.
"""

from __future__ import annotations

from datetime import date

from demine.analysis.landrelease.read import Register, load_ledgers, load_register
from demine.analysis.projects.assess import ProjectInputs
from demine.analysis.projects.footprint import Points
from demine.analysis.projects.tasking import Productivity
from demine.store.reader import RegisterReader
from demine.store.reads import projects as reads

POLYGONAL = ("Polygon", "MultiPolygon")


def read_register(reader: RegisterReader) -> Register:
    """The places of the reader's country and the key maps of the register."""
    return load_register(reader)


def read_project_inputs(reader: RegisterReader, register: Register, as_of: date) -> ProjectInputs:
    """Projects, area hazards, finds, accidents and records as known on ``as_of``."""
    hazards = [
        h
        for h in load_ledgers(reader, register)
        if h.recorded_on <= as_of and h.geometry is not None and h.geometry.geom_type in POLYGONAL
    ]
    return ProjectInputs(
        projects=reads.projects(reader, register.refs),
        hazards=hazards,
        finds=Points.of([(x, y, int(q)) for x, y, q in reads.find_points(reader, as_of)]),
        accidents=Points.of([(x, y, 1) for x, y in reads.accident_points(reader, as_of)]),
        records=reads.record_shapes(reader, as_of),
    )


def read_clearance(
    reader: RegisterReader, register: Register, after: date, until: date, kinds: tuple[str, ...]
) -> dict[str, Productivity]:
    """Clearance and team-days by district code, of activities of ``kinds`` that ended
    after ``after`` and by ``until`` and report their team-days."""
    code_of = register.refs.areas.key_by_id
    return {
        code_of[district_id]: Productivity(cleared, team_days)
        for district_id, cleared, team_days in reads.clearance_by_district(
            reader, after, until, kinds
        )
    }
