"""Per-district figures anyone may see: devices found, land cleared, accidents, risk
education.

Aggregates only, never a record or a coordinate. Devices and hectares describe no person
and are exact; accidents are counted as the casualty statistics count them and hidden
by the one disclosure rule, chosen over every public count of the same period
(:mod:`demine.analysis.casualties.public`), so these cells read exactly as in
``demine export --public`` and ``demine report casualties --public`` for that period.
People reached by risk education are hidden the same way, over their own sums
(:mod:`demine.analysis.eore.public`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from demine.analysis.casualties.public import public_figures
from demine.analysis.casualties.read import load_casualty_records
from demine.analysis.casualties.statistics import summarise_casualties
from demine.analysis.eore import public_reach, reach_by_district
from demine.analysis.eore.public import NATIONAL
from demine.analysis.summary import Counts, Summariser
from demine.domain.disclosure import DEFAULT_THRESHOLD
from demine.domain.entities import SQUARE_METRES_PER_HECTARE
from demine.domain.vocab import AdminLevel
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.store.reader import RegisterReader

#: Where "since operations began" starts when no date is given, and the span a public
#: period may cover (anyone may ask; a period of thousands of empty years is refused).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def _operations(counts: Counts) -> dict[str, Any]:
    return {
        "devices_found": counts.devices,
        "ap_mines": counts.ap_mines,
        "at_mines": counts.at_mines,
        "uxo": counts.uxo,
        "other_devices": counts.other_devices,
        "hectares_cleared": round(counts.area_cleared_m2 / SQUARE_METRES_PER_HECTARE, 4),
    }


def reported(counts: Counts | None) -> bool:
    """Whether a district's operations were reported in the period (a clearance, a find,
    a published total), as opposed to nothing recorded at all: a map tells a reported
    zero from no data. Accidents do not count, so that the flag says nothing of a
    hidden casualty figure."""
    if counts is None:
        return False
    land = counts.area_cleared_m2 + counts.area_reduced_m2 + counts.area_cancelled_m2
    return bool(counts.activities or counts.devices or land)


def public_district_figures(
    reader: RegisterReader,
    start: date | None,
    end: date,
    threshold: int = DEFAULT_THRESHOLD,
    summariser: Summariser | None = None,
) -> dict[str, Any]:
    """Every district of the reader's country (also those with nothing recorded) and the
    national total (``summariser``: one already holding the reader's areas)."""
    for day, name in ((start, "from"), (end, "to")):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidRequestError(
                _("{name}: {day} is outside the public figures' span, {first} to {last}").format(
                    name=name, day=day.isoformat(), first=EARLIEST.isoformat(),
                    last=LATEST.isoformat(),
                )
            )  # fmt: skip
    summariser = summariser or Summariser(reader)
    summary = summariser.summarise(start or EARLIEST, end)
    districts = [
        area
        for code in summariser.places.in_reporting_order(summariser.places.areas)
        if (area := summariser.places.areas[code]).level is AdminLevel.DISTRICT
    ]
    counts = {area.code: summary.by_district.get(area.code, Counts()) for area in districts}
    statistics = summarise_casualties(load_casualty_records(reader), end, start, None)
    figures = public_figures(statistics, threshold)
    held = reach_by_district(reader, start or EARLIEST, end, summariser.refs.areas.key_by_id)
    risk_education = public_reach(held, [area.code for area in districts], threshold)
    return {
        "country": summariser.country,
        "period_start": start.isoformat() if start else None,
        "period_end": end.isoformat(),
        "source": summary.source.value,
        "suppression_threshold": threshold,
        "districts": [
            {
                "code": area.code,
                "name": area.name,
                **_operations(counts[area.code]),
                "reported": reported(summary.by_district.get(area.code)),
                "accidents": figures.accidents(area.name),
                "risk_education": risk_education.cells(area.code),
            }
            for area in districts
        ],
        "total": {
            **_operations(summary.total),
            "accidents": figures.national()["accidents"],
            "risk_education": risk_education.cells(NATIONAL),
        },
    }
