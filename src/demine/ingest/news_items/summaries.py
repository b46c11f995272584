"""Storing read news items for review, and the published summaries an approved one makes.

``demine import bulletin`` reads each item and stores it, with its source text and what
the reader read per field (value, span, confidence, candidates, reason), as a draft
waiting for review; nothing of it counts yet. Importing the same text again changes
nothing; the run is all or nothing. Once a reviewer has approved the values of every
field (:mod:`demine.editing.news_items`), each dated report of the item (its own period
and any further periods it quotes) becomes a :class:`ReportedSummary` whose id is
derived from the item's text, so that another outlet's item about the same week is
kept beside it (and any disagreement is flagged in summaries). Victim statistics are
reviewed, for the reader's accuracy, but left to the casualty registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demine.domain.entities import SQUARE_METRES_PER_HECTARE, AdminArea, ReportedSummary
from demine.domain.news_review import REPORT_FIELDS, extra_field, report_of, review_fields
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel
from demine.errors import ImportRejected, Problem
from demine.i18n import _, ngettext
from demine.ingest.importer import ImportReport, save_grouped
from demine.ingest.news_items import ParsedNewsItem, parse_news_item
from demine.ingest.news_items.text import split_header
from demine.store.batches import finish_batch, start_batch
from demine.store.engine import Store
from demine.store.news_items import NewNewsItem, add_items, stored_digests
from demine.store.refs import load_refs
from demine.store.register import SaveCounts, load_all

AUTHORITY = "ANAMA"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_reading(parsed: ParsedNewsItem, text: str) -> dict[str, Any]:
    """What is kept of a reading: the fields to review, each field's reading, warnings."""
    readings = parsed.readings
    return {
        "fields": review_fields(readings, len(parsed.extra_periods), parsed.victims is not None),
        "readings": {name: reading.to_json() for name, reading in readings.items()},
        "warnings": list(parsed.warnings),
    }


def import_news_items(
    store: Store,
    paths: Sequence[Path],
    *,
    country: str,
    gazetteer: Sequence[AdminArea] = (),
    dry_run: bool = False,
    published: date | None = None,
    imported_by: str = "command line",
) -> ImportReport:
    """Read news items and store each, with its source text and readings, for review.

    ``gazetteer`` (the country and its districts) is saved first when the register has
    no districts yet, so that an empty database can take a news item and its review
    can name districts.
    """
    now = datetime.now(UTC)
    read: list[NewNewsItem] = []
    for path in paths:
        text = _item_text(path)
        parsed = parse_news_item(text, source=path.name, published=published)
        header = split_header(text)
        read.append(
            NewNewsItem(
                text_sha256=text_digest(text),
                country=country,
                source_name=path.name,
                source_reference=header.url or path.name,
                source_text=text,
                reading=stored_reading(parsed, text),
            )
        )
    notes: list[str] = []
    counts = SaveCounts()
    batch_id: int | None = None
    with store.write(rollback=dry_run) as connection:
        areas = load_all(connection, AdminArea, load_refs(connection), country)
        if not any(a.level is AdminLevel.DISTRICT for a in areas) and gazetteer:
            source = _("built-in gazetteer of {country}").format(country=country)
            batch_id = start_batch(connection, "bulletin", source, text_digest(source),
                                   country, now)  # fmt: skip
            counts = save_grouped(connection, gazetteer, load_refs(connection), batch_id, now)
            batch_id = finish_batch(connection, batch_id, counts, len(gazetteer))
            notes.append(
                _("The built-in gazetteer of {country} was loaded.").format(country=country)
            )
        known = stored_digests(connection, [item.text_sha256 for item in read])
        new = [item for item in _unique(read) if item.text_sha256 not in known]
        add_items(connection, new, imported_by, now)
    stored = (
        ngettext(
            "{count} read news item would be stored for review (dry run).",
            "{count} read news items would be stored for review (dry run).",
            len(new),
        )
        if dry_run
        else ngettext(
            "{count} read news item was stored for review.",
            "{count} read news items were stored for review.",
            len(new),
        )
    )
    notes.append(stored.format(count=len(new)))
    if len(read) > len(new):
        notes.append(
            ngettext(
                "{count} was stored already: nothing was changed for it.",
                "{count} were stored already: nothing was changed for them.",
                len(read) - len(new),
            ).format(count=len(read) - len(new))
        )
    report = ImportReport(
        kind="bulletin",
        file_name=", ".join(p.name for p in paths),
        rows=len(paths),
        counts=counts,
        dry_run=dry_run,
        batch_id=None if dry_run else batch_id,
    )
    report.notes.extend(notes)
    return report


def _item_text(path: Path) -> str:
    """The item's text; a file that is not UTF-8 text refuses the whole run."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        reason = _("not UTF-8 text (byte {offset})").format(offset=error.start)
    except OSError as error:
        reason = error.strerror or str(error)
    raise ImportRejected([Problem(path.name, None, None, reason)])


def _unique(items: Sequence[NewNewsItem]) -> list[NewNewsItem]:
    """The first of items with the same text (one file given twice is one item)."""
    seen: dict[str, NewNewsItem] = {}
    for item in items:
        seen.setdefault(item.text_sha256, item)
    return list(seen.values())


@dataclass
class ApprovedReports:
    """The published summaries an approved item makes, or why it cannot make them."""

    summaries: list[ReportedSummary] = field(default_factory=list)
    #: (field, reason) of each report that cannot be counted as approved.
    problems: list[tuple[str, str]] = field(default_factory=list)


def _area_m2(report: Mapping[str, Any]) -> float | None:
    if report.get("hectares") is not None:
        return round(float(report["hectares"]) * SQUARE_METRES_PER_HECTARE, 4)
    if report.get("area_sq_m") is not None:
        return float(report["area_sq_m"])
    return None


def approved_reports(
    values: Mapping[str, Any],
    *,
    digest: str,
    source_reference: str,
    source_text: str,
    country: str,
    places: PlaceIndex,
) -> ApprovedReports:
    """The summaries of an item's approved ``values`` (pure: no database).

    Raises ``ValueError`` naming the district the register does not know.
    """
    reports: dict[int, dict[str, Any]] = {}
    for name, value in values.items():
        place = report_of(name)
        if place is not None:
            reports.setdefault(place[0], {})[place[1]] = value
    codes = tuple(
        places.resolve(str(name), AdminLevel.DISTRICT) for name in values.get("districts") or ()
    )
    result = ApprovedReports()
    for index in sorted(reports):
        report = reports[index]
        if not any(report.get(name) is not None for name in REPORT_FIELDS[2:]):
            continue
        start, end = report.get("period_start"), report.get("period_end")
        if start is None or end is None:
            name = "period_start" if start is None else "period_end"
            result.problems.append(
                (name if index == 0 else extra_field(index - 1, name),
                 _("a report with figures needs its period"))
            )  # fmt: skip
            continue
        result.summaries.append(
            ReportedSummary(
                external_id=f"BUL-{digest[:16]}-{index}",
                country=country,
                authority=AUTHORITY,
                period_start=date.fromisoformat(start),
                period_end=date.fromisoformat(end),
                ap_mines=report.get("ap_mines"),
                at_mines=report.get("at_mines"),
                uxo=report.get("uxo"),
                area_cleared_m2=_area_m2(report),
                source_reference=source_reference,
                source_text=source_text,
                districts=codes if index == 0 else (),
            )
        )
    return result
