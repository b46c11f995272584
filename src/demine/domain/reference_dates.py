"""The dates casualty statistics are counted from, as each country's authority uses them.

ANAMA's weekly bulletin counts mine victims "since the Second Garabagh War": from the
day after the trilateral ceasefire statement of 10 November 2020 came into force. A
country without an entry here is counted from its first record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demine.i18n import N_


@dataclass(frozen=True)
class ReferenceDate:
    """A date statistics are counted from, its name, and how sentences refer to it."""

    day: date
    #: What the date is, for tables and JSON.
    name: str
    #: The words after "since" in a sentence (English source, translated on use).
    since_phrase: str


#: Reference dates by country code.
REFERENCE_DATES: dict[str, ReferenceDate] = {
    "AZ": ReferenceDate(
        day=date(2020, 11, 10),
        name="Second Garabagh War ceasefire",
        since_phrase=N_("the Second Garabagh War"),
    ),
}


def reference_date_for(country: str) -> ReferenceDate | None:
    """The reference date of ``country``, if its authority uses one."""
    return REFERENCE_DATES.get(country.upper())
