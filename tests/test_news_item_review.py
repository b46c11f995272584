"""Read news items go through review before they count (issue 21, part B).

``demine import bulletin`` stores each item with its text and readings as a draft; the
series does not see it until an information manager approves it, then sees exactly its
figures, marked read and reviewed. Corrections are kept, and the reader's accuracy is
counted against them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from tests.conftest import DATA
from tests.web_fixtures import web_on
from typer.testing import CliRunner

from demine.analysis.series import weekly_series
from demine.cli.main import app
from demine.domain.access import Principal, Role
from demine.domain.news_review import REPORT_FIELDS, ReviewedReading, reader_accuracy
from demine.domain.workflow import ReviewStatus
from demine.editing.news_items import review_news_item
from demine.errors import Forbidden, ImportRejected
from demine.ingest.gazetteers import gazetteer
from demine.ingest.news_items import parse_news_item
from demine.ingest.news_items.model import Candidate, FieldReading
from demine.ingest.news_items.summaries import import_news_items, stored_reading
from demine.store import schema
from demine.store.engine import Store
from demine.store.news_items import StoredNewsItem, news_items
from demine.store.reader import RegisterReader

runner = CliRunner()
SEED = DATA / "bulletins" / "seed-bulletin.txt"
MANAGER = Principal.of("ines", Role.INFORMATION_MANAGER)
CLERK = Principal.of("dora", Role.DATA_ENTRY)
SEED_WEEK = (date(2024, 7, 1), date(2024, 7, 7))


def demine(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _import(store: Store, *paths: Path) -> list[StoredNewsItem]:
    import_news_items(store, list(paths), country="AZ", gazetteer=gazetteer("AZ"))
    with store.read() as connection:
        return news_items(connection, "AZ")


def _week_figures(store: Store) -> tuple[str, int, int, int, float, bool]:
    with store.read() as connection:
        series = weekly_series(RegisterReader(connection, "AZ"), *SEED_WEEK)
    point = series.points[0]
    reviewed = series.is_read_and_reviewed(point)
    return (point.source.value, point.ap_mines, point.at_mines, point.uxo,
            point.hectares_cleared, reviewed)  # fmt: skip


def test_an_imported_item_waits_for_review_and_counts_once_approved(store: Store) -> None:
    [item] = _import(store, SEED)
    assert item.status is ReviewStatus.SUBMITTED
    assert item.source_text == SEED.read_text(encoding="utf-8")
    # Every figure read carries a span inside the text that holds it as written.
    for name in ("ap_mines", "at_mines", "uxo"):
        start, end = item.readings[name]["span"]
        assert str(item.readings[name]["value"]) in item.source_text[start:end]
    assert _week_figures(store) == ("none", 0, 0, 0, 0.0, False)

    with store.write() as connection:
        review_news_item(connection, item.id, "approve", MANAGER)
    assert _week_figures(store) == ("reported_summaries", 28, 107, 830, 1039.5, True)
    with store.read() as connection:
        audited = connection.execute(
            select(schema.audit_log.c.actor, schema.audit_log.c.action).where(
                schema.audit_log.c.table_name == "news_items"
            )
        ).all()
    assert [tuple(row) for row in audited] == [("ines (information_manager)", "approve")]


def test_reimporting_an_item_changes_nothing(store: Store) -> None:
    [first] = _import(store, SEED)
    again = import_news_items(store, [SEED, SEED], country="AZ", gazetteer=gazetteer("AZ"))
    assert (again.counts.inserted, again.counts.updated) == (0, 0)
    assert "2 were stored already: nothing was changed for them." in again.notes
    with store.write() as connection:
        review_news_item(connection, first.id, "approve", MANAGER)
    import_news_items(store, [SEED], country="AZ")
    with store.read() as connection:
        [still] = news_items(connection, "AZ")
    assert still.status is ReviewStatus.APPROVED and still.approved is not None
    assert _week_figures(store) == ("reported_summaries", 28, 107, 830, 1039.5, True)


def test_a_run_with_an_unreadable_file_stores_nothing(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe not text")
    with pytest.raises(ImportRejected) as refused:
        import_news_items(store, [SEED, broken], country="AZ", gazetteer=gazetteer("AZ"))
    assert [str(problem) for problem in refused.value.problems] == [
        "broken.txt: not UTF-8 text (byte 0)"
    ]
    with store.read() as connection:
        assert news_items(connection, "AZ") == []


def test_only_an_information_manager_reviews_and_a_rejection_needs_its_reason(
    store: Store,
) -> None:
    [item] = _import(store, SEED)
    with store.write() as connection, pytest.raises(Forbidden):
        review_news_item(connection, item.id, "approve", CLERK)
    with store.write() as connection, pytest.raises(Forbidden, match="needs its reason"):
        review_news_item(connection, item.id, "reject", MANAGER)
    with store.write() as connection:
        rejected = review_news_item(connection, item.id, "reject", MANAGER, reason="a duplicate")
    assert rejected.status is ReviewStatus.REJECTED and rejected.approved is None
    assert _week_figures(store)[0] == "none"
    with store.write() as connection, pytest.raises(Forbidden, match="only submitted"):
        review_news_item(connection, item.id, "approve", MANAGER)


def test_a_correction_is_kept_and_only_the_approved_figures_count(store: Store) -> None:
    [item] = _import(store, SEED)
    corrected = {"uxo": "803", "hectares": "1,039.5"}
    with store.write() as connection, pytest.raises(ImportRejected) as rejected:
        review_news_item(connection, item.id, "approve", MANAGER, values=corrected)
    assert [(p.field, p.reason) for p in rejected.value.problems] == [
        ("hectares", "'1,039.5' is not a number (write decimals with a point)")
    ]
    assert _week_figures(store)[0] == "none"  # nothing half-written

    corrected["hectares"] = "1039.5"
    with store.write() as connection:
        approved = review_news_item(connection, item.id, "approve", MANAGER, values=corrected)
    assert approved.read_values()["uxo"] == 830
    assert approved.approved is not None and approved.approved["uxo"] == 803
    assert approved.approved["ap_mines"] == 28  # not sent: the reader's value approved
    assert _week_figures(store) == ("reported_summaries", 28, 107, 803, 1039.5, True)


def test_an_abstained_field_filled_in_counts_and_the_accuracy_is_exact(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    # An item of another outlet whose hectares the reader does not read.
    text = SEED.read_text(encoding="utf-8").replace(
        "An area of 1039.5 hectares was cleared", "Clearance went on"
    )
    other = tmp_path / "other-outlet.txt"
    other.write_text(text, encoding="utf-8")
    assert text != SEED.read_text(encoding="utf-8")
    [seed, item] = _import(store, SEED, other)
    assert "hectares" not in item.readings and "hectares" in item.fields
    with store.write() as connection:
        review_news_item(connection, seed.id, "approve", MANAGER,
                         values={"uxo": "803", "districts": "Tartar; Aghdam"})  # fmt: skip
        review_news_item(connection, item.id, "approve", MANAGER, values={"hectares": "12.5"})

    accuracy = json.loads(
        demine("--db", database_url, "report", "reader-accuracy", "--format", "json")
    )
    assert accuracy["items"] == 2
    fields = accuracy["fields"]
    counts = {name: (f["right"], f["wrong"], f["abstained"], f["filled_in"])
              for name, f in fields.items()}  # fmt: skip
    assert counts == {
        "ap_mines": (2, 0, 0, 0),
        "at_mines": (2, 0, 0, 0),
        "uxo": (1, 1, 0, 0),
        "hectares": (1, 0, 1, 1),
        "districts": (1, 1, 0, 0),
        "period_start": (2, 0, 0, 0),
        "period_end": (2, 0, 0, 0),
        **{
            f"victims.{name}": (2, 0, 0, 0)
            for name in (
                "total_since_war",
                "killed_since_war",
                "total_all_time",
                "children",
                "women",
                "killed_all_time",
            )
        },
        # The seed does not say as of when its victim figures are stated.
        "victims.as_of": (0, 0, 2, 0),
    }
    assert fields["uxo"]["mistakes"] == [
        {"item": "seed-bulletin.txt", "field": "uxo", "read": 830, "approved": 803}
    ]
    assert accuracy["total"] == {"right": 23, "wrong": 2, "abstained": 3, "filled_in": 1}
    text_report = demine("--db", database_url, "report", "reader-accuracy")
    assert "seed-bulletin.txt, uxo: read 830, approved 803" in text_report

    # The two outlets' items are one week's: the approved figures of both, kept apart.
    with store.read() as connection:
        series = weekly_series(RegisterReader(connection, "AZ"), *SEED_WEEK)
    assert series.to_json()["read_and_reviewed_weeks"] == ["2024-W27"]


def test_the_series_marks_reviewed_weeks_in_every_format(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    demine("--db", database_url, "import", "bulletin", str(SEED))
    empty = json.loads(
        demine("--db", database_url, "report", "series", "--from", "2024-07", "--to", "2024-07")
    )
    assert empty["read_and_reviewed_weeks"] == [] and empty["weeks"][0]["source"] == "none"
    with store.read() as connection:
        [item] = news_items(connection, "AZ")
    with store.write() as connection:
        review_news_item(connection, item.id, "approve", MANAGER)
    series = json.loads(
        demine("--db", database_url, "report", "series", "--from", "2024-07", "--to", "2024-07")
    )
    assert series["read_and_reviewed_weeks"] == ["2024-W27"]
    assert [week["read_and_reviewed"] for week in series["weeks"]] == [True, False, False, False]
    lines = demine("--db", database_url, "report", "series", "--from", "2024-07", "--to",
                   "2024-07", "--format", "csv").splitlines()  # fmt: skip
    assert lines[0].endswith(",hectares_cleared,read_and_reviewed")
    assert lines[1] == "2024-W27,2024-07-01,2024-07-07,reported_summaries,28,107,830,0,1039.5,True"
    html = demine("--db", database_url, "report", "series", "--from", "2024-07", "--to",
                  "2024-07", "--format", "html")  # fmt: skip
    assert html.count("published, read and reviewed") == 1
    workbook = tmp_path / "series.xlsx"
    demine("--db", database_url, "report", "series", "--from", "2024-07", "--to", "2024-07",
           "--format", "xlsx", "-o", str(workbook))  # fmt: skip
    sheet = load_workbook(workbook)["Weekly series"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    column = rows[0].index("Read and reviewed")
    assert [row[column] for row in rows[1:]] == [True, False, False, False]


def test_every_span_stored_is_the_readers_and_inside_the_text() -> None:
    """On every shared item the stored readings are the reader's own, each span inside
    the text (that a span writes its value is the reader's property test's)."""
    checked = 0
    for path in sorted((DATA / "bulletins").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_news_item(text, source=path.name)
        reading = stored_reading(parsed, text)
        assert reading["readings"] == {
            name: field.to_json() for name, field in parsed.readings.items()
        }
        for name, field in reading["readings"].items():
            if field["span"] is None:
                continue
            start, end = field["span"]
            assert 0 <= start < end <= len(text), (path.name, name)
            checked += 1
    assert checked > 100


def test_a_report_with_figures_but_no_period_is_refused_on_approval(store: Store) -> None:
    [item] = _import(store, SEED)
    assert set(REPORT_FIELDS) <= set(item.fields)
    with store.write() as connection, pytest.raises(ImportRejected) as rejected:
        review_news_item(connection, item.id, "approve", MANAGER, values={"period_start": ""})
    assert [(p.field, p.reason) for p in rejected.value.problems] == [
        ("period_start", "a report with figures needs its period")
    ]


def test_the_review_page_marks_the_spans_and_lists_abstentions(store: Store) -> None:
    web = web_on(store, sample=False)
    [item] = _import(store, SEED)
    _abstain_on_at_mines(store, item)
    queue = web.client.get("/review", headers=web.as_("ines"))
    assert f'href="/review/news-items/{item.id}">seed-bulletin.txt</a>' in queue.text
    assert "2024-07-01 – 2024-07-07" in queue.text

    page = web.client.get(f"/review/news-items/{item.id}", headers=web.as_("ines"))
    assert page.status_code == 200
    html = page.text
    # The text is escaped; every span read is a mark with an id, linked from its field.
    assert "<script>" not in html.split('id="news-item-text"')[1].split("</div>")[0]
    assert re.search(r'<mark id="mark-\d+" data-fields="ap_mines" data-candidate-of="">'
                     r"28 anti-personnel mines</mark>", html)  # fmt: skip
    # The abstained field is listed with its candidates as quick picks.
    abstained = html.split('id="abstained"')[1].split("</section>")[0]
    assert "Fields the reader abstained on (2)" in abstained
    assert 'data-field="at_mines" data-value="107"' in abstained
    assert 'data-field="at_mines" data-value="170"' in abstained
    assert re.search(r'<input type="text" id="field-\d+" name="at_mines" value="">', html)
    # Only information managers review.
    for who in ("vera", "dora"):
        refused = web.client.get(f"/review/news-items/{item.id}", headers=web.as_(who))
        assert refused.status_code == 403
    assert web.client.get("/review/news-items/999", headers=web.as_("ines")).status_code == 404


def test_the_api_approves_with_the_fields_completed(store: Store) -> None:
    web = web_on(store, sample=False)
    [item] = _import(store, SEED)
    _abstain_on_at_mines(store, item)
    url = f"/api/news-items/{item.id}/approve"
    refused = web.client.post(url, json={"values": {}}, headers=web.as_("dora"))
    assert refused.status_code == 403
    wrong = web.client.post(url, json={"values": {"at_mines": "10x"}}, headers=web.as_("ines"))
    assert wrong.status_code == 422
    assert [(p["field"], p["reason"]) for p in wrong.json()["problems"]] == [
        ("at_mines", "'10x' is not a whole number")
    ]
    assert _week_figures(store)[0] == "none"
    approved = web.client.post(url, json={"values": {"at_mines": "107"}}, headers=web.as_("ines"))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["summaries"] == [f"BUL-{item.text_sha256[:16]}-0"]
    assert _week_figures(store) == ("reported_summaries", 28, 107, 830, 1039.5, True)
    again = web.client.post(url, json={"values": {}}, headers=web.as_("ines"))
    assert again.status_code == 403


def _abstain_on_at_mines(store: Store, item: StoredNewsItem) -> None:
    """Make the stored reading abstain on the anti-tank mines, with two candidates, as
    the abstaining reader does where two figures could be the week's."""
    text = item.source_text
    first = text.index("107")
    reading = dict(item.reading)
    readings = dict(reading["readings"])
    readings["at_mines"] = FieldReading(
        None,
        candidates=(Candidate(107, (first, first + 3)), Candidate(170, (0, 4))),
        reason="two figures could be the week's",
    ).to_json()
    reading["readings"] = readings
    with store.write() as connection:
        connection.execute(
            update(schema.news_items)
            .where(schema.news_items.c.id == item.id)
            .values(reading=reading)
        )


def test_each_outcome_of_a_field_is_counted_where_it_belongs() -> None:
    reviewed = [
        ReviewedReading(
            "a.txt",
            read={"uxo": 830, "at_mines": None, "hectares": 12.5, "districts": ["Tartar"],
                  "extra_periods[0].uxo": 4, "extra_periods[1].uxo": 9},
            approved={"uxo": 830, "at_mines": None, "hectares": None, "ap_mines": 3,
                      "districts": ["tartar"], "extra_periods[0].uxo": 4,
                      "extra_periods[1].uxo": 9, "women": None},
        )
    ]  # fmt: skip
    tallies = reader_accuracy(reviewed)
    counts = {name: (t.right, t.wrong, t.abstained, t.filled_in) for name, t in tallies.items()}
    assert counts == {
        "ap_mines": (0, 0, 1, 1),  # not read, filled in by the reviewer
        "at_mines": (0, 0, 1, 0),  # abstained on, and the item does not give it
        "districts": (1, 0, 0, 0),  # the same district, however written
        "extra_periods[].uxo": (2, 0, 0, 0),
        "hectares": (0, 1, 0, 0),  # read, but the reviewer emptied it: invented
        "uxo": (1, 0, 0, 0),
    }
    assert tallies["hectares"].mistakes == [("a.txt", "hectares", 12.5, None)]
