"""Domain rules that hold whatever the storage: vocabularies, names, dates, places."""

from __future__ import annotations

from datetime import date

import pytest
import shapely

from demine.domain.dates import EventDate, parse_day, parse_event_date
from demine.domain.entities import AdminArea
from demine.domain.names import name_key
from demine.domain.places import PlaceIndex
from demine.domain.vocab import ActivityKind, AdminLevel, DatePrecision, EOCategory, parse_code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AP", EOCategory.AP_MINE),
        ("anti-personnel mine", EOCategory.AP_MINE),
        ("at_mine", EOCategory.AT_MINE),
        ("Anti-Tank", EOCategory.AT_MINE),
        ("uxo", EOCategory.UXO),
        ("cluster munition", EOCategory.SUBMUNITION),
    ],
)
def test_categories_accept_usual_spellings(text: str, expected: EOCategory) -> None:
    assert parse_code(EOCategory, text) is expected


def test_unknown_code_names_the_accepted_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown value 'digging' \(accepted: non_technical"):
        parse_code(ActivityKind, "digging")
    assert parse_code(ActivityKind, "NTS") is ActivityKind.NON_TECHNICAL_SURVEY


def test_name_keys_ignore_case_accents_and_azerbaijani_letters() -> None:
    assert name_key("Xankəndi") == name_key("XANKANDI") == "xankandi"
    assert name_key("Füzuli") == name_key("Fuzuli")
    assert name_key("Ağdam") == name_key("Agdam")


def test_event_dates_keep_their_precision() -> None:
    assert parse_event_date("2005") == EventDate(
        date(2005, 1, 1), date(2005, 12, 31), DatePrecision.YEAR
    )
    assert parse_event_date("2024-02").latest == date(2024, 2, 29)
    assert parse_event_date("2024-07-03").precision is DatePrecision.DAY
    assert parse_event_date("2005").isoformat() == "2005"
    assert parse_day("07.07.2024") == date(2024, 7, 7)
    with pytest.raises(ValueError, match="not a month"):
        parse_event_date("2024-13")


def _places() -> PlaceIndex:
    square = shapely.box(46.8, 40.2, 47.1, 40.5)
    return PlaceIndex(
        "AZ",
        [
            AdminArea("AZ", "Azerbaijan", AdminLevel.COUNTRY, "AZ"),
            AdminArea(
                "AZ-TAR", "Tartar", AdminLevel.DISTRICT, "AZ", "AZ", ("Terter", "Tərtər"), 1, square
            ),
            AdminArea("AZ-AGD", "Aghdam", AdminLevel.DISTRICT, "AZ", "AZ", ("Agdam",), 2),
            AdminArea("AZ-GOR", "Goranboy", AdminLevel.DISTRICT, "AZ", "AZ", (), None),
            AdminArea("CO-X", "Tartar", AdminLevel.DISTRICT, "CO", "CO"),
        ],
    )


def test_places_resolve_any_spelling_within_the_country() -> None:
    places = _places()
    assert places.resolve("terter", AdminLevel.DISTRICT) == "AZ-TAR"
    assert places.resolve("TƏRTƏR", AdminLevel.DISTRICT) == "AZ-TAR"
    assert places.resolve("AZ-AGD", AdminLevel.DISTRICT) == "AZ-AGD"
    with pytest.raises(ValueError, match="unknown settlement 'Tartar' in AZ"):
        places.resolve("Tartar", AdminLevel.SETTLEMENT)


def test_reporting_order_then_name() -> None:
    places = _places()
    assert places.in_reporting_order(["AZ-GOR", "AZ-AGD", "AZ-TAR"]) == [
        "AZ-TAR",
        "AZ-AGD",
        "AZ-GOR",
    ]
    assert places.district_containing(shapely.Point(46.9, 40.3)) == "AZ-TAR"
    assert places.district_containing(shapely.Point(40, 40)) is None
