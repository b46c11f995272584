"""The demo register for Azerbaijan: published figures exact, records valid, shapes sane."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, timedelta

import pytest
from shapely.geometry import Polygon, box

from demine.demo import DemoRegister, build_demo
from demine.demo.allocate import split_in_units, split_integer, split_with_minimum
from demine.demo.districts import COUNTRY_BOX, DISTRICTS, district_polygons, region
from demine.demo.geo import area_m2
from demine.demo.published import PUBLISHED_MONTHS, PUBLISHED_WEEKS, PublishedWeek
from demine.demo.series import iso_week_starts, weekly_series
from demine.domain import rules
from demine.domain.vocab import AdminLevel, EOCategory, HazardStatus

SEED_WEEK = date(2024, 7, 1)
CONTEXT = rules.RuleContext(today=date(2026, 1, 1), extent=rules.Extent(*COUNTRY_BOX))


@pytest.fixture(scope="module")
def register() -> DemoRegister:
    return build_demo()


def _week_totals(register: DemoRegister, monday: date) -> tuple[Counter[EOCategory], float]:
    """Devices by category found in the week, and area cleared by activities ending in it."""
    sunday = monday + timedelta(days=6)
    devices: Counter[EOCategory] = Counter()
    for find in register.device_finds:
        if monday <= find.found.earliest <= sunday:
            devices[find.category] += find.quantity
    cleared = sum(a.area_cleared_m2 for a in register.activities if monday <= a.end_date <= sunday)
    return devices, cleared


def test_seed_week_reproduces_the_bulletin(register: DemoRegister) -> None:
    devices, cleared = _week_totals(register, SEED_WEEK)
    assert devices == {EOCategory.AP_MINE: 28, EOCategory.AT_MINE: 107, EOCategory.UXO: 830}
    assert cleared == 10_395_000
    districts = {
        f.district
        for f in register.device_finds
        if SEED_WEEK <= f.found.earliest <= date(2024, 7, 7)
    }
    names = {spec.code: spec.name for spec in DISTRICTS}
    assert sorted(names[d] for d in districts) == sorted(
        [
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
    )


@pytest.mark.parametrize("week", PUBLISHED_WEEKS, ids=lambda w: w.start.isoformat())
def test_every_published_week_is_exact(register: DemoRegister, week: PublishedWeek) -> None:
    assert week.start.weekday() == 0
    devices, cleared = _week_totals(register, week.start)
    assert devices[EOCategory.AP_MINE] == week.ap_mines
    assert devices[EOCategory.AT_MINE] == week.at_mines
    assert devices[EOCategory.UXO] == week.uxo
    assert cleared == week.area_cleared_m2


def test_records_add_up_to_every_week_of_the_series(register: DemoRegister) -> None:
    cleared: Counter[date] = Counter()
    for activity in register.activities:
        cleared[activity.end_date] += int(activity.area_cleared_m2)
    found: Counter[tuple[date, EOCategory]] = Counter()
    for find in register.device_finds:
        day = find.found.earliest
        found[(day - timedelta(days=day.weekday()), find.category)] += find.quantity
    for week in weekly_series(2024):
        assert cleared[week.week_end] == week.area_cleared_m2
        assert found[(week.week_start, EOCategory.AP_MINE)] == week.ap_mines
        assert found[(week.week_start, EOCategory.AT_MINE)] == week.at_mines
        assert found[(week.week_start, EOCategory.UXO)] == week.uxo


def test_series_covers_2021_w01_to_2025_w52() -> None:
    mondays = iso_week_starts()
    assert mondays[0] == date(2021, 1, 4)
    assert mondays[-1] + timedelta(days=6) == date(2025, 12, 28)
    assert len(mondays) == 260
    series = weekly_series(7)
    assert all(min(w.ap_mines, w.at_mines, w.uxo, w.area_cleared_m2) >= 0 for w in series)
    late = [w.area_cleared_m2 / 10_000 for w in series if w.week_start.year >= 2024]
    assert 700 < sum(late) / len(late) < 1900


def test_published_months_are_followed(register: DemoRegister) -> None:
    for month in PUBLISHED_MONTHS:
        key = (month.year, month.month)
        hectares = sum(
            a.area_cleared_m2
            for a in register.activities
            if (a.end_date.year, a.end_date.month) == key
        )
        assert hectares / 10_000 == pytest.approx(month.hectares, abs=1.0)
        devices: Counter[EOCategory] = Counter()
        for find in register.device_finds:
            if (find.found.earliest.year, find.found.earliest.month) == key:
                devices[find.category] += find.quantity
        assert devices[EOCategory.AP_MINE] == pytest.approx(month.ap_mines, rel=0.15)
        assert devices[EOCategory.AT_MINE] == pytest.approx(month.at_mines, rel=0.15)
        assert devices[EOCategory.UXO] == pytest.approx(month.uxo, rel=0.15)


@pytest.mark.slow
def test_same_seed_gives_the_same_register(register: DemoRegister) -> None:
    assert build_demo() == register


def test_other_seeds_vary_synthetic_weeks_only() -> None:
    one, two = weekly_series(1), weekly_series(2)
    assert one != two
    published = {w.start for w in PUBLISHED_WEEKS}
    assert [w for w in one if w.week_start in published] == [
        w for w in two if w.week_start in published
    ]


def test_every_record_passes_the_domain_rules(register: DemoRegister) -> None:
    problems = [
        *(p for h in register.hazards for p in rules.check_hazard(h, CONTEXT)),
        *(
            p
            for c in register.hazard_status_changes
            for p in rules.check_hazard_status_change(c, CONTEXT)
        ),
        *(p for a in register.activities for p in rules.check_activity(a, CONTEXT)),
        *(p for f in register.device_finds for p in rules.check_device_find(f, CONTEXT)),
    ]
    assert problems == []
    ids = [
        *(h.external_id for h in register.hazards),
        *(c.external_id for c in register.hazard_status_changes),
        *(a.external_id for a in register.activities),
        *(f.external_id for f in register.device_finds),
    ]
    assert len(ids) == len(set(ids))


def test_record_counts_are_in_range(register: DemoRegister) -> None:
    assert len(register.admin_areas) == 15
    assert 150 <= len(register.hazards) <= 300
    assert 15_000 <= len(register.activities) <= 40_000
    assert len(register.device_finds) <= 150_000
    assert 200 <= len(register.accidents) <= 1_000
    assert len(register.victims) >= 350 and len(register.casualty_baselines) == 1


def test_districts_tile_the_region() -> None:
    # Real boundaries now (tests/test_demo_districts.py checks them and their codes):
    # two GeoNames centres, Shusha's and Khankendi's, fall just outside theirs.
    polygons = district_polygons()
    assert len(polygons) == 14
    for a, b in itertools.combinations(polygons.values(), 2):
        assert a.intersection(b).area < 1e-12
    outline = region()
    assert sum(p.area for p in polygons.values()) == pytest.approx(outline.area, rel=1e-9)
    assert box(*COUNTRY_BOX).contains(outline)


def test_admin_areas_carry_names_aliases_and_order(register: DemoRegister) -> None:
    country, *districts = register.admin_areas
    assert (country.code, country.level, country.geometry_approximate) == (
        "AZ",
        AdminLevel.COUNTRY,
        True,
    )
    assert [d.reporting_order for d in districts] == list(range(1, 15))
    assert all(d.parent_code == "AZ" for d in districts)
    # Only Tartar and Aghdara, cut out of one published polygon, are approximate.
    assert [d.code for d in districts if d.geometry_approximate] == ["AZ-TAR", "AZ-AGR"]
    aliases = {d.name: d.aliases for d in districts}
    assert {"Khankandi", "Xankəndi", "Stepanakert"} <= set(aliases["Khankendi"])
    assert "Goranboi" in aliases["Goranboy"]


def test_every_find_lies_in_its_district(register: DemoRegister) -> None:
    polygons = district_polygons()
    outside = [
        f.external_id
        for f in register.device_finds
        if not polygons[f.district].contains(f.geometry)
    ]
    assert outside == []


def test_finds_fall_within_their_activity_week(register: DemoRegister) -> None:
    activities = {a.external_id: a for a in register.activities}
    for find in register.device_finds:
        assert find.activity is not None and find.quantity >= 1
        activity = activities[find.activity]
        assert activity.district == find.district
        assert activity.start_date <= find.found.earliest <= activity.end_date


def test_activities_run_monday_to_sunday_in_linked_districts(register: DemoRegister) -> None:
    hazards = {h.external_id: h for h in register.hazards}
    for activity in register.activities:
        assert activity.start_date.weekday() == 0
        assert activity.end_date == activity.start_date + timedelta(days=6)
        if activity.hazard is not None:
            hazard = hazards[activity.hazard]
            assert hazard.district == activity.district
            if activity.geometry is not None:
                assert hazard.geometry is not None
                assert hazard.geometry.buffer(1e-9).covers(activity.geometry)


def test_hazards_lie_in_their_districts_with_consistent_areas(register: DemoRegister) -> None:
    polygons = district_polygons()
    for hazard in register.hazards:
        assert hazard.geometry is not None
        assert polygons[hazard.district].contains(hazard.geometry)
        assert date(2021, 1, 1) <= hazard.recorded_on <= date(2022, 12, 31)
        if isinstance(hazard.geometry, Polygon):
            estimated = hazard.estimated_area_m2
            assert estimated is not None
            assert estimated == pytest.approx(area_m2(hazard.geometry), abs=1.0)
            assert 20_000 <= estimated <= 2_000_000
        if hazard.status is HazardStatus.CLOSED:
            assert hazard.remaining_area_m2 in (0.0, None)


def test_status_changes_end_in_each_hazards_status(register: DemoRegister) -> None:
    last: dict[str, HazardStatus] = {}
    for change in sorted(register.hazard_status_changes, key=lambda c: c.changed_on):
        last[change.hazard] = change.status
    for hazard in register.hazards:
        assert last.get(hazard.external_id, HazardStatus.OPEN) is hazard.status


def test_splits_add_up_exactly() -> None:
    assert split_integer(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_integer(10_395_000, [0.3, 2.5, 1.1, 7.0])) == 10_395_000
    assert split_with_minimum(5, [100.0, 0.0, 0.0]) == [3, 1, 1]
    assert all(part % 100 == 0 for part in split_in_units(10_395_000, [1.0, 2.0, 3.3], 100))
    with pytest.raises(ValueError):
        split_with_minimum(2, [1.0, 1.0, 1.0])
