"""Districts and settlements named in the reader's language (Xankəndi, Ханкенди,
Khankendi), while machine outputs keep the canonical name and any spelling is read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.casualty_fixtures import load_casualty_sample
from tests.helpers import TODAY, load_sample
from typer.testing import CliRunner

from demine.analysis.casualties import casualty_statistics
from demine.analysis.summary import summarise_period
from demine.cli.main import app
from demine.domain.entities import AdminArea
from demine.domain.names import name_key
from demine.domain.places import PlaceIndex, shown_names
from demine.domain.vocab import AdminLevel
from demine.i18n import using_locale
from demine.ingest.gazetteers import builtin_gazetteer, gazetteer
from demine.ingest.importer import import_file
from demine.reports.bulletin.summary_text import render_summary_text
from demine.reports.casualties.document import CasualtyFormat, render_casualties
from demine.store import migrate
from demine.store.engine import Store, open_store
from demine.store.reader import RegisterReader
from demine.store.reads import records as reads
from demine.store.reads.map_layers import area_layer
from demine.store.spatial import BBox
from demine.web.entry_form import choices_for, form_fields
from demine.web.ogc.html import render_html

WEEK = (date(2024, 7, 1), date(2024, 7, 7))


def test_every_district_of_the_gazetteer_has_its_azerbaijani_and_russian_name() -> None:
    known = builtin_gazetteer("AZ")
    assert known is not None
    assert (known.name_az, known.name_ru) == ("Azərbaycan", "Азербайджан")
    for district in known.districts:
        assert district.name_az and district.name_ru, district.code
    khankendi = known.district("AZ-KHN")
    assert (khankendi.name, khankendi.name_az, khankendi.name_ru) == (
        "Khankendi",
        "Xankəndi",
        "Ханкенди",
    )


def test_a_name_is_shown_in_the_readers_language_and_kept_canonical_as_a_mapping() -> None:
    names = PlaceIndex("AZ", gazetteer("AZ")).names()
    assert names["AZ-KHN"] == "Khankendi"
    assert names.shown("AZ-KHN", "az") == "Xankəndi"
    assert names.shown("AZ-KHN", "ru") == "Ханкенди"
    assert names.shown("AZ-KHN", "en") == "Khankendi"
    assert names.shown("AZ-XYZ", "az") == "AZ-XYZ"
    with using_locale("ru"):
        assert shown_names(names)["AZ-TAR"] == "Тертер"
        assert shown_names(names)["AZ"] == "Азербайджан"
    # An area with no name of its own in a language keeps its canonical one.
    plain = AdminArea("CO-ANT", "Antioquia", AdminLevel.DISTRICT, "CO")
    assert plain.name_in("ru") == "Antioquia"


@pytest.mark.parametrize("spelling", ["Khankendi", "Xankəndi", "xankandi", "Ханкенди", "ХАНКЕНДИ"])
def test_every_spelling_resolves_to_the_same_district(spelling: str) -> None:
    places = PlaceIndex("AZ", gazetteer("AZ"))
    assert places.resolve(spelling, AdminLevel.DISTRICT) == "AZ-KHN"


def test_cyrillic_names_have_keys_of_their_own() -> None:
    assert name_key("Ханкенди") == "ханкенди"
    assert name_key("Ханкенди") != name_key("Тертер")
    assert name_key("Xankəndi") == name_key("xankandi")


def test_the_summary_names_districts_in_the_readers_language(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        summary = summarise_period(RegisterReader(connection, "AZ"), *WEEK)
    with using_locale("az"):
        text = render_summary_text(summary)
    assert "Tərtər" in text and "Ağdam" in text and "Füzuli" in text and "Azərbaycan" in text
    assert "Tartar" not in text and "Aghdam" not in text
    with using_locale("ru"):
        text = render_summary_text(summary)
    assert "Тертер" in text and "Агдам" in text and "Физули" in text and "Азербайджан" in text
    with using_locale("en"):
        text = render_summary_text(summary)
    assert "Tartar" in text and "Azerbaijan" in text
    # JSON is a machine output: the canonical names, whatever the reader's language.
    with using_locale("az"):
        assert summary.to_json()["districts"] == ["Tartar", "Aghdam", "Fuzuli"]
        assert summary.to_json()["by_district"][0]["district"] == "Tartar"


AREAS = """code,name,level,parent,aliases,reporting_order,geometry_approximate,name_az,name_ru
AZ,Azerbaijan,country,,,,true,,
AZ-KHN,Khankendi,district,AZ,Khankandi,8,true,,
AZ-KHN-KRK,Karkijahan,settlement,AZ-KHN,,,false,Kərkicahan,Керкиджахан
"""

FINDS_HEADER = "external_id,district,category,quantity,found_on,lon,lat\n"


def test_an_import_names_the_district_in_any_language(store: Store, tmp_path: Path) -> None:
    areas = tmp_path / "areas.csv"
    areas.write_text(AREAS, encoding="utf-8")
    import_file(store, "admin-areas", areas, country="AZ", today=TODAY)
    spellings = ["Khankendi", "Xankəndi", "Ханкенди", "XANKƏNDİ", "Khankandi", "AZ-KHN"]
    rows = "".join(
        f"FND-{n},{spelling},UXO,1,2024-07-02,46.753,39.818\n"
        for n, spelling in enumerate(spellings)
    )
    finds = tmp_path / "finds.csv"
    finds.write_text(FINDS_HEADER + rows, encoding="utf-8")
    import_file(store, "finds", finds, country="AZ", today=TODAY)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        summary = summarise_period(reader, *WEEK)
        areas_read = {a.code: a for a in reads.admin_areas(reader, reads.area_refs(reader))}
    assert summary.by_district["AZ-KHN"].uxo == len(spellings)
    assert list(summary.by_district) == ["AZ-KHN"]
    # The file gave no Azerbaijani or Russian name: the built-in gazetteer's are kept;
    # the settlement's come from the file.
    khankendi, settlement = areas_read["AZ-KHN"], areas_read["AZ-KHN-KRK"]
    assert (khankendi.name_az, khankendi.name_ru) == ("Xankəndi", "Ханкенди")
    assert (settlement.name_az, settlement.name_ru) == ("Kərkicahan", "Керкиджахан")
    with using_locale("az"):
        assert "Xankəndi" in render_summary_text(summary)
    with using_locale("ru"):
        assert "Ханкенди" in render_summary_text(summary)
    assert summary.to_json()["districts"] == ["Khankendi"]


def test_casualty_statistics_name_places_in_the_readers_language(store: Store) -> None:
    load_casualty_sample(store)
    with store.read() as connection:
        statistics = casualty_statistics(
            RegisterReader(connection, "AZ"), date(2024, 7, 7), date(2020, 11, 10), "Тертер"
        )
    with using_locale("az"):
        text = str(render_casualties(statistics, CasualtyFormat.TEXT))
        html = str(render_casualties(statistics, CasualtyFormat.HTML))
        figures = json.loads(render_casualties(statistics, CasualtyFormat.JSON))
    assert "Tərtər" in text and "Tartar" not in text
    assert "Tərtər" in html and "Ağdam" in html and ">Aghdam<" not in html
    assert figures["district"] == "Tartar" and figures["country_name"] == "Azerbaijan"
    assert list(figures["by_district"]) == ["Tartar", "Aghdam", "Fuzuli"]
    with using_locale("ru"):
        national = casualty_statistics_text(store)
    assert "Азербайджан" in national and "Azerbaijan" not in national


def casualty_statistics_text(store: Store) -> str:
    with store.read() as connection:
        statistics = casualty_statistics(
            RegisterReader(connection, "AZ"), date(2024, 7, 7), date(2020, 11, 10)
        )
    return str(render_casualties(statistics, CasualtyFormat.TEXT))


def test_web_pages_name_districts_in_the_readers_language(store: Store) -> None:
    load_sample(store)
    with store.read() as connection:
        reader = RegisterReader(connection, "AZ")
        layer = area_layer(reader, "districts", BBox(44.0, 38.0, 51.0, 42.0), 8)
        with using_locale("ru"):
            choices = choices_for(reader, None)
    # The map's layer (GeoJSON) keeps the canonical name and adds the others; the
    # popup picks the page's language.
    tartar = next(f["properties"] for f in layer["features"] if f["properties"]["code"] == "AZ-TAR")
    assert tartar == {"code": "AZ-TAR", "name": "Tartar", "name_az": "Tərtər", "name_ru": "Тертер"}
    # The form sends the canonical name and shows the page's.
    shown = dict(zip(choices["districts"], choices["district_labels"], strict=True))
    assert shown == {"Aghdam": "Агдам", "Fuzuli": "Физули", "Tartar": "Тертер"}
    fields = form_fields("finds", choices["districts"], ["ANAMA"],
                         district_labels=choices["district_labels"])  # fmt: skip
    district = next(f for f in fields if f.name == "district")
    assert district.choice_labels == ("Агдам", "Тертер", "Физули")
    # An OGC HTML page shows the page's language; its JSON items are unchanged.
    item = {"type": "Feature", "id": 1, "geometry": None, "properties": dict(tartar)}
    with using_locale("az"):
        page = render_html("/ogc/collections/districts/items/1", item)
    assert "Tərtər" in page and item["properties"]["name"] == "Tartar"


def test_the_demo_weeks_summary_in_azerbaijani_and_a_district_named_in_russian(
    demo_database_url: str,
) -> None:
    week = ["summary", "--from", "2024-07-01", "--to", "2024-07-07"]

    def demine(*args: str, language: str = "en") -> str:
        result = CliRunner().invoke(
            app, ["--db", demo_database_url, *args], env={"DEMINE_LOCALE": language}
        )
        assert result.exit_code == 0, result.output
        return result.output

    text = demine(*week, language="az")
    assert "Tərtər, Ağdam, Ağdərə, Laçın, Füzuli, Şuşa, Xocalı, Xankəndi, Kəlbəcər" in text
    assert "Khankendi" not in text
    assert "Ханкенди" in demine(*week, language="ru")
    chosen = [
        json.loads(demine(*week, "--district", spelling, "--format", "json", language="az"))
        for spelling in ("Khankendi", "Xankəndi", "Ханкенди")
    ]
    assert chosen[0] == chosen[1] == chosen[2]
    assert chosen[0]["district_filter"] == "Khankendi"


def test_the_migration_names_the_stored_areas_of_azerbaijan(database_url: str) -> None:
    store = open_store(database_url, create=True)
    migrate.upgrade(store, "0017")
    with store.write() as connection:
        connection.execute(
            text(
                "INSERT INTO admin_areas (code, name, level, country, geometry_approximate, "
                "updated_at) VALUES ('AZ-KHN', 'Khankendi', 'district', 'AZ', true, "
                ":now), ('CO-ANT', 'Antioquia', 'district', 'CO', false, :now)"
            ),
            {"now": datetime(2026, 12, 6, tzinfo=UTC)},
        )
    migrate.upgrade(store)
    with store.read() as connection:
        rows = connection.execute(
            text("SELECT code, name_az, name_ru FROM admin_areas ORDER BY code")
        ).all()
    store.dispose()
    assert [tuple(row) for row in rows] == [
        ("AZ-KHN", "Xankəndi", "Ханкенди"),
        ("CO-ANT", None, None),
    ]
