"""Reading published ANAMA news items (data/bulletins) into figures.

One test per phrasing family. The quoted sentences are real: each comes from the item
named beside it (data/bulletins/NNN.txt); where a test changes a sentence (to show a
garbled number, or to give a publication date the stored copy lacks) it says so.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from demine.ingest.news_items import (
    ParsedNewsItem,
    ReportKind,
    parse_news_item,
    parse_news_item_file,
)
from demine.ingest.news_items.accuracy import evaluate
from demine.ingest.news_items.districts import find_districts
from demine.ingest.news_items.numbers import find_numbers, read_number

BULLETINS = Path(__file__).parents[1] / "data" / "bulletins"
SEED = BULLETINS / "seed-bulletin.txt"
SEED_DISTRICTS = [
    "Tartar",
    "Aghdam",
    "Aghdara",
    "Lachin",
    "Fuzuli",
    "Shusha",
    "Khojaly",
    "Khankendi",
    "Kalbajar",
    "Khojavend",
    "Jabrayil",
    "Gubadli",
    "Zangilan",
]


def _read(text: str, published: date | None = None) -> dict[str, Any]:
    return parse_news_item(text, published=published).to_json()


# --- numbers as written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,198.7", 1198.7),
        ("102,7", 102.7),  # decimal comma
        ("1 333,8", 1333.8),  # space thousands, decimal comma
        ("1.333,8", 1333.8),
        ("1039.5", 1039.5),  # 095: "An area of 1039.5 hectares"
        ("2 171 083", 2171083),  # 020: "2 171 083 sq m area"
        ("4,106", 4106),  # 030: "4,106 unexploded ordnance"
        ("5,264,14", None),  # garbled: neither thousands nor a decimal
        ("1,333,8", None),
    ],
)
def test_numbers_as_written(written: str, value: float | None) -> None:
    assert read_number(written) == value


def test_numbers_in_words() -> None:
    # 125: "29 civilians and seven military servicemen were killed"
    words = find_numbers(
        "Fourteen anti-tank mines, twenty-one AP mines and seven military servicemen"
    )
    assert [token.value for token in words] == [14, 21, 7]


def test_unreadable_number_gives_null_and_a_warning() -> None:
    # 095's area sentence with the number garbled as in some copies.
    parsed = _read("An area of 5,264,14 hectares was cleared of mines and UXOs.")
    assert parsed["hectares"] is None
    assert any("5,264,14" in warning for warning in parsed["warnings"])


# --- periods --------------------------------------------------------------------------


def test_period_in_dotted_dates() -> None:
    parsed = _read(  # 095
        "A weekly report (01.07.2024 - 07.07.2024) on operations carried out by the Azerbaijan "
        "National Agency for Mine Action (ANAMA) in the liberated territories has been released. "
        "28 anti-personnel mines, 107 anti-tank mines, and 830 unexploded ordnances (UXOs) were "
        "discovered in Tartar, Aghdam, Aghdara, Lachin, Fuzuli, Shusha, Khojaly, Khankendi, "
        "Kalbajar, Khojavend, Jabrayil, Gubadli, and Zangilan."
    )
    assert (parsed["period_start"], parsed["period_end"]) == ("2024-07-01", "2024-07-07")
    assert parsed["kind"] == "weekly"


def test_period_from_month_day_to_month_day_takes_the_publication_year() -> None:
    parsed = _read(  # 075, published 2023-10-16
        "According to the information, 85 anti-tank and 496 anti-personnel mines, as well as "
        "1,732 unexploded ordnance were found and neutralized in the territories liberated from "
        "occupation from October 9 through October 15.",
        published=date(2023, 10, 16),
    )
    assert (parsed["period_start"], parsed["period_end"]) == ("2023-10-09", "2023-10-15")


SENTENCE_060 = (
    "During demining operations conducted on December 11–17 in Tartar, Kalbajar, Aghdam, "
    "Lachin, Fuzuli, Shusha, Gubadli, Khojavend, Jabrayil, and Zangilan, 22 anti-personnel "
    "mines, 17 anti-tank mines, and 234 unexploded ordnance were discovered and neutralized."
)


def test_period_with_en_dash_uses_the_previous_year_when_it_would_end_after_publication() -> None:
    # 060 carries no publication date; two are supplied to show the year rule.
    same_year = _read(SENTENCE_060, published=date(2023, 12, 18))
    next_january = _read(SENTENCE_060, published=date(2024, 1, 5))
    assert (same_year["period_start"], same_year["period_end"]) == ("2023-12-11", "2023-12-17")
    assert (next_january["period_start"], next_january["period_end"]) == (
        "2023-12-11",
        "2023-12-17",
    )


def test_period_without_year_or_publication_date_is_null_with_a_warning_but_keeps_its_kind() -> (
    None
):
    # "December 11–17" is a week dated by the Monday it starts on (see below); "last week"
    # without a publication date is a week no rule dates.
    parsed = _read(SENTENCE_060.replace("on December 11–17", "last week"))
    assert parsed["period_start"] is None and parsed["kind"] == "weekly"
    assert any("publication date is unknown" in warning for warning in parsed["warnings"])


def test_a_week_without_year_or_publication_date_is_dated_by_the_monday_it_starts_on() -> None:
    parsed = parse_news_item(SENTENCE_060, today=date(2026, 12, 1))
    assert (parsed.main.period_start, parsed.main.period_end) == (
        date(2023, 12, 11),
        date(2023, 12, 17),
    )
    assert any("year is not written" in warning for warning in parsed.warnings)
    assert any("Monday" in warning for warning in parsed.warnings)


def test_period_days_before_month() -> None:
    weekly = _read(  # 030 (no publication date stored; one is supplied)
        "This is stated in the weekly (4-10 December) information on operations carried out by "
        "the Mine Action Agency of the Republic of Azerbaijan (ANAMA), Azernews reports. "
        "According to the information, 84 anti-tank mines and 340 unexploded ordnance (UXO) were "
        "found.",
        published=date(2023, 12, 11),
    )
    assert (weekly["period_start"], weekly["period_end"]) == ("2023-12-04", "2023-12-10")
    monthly = _read(  # 080, published 2023-11-01
        "During the mine-clearing operations in Tartar, Aghdam, Khojavend, Kalbajar, Fuzuli, "
        "Shusha, "
        "Gubadli, Jabrayil, Khojavend, Lachin and Zangilan districts from 1 to 31 October, 767 "
        "anti-personnel and 928 anti-tank landmines, as well as 8,537 units of unexploded "
        "ordnance, "
        "were found and neutralized, ANAMA told News.Az.",
        published=date(2023, 11, 1),
    )
    assert (monthly["period_start"], monthly["period_end"], monthly["kind"]) == (
        "2023-10-01",
        "2023-10-31",
        "monthly",
    )


def test_period_as_a_month() -> None:
    with_year = _read(  # 020
        "Rashad Suleymanov; 2 171 083 sq m area was inspected and cleared from mines and "
        "unexploded ordinances (UXO) in Azerbaijan in March, 2013, Azerbaijan National Agency for "
        "Mine Action (ANAMA) told APA."
    )
    assert (with_year["period_start"], with_year["period_end"]) == ("2013-03-01", "2013-03-31")
    without_year = _read(  # 035 (said to be reported on August 2; the year is supplied)
        "Over 1,200 mines and unexploded ordnance were found and diffused in Azerbaijan’s "
        "liberated territories in July, Azerbaijan’s National Agency for Mine Action (ANAMA) "
        "reported on August 2. ANAMA found and defused 545 anti-personnel and 85 anti-tank mines, "
        "as well as 625 unexploded munitions in Tartar, Aghdam, Fuzuli, Shusha, Gubadli, Jabrayil "
        "and Zangilan during this period.",
        published=date(2021, 8, 2),
    )
    assert (without_year["period_start"], without_year["kind"]) == ("2021-07-01", "monthly")


def test_period_last_week_is_the_monday_to_sunday_week_before_publication() -> None:
    parsed = _read(  # 085 (dateline "October 9"; the label dates it 2023)
        "According to the information, 67 anti-tank and 31 anti-personnel mines were discovered "
        "and neutralized last week. An area of 426.5 hectares was demined.",
        published=date(2023, 10, 9),
    )
    assert (parsed["period_start"], parsed["period_end"]) == ("2023-10-02", "2023-10-08")
    assert (parsed["ap_mines"], parsed["at_mines"], parsed["hectares"]) == (31, 67, 426.5)


def test_periods_in_azerbaijani_and_russian() -> None:
    azerbaijani = _read(  # 105
        "Yenixeber.org: ANAMA-dan verilən məlumata görə, mayın 17-dən 22-dək Tərtər, Ağdam, "
        "Füzuli, Şuşa, Qubadlı, Cəbrayıl və Zəngilanda aparılan əməliyyat-axtarış tədbirləri "
        "zamanı piyada əleyhinə 93, tank əleyhinə 33 mina və 873 partlamamış hərbi sursat "
        "aşkarlanaraq zərərsizləşdirilib.",
        published=date(2021, 5, 24),
    )
    assert (azerbaijani["period_start"], azerbaijani["period_end"]) == ("2021-05-17", "2021-05-22")
    assert (azerbaijani["ap_mines"], azerbaijani["at_mines"], azerbaijani["uxo"]) == (93, 33, 873)
    russian = _read(  # 100
        "На освобожденных от оккупации территориях Азербайджана с 4 по 10 августа обнаружено и "
        "обезврежено 48 противотанковых, 95 противопехотных мин и 977 неразорвавшихся боеприпасов.",
        published=date(2025, 8, 11),
    )
    assert (russian["period_start"], russian["period_end"]) == ("2025-08-04", "2025-08-10")
    assert (russian["ap_mines"], russian["at_mines"], russian["uxo"]) == (95, 48, 977)


def test_a_missing_period_is_not_guessed_from_last_week() -> None:
    parsed = parse_news_item_file(BULLETINS / "110.txt")  # "(dekabrın )": the days were dropped
    assert parsed.main.period_start is None and parsed.kind is ReportKind.WEEKLY
    assert any("missing from the source" in warning for warning in parsed.warnings)


# --- reports inside one item ----------------------------------------------------------


def test_a_recalled_month_becomes_an_extra_period() -> None:
    parsed = parse_news_item_file(BULLETINS / "030.txt")
    # "To recall from November 1 to November 30, 247 anti-tank mines, 228 anti-personnel
    # mines, and 4,106 unexploded ordnance were found …" / "Also, 7,143 hectares of land …"
    assert parsed.kind is ReportKind.MIXED
    assert (parsed.main.at_mines, parsed.main.uxo, parsed.main.hectares) == (84, 340, 533)
    (november,) = parsed.extra_periods
    assert november.kind is ReportKind.MONTHLY
    assert (november.ap_mines, november.at_mines, november.uxo, november.hectares) == (
        228,
        247,
        4106,
        7143,
    )


def test_a_total_since_a_date_becomes_a_cumulative_extra_period() -> None:
    parsed = parse_news_item_file(BULLETINS / "120.txt")
    # "In general, 2,028 hectares of liberated territories have been cleared of mines and
    # unexploded ordnances since November 10, 2020."
    assert parsed.main.hectares == 285
    (total,) = parsed.extra_periods
    assert (total.kind, total.period_start, total.hectares) == (
        ReportKind.CUMULATIVE,
        date(2020, 11, 10),
        2028,
    )


def test_the_report_a_figure_sentence_belongs_to_gives_the_period() -> None:
    parsed = parse_news_item_file(BULLETINS / "130.txt")
    # "The agency added in its report for January 25-26 that …" then "1,174 pieces of
    # unexploded ordnance, 38 pieces of anti-personnel mine, 26 pieces of anti-tank mines".
    assert (parsed.main.period_start, parsed.main.period_end) == (
        date(2021, 1, 25),
        date(2021, 1, 26),
    )
    assert (parsed.main.ap_mines, parsed.main.at_mines, parsed.main.uxo) == (38, 26, 1174)
    assert parsed.kind is ReportKind.OTHER_PERIOD
    assert parsed.districts == ("Aghjabadi", "Goranboy", "Zangilan", "Tartar", "Tovuz", "Shusha")


# --- counts and areas -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # 025: anti-tank first, "unexploded ordnance (UXO)"
            "As many as 18 anti-tank mines, 42 anti-personnel mines, and 683 unexploded ordnance "
            "(UXO) were found and neutralized from December 8 through 14 in Azerbaijan's "
            "liberated territories.",
            (42, 18, 683),
        ),
        (  # 020: "UXOs", "antitank", "anti-personal"
            "822 UXOs, 15 antitank and 3 anti-personal mines were found and disarmed during the "
            "operations.",
            (3, 15, 822),
        ),
        (  # 035: "unexploded munitions", one noun shared by two counts
            "ANAMA found and defused 545 anti-personnel and 85 anti-tank mines, as well as 625 "
            "unexploded munitions in Tartar, Aghdam, Fuzuli, Shusha, Gubadli, Jabrayil and "
            "Zangilan "
            "during this period.",
            (545, 85, 625),
        ),
        (  # 130: "pieces of"
            "As a result of search operations, 1,174 pieces of unexploded ordnance, 38 pieces of "
            "anti-personnel mine, 26 pieces of anti-tank mines, 1 piece of bomblet, 12,899 pieces "
            "of various gun cartridges and 13 pieces of exploded shell remnants were found.",
            (38, 26, 1174),
        ),
        (  # 110: Azerbaijani, "(PHS)"
            "Azad olunan ərazilərdə ötən həftə ərzində (dekabrın ) 66 tank əleyhinə mina, 273 "
            "piyada əleyhinə mina, 1511 partlamamış hərbi sursat (PHS) aşkarlanıb və "
            "zərərsizləşdirilib.",
            (273, 66, 1511),
        ),
    ],
)
def test_counts_in_any_order_and_wording(sentence: str, expected: tuple[int, int, int]) -> None:
    parsed = _read(sentence)
    assert (parsed["ap_mines"], parsed["at_mines"], parsed["uxo"]) == expected


def test_counts_are_only_taken_where_items_were_found() -> None:
    parsed = _read(  # 035: a map, not a find; one number for two categories
        "On July 3, Armenia submitted to the Azerbaijani side maps of about 92,000 anti-tank and "
        "anti-personnel mines planted during the occupation in Fuzuli and Zangilan regions in "
        "exchange of 15 ex-convicts of Armenian origin."
    )
    assert parsed["ap_mines"] is None and parsed["at_mines"] is None
    assert parsed["districts"] == []


@pytest.mark.parametrize(
    ("sentence", "hectares", "area_sq_m"),
    [
        (  # 125
            "A 115.8-hectare-area was cleared of mines and unexploded ordnances during the "
            "reported period.",
            115.8,
            None,
        ),
        (  # 050
            "According to the report, 1,362.7 hectares of land have been cleared of mines.",
            1362.7,
            None,
        ),
        (  # 060
            "Mines and unexploded ordnance were removed from 325.6 hectares of land.",
            325.6,
            None,
        ),
        (  # 105
            "Nəticədə 2 436 776 m² (243 ha) ərazi mina və partlamamış hərbi sursatlardan "
            "təmizlənib.",
            243,
            2436776,
        ),
        ("За указанный период от мин очищена территория площадью 1 504 га.", 1504, None),  # 100
    ],
)
def test_areas_cleared(sentence: str, hectares: float, area_sq_m: int | None) -> None:
    parsed = _read(sentence)
    assert (parsed["hectares"], parsed["area_sq_m"]) == (hectares, area_sq_m)


def test_an_area_checked_is_not_an_area_cleared() -> None:
    parsed = _read(  # 130
        "During the operational search activities,1,389 hectares of lands were checked, more than "
        "118 km of roads were cleared of mines and unexploded ordnance, and 291 buildings were "
        "inspected."
    )
    assert parsed["hectares"] is None
    assert any("1,389 hectares" in warning for warning in parsed["warnings"])


def test_a_figure_stated_twice_with_different_values_is_left_out() -> None:
    parsed = _read(  # 050's sentence, then the same with another figure
        "According to the report, 1,362.7 hectares of land have been cleared of mines. "
        "According to the report, 1,462.7 hectares of land have been cleared of mines."
    )
    assert parsed["hectares"] is None
    assert any("1362.7, 1462.7" in warning for warning in parsed["warnings"])


# --- districts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "districts"),
    [
        (  # 020: Terter, Aghstafa, Garadagh district of Baku
            "The agency is carrying out mine clearing operations in Aghdam, Aghstafa, Fuzuli, "
            "Terter "
            "and Kirdaq Mud Volcanoes in the territory of Absheron district, as well as in Guzdek "
            "settlement of Garadagh district of Baku.",
            ["Aghdam", "Agstafa", "Fuzuli", "Tartar", "Absheron", "Baku"],
        ),
        (  # 050: Aghdere, Agdam
            "The operations covered districts including Tartar, Aghdere, Kalbajar, Agdam, Khojaly, "
            "Khankendi, Shusha, Khojavend, Lachin, Fuzuli, Jabrayil, Gubadli, and Zangilan, as "
            "well as "
            "the recently liberated villages of Baganis Ayrim, Ashagi Askipara, Kheyrimli, and "
            "Gizilhajili in the Gazakh district.",
            [
                "Tartar",
                "Aghdara",
                "Kalbajar",
                "Aghdam",
                "Khojaly",
                "Khankendi",
                "Shusha",
                "Khojavend",
                "Lachin",
                "Fuzuli",
                "Jabrayil",
                "Gubadli",
                "Zangilan",
                "Gazakh",
            ],
        ),
        (  # 065
            "in Tartar, Aghdara, Kalbajar, Aghdam, Khojaly, Khankandi, Khojavend",
            ["Tartar", "Aghdara", "Kalbajar", "Aghdam", "Khojaly", "Khankendi", "Khojavend"],
        ),
        (  # 070
            "in Tartar, Aghdam, Fuzuli, Shusha, Gubadly, Jabrayil and Zangilan districts",
            ["Tartar", "Aghdam", "Fuzuli", "Shusha", "Gubadli", "Jabrayil", "Zangilan"],
        ),
        ("Kheyrimli, and Gizilhajili villages of Qazakh district", ["Gazakh"]),  # 055
        (  # 105
            "Tərtər, Ağdam, Füzuli, Şuşa, Qubadlı, Cəbrayıl və Zəngilanda",
            ["Tartar", "Aghdam", "Fuzuli", "Shusha", "Gubadli", "Jabrayil", "Zangilan"],
        ),
        (  # 015
            "in den Gebieten Aghdam, Khodschavand, Tartar, Latschin, Schuscha, Dschabrail",
            ["Aghdam", "Khojavend", "Tartar", "Lachin", "Shusha", "Jabrayil"],
        ),
        ("BAKU, Azerbaijan, December 15.", []),  # 025: a dateline
    ],
)
def test_district_spellings(sentence: str, districts: list[str]) -> None:
    assert find_districts(sentence) == districts


def test_districts_come_from_sentences_about_the_work_only() -> None:
    parsed = parse_news_item_file(BULLETINS / "095.txt")
    # Not Goranboy from: "the maps covering part of the former contact line passing through
    # Khojavand, Tartar, and Goranboy districts … have not been submitted yet."
    assert list(parsed.districts) == SEED_DISTRICTS


# --- victims --------------------------------------------------------------------------


def test_victims_since_the_war_and_of_all_time() -> None:
    victims = _read(  # 095
        "Note that the number of mine victims since the Second Garabagh War has reached 350, and "
        "65 of them have died. More than 70% of landmine victims are civilians. Among them are "
        "people of all age categories. The total number of landmine victims in Azerbaijan is "
        "3,429, including 357 children and 38 women. 595 of those people lost their lives."
    )["victims"]
    assert victims == {
        "total_since_war": 350,
        "killed_since_war": 65,
        "injured_since_war": None,
        "total_all_time": 3429,
        "children": 357,
        "women": 38,
        "killed_all_time": 595,
        "civilians_since_war": None,
        "civilians_killed_since_war": None,
        "civilians_injured_since_war": None,
        "as_of": None,  # no date written, no publication date
    }


def test_victims_added_up_from_civilians_and_soldiers() -> None:
    victims = _read(  # 090
        "According to the infographic, after the end of the Second Karabakh War, 341 citizens of "
        "Azerbaijan became victims of landmines. 65 people died and 276 were injured from mine "
        "explosions during the specified period. From November 10, 2020, to December 6, 2023, 50 "
        "civilians and 15 soldiers were killed by mines in Azerbaijan. At the same time, 112 "
        "civilians and 164 soldiers were injured."
    )["victims"]
    assert (
        victims["total_since_war"],
        victims["killed_since_war"],
        victims["injured_since_war"],
    ) == (341, 65, 276)


def test_victims_with_breakdowns_in_brackets_and_words() -> None:
    bracketed = _read(  # 085
        "Moreover, a total of 315 people became victims of mine terror in the territories of "
        "Azerbaijan liberated from Armenian occupation between November 10, 2020, and September "
        "19, 2023. Of them, 62 people (civilian: 49; military: 13) were killed and 253 (civilian: "
        "101; military: 152) were injured."
    )["victims"]
    assert (
        bracketed["total_since_war"],
        bracketed["killed_since_war"],
        bracketed["injured_since_war"],
    ) == (315, 62, 253)
    in_words = _read(  # 125
        "On December 9, the Prosecutor-General's Office has reported that 29 civilians and seven "
        "military servicemen were killed, as well as 109 servicemen and 44 civilians received "
        "injuries of varying severity as a result of mine explosions in the country’s lands since "
        "November 10, 2020."
    )["victims"]
    assert (in_words["killed_since_war"], in_words["injured_since_war"]) == (36, 153)


def test_victims_of_a_single_year_or_a_closed_span_are_not_recorded() -> None:
    parsed = parse_news_item_file(BULLETINS / "115.txt")
    # "41 individuals became victims … in 2024" is left out; "since November 2020, a total
    # of 382 individuals …, with 70 fatalities and 312 injuries" is recorded.
    assert parsed.victims is not None
    assert (
        parsed.victims.total_since_war,
        parsed.victims.killed_since_war,
        parsed.victims.injured_since_war,
    ) == (382, 70, 312)
    pre_war = parse_news_item_file(BULLETINS / "040.txt")
    # "From 1992 to 2020, 3079 people were damaged by landmines" is not an all-time total.
    assert pre_war.victims is not None and pre_war.victims.total_all_time is None
    assert pre_war.victims.total_since_war == 268


def test_injured_read_as_total_when_the_dead_are_counted_inside_it() -> None:
    victims = _read(  # 045
        "In the territory of Eastern Zangezur and Karabakh, the number of people injured in mine "
        "explosions has reached 379 since the end of the Karabakh war, 70 of whom have died, and "
        "the rest of them have received serious injuries, ANAMA specialist Gabil Babayev said."
    )["victims"]
    assert (
        victims["total_since_war"],
        victims["killed_since_war"],
        victims["injured_since_war"],
    ) == (379, 70, None)


# --- the whole item -------------------------------------------------------------------


def test_seed_bulletin() -> None:
    parsed = parse_news_item_file(SEED)
    data = parsed.to_json()
    assert (data["period_start"], data["period_end"]) == ("2024-07-01", "2024-07-07")
    assert data["kind"] == "mixed"  # as labels.jsonl says for 095.txt, the same news
    assert (data["ap_mines"], data["at_mines"], data["uxo"], data["hectares"]) == (
        28,
        107,
        830,
        1039.5,
    )
    assert data["districts"] == SEED_DISTRICTS
    victims = data["victims"]
    assert (victims["total_since_war"], victims["killed_since_war"]) == (350, 65)
    assert (
        victims["total_all_time"],
        victims["children"],
        victims["women"],
        victims["killed_all_time"],
    ) == (3429, 357, 38, 595)
    assert data["file"] == "seed-bulletin.txt"


def test_seed_kind_matches_the_label_of_the_same_news() -> None:
    import json

    labels = [
        json.loads(line)
        for line in (BULLETINS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    (label,) = [label for label in labels if label["file"] == "095.txt"]
    assert parse_news_item_file(SEED).kind.value == label["kind"]


def test_json_has_exactly_the_agreed_keys_and_evidence_for_every_value() -> None:
    parsed: ParsedNewsItem = parse_news_item_file(BULLETINS / "095.txt")
    data = parsed.to_json()
    assert list(data) == [
        "file",
        "period_start",
        "period_end",
        "kind",
        "ap_mines",
        "at_mines",
        "uxo",
        "hectares",
        "area_sq_m",
        "districts",
        "victims",
        "extra_periods",
        "evidence",
        "warnings",
        "fields",
    ]
    for name in (
        "period_start",
        "period_end",
        "ap_mines",
        "at_mines",
        "uxo",
        "hectares",
        "districts",
    ):
        assert data["evidence"][name]
    for name, value in data["victims"].items():
        assert value is None or data["evidence"][f"victims.{name}"]
    assert "28 anti-personnel mines" in data["evidence"]["ap_mines"]


@pytest.mark.parametrize("path", sorted(BULLETINS.glob("*.txt")), ids=lambda path: path.name)
def test_every_value_read_has_its_sentence_as_evidence(path: Path) -> None:
    data = parse_news_item_file(path).to_json()
    evidence = data["evidence"]
    values = {name: data[name] for name in ("period_start", "period_end", "kind", "districts")}
    values |= {
        name: data[name] for name in ("ap_mines", "at_mines", "uxo", "hectares", "area_sq_m")
    }
    values |= {f"victims.{name}": v for name, v in (data["victims"] or {}).items()}
    for index, extra in enumerate(data["extra_periods"]):
        values |= {f"extra_periods[{index}].{name}": v for name, v in extra.items()}
    for name, value in values.items():
        if value not in (None, []):
            assert evidence.get(name), name


def test_header_lines_give_the_file_name_and_the_publication_date() -> None:
    parsed = parse_news_item_file(
        BULLETINS / "065.txt"
    )  # "published: 2025-04-28", page chrome 2024
    assert parsed.file == "065.txt"
    assert (parsed.main.period_start, parsed.main.period_end) == (
        date(2025, 4, 21),
        date(2025, 4, 27),
    )


def test_no_wrong_values_on_english_items() -> None:
    report = evaluate(BULLETINS)
    wrong = [d for d in report.differences if d.verdict == "wrong"]
    english_wrong = report.english.total()["wrong"]
    assert english_wrong == 0, wrong
    assert report.english.total()["right"] >= 150
