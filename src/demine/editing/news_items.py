"""Reviewing read news items: approve (with each field completed or corrected) or reject.

A read item waits for review as a field report does, and the same workflow rule
decides who may review it (:func:`demine.domain.workflow.review`: an information
manager, an item still waiting, a rejection with its reason). Approving turns the
approved values into published summaries in the same transaction, so the item's
figures count from then on; the values approved per field are kept beside what the
reader read, for ``demine report reader-accuracy``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.bounds import nul_problem
from demine.domain.entities import AdminArea, ReportedSummary
from demine.domain.news_review import (
    JsonValue,
    ReviewedReading,
    extra_field,
    parse_value,
    report_of,
)
from demine.domain.places import PlaceIndex
from demine.domain.rules import RuleContext, check_reported_summary
from demine.domain.workflow import Ownership, ReviewStatus, WorkflowError
from demine.domain.workflow import review as workflow_review
from demine.errors import Forbidden, ImportRejected, InvalidRequestError, NotFoundError, Problem
from demine.i18n import _
from demine.ingest.importer import save_grouped
from demine.ingest.news_items.summaries import approved_reports
from demine.store import audit
from demine.store.batches import finish_batch, start_batch
from demine.store.engine import Connection
from demine.store.news_items import StoredNewsItem, approved_items, news_item, record_review
from demine.store.refs import load_refs
from demine.store.register import load_all

TABLE = "news_items"


def require_review(principal: Principal) -> Principal:
    """Refuse unless ``principal`` may review read news items."""
    return require(principal, Permission.APPROVE, _("review read news items"))


def read_item(connection: Connection, item_id: int, principal: Principal) -> StoredNewsItem:
    """One read item, for its reviewer."""
    require_review(principal)
    item = news_item(connection, item_id)
    if item is None:
        raise NotFoundError(_("no read news item {id}").format(id=item_id))
    return item


def approved_values(item: StoredNewsItem, sent: Mapping[str, Any]) -> dict[str, JsonValue]:
    """Every field's approved value: what the reviewer sent, else what the reader read.

    Raises :class:`ImportRejected` naming each field whose value is unreadable.
    """
    unknown = sorted(set(sent) - set(item.fields))
    problems = [
        Problem(item.source_name, None, name, _("this item has no such field")) for name in unknown
    ]
    read = item.read_values()
    values: dict[str, JsonValue] = {}
    for name in item.fields:
        if name not in sent:
            values[name] = read.get(name)
            continue
        text = sent[name]
        if isinstance(text, list):
            text = "; ".join(str(part) for part in text)
        try:
            values[name] = parse_value(name, "" if text is None else str(text))
        except ValueError as error:
            problems.append(Problem(item.source_name, None, name, str(error)))
    problems.extend(_period_problems(item.source_name, values))
    if problems:
        raise ImportRejected(problems)
    return values


def _period_problems(source: str, values: Mapping[str, JsonValue]) -> list[Problem]:
    periods: dict[int, dict[str, str]] = {}
    for name, value in values.items():
        place = report_of(name)
        if place is not None and place[1] in ("period_start", "period_end") and value:
            periods.setdefault(place[0], {})[place[1]] = name
    problems = []
    for names in periods.values():
        if len(names) == 2:
            start, end = values[names["period_start"]], values[names["period_end"]]
            if date.fromisoformat(str(end)) < date.fromisoformat(str(start)):
                problems.append(
                    Problem(source, None, names["period_end"],
                            _("the period ends before it starts"))
                )  # fmt: skip
    return problems


def review_news_item(
    connection: Connection,
    item_id: int,
    action: str,
    principal: Principal,
    *,
    values: Mapping[str, Any] | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> StoredNewsItem:
    """``approve`` (with ``values`` by field name, the reader's where none is sent) or
    ``reject`` (with ``reason``) a read item; in the caller's transaction."""
    now = now or datetime.now(UTC)
    item = read_item(connection, item_id, principal)
    if action not in ("approve", "reject"):
        raise InvalidRequestError(_("unknown action '{action}'").format(action=action))
    problem = nul_problem(reason) if reason is not None else None
    if problem is not None:
        raise InvalidRequestError(_("reason: {problem}").format(problem=problem))
    try:
        status = workflow_review(principal, Ownership(None, item.status), action == "approve",
                                 reason)  # fmt: skip
    except WorkflowError as error:
        raise Forbidden(str(error)) from None
    approved: dict[str, JsonValue] | None = None
    summaries: list[str] = []
    if status is ReviewStatus.APPROVED:
        approved = approved_values(item, values or {})
        summaries = _save_summaries(connection, item, approved, now)
    record_review(connection, item_id, status=status, reviewed_by=principal.describe(), now=now,
                  note=reason, approved=approved, summaries=summaries)  # fmt: skip
    after = news_item(connection, item_id)
    assert after is not None
    audit.record(
        connection, actor=principal.describe(), action=action, table_name=TABLE,
        key=str(item_id), before=_audited(item), after=_audited(after), at=now,
    )  # fmt: skip
    return after


def _audited(item: StoredNewsItem) -> dict[str, Any]:
    """The item as the audit log keeps it (without the text and readings, kept in it)."""
    kept = asdict(item)
    for name in ("source_text", "reading"):
        kept.pop(name)
    return kept


def _save_summaries(
    connection: Connection, item: StoredNewsItem, values: Mapping[str, JsonValue], now: datetime
) -> list[str]:
    refs = load_refs(connection)
    places = PlaceIndex(item.country, load_all(connection, AdminArea, refs, item.country))
    try:
        reports = approved_reports(
            values,
            digest=item.text_sha256,
            source_reference=item.source_reference,
            source_text=item.source_text,
            country=item.country,
            places=places,
        )
    except ValueError as error:
        raise ImportRejected([Problem(item.source_name, None, "districts", str(error))]) from None
    problems = [*reports.problems, *_rule_problems(reports.summaries, now)]
    if problems:
        raise ImportRejected(
            [Problem(item.source_name, None, name, reason) for name, reason in problems]
        )
    if not reports.summaries:
        return []
    batch = start_batch(connection, "bulletin", item.source_name, item.text_sha256,
                        item.country, now)  # fmt: skip
    counts = save_grouped(connection, reports.summaries, refs, batch, now)
    finish_batch(connection, batch, counts, len(reports.summaries))
    return [summary.external_id for summary in reports.summaries]


def _rule_problems(summaries: list[ReportedSummary], now: datetime) -> list[tuple[str, str]]:
    """The published summaries' own rules (a period in the future …), by review field."""
    problems = []
    for summary in summaries:
        index = int(summary.external_id.rpartition("-")[2])
        for name, reason in check_reported_summary(summary, RuleContext(now.date())):
            field_name = name if index == 0 else extra_field(index - 1, name)
            problems.append((field_name, reason))
    return problems


def reviewed_readings(connection: Connection, country: str) -> list[ReviewedReading]:
    """What the reader read and what was approved, for every approved item."""
    return [
        ReviewedReading(item.source_name, item.read_values(), item.approved or {})
        for item in approved_items(connection, country)
    ]
