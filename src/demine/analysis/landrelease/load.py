"""Reading what land-release accounting needs from the register (counted rows only).

Drafts awaiting approval and deleted records never count (:func:`counted`), so every
figure here agrees with the bulletins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from demine.analysis.landrelease.ledger import HazardLedger, ledger
from demine.domain.entities import AdminArea
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel, HazardClassification, HazardStatus
from demine.errors import InvalidRequestError
from demine.store import schema
from demine.store.live import counted
from demine.store.refs import Refs, load_refs
from demine.store.register import load_all


@dataclass(frozen=True)
class Register:
    """The places of one country and the key maps that turn row ids into codes."""

    country: str
    places: PlaceIndex
    refs: Refs

    @property
    def names(self) -> dict[str, str]:
        return {code: area.name for code, area in self.places.areas.items()}

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


def load_register(connection: Connection, country: str) -> Register:
    refs = load_refs(connection)
    return Register(country, PlaceIndex(country, load_all(connection, AdminArea, refs)), refs)


def load_ledgers(connection: Connection, register: Register) -> list[HazardLedger]:
    """Every counted hazard area of the country, with its changes and linked releases."""
    hazards, changes, acts = schema.hazard_areas, schema.hazard_status_changes, schema.activities
    country = register.country
    changes_of: dict[int, list[tuple[date, HazardStatus]]] = defaultdict(list)
    change_rows = (
        select(changes.c.hazard_id, changes.c.changed_on, changes.c.status)
        .join(hazards, hazards.c.id == changes.c.hazard_id)
        .where(hazards.c.country == country, counted(changes))
        .order_by(changes.c.changed_on, changes.c.external_id)
    )
    for hazard_id, changed_on, status in connection.execute(change_rows):
        changes_of[hazard_id].append((changed_on, HazardStatus(status)))
    releases_of: dict[int, list[tuple[date, float]]] = defaultdict(list)
    release_rows = select(
        acts.c.hazard_id,
        acts.c.end_date,
        acts.c.area_cancelled_m2 + acts.c.area_reduced_m2 + acts.c.area_cleared_m2,
    ).where(acts.c.country == country, counted(acts), acts.c.hazard_id.is_not(None))
    for hazard_id, end_date, released in connection.execute(release_rows):
        releases_of[hazard_id].append((end_date, float(released or 0.0)))
    code_of = register.refs.areas.key_by_id
    result = []
    statement = (
        select(hazards)
        .where(hazards.c.country == country, counted(hazards))
        .order_by(hazards.c.external_id)
    )
    for row in connection.execute(statement):
        result.append(
            ledger(
                key=row.external_id,
                district=code_of[row.district_id],
                classification=HazardClassification(row.classification),
                recorded_on=row.recorded_on,
                status_now=HazardStatus(row.status),
                estimated_m2=row.estimated_area_m2,
                recorded_remaining_m2=row.remaining_area_m2,
                changes=changes_of.get(row.id, []),
                releases=releases_of.get(row.id, []),
                geometry=row.geometry,
            )
        )
    return result


def latest_activity_day(connection: Connection, country: str) -> date | None:
    """The last day any counted land-release activity ended (the register's horizon)."""
    acts = schema.activities
    statement = select(func.max(acts.c.end_date)).where(acts.c.country == country, counted(acts))
    day = connection.execute(statement).scalar()
    return day if isinstance(day, date) else None


def default_as_of(connection: Connection, country: str, today: date) -> date:
    """``today``, or the register's last activity day if its records stop before today.

    A register updated weekly ends a few days back; measuring rates up to today would
    count the days not yet reported as days without work.
    """
    latest = latest_activity_day(connection, country)
    return today if latest is None or latest >= today else latest
