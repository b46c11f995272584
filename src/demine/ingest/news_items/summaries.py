"""Storing published news items as reported summaries, with their source text.

Each dated report in a news item (the main one and any further periods it quotes)
becomes a :class:`ReportedSummary` whose id is derived from the item's text, so that
importing the same item again changes nothing, while another outlet's item about the
same week is kept beside it (and any disagreement is flagged in summaries). Reports
without a readable period cannot be placed in time and are not stored; victim
statistics are read but left to the casualty registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from demine.domain.entities import SQUARE_METRES_PER_HECTARE, AdminArea, ReportedSummary
from demine.domain.places import PlaceIndex
from demine.domain.vocab import AdminLevel
from demine.i18n import _
from demine.ingest.importer import ImportReport, save_entities
from demine.ingest.news_items import ParsedNewsItem, ReportFigures, parse_news_item
from demine.ingest.news_items.text import split_header
from demine.store.engine import Store
from demine.store.refs import load_refs
from demine.store.register import load_all

AUTHORITY = "ANAMA"


@dataclass
class NewsItemRecords:
    """What one news item gives the register, and what could not be used."""

    summaries: list[ReportedSummary] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _area_m2(report: ReportFigures) -> float | None:
    if report.hectares is not None:
        return round(report.hectares * SQUARE_METRES_PER_HECTARE, 4)
    if report.area_sq_m is not None:
        return float(report.area_sq_m)
    return None


def news_item_records(
    parsed: ParsedNewsItem, text: str, name: str, country: str, places: PlaceIndex
) -> NewsItemRecords:
    """The reported summaries a parsed item yields (pure: no database)."""
    result = NewsItemRecords()
    header = split_header(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    codes: list[str] = []
    for district in parsed.districts:
        try:
            codes.append(places.resolve(district, AdminLevel.DISTRICT))
        except ValueError as exc:
            result.notes.append(f"{name}: {exc}")
    for index, report in enumerate((parsed.main, *parsed.extra_periods)):
        if not report.has_figures:
            continue
        if report.period_start is None or report.period_end is None:
            result.notes.append(
                _("{name}: a report without a readable period was not stored").format(name=name)
            )
            continue
        result.summaries.append(
            ReportedSummary(
                external_id=f"BUL-{digest}-{index}",
                country=country,
                authority=AUTHORITY,
                period_start=report.period_start,
                period_end=report.period_end,
                ap_mines=report.ap_mines,
                at_mines=report.at_mines,
                uxo=report.uxo,
                area_cleared_m2=_area_m2(report),
                source_reference=header.url or name,
                source_text=text,
                districts=tuple(codes) if index == 0 else (),
            )
        )
    if parsed.victims is not None:
        result.notes.append(
            _("{name}: victim statistics were read but are not stored as summaries").format(
                name=name
            )
        )
    result.notes.extend(f"{name}: {warning}" for warning in parsed.warnings)
    return result


def import_news_items(
    store: Store,
    paths: Sequence[Path],
    *,
    country: str,
    gazetteer: Sequence[AdminArea] = (),
    dry_run: bool = False,
    published: date | None = None,
) -> ImportReport:
    """Read news items and store their dated reports as published summaries.

    ``gazetteer`` (the country and its districts) is saved first when the register has
    no districts yet, so that an empty database can take a news item.
    """
    with store.read() as connection:
        areas = load_all(connection, AdminArea, load_refs(connection), country)
    entities: list[object] = []
    notes: list[str] = []
    if not any(a.level is AdminLevel.DISTRICT for a in areas) and gazetteer:
        entities.extend(gazetteer)
        areas = list(gazetteer)
        notes.append(_("The built-in gazetteer of {country} was loaded.").format(country=country))
    places = PlaceIndex(country, areas)
    digests = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        digests.append(hashlib.sha256(text.encode("utf-8")).hexdigest())
        records = news_item_records(
            parse_news_item(text, source=path.name, published=published),
            text,
            path.name,
            country,
            places,
        )
        entities.extend(records.summaries)
        notes.extend(records.notes)
    report = save_entities(
        store,
        entities,
        kind="bulletin",
        source_name=", ".join(p.name for p in paths),
        sha256=hashlib.sha256("".join(digests).encode()).hexdigest(),
        country=country,
        dry_run=dry_run,
        rows=len(paths),
    )
    report.notes.extend(notes)
    return report
