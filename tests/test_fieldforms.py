"""Field forms built from the register: each converts with pyxform and passes ODK
Validate, follows the contract the OpenRosa mapping reads (question name == field), has
its labels in English, Azerbaijani and Russian and its constraints, and keeps its version
until something it holds changes."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.helpers import TODAY, load_sample
from typer.testing import CliRunner

from demine.cli.main import app
from demine.domain.kinds import KINDS
from demine.fieldforms import GEOMETRY_QUESTION, BuiltForm, form_specs
from demine.fieldforms.build import build_forms, form_of
from demine.ingest.fields_file import programme_kinds
from demine.ingest.importer import import_file
from demine.store.engine import Store, open_store
from demine.store.reads.field_lists import FieldLists, HazardChoice, Place

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"
LANGUAGES = {"English (en)", "Azərbaycanca (az)", "Русский (ru)"}
FORMS = {spec.form_id for spec in form_specs(KINDS)}
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")


def _model(form: BuiltForm) -> ET.Element:
    model = ET.fromstring(form.xform).find(f"{H}head/{XF}model")
    assert model is not None
    return model


def _instance(form: BuiltForm) -> ET.Element:
    instance = _model(form).find(f"{XF}instance")
    assert instance is not None
    return instance[0]


def _binds(form: BuiltForm) -> dict[str, dict[str, str]]:
    root = f"/{form.form_id}/"
    return {
        bind.attrib["nodeset"].removeprefix(root): bind.attrib
        for bind in _model(form).iter(f"{XF}bind")
    }


def _forms(store: Store) -> dict[str, BuiltForm]:
    return {form.form_id: form for form in build_forms(store, KINDS, "AZ")}


@needs_java
@pytest.mark.slow
def test_every_form_of_the_demo_register_converts_and_passes_odk_validate(
    demo_database_url: str,
) -> None:
    store = open_store(demo_database_url)
    try:
        built = build_forms(store, KINDS, "AZ", validate=True)
    finally:
        store.dispose()
    assert {form.form_id for form in built} == FORMS
    lists = {form.form_id: form.media for form in built}
    hazards = list(
        csv.DictReader(io.StringIO(lists["demine_clearance_progress"]["hazards.csv"].decode()))
    )
    assert hazards and all(row["district"] for row in hazards)
    models = lists["demine_clearance_progress"]["models.csv"].decode()
    assert "TM-62M,TM-62M,AT_MINE" in models


def test_forms_follow_the_contract_the_openrosa_mapping_reads(store: Store) -> None:
    load_sample(store)
    forms = _forms(store)
    for spec in form_specs(KINDS):
        form = forms[spec.form_id]
        instance = _instance(form)
        assert instance.tag == f"{XF}{spec.form_id}"
        assert instance.attrib == {"id": spec.form_id, "version": form.version}
        children = [child.tag.removeprefix(XF) for child in instance]
        kind = KINDS[spec.kind]
        custom = [f.name for f in kind.fields if f.custom is not None]
        expected = [*spec.fields, *custom]
        expected += [GEOMETRY_QUESTION] if spec.geometry else []
        expected += [repeat.name for repeat in spec.repeats]
        assert list(dict.fromkeys(children)) == [*expected, "meta"], spec.form_id
        assert instance.find(f"{XF}meta/{XF}instanceID") is not None
        for repeat in spec.repeats:
            group = instance.find(f"{XF}{repeat.name}")
            assert group is not None
            asked = [child.tag.removeprefix(XF) for child in group]
            geometry = [GEOMETRY_QUESTION] if repeat.geometry else []
            assert asked == [*repeat.fields, *geometry]
            assert repeat.link_field not in asked
        for name in spec.fixed:
            assert name not in children


def test_labels_hints_and_choices_are_in_english_azerbaijani_and_russian(store: Store) -> None:
    load_sample(store)
    form = _forms(store)["demine_clearance_progress"]
    itext = _model(form).find(f"{XF}itext")
    assert itext is not None
    translations = {t.attrib["lang"]: t for t in itext}
    assert set(translations) == LANGUAGES
    ids = {lang: {text.attrib["id"] for text in t} for lang, t in translations.items()}
    assert ids["Azərbaycanca (az)"] == ids["Русский (ru)"] == ids["English (en)"]

    def label(lang: str, text_id: str) -> str:
        node = translations[lang].find(f"{XF}text[@id='{text_id}']/{XF}value")
        assert node is not None and node.text
        return node.text

    district = "/demine_clearance_progress/district:label"
    assert label("English (en)", district) == "District"
    assert label("Azərbaycanca (az)", district) == "Rayon"
    assert label("Русский (ru)", district) == "Район"
    sheet = load_workbook(io.BytesIO(form.xlsform))["survey"]
    header = [cell.value for cell in sheet[1]]
    for column in ("label", "hint", "constraint_message"):
        assert {f"{column}::{lang}" for lang in LANGUAGES} <= set(header)


def test_constraints_refuse_negative_counts_future_dates_and_places_outside_the_country(
    store: Store,
) -> None:
    load_sample(store)
    forms = _forms(store)
    progress = _binds(forms["demine_clearance_progress"])
    for area in ("area_reduced_m2", "area_cleared_m2", "team_days"):
        assert progress[area]["constraint"] == ". >= 0"
        assert progress[area]["type"] == "decimal"
    assert progress["start_date"]["constraint"] == ". <= today()"
    assert "/demine_clearance_progress/start_date" in progress["end_date"]["constraint"]
    assert progress["finds/quantity"]["constraint"].startswith(". >= 1 and")
    assert progress["finds/found_on"]["constraint"] == ". <= today()"
    assert progress["kind"]["required"] == "true()"
    # The sample country's polygon: 44.76–50.63 E, 38.38–41.91 N.
    box = progress[GEOMETRY_QUESTION]["constraint"]
    assert all(edge in box for edge in (">= 38.38", "<= 41.91", ">= 44.76", "<= 50.63"))
    assert progress[GEOMETRY_QUESTION]["type"] == "geoshape"
    assert progress["finds/geometry"]["type"] == "geopoint"
    accident = _binds(forms["demine_accident"])
    assert accident["victims/age"]["constraint"] == ". >= 0 and . <= 120"
    assert accident["occurred_on"]["constraint"] == ". <= today()"


def test_personal_fields_are_marked_sensitive_and_never_in_media(store: Store) -> None:
    load_sample(store)
    form = _forms(store)["demine_accident"]
    binds = _binds(form)
    sensitive = {
        name for name, bind in binds.items() if "{https://demine.org/xforms}sensitive" in bind
    }
    assert sensitive == {"source", "narrative", "victims/sex", "victims/age", "victims/age_band"}
    for name, data in form.media.items():
        header = data.decode().splitlines()[0].split(",")
        assert header[:2] == ["name", "label"], name
        assert not {"sex", "age", "narrative", "source"} & set(header)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_version_changes_when_a_list_the_form_holds_changes_and_not_otherwise(
    store: Store, tmp_path: Path
) -> None:
    load_sample(store)
    first = {name: form.version for name, form in _forms(store).items()}
    assert {name: form.version for name, form in _forms(store).items()} == first

    summary = "external_id,authority,period_start,period_end,district,ap_mines\n"
    summary += "RS-2024-W01,ANAMA,2024-01-01,2024-01-07,Tartar,3\n"
    import_file(store, "summaries", _write(tmp_path / "s.csv", summary), country="AZ", today=TODAY)
    assert {name: form.version for name, form in _forms(store).items()} == first

    organisation = "code,name,kind\nNEWCO,New Demining Company,commercial\n"
    path = _write(tmp_path / "o.csv", organisation)
    import_file(store, "organisations", path, country="AZ", today=TODAY)
    second = {name: form.version for name, form in _forms(store).items()}
    with_organisation = {s.form_id for s in form_specs(KINDS) if "organisation" in s.fields}
    assert with_organisation == {
        "demine_non_technical_survey", "demine_clearance_progress", "demine_eod_spot_task",
    }  # fmt: skip
    assert {name for name in first if first[name] != second[name]} == with_organisation

    district = "code,name,level,parent,aliases,reporting_order,geometry_approximate,wkt\n"
    district += "AZ-QBL,Qubadli,district,AZ,,9,true,\n"
    import_file(
        store, "admin-areas", _write(tmp_path / "a.csv", district), country="AZ", today=TODAY
    )
    third = {name: form.version for name, form in _forms(store).items()}
    with_district = {s.form_id for s in form_specs(KINDS) if "district" in s.fields}
    assert {name for name in first if second[name] != third[name]} == with_district


def test_forms_build_writes_each_form_and_refuses_an_unknown_kind(
    store: Store, tmp_path: Path
) -> None:
    load_sample(store)
    url = store.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    out = tmp_path / "forms"
    result = runner.invoke(
        app, ["--db", url, "forms", "build", "--kind", "accidents", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "demine_accident (version " in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "demine_accident-media", "demine_accident.xlsx", "demine_accident.xml",
    ]  # fmt: skip
    assert sorted(p.name for p in (out / "demine_accident-media").iterdir()) == [
        "models.csv", "settlements.csv",
    ]  # fmt: skip
    refused = subprocess.run(
        [sys.executable, "-c", "from demine.cli.main import run; run()", "--db", url,
         "forms", "build", "--kind", "hazards", "-o", str(out)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, check=False,
    )  # fmt: skip
    assert refused.returncode == 5
    assert "no field form for hazards (forms exist for: accidents, activities, finds" in (
        refused.stderr
    )


@needs_java
def test_fields_a_programme_adds_are_asked_with_its_own_labels() -> None:
    kinds = programme_kinds(Path(__file__).parent / "fixtures" / "programme" / "fields.toml")
    lists = FieldLists(
        districts=(Place("AZ-TAR", "Tartar"),),
        settlements=(),
        organisations=(("ANAMA", "Azerbaijan National Agency for Mine Action"),),
        hazards=(HazardChoice("HA-1", "Hill 412", "AZ-TAR"),),
        models=(),
        bounds=(44.76, 38.38, 50.63, 41.91),
    )
    spec = next(s for s in form_specs(kinds) if s.form_id == "demine_clearance_progress")
    form = form_of(spec, lists, kinds, validate=True)
    binds = _binds(form)
    assert binds["team_size"]["constraint"] == ". >= 0"
    assert binds["weather"]["type"] == "string"
    assert "Погода" in form.xform and "Hava" in form.xform
    plain = form_of(spec, lists, KINDS)
    assert "weather" not in _binds(plain) and plain.version != form.version


def test_districts_are_named_in_each_language_the_register_names_them() -> None:
    names = (("az", "Tərtər"), ("ru", "Тертер"))
    lists = FieldLists((Place("AZ-TAR", "Tartar", names=names),), (), (), (), (), None)
    spec = next(s for s in form_specs(KINDS) if s.form_id == "demine_device_find")
    sheet = load_workbook(io.BytesIO(form_of(spec, lists, KINDS).xlsform))["choices"]
    rows = [dict(zip([c.value for c in sheet[1]], [c.value for c in row], strict=True))
            for row in sheet.iter_rows(min_row=2)]  # fmt: skip
    tartar = next(row for row in rows if row["name"] == "AZ-TAR")
    assert tartar["label::English (en)"] == "Tartar"
    assert tartar["label::Azərbaycanca (az)"] == "Tərtər"
    assert tartar["label::Русский (ru)"] == "Тертер"
