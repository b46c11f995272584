"""Casualty statistics of a small scenario, exactly: unknown outcomes, age groups, rough
dates, the baseline split, hazard areas, and the public view (SQLite and PostGIS)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from tests.casualty_fixtures import load_casualty_sample
from tests.helpers import load_sample
from typer.testing import CliRunner

from demine.analysis.bulletin import BulletinFigures, bulletin_figures
from demine.analysis.casualties import CasualtyStatistics, casualty_statistics
from demine.analysis.casualties.public import public_json
from demine.cli.main import app
from demine.domain.periods import parse_iso_week
from demine.errors import InvalidRequestError
from demine.reports.casualties.paragraph import casualty_paragraph, casualty_text
from demine.store.engine import Store
from demine.store.reader import RegisterReader

runner = CliRunner()
AS_OF = date(2024, 7, 7)
SINCE = date(2020, 11, 10)


def statistics_of(store: Store, **options: Any) -> CasualtyStatistics:
    with store.read() as connection:
        return casualty_statistics(RegisterReader(connection, "AZ"), AS_OF, SINCE, **options)


def figures_of(store: Store, **options: Any) -> dict[str, Any]:
    return statistics_of(store, **options).to_json()


@pytest.fixture
def scenario(store: Store) -> Store:
    load_casualty_sample(store)
    return store


def test_headline_figures_count_unknown_outcomes_and_never_guess(scenario: Store) -> None:
    figures = figures_of(scenario)
    assert figures["since_total"] == 11
    # 3 + 6 + 2 = 11: the unknown outcomes are counted, not folded into injured.
    assert (figures["since_killed"], figures["since_injured"]) == (3, 6)
    assert figures["since_unknown_outcome"] == 2
    assert figures["since_civilians"] == 7
    assert figures["since_civilian_share"] == round(7 / 11, 4)
    # A girl of 12 and a boy known only as 0-17; women: 45 and "adult", not the woman
    # of unknown age.
    assert (figures["since_children"], figures["since_women"]) == (2, 2)
    assert figures["since_accidents"] == 7


def test_breakdowns_add_up_and_keep_unknowns_apart(scenario: Store) -> None:
    figures = figures_of(scenario)
    assert figures["by_outcome"] == {"killed": 3, "injured": 6, "unknown": 2}
    assert figures["by_victim_category"] == {
        "civilian": 7, "military": 1, "deminer": 2, "unknown": 1,
    }  # fmt: skip
    assert figures["by_sex"] == {"female": 4, "male": 6, "unknown": 1}
    assert figures["by_age_band"] == {"0-17": 2, "18-59": 5, "60+": 1, "18+": 1, "unknown": 2}
    assert figures["by_year"] == {"2020": 0, "2021": 3, "2022": 3, "2023": 3, "2024": 2}
    months = {k: v for k, v in figures["by_month"].items() if v}
    # The accident dated only to 2022 has no month: it is not put in one.
    assert months == {
        "2021-02": 1, "2021-05": 2, "2022-08": 2, "2023-03": 2, "2023-11": 1, "2024-06": 2,
        "unknown": 1,
    }  # fmt: skip
    assert figures["by_district"] == {"Tartar": 3, "Aghdam": 5, "Fuzuli": 3}
    assert figures["by_device_category"]["AP_MINE"] == 7
    assert (figures["by_device_category"]["UXO"], figures["by_device_category"]["AT_MINE"]) == (
        3, 1,
    )  # fmt: skip
    assert figures["accidents_by_district"] == {"Tartar": 2, "Aghdam": 3, "Fuzuli": 2}
    for key in ("by_year", "by_month", "by_district", "by_device_category", "by_sex"):
        assert sum(figures[key].values()) == figures["since_total"], key


def test_inside_known_hazard_uses_the_flag_else_the_polygon_known_on_the_day(
    scenario: Store,
) -> None:
    # ACC-002, ACC-103 (flags) and ACC-101 (point in HA-001, recorded before) inside;
    # ACC-102 is in HA-001's polygon but before it was recorded: outside, with ACC-001
    # and ACC-106 (flags); ACC-104 has neither flag nor point.
    figures = figures_of(scenario)
    assert figures["inside_known_hazard"] == {"inside": 3, "outside": 3, "unknown": 1}


def test_rough_dates_are_never_put_on_an_invented_day(scenario: Store) -> None:
    figures = figures_of(scenario)
    # ACC-105 (2020-11) straddles the start; ACC-107 (2024-07) straddles the as-of date.
    assert figures["since_unplaced_accidents"] == 2
    assert figures["since_unplaced_victims"] == 2
    assert figures["all_time_unplaced_victims"] == 2
    july = date(2024, 7, 31)
    with scenario.read() as connection:
        later = casualty_statistics(RegisterReader(connection, "AZ"), july, SINCE).to_json()
    assert later["since_total"] == 12 and later["since_unplaced_victims"] == 1


def test_all_time_is_the_baseline_plus_records_and_shows_the_split(scenario: Store) -> None:
    figures = figures_of(scenario)
    assert figures["baseline"]["date"] == "2020-11-09"
    assert figures["baseline"]["figures"]["total"] == 100
    assert figures["baseline"]["source"] == "fixture: invented figures"
    assert figures["after_baseline"]["from"] == "2020-11-10"
    assert figures["after_baseline"]["total"] == 11
    assert figures["all_time_total"] == 111
    assert (figures["all_time_killed"], figures["all_time_injured"]) == (23, 84)
    assert (figures["all_time_children"], figures["all_time_women"]) == (12, 7)
    text = casualty_text(figures)
    assert (
        "All-time figures: 100 victims published up to Nov 9, 2020 (fixture: invented "
        "figures), plus 11 recorded from Nov 10, 2020 to Jul 7, 2024." in text
    )


def test_paragraph_states_unknown_outcomes(scenario: Store) -> None:
    assert casualty_paragraph(figures_of(scenario)) == (
        "Note that the number of mine victims since the Second Garabagh War has reached 11, "
        "and 3 of them have died. The outcome is not known for 2 of them. More than 60% of "
        "landmine victims are civilians. Among them are people of all age categories. The "
        "total number of landmine victims in Azerbaijan is 111, including 12 children and 7 "
        "women. 23 of those people lost their lives."
    )
    text = casualty_text(figures_of(scenario))
    assert (
        "2 accidents with 2 victims, dated only to a month or a year, could not be placed "
        "inside the period and are not counted." in text
    )


def test_a_district_has_no_all_time_figures_from_a_national_baseline(scenario: Store) -> None:
    figures = figures_of(scenario, district="Terter")
    assert figures["district"] == "Tartar" and figures["since_total"] == 3
    assert figures["all_time_total"] is None and figures["baseline"] is None
    assert any("national" in warning for warning in figures["warnings"])
    with pytest.raises(InvalidRequestError):
        figures_of(scenario, district="Nowhere")


def test_public_view_hides_small_cells_and_keeps_totals(scenario: Store) -> None:
    public = public_json(statistics_of(scenario), 5)
    assert public["public"] is True and public["suppression_threshold"] == 5
    assert public["since_total"] == 11 and public["all_time_total"] == 111
    assert public["by_outcome"] == {"killed": "<5", "injured": 6, "unknown": "<5"}
    assert (public["since_killed"], public["since_unknown_outcome"]) == ("<5", "<5")
    assert public["by_district"] == {"Tartar": "<5", "Aghdam": 5, "Fuzuli": "<5"}
    # All time minus the published baseline would give the hidden recorded counts back.
    assert public["all_time_killed"] == "withheld" and public["all_time_children"] == "withheld"
    assert casualty_paragraph(public) == (
        "Note that the number of mine victims since the Second Garabagh War has reached 11, "
        "and <5 of them have died. The outcome is not known for <5 of them. More than 60% of "
        "landmine victims are civilians. The total number of landmine victims in Azerbaijan "
        "is 111."
    )


def test_report_command_text_and_json(scenario: Store, database_url: str) -> None:
    def run(*args: str) -> str:
        result = runner.invoke(
            app,
            ["--db", database_url, "report", "casualties", "--as-of", "2024-07-07", *args],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        return result.output

    figures = json.loads(run("--since", "2020-11-10", "--format", "json"))
    assert figures["since_total"] == 11 and figures["all_time_total"] == 111
    # Without --since, AZ counts from its reference date.
    assert json.loads(run("--format", "json"))["since"] == "2020-11-10"
    public = json.loads(run("--format", "json", "--public", "--threshold", "3"))
    # Killed (3) is not small at threshold 3, but hidden so that unknown (2) stays hidden.
    assert public["by_outcome"] == {"killed": "withheld", "injured": 6, "unknown": "<3"}
    assert run().startswith("Note that the number of mine victims since the Second Garabagh")


def _paragraph(figures: BulletinFigures) -> str | None:
    return casualty_paragraph(figures.casualties) if figures.casualties else None


def test_bulletins_add_the_paragraph_only_when_casualty_data_exist(store: Store) -> None:
    week = parse_iso_week("2024-W27")
    with store.read() as connection:
        assert _paragraph(bulletin_figures(RegisterReader(connection, "AZ"), week)) is None
    load_sample(store)  # two accidents, no victims, no baseline
    with store.read() as connection:
        figures = bulletin_figures(RegisterReader(connection, "AZ"), week)
    assert _paragraph(figures) == (
        "2 explosive ordnance accidents have been recorded since the Second Garabagh War, "
        "with no victim recorded."
    )
    load_casualty_sample(store)
    with store.read() as connection:
        paragraph = _paragraph(bulletin_figures(RegisterReader(connection, "AZ"), week))
        district = _paragraph(bulletin_figures(RegisterReader(connection, "AZ"), week, "Fuzuli"))
    assert paragraph is not None and paragraph.startswith(
        "Note that the number of mine victims since the Second Garabagh War has reached 11,"
    )
    assert district is None


def test_draft_and_deleted_accidents_and_victims_do_not_count(scenario: Store) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select, update

    from demine.store import schema

    before = figures_of(scenario)
    accidents, victims = schema.accidents, schema.victims
    with scenario.write() as connection:
        first, second = connection.execute(
            select(accidents.c.id).order_by(accidents.c.id).limit(2)
        ).scalars()
        hidden = connection.execute(
            select(func.count()).where(victims.c.accident_id.in_([first, second]))
        ).scalar_one()
        connection.execute(
            update(accidents).where(accidents.c.id == first).values(review_status="draft")
        )
        connection.execute(
            update(accidents).where(accidents.c.id == second).values(deleted_at=datetime.now(UTC))
        )
    after = figures_of(scenario)
    assert hidden > 0
    assert after["since_total"] == before["since_total"] - hidden
    assert after["since_accidents"] == before["since_accidents"] - 2


def test_only_live_accidents_make_casualty_data(store: Store) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select, update

    from demine.analysis.casualties import has_casualty_data
    from demine.store import schema

    load_sample(store)  # two accidents, no victims, no baseline
    with store.read() as connection:
        assert has_casualty_data(RegisterReader(connection, "AZ"))
        assert not has_casualty_data(RegisterReader(connection, "CO"))
    accidents = schema.accidents
    with store.write() as connection:
        first, second = connection.execute(
            select(accidents.c.id).order_by(accidents.c.id)
        ).scalars()
        connection.execute(
            update(accidents).where(accidents.c.id == first).values(review_status="draft")
        )
        connection.execute(
            update(accidents).where(accidents.c.id == second).values(deleted_at=datetime.now(UTC))
        )
    with store.read() as connection:
        assert not has_casualty_data(RegisterReader(connection, "AZ"))
