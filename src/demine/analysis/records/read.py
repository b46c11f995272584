"""Reading what verifying records needs from the register, as known on the as-of day.

Only live rows (approved, not deleted) of the reader's country are read
(:mod:`demine.store.reads.records`): drafts and deleted finds, accidents and
activities never confirm or refute a record.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from demine.analysis.records.evidence import VERIFYING_KINDS, PointSet, RecordInputs
from demine.domain.places import PlaceIndex
from demine.domain.records import LAID_CATEGORIES, MinefieldRow
from demine.domain.vocab import AdminLevel
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import records as reads


def read_inputs(reader: RegisterReader, as_of: date) -> RecordInputs:
    """Everything record verification needs for the reader's country as known on ``as_of``."""
    country = reader.country
    if country is None:
        raise InvalidRequestError(_("records are verified one country at a time"))
    refs = reads.area_refs(reader)
    places = PlaceIndex(country, reads.admin_areas(reader, refs))
    records = reads.minefield_records(reader, refs, as_of)
    rows: dict[str, list[MinefieldRow]] = defaultdict(list)
    for row in reads.minefield_rows(reader, refs, {r.external_id for r in records}):
        rows[row.record].append(row)
    return RecordInputs(
        country=country,
        as_of=as_of,
        records=records,
        rows=dict(rows),
        worked=reads.worked_areas(reader, as_of, [k.value for k in VERIFYING_KINDS]),
        finds=_finds(reader, as_of),
        accidents=_accidents(reader, as_of, refs.areas.key_by_id),
        places=places,
        district_geometries={
            code: area.geometry
            for code, area in places.areas.items()
            if area.geometry is not None and area.level is AdminLevel.DISTRICT
        },
    )


def _finds(reader: RegisterReader, as_of: date) -> PointSet:
    """Finds by then of devices that records declare, with what comparing them needs.

    UXO is left out: it cannot confirm or refute a minefield. Dates and districts are
    not needed (the date filter is applied in the query), which keeps a million finds
    quick.
    """
    rows = reads.located_finds(reader, as_of, [c.value for c in LAID_CATEGORIES])
    if not rows:
        return PointSet.build([], [], [], [])
    lon, lat, category, quantity, model = zip(*rows, strict=True)
    return PointSet.build(lon, lat, category, quantity, model)


def _accidents(reader: RegisterReader, as_of: date, district_code: dict[int, str]) -> PointSet:
    rows = reads.accidents_by(reader, as_of)
    if not rows:
        return PointSet.build([], [], [], [])
    lon, lat, category, earliest, latest, district = zip(*rows, strict=True)
    return PointSet.build(
        lon,
        lat,
        category,
        [1] * len(rows),
        earliest=earliest,
        latest=latest,
        district=[district_code[d] for d in district],
    )
