"""Reading what land-release accounting needs from the register, as plain data.

The queries are in :mod:`demine.store.reads.landrelease`; they read through a
:class:`RegisterReader`, so drafts awaiting approval and deleted records never count
and every figure here agrees with the bulletins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from demine.analysis.landrelease.ledger import HazardLedger, ledger
from demine.analysis.landrelease.released import CLEARING_KINDS, Released
from demine.domain.entities import AdminArea
from demine.domain.places import AreaNames, PlaceIndex
from demine.domain.vocab import AdminLevel, HazardClassification, HazardStatus
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader
from demine.store.reads import landrelease as reads
from demine.store.reads.landrelease import ClearanceWork, DayRelease
from demine.store.reads.reopened import reopenings
from demine.store.refs import Refs


@dataclass(frozen=True)
class Register:
    """The places of one country and the key maps that turn row ids into codes."""

    country: str
    places: PlaceIndex
    refs: Refs

    @property
    def names(self) -> AreaNames:
        """Every area's names: canonical as a mapping (JSON), per language for people."""
        return self.places.names()

    @property
    def country_name(self) -> str:
        area = self.places.areas.get(self.country)
        return area.name if area is not None else self.country

    def district_code(self, district: str | None) -> str | None:
        """The code of ``district`` (any spelling or code), ``None`` for the whole country."""
        if district is None:
            return None
        try:
            return self.places.resolve(district, AdminLevel.DISTRICT)
        except ValueError as exc:
            raise InvalidRequestError(str(exc)) from exc

    def district_geometries(self, only: str | None = None) -> list[tuple[str, AdminArea]]:
        """Districts with a shape (name, area), in reporting order; one if ``only``."""
        codes = [
            code
            for code, area in self.places.areas.items()
            if area.level is AdminLevel.DISTRICT and area.geometry is not None
        ]
        if only is not None:
            codes = [c for c in codes if c == only]
        return [(self.places.areas[c].name, self.places.areas[c]) for c in codes]


def country_of(reader: RegisterReader) -> str:
    """The country ``reader`` reads; land-release accounting is always of one country."""
    if reader.country is None:
        raise InvalidRequestError(_("land-release figures are of one country: name it"))
    return reader.country


def load_register(reader: RegisterReader) -> Register:
    country = country_of(reader)
    refs, areas = reads.places(reader)
    return Register(country, PlaceIndex(country, areas), refs)


def load_ledgers(reader: RegisterReader, register: Register) -> list[HazardLedger]:
    """Every live hazard area of the country, with its changes, the failed quality
    controls that reopened it, and linked releases."""
    changes_of: dict[int, list[tuple[date, HazardStatus]]] = defaultdict(list)
    for hazard_id, changed_on, status in reads.status_changes(reader):
        changes_of[hazard_id].append((changed_on, HazardStatus(status)))
    reopened_by: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for reopening in reopenings(reader):
        if reopening.hazard_id is not None:
            reopened_by[reopening.hazard_id].append((reopening.inspected_on, reopening.inspection))
    releases_of: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for hazard_id, end_date, released in reads.hazard_releases(reader):
        releases_of[hazard_id].append((end_date, released))
    code_of = register.refs.areas.key_by_id
    return [
        ledger(
            key=row.key,
            district=code_of[row.district_id],
            classification=HazardClassification(row.classification),
            recorded_on=row.recorded_on,
            status_now=HazardStatus(row.status),
            estimated_m2=row.estimated_m2,
            recorded_remaining_m2=row.remaining_m2,
            changes=changes_of.get(row.id, []),
            reopenings=reopened_by.get(row.id, []),
            releases=releases_of.get(row.id, []),
            geometry=row.geometry,
        )
        for row in reads.hazards(reader)
    ]


def released_by_district(
    reader: RegisterReader,
    start: date,
    end: date,
    code_of: dict[int, str],
    district_id: int | None = None,
) -> dict[str, Released]:
    """Land released by activities that ended in ``start..end``, by district code."""
    result: dict[str, Released] = {}
    for row in reads.released_by_district(reader, start, end, district_id):
        released = result.setdefault(code_of[row.district_id], Released())
        released.add(row.cancelled_m2, row.reduced_m2, row.cleared_m2, row.activities)
    return result


def released_by_day(
    reader: RegisterReader, start: date, end: date, district_id: int | None = None
) -> list[DayRelease]:
    """What each activity that ended in ``start..end`` released, with its end day."""
    return reads.released_by_day(reader, start, end, district_id)


def clearance_work(
    reader: RegisterReader, start: date, end: date, district_id: int | None = None
) -> list[ClearanceWork]:
    """The clearance activities that ended in ``start..end`` (see :data:`CLEARING_KINDS`)."""
    kinds = [kind.value for kind in CLEARING_KINDS]
    return reads.clearance_work(reader, start, end, kinds, district_id)


def latest_activity_day(reader: RegisterReader) -> date | None:
    """The last day any live land-release activity ended (the register's horizon)."""
    return reads.latest_activity_day(reader)


def default_as_of(reader: RegisterReader, today: date) -> date:
    """``today``, or the register's last activity day if its records stop before today.

    A register updated weekly ends a few days back; measuring rates up to today would
    count the days not yet reported as days without work.
    """
    latest = latest_activity_day(reader)
    return today if latest is None or latest >= today else latest
