"""Which week a dashboard opens on: the last complete ISO week that has approved data."""

from __future__ import annotations

from datetime import date

from demine.domain.periods import Period, week_of
from demine.store.reader import RegisterReader
from demine.store.reads.daily_figures import newest_record_day


def latest_complete_week(reader: RegisterReader, today: date) -> Period | None:
    """The week of the newest live record (an activity's end, or a find dated to the
    day: finds dated only to a month or a year count in no week), or the one before it
    when that week has not ended yet (a half-week compared with a whole one would
    mislead)."""
    newest = newest_record_day(reader, today)
    if newest is None:
        return None
    week = week_of(newest)
    return week if week.end < today else week.previous()
