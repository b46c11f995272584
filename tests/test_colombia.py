"""Reading Colombia's real landmine event register (data/colombia-events, MIT)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from demine.domain.vocab import AdminLevel, DatePrecision, EOCategory, HazardClassification
from demine.errors import ImportRejected
from demine.ingest.colombia import ColombiaRegister, EventType, read_colombia_register

DATA = Path(__file__).parents[1] / "data" / "colombia-events"


def _register_files() -> list[Path]:
    return sorted(DATA.glob("*.json"))


@pytest.fixture(scope="module")
def register() -> ColombiaRegister:
    return read_colombia_register(_register_files())


@pytest.fixture(scope="module")
def direct_counts() -> Counter[tuple[int, int]]:
    """(year, TIPO_EVENTO) counted straight from the JSON, independently of the reader."""
    counts: Counter[tuple[int, int]] = Counter()
    for path in _register_files():
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            properties = feature["properties"]
            counts[(int(properties["AÑO"]), int(properties["TIPO_EVENTO"]))] += 1
    return counts


def _year(external_id: str) -> int:
    return int(external_id.split("-")[1])


def test_all_twenty_years_and_every_feature_are_read(
    register: ColombiaRegister, direct_counts: Counter[tuple[int, int]]
) -> None:
    assert len(_register_files()) == 20
    assert sum(direct_counts.values()) == 16_497
    assert dict(register.counts_by_year_and_type) == dict(direct_counts)


def test_entities_by_year_and_type_match_the_files(
    register: ColombiaRegister, direct_counts: Counter[tuple[int, int]]
) -> None:
    read: Counter[tuple[int, int]] = Counter()
    for accident in register.accidents:
        kind = 1 if accident.device_category is EOCategory.AP_MINE else 2
        read[(accident.occurred.earliest.year, kind)] += 1
    for find in register.device_finds:
        read[(find.found.earliest.year, 4)] += 1
    for hazard in register.hazards:
        read[(hazard.recorded_on.year, 8)] += 1
    expected = {key: n for key, n in direct_counts.items() if key[1] in (1, 2, 4, 8)}
    assert dict(read) == expected


def test_the_2005_figures(register: ColombiaRegister) -> None:
    counts = register.counts_by_year_and_type
    assert counts[(2005, EventType.AP_MINE_ACCIDENT)] == 601
    assert counts[(2005, EventType.UXO_ACCIDENT)] == 11
    assert counts[(2005, EventType.MILITARY_DEMINING)] == 678
    assert counts[(2005, EventType.SUSPECTED_MINEFIELD)] == 104
    accidents_2005 = [a for a in register.accidents if a.occurred.earliest.year == 2005]
    assert Counter(a.device_category for a in accidents_2005) == {
        EOCategory.AP_MINE: 601,
        EOCategory.UXO: 11,
    }
    assert sum(f.found.earliest.year == 2005 for f in register.device_finds) == 678
    assert sum(h.recorded_on.year == 2005 for h in register.hazards) == 104


def test_types_without_an_entity_are_counted_as_skipped(
    register: ColombiaRegister, direct_counts: Counter[tuple[int, int]]
) -> None:
    expected: Counter[int] = Counter()
    for (_, kind), n in direct_counts.items():
        if kind in (3, 5, 6, 7):
            expected[kind] += n
    assert dict(register.skipped) == dict(expected)
    assert dict(register.skipped) == {3: 8, 5: 3454, 6: 44, 7: 28}


def test_no_invented_days(register: ColombiaRegister) -> None:
    for when in [a.occurred for a in register.accidents] + [f.found for f in register.device_finds]:
        assert when.precision is DatePrecision.YEAR
        assert (when.earliest.month, when.earliest.day) == (1, 1)
        assert (when.latest.month, when.latest.day) == (12, 31)
    # A hazard needs a day: the last one of its year, "known by the end of that year".
    assert all((h.recorded_on.month, h.recorded_on.day) == (12, 31) for h in register.hazards)


def test_ids_are_unique_and_derived_from_year_type_and_position(
    register: ColombiaRegister,
) -> None:
    ids = [a.external_id for a in register.accidents]
    ids += [f.external_id for f in register.device_finds]
    ids += [h.external_id for h in register.hazards]
    assert len(ids) == len(set(ids))
    first = register.accidents[0]
    assert first.external_id == "CO-1990-T1-00001"
    assert _year(first.external_id) == first.occurred.earliest.year
    assert all(h.external_id.split("-")[2] == "T8" for h in register.hazards)


def test_ids_do_not_depend_on_the_order_files_are_given(register: ColombiaRegister) -> None:
    again = read_colombia_register(list(reversed(_register_files())))
    assert [a.external_id for a in again.accidents] == [a.external_id for a in register.accidents]
    assert again.admin_areas == register.admin_areas


def test_entities_refer_to_places_that_exist(register: ColombiaRegister) -> None:
    areas = {area.code: area for area in register.admin_areas}
    assert areas["CO"].level is AdminLevel.COUNTRY
    assert areas["CO"].geometry_approximate
    assert len(areas) == len(register.admin_areas)
    for accident in register.accidents:
        assert areas[accident.district].level is AdminLevel.DISTRICT
        assert accident.settlement is not None
        assert areas[accident.settlement].parent_code == accident.district
    districts = {f.district for f in register.device_finds} | {h.district for h in register.hazards}
    assert all(areas[district].parent_code == "CO" for district in districts)
    for hazard in register.hazards:
        assert hazard.classification is HazardClassification.SHA
        assert hazard.contamination == ()
        assert hazard.estimated_area_m2 is None


def test_places_are_one_per_department_and_municipality(register: ColombiaRegister) -> None:
    levels = Counter(area.level for area in register.admin_areas)
    assert levels[AdminLevel.DISTRICT] == 32
    areas = {area.code: area for area in register.admin_areas}
    antioquia = areas["CO-ANTIOQUIA"]
    assert antioquia.name == "Antioquia"
    assert "ANTIOQUIA" in antioquia.aliases
    assert areas["CO-NORTE-DE-SANTANDER"].name == "Norte de Santander"
    assert areas["CO-ANTIOQUIA-ANORI"].name == "Anorí"
    # Córdoba is a municipality of several departments; each keeps its own code.
    assert {"CO-BOLIVAR-CORDOBA", "CO-QUINDIO-CORDOBA", "CO-NARINO-CORDOBA"} <= set(areas)
    # The source's garbled "CaRDOBA" (Nariño) is named correctly, the spelling kept.
    assert areas["CO-NARINO-CORDOBA"].aliases == ("CaRDOBA",)


def test_a_point_outside_colombia_is_dropped_and_reported(register: ColombiaRegister) -> None:
    (warning,) = register.warnings
    assert (warning.file, warning.row, warning.field) == ("2004.json", 1375, "geometry")
    (find,) = [f for f in register.device_finds if f.external_id == "CO-2004-T4-01375"]
    assert find.geometry is None
    points = [a.geometry for a in register.accidents] + [f.geometry for f in register.device_finds]
    points += [h.geometry for h in register.hazards]
    assert all(p.bounds[0] < -66 for p in points if p is not None)


def _feature(
    kind: Any = "1",
    year: Any = "2005",
    department: str = "ANTIOQUIA",
    municipality: str = "ANORÍ",
    geometry: Any = "point",
) -> dict[str, Any]:
    if geometry == "point":
        geometry = {"type": "Point", "coordinates": [-75.147222, 7.073333]}
    properties = {
        "TIPO_EVENTO": kind,
        "DEPARTAMENTO": department,
        "TIPO_AREA": "Rural",
        "AÑO": year,
        "MUNICIPIO": municipality,
    }
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_each_bad_feature_is_one_problem_naming_file_row_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "2005.json",
        [
            _feature(),
            _feature(kind="9"),
            _feature(geometry=None),
            _feature(year="20O5"),
            _feature(year="2004"),
            _feature(geometry={"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
            _feature(kind="4"),
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        read_colombia_register([path])
    where = [(p.file, p.row, p.field) for p in rejected.value.problems]
    assert where == [
        ("2005.json", 2, "TIPO_EVENTO"),
        ("2005.json", 3, "geometry"),
        ("2005.json", 4, "AÑO"),
        ("2005.json", 5, "AÑO"),
        ("2005.json", 6, "geometry"),
    ]
    assert "2004" in rejected.value.problems[3].reason


def test_a_file_without_a_year_in_its_name_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.json", [_feature()])
    with pytest.raises(ImportRejected) as rejected:
        read_colombia_register([path])
    (problem,) = rejected.value.problems
    assert (problem.file, problem.row) == ("events.json", None)


def test_spelling_variants_are_one_place_with_aliases(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "2005.json",
        [
            _feature(municipality="ANORÍ"),
            _feature(municipality="Anori", department="Antioquia"),
            _feature(municipality="ANORI"),
        ],
    )
    register = read_colombia_register([path])
    settlements = [a for a in register.admin_areas if a.level is AdminLevel.SETTLEMENT]
    districts = [a for a in register.admin_areas if a.level is AdminLevel.DISTRICT]
    assert [(a.code, a.name, a.aliases) for a in settlements] == [
        ("CO-ANTIOQUIA-ANORI", "Anorí", ("ANORÍ", "Anori", "ANORI"))
    ]
    assert [(a.code, a.aliases) for a in districts] == [("CO-ANTIOQUIA", ("ANTIOQUIA",))]
    assert {a.settlement for a in register.accidents} == {"CO-ANTIOQUIA-ANORI"}
