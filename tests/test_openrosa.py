"""Demine as an OpenRosa server, driven as ODK Collect drives it: the form list, the
form and its media, ``HEAD`` then a multipart ``POST`` of the instance with a photo.
A resend changes nothing; each bad submission gets its OpenRosa error and stores
nothing; approval by another user makes the submitted figures count, exactly."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.helpers import load_sample
from tests.openrosa_fixtures import JPEG, VERSION, instance_xml, served_forms
from tests.web_fixtures import PASSWORD, Web, web_on

from demine.analysis.summary import summarise_period
from demine.store import schema
from demine.store.engine import Store
from demine.store.reader import RegisterReader

UUID = "uuid:6f1c0a3e-8f5b-4c1e-9a57-2b9d4f0e7a11"
KEY = "ODK-6F1C0A3E8F5B"


@pytest.fixture
def web(store: Store) -> Web:
    made = web_on(store)
    made.client.app.state.field_forms = served_forms  # type: ignore[attr-defined]
    return made


def basic(user: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def post(web: Web, xml: bytes, who: str = "dora", **files: bytes) -> Any:
    parts = [("xml_submission_file", ("submission.xml", xml, "text/xml"))]
    parts += [(name, (name, content, "image/jpeg")) for name, content in files.items()]
    return web.client.post("/openrosa/submission", files=parts, headers=basic(who))


def counts(store: Store) -> tuple[int, int, int, int]:
    """Submissions, their files, activities and finds stored."""
    tables = (
        schema.field_submissions, schema.field_submission_files,
        schema.metadata.tables["activities"], schema.metadata.tables["device_finds"],
    )  # fmt: skip
    with store.read() as connection:
        found = [
            connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
        ]
    return found[0], found[1], found[2], found[3]


def weekly(store: Store) -> tuple[float, int]:
    with store.read() as connection:
        summary = summarise_period(
            RegisterReader(connection, "AZ"), date(2024, 7, 1), date(2024, 7, 7)
        )
    return summary.total.area_cleared_m2, summary.total.at_mines


def test_anonymous_clients_are_asked_for_basic_credentials(web: Web) -> None:
    response = web.client.get("/openrosa/formList")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Basic realm="Demine"')
    assert response.headers["x-openrosa-version"] == "1.0"
    assert "<OpenRosaResponse" in response.text and 'nature="error"' in response.text
    wrong = web.client.get("/openrosa/formList", headers=basic("dora", "not the password"))
    assert wrong.status_code == 401
    assert "wrong user name or password" in wrong.text


def test_form_list_holds_the_forms_the_caller_may_fill(web: Web) -> None:
    dora = web.client.get("/openrosa/formList", headers=basic("dora"))
    assert dora.status_code == 200, dora.text
    assert dora.headers["x-openrosa-version"] == "1.0"
    assert dora.headers["content-type"].startswith("text/xml")
    assert "<formID>demine_clearance_progress</formID>" in dora.text
    assert f"<version>{VERSION}</version>" in dora.text
    assert "<hash>md5:" in dora.text
    assert "/openrosa/forms/demine_clearance_progress/form.xml</downloadUrl>" in dora.text
    # Minefield records are reference data: information managers' forms only.
    assert "demine_minefield_verification" not in dora.text
    assert (
        "demine_minefield_verification"
        in web.client.get("/openrosa/formList", headers=basic("ines")).text
    )
    # A device token works as the password, whatever the user name.
    token = web.as_("dora")["Authorization"].removeprefix("Bearer ")
    assert web.client.get("/openrosa/formList", headers=basic("phone-7", token)).status_code == 200
    assert web.client.get("/openrosa/formList", headers=basic("vera")).status_code == 403
    one = web.client.get(
        "/openrosa/formList?formID=demine_clearance_progress", headers=basic("ines")
    )
    assert one.text.count("<xform>") == 1


def test_form_and_media_download(web: Web) -> None:
    form = web.client.get(
        "/openrosa/forms/demine_clearance_progress/form.xml", headers=basic("dora")
    )
    assert form.status_code == 200 and 'id="demine_clearance_progress"' in form.text
    manifest = web.client.get(
        "/openrosa/forms/demine_clearance_progress/manifest", headers=basic("dora")
    )
    assert "<filename>hazards.csv</filename>" in manifest.text
    media = web.client.get(
        "/openrosa/forms/demine_clearance_progress/media/hazards.csv", headers=basic("dora")
    )
    assert media.content.startswith(b"name,label") and media.headers["x-openrosa-version"] == "1.0"
    refused = web.client.get(
        "/openrosa/forms/demine_minefield_verification/form.xml", headers=basic("dora")
    )
    assert refused.status_code == 403
    unknown = web.client.get("/openrosa/forms/nothing/form.xml", headers=basic("dora"))
    assert unknown.status_code == 404 and "no form 'nothing'" in unknown.text


def test_collect_submission_becomes_drafts_in_review_and_counts_once_approved(web: Web) -> None:
    before = weekly(web.store)
    head = web.client.head("/openrosa/submission", headers=basic("dora"))
    assert head.status_code == 204
    assert head.headers["x-openrosa-accept-content-length"] == str(50 * 1024 * 1024)
    assert head.headers["x-openrosa-version"] == "1.0"

    sent = post(web, instance_xml(UUID), **{"1733500000000.jpg": JPEG})
    assert sent.status_code == 201, sent.text
    assert sent.headers["x-openrosa-version"] == "1.0"
    assert "waits for review" in sent.text and "<OpenRosaResponse" in sent.text
    stored = counts(web.store)

    again = post(web, instance_xml(UUID), **{"1733500000000.jpg": JPEG})
    assert again.status_code == 202 and "nothing changed" in again.text
    assert counts(web.store) == stored

    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert activity["review_status"] == "submitted"
    assert activity["area_cleared_m2"] == 5000 and activity["hazard"] == "HA-001"
    assert activity["organisation"] == "ANAMA" and activity["wkt"].startswith("POLYGON")
    find = web.client.get(f"/api/finds/{KEY}-FINDS-1", headers=web.as_("ines")).json()
    assert (find["category"], find["quantity"], find["activity"]) == ("AT_MINE", 2, KEY)
    assert weekly(web.store) == before, "nothing counts before approval"

    review = web.client.get("/review", headers=web.as_("ines"))
    assert KEY in review.text and f"{KEY}-FINDS-2" in review.text

    for kind, key in (
        ("activities", KEY),
        ("finds", f"{KEY}-FINDS-1"),
        ("finds", f"{KEY}-FINDS-2"),
    ):
        approved = web.client.post(f"/api/{kind}/{key}/approve", headers=web.as_("ines"))
        assert approved.status_code == 200, approved.text
    cleared, at_mines = weekly(web.store)
    assert (cleared - before[0], at_mines - before[1]) == (5000, 2)

    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
        photo = connection.execute(select(schema.field_submission_files)).one()._mapping
    assert (row["state"], row["submitter"], row["form_version"]) == ("mapped", "dora", VERSION)
    assert row["records"][0] == {"kind": "activities", "key": KEY}
    assert len(row["records"]) == 3 and row["xml"].startswith("<?xml")
    assert (photo["file_name"], photo["media_type"], photo["size"]) == (
        "1733500000000.jpg", "image/jpeg", len(JPEG),
    )  # fmt: skip


BAD = [
    (
        "unknown form version",
        lambda: instance_xml("uuid:bad-1", version="2025010101"),
        409,
        "version '2025010101' of the form 'demine_clearance_progress', which is now at version",
    ),
    (
        "unknown form",
        lambda: instance_xml("uuid:bad-2", form_id="demine_other"),
        404,
        "no form 'demine_other' is served here",
    ),
    (
        "malformed XML",
        lambda: instance_xml("uuid:bad-3")[:-30],
        400,
        "the submission is not well-formed XML",
    ),
    (
        "no instanceID",
        lambda: instance_xml("").replace(b"<instanceID></instanceID>", b""),
        400,
        "the submission has no meta/instanceID",
    ),
]


@pytest.mark.parametrize(("case", "xml", "status", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_submissions_get_an_openrosa_error_and_store_nothing(
    web: Web, case: str, xml: Any, status: int, message: str
) -> None:
    before = counts(web.store)
    response = post(web, xml(), **{"p.jpg": JPEG})
    assert response.status_code == status, response.text
    assert response.headers["x-openrosa-version"] == "1.0"
    assert 'nature="error"' in response.text and message in response.text
    assert counts(web.store) == before


def test_a_form_the_user_may_not_submit_is_refused(web: Web) -> None:
    before = counts(web.store)
    viewer = post(web, instance_xml("uuid:v-1"), who="vera")
    assert viewer.status_code == 403 and 'nature="error"' in viewer.text
    visit = instance_xml(
        "uuid:v-2",
        {"external_id": "MF-1"},
        (),
        form_id="demine_minefield_verification",
        version="1",
    )
    refused = post(web, visit, who="dora")
    assert refused.status_code == 403
    assert "may not submit the form 'demine_minefield_verification'" in refused.text
    other = post(web, instance_xml("uuid:v-3"), who="sami")  # SAFE sending ANAMA's work
    assert other.status_code == 201  # stored, but no record could be made: the reviewer sees why
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert row["state"] == "rejected" and row["records"] == []
    assert "your own organisation" in row["problems"][0]["reason"]
    assert counts(web.store)[2:] == before[2:]
    anonymous = web.client.post(
        "/openrosa/submission", files=[("xml_submission_file", ("s.xml", instance_xml("uuid:v-4")))]
    )
    assert anonymous.status_code == 401 and "www-authenticate" in anonymous.headers


def test_a_50_mb_attachment_is_refused_with_413(web: Web) -> None:
    before = counts(web.store)
    response = post(web, instance_xml("uuid:big"), **{"big.jpg": JPEG + bytes(50 * 1024 * 1024)})
    assert response.status_code == 413
    assert response.headers["x-openrosa-version"] == "1.0"
    assert "larger than 50 MB" in response.text
    assert counts(web.store) == before


def test_the_same_instance_id_with_other_content_is_a_conflict(web: Web) -> None:
    assert post(web, instance_xml(UUID)).status_code == 201
    stored = counts(web.store)
    changed = post(web, instance_xml(UUID, {**_answers(), "team_days": "4"}))
    assert changed.status_code == 409 and "deprecatedID" in changed.text
    assert counts(web.store) == stored


def _answers() -> dict[str, str]:
    from tests.openrosa_fixtures import ANSWERS

    return dict(ANSWERS)


def test_refused_answers_are_left_out_and_shown_beside_the_fields_in_review(web: Web) -> None:
    answers = {**_answers(), "hazard": "HA-999"}
    finds = ({"model": "TM-62M", "quantity": "4", "found_on": "2024-07-02"},)  # no category
    sent = post(web, instance_xml(UUID, answers, finds))
    assert sent.status_code == 201 and "some answers were refused" in sent.text
    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert activity["review_status"] == "submitted" and activity["hazard"] is None
    assert web.client.get(f"/api/finds/{KEY}-FINDS-1", headers=web.as_("ines")).status_code == 404
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert row["state"] == "problems"
    assert [(p["key"], p["field"], p["value"]) for p in row["problems"]] == [
        (KEY, "hazard", "HA-999"),
        (f"{KEY}-FINDS-1", "category", None),
    ]
    review = web.client.get("/review", headers=web.as_("ines")).text
    row_html = review[review.index(f'data-key="{KEY}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    assert 'data-field="hazard"' in row_html and "<q>HA-999</q>" in row_html
    assert 'data-field="category"' in row_html


def test_a_rejected_report_corrected_and_resent_goes_back_to_review(web: Web) -> None:
    assert post(web, instance_xml(UUID)).status_code == 201
    rejected = web.client.post(
        f"/api/activities/{KEY}/reject", headers=web.as_("ines"), json={"reason": "3 team days?"}
    )
    assert rejected.json()["review_status"] == "rejected"
    assert rejected.json()["review_note"] == "3 team days?"
    edited = "uuid:0b7e2c1d-7777-4c1e-9a57-2b9d4f0e7a11"
    corrected = instance_xml(edited, {**_answers(), "team_days": "5"}, deprecated_id=UUID)
    sent = post(web, corrected)
    assert sent.status_code == 201, sent.text
    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert (activity["review_status"], activity["team_days"]) == ("submitted", 5)
    history = web.client.get(f"/api/activities/{KEY}/history", headers=web.as_("ines")).json()
    versions = [(v["action"], v["values"]["team_days"]) for v in history["versions"]]
    assert versions == [
        ("create", 3), ("submit", 3), ("reject", 3), ("update", 5), ("submit", 5),
    ]  # fmt: skip
    with web.store.read() as connection:
        rows = connection.execute(
            select(
                schema.field_submissions.c.instance_id, schema.field_submissions.c.deprecated_id
            ).order_by(schema.field_submissions.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [(UUID, None), (edited, UUID)]
    assert post(web, corrected).status_code == 202


def test_an_area_larger_than_the_hazard_is_kept_and_flagged(web: Web) -> None:
    answers = {**_answers(), "area_cleared_m2": "3000000"}  # HA-001 has 2,100,000 m² left
    assert post(web, instance_xml(UUID, answers, ())).status_code == 201
    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert activity["area_cleared_m2"] == 3000000
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert row["state"] == "problems"
    assert row["problems"] == [
        {
            "kind": "activities",
            "key": KEY,
            "field": "area_cleared_m2",
            "value": "3000000",
            "reason": "the areas reported (3,000,000 m²) are larger than what remains of "
            "HA-001 (2,100,000 m²)",
        }
    ]


def _filled(xform: str, answers: dict[str, str], finds: tuple[dict[str, str], ...]) -> bytes:
    """The primary instance of ``xform`` filled as ODK Collect fills it: answers in the
    question elements, one ``finds`` element per entry (the template dropped)."""
    import xml.etree.ElementTree as ET

    ns = {"x": "http://www.w3.org/2002/xforms"}
    model = ET.fromstring(xform).find(".//x:model", ns)
    assert model is not None
    root = model.find("x:instance", ns)[0]  # type: ignore[index]
    template = next(e for e in root if e.tag.endswith("finds"))
    for entry in [e for e in root if e.tag.endswith("finds")]:
        root.remove(entry)
    for child in root:
        name = child.tag.rpartition("}")[2]
        if name in answers:
            child.text = answers[name]
    meta = next(e for e in root if e.tag.endswith("meta"))
    meta[0].text = UUID
    position = list(root).index(meta)
    for number, find in enumerate(finds):
        entry = ET.Element(template.tag)
        for question in template:
            leaf = ET.SubElement(entry, question.tag)
            leaf.text = find.get(question.tag.rpartition("}")[2])
        root.insert(position + number, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_a_form_built_from_the_register_round_trips(store: Store) -> None:
    """The real form (demine.fieldforms), downloaded as ODK Collect does and filled."""
    web = web_on(store)
    listed = web.client.get("/openrosa/formList", headers=basic("dora")).text
    assert "<formID>demine_clearance_progress</formID>" in listed
    xform = web.client.get(
        "/openrosa/forms/demine_clearance_progress/form.xml", headers=basic("dora")
    ).text
    manifest = web.client.get(
        "/openrosa/forms/demine_clearance_progress/manifest", headers=basic("dora")
    ).text
    assert "<filename>hazards.csv</filename>" in manifest
    answers = {**_answers(), "district": "AZ-TAR"}
    finds = ({"category": "AT_MINE", "model": "TM-62M", "quantity": "2", "found_on": "2024-07-02"},)
    sent = post(web, _filled(xform, answers, finds), **{"photo.jpg": JPEG})
    assert sent.status_code == 201, sent.text
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert (row["state"], row["problems"]) == ("mapped", [])
    assert [r["kind"] for r in row["records"]] == ["activities", "finds"]


def test_a_report_filled_in_a_version_served_before_is_taken(web: Web) -> None:
    """A team downloaded the form, then the register's lists changed (a new version):
    what the team filled in offline is still taken; a version never served is not."""
    from dataclasses import replace

    from tests.openrosa_fixtures import FORMS

    assert web.client.get("/openrosa/formList", headers=basic("dora")).status_code == 200
    newer = [replace(form, version="2026121501") for form in FORMS]
    web.client.app.state.field_forms = lambda *_args: newer  # type: ignore[attr-defined]
    assert post(web, instance_xml(UUID)).status_code == 201
    never = post(web, instance_xml("uuid:never", version="2026010101"))
    assert never.status_code == 409 and "now at version '2026121501'" in never.text


def test_a_geometry_of_the_wrong_type_is_left_out(web: Web) -> None:
    answers = {**_answers(), "geometry": "40.3 46.91 0 4.5"}  # a point for a worked area
    assert post(web, instance_xml(UUID, answers, ())).status_code == 201
    activity = web.client.get(f"/api/activities/{KEY}", headers=web.as_("ines")).json()
    assert activity["review_status"] == "submitted" and activity.get("wkt") is None
    with web.store.read() as connection:
        row = connection.execute(select(schema.field_submissions)).one()._mapping
    assert [(p["field"], p["value"]) for p in row["problems"]] == [
        ("geometry", "POINT (46.91 40.3)")
    ]


def test_the_same_submission_sent_twice_at_once_is_stored_once(store: Store) -> None:
    """A phone retrying while its first request is still being answered."""
    import threading

    from demine.domain.access import Principal, Role
    from demine.domain.kinds import KINDS
    from demine.editing.service import Editor
    from demine.submissions.receive import Submission, receive

    load_sample(store)
    editor = Editor(Principal.of("dora", Role.DATA_ENTRY), "ANAMA")
    sent = Submission(instance_xml(UUID), {"p.jpg": JPEG})
    barrier, results, errors = threading.Barrier(2), [], []

    def send() -> None:
        barrier.wait()
        try:
            results.append(
                receive(store, served_forms(store, KINDS, "AZ"), sent, editor, "AZ", KINDS)
            )
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.again for result in results) == [False, True]
    assert counts(store)[:2] == (1, 1)
