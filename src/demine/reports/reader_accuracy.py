"""The news-item reader's accuracy against reviewed items, as a table or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

from demine.domain.news_review import FieldTally
from demine.i18n import _, format_number
from demine.reports.formats import MeasureFormat

_COLUMNS = ("right", "wrong", "abstained", "filled_in")


def _totals(tallies: Mapping[str, FieldTally]) -> dict[str, int]:
    return {column: sum(getattr(t, column) for t in tallies.values()) for column in _COLUMNS}


def render_reader_accuracy(
    tallies: Mapping[str, FieldTally], items: int, report_format: MeasureFormat
) -> str:
    """Per-field right / wrong / abstained (and filled-in) counts over ``items`` items."""
    if report_format is MeasureFormat.JSON:
        document = {
            "items": items,
            "fields": {name: tally.to_json() for name, tally in tallies.items()},
            "total": _totals(tallies),
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    headers = [_("Field"), _("Right"), _("Wrong"), _("Abstained"), _("Filled in")]
    rows = [
        [name, *(format_number(getattr(tally, column)) for column in _COLUMNS)]
        for name, tally in tallies.items()
    ]
    rows.append([_("All fields"), *(format_number(n) for n in _totals(tallies).values())])
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [_("Reviewed news items: {count}").format(count=format_number(items))]
    for row in [headers, *rows]:
        numbers = zip(row[1:], widths[1:], strict=True)
        cells = [row[0].ljust(widths[0]), *(cell.rjust(width) for cell, width in numbers)]
        lines.append("  ".join(cells).rstrip())
    for tally in tallies.values():
        for item, field_name, read, approved in tally.mistakes:
            lines.append(
                _("{item}, {field}: read {read}, approved {approved}").format(
                    item=item, field=field_name, read=read, approved=approved
                )
            )
    return "\n".join(lines) + "\n"
