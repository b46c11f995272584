"""Which week a dashboard opens on: the last complete ISO week that has approved data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select

from demine.domain.periods import Period, week_of
from demine.store import schema
from demine.store.live import counted


def newest_record_day(connection: Connection, country: str, today: date) -> date | None:
    """The latest day (up to ``today``) on which an approved activity ended or a find was
    made; finds dated only to a month or a year count in no week, so they are left out."""
    finds, activities = schema.device_finds, schema.activities
    newest_find = select(func.max(finds.c.found_latest)).where(
        finds.c.country == country,
        counted(finds),
        finds.c.found_earliest == finds.c.found_latest,
        finds.c.found_latest <= today,
    )
    newest_activity = select(func.max(activities.c.end_date)).where(
        activities.c.country == country, counted(activities), activities.c.end_date <= today
    )
    days = [connection.execute(query).scalar() for query in (newest_find, newest_activity)]
    known = [day for day in days if day is not None]
    return max(known) if known else None


def latest_complete_week(connection: Connection, country: str, today: date) -> Period | None:
    """The week of the newest approved record, or the one before it when that week has
    not ended yet (a half-week compared with a whole one would mislead)."""
    newest = newest_record_day(connection, country, today)
    if newest is None:
        return None
    week = week_of(newest)
    return week if week.end < today else week.previous()
