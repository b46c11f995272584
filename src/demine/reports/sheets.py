"""A report's figures as workbook sheets, built from the data its JSON format holds.

Each report says which of its figures make which tables (its ``sheets`` module); the
helpers here turn those figures into typed cells. Working from the report's JSON data
keeps a workbook to what the same user may already read in that report: a public
casualty workbook holds the public figures, with small counts hidden.

Cells keep machine values as the JSON does (ISO codes, vocabulary codes); days become
Excel dates. A count hidden by the disclosure rule (``<5``, ``withheld``) is never text
inside a number column: its cell is empty and a status column beside it says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from demine.domain.disclosure import WITHHELD
from demine.i18n import N_, _
from demine.reports.workbook import Cell, SheetTable

#: A column: the key of its value in each item (``a.b`` for a nested one) and its header
#: (an ``N_`` message, translated when the sheet is built).
Column = tuple[str, str]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
#: How a count hidden by the disclosure rule reads: below the threshold, or withheld.
_BELOW = re.compile(r"^<\d+$")

#: Headers shared by many sheets.
FIGURE, VALUE, STATUS = N_("Figure"), N_("Value"), N_("Status")


def cell(value: Any) -> Cell:
    """A JSON value as a typed cell: ISO days as dates, lists joined with ``; ``."""
    if value is None or isinstance(value, bool | int | float | date):
        return value
    if isinstance(value, str):
        if _ISO_DAY.match(value):
            return date.fromisoformat(value)
        if _ISO_TIME.match(value):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                return value
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(cell(item)) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def pick(item: Mapping[str, Any], key: str) -> Any:
    """``item[key]``, following dots into nested mappings (None where one is missing)."""
    value: Any = item
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def records_sheet(
    title: str, items: Iterable[Mapping[str, Any]], columns: Sequence[Column]
) -> SheetTable:
    """A sheet with a row per item and a column per ``columns`` entry (followed by a
    status column where a count in it is hidden)."""
    values = [[pick(item, key) for key, _label in columns] for item in items]
    statused = [_counted(row[i] for row in values) for i in range(len(columns))]
    headers: list[str] = []
    for (_key, label), with_status in zip(columns, statused, strict=True):
        headers.append(_(label))
        if with_status:
            headers.append(_("{column}: status").format(column=_(label)))
    rows = [
        [
            shown
            for value, with_status in zip(row, statused, strict=True)
            for shown in _value_cells(value, with_status)
        ]
        for row in values
    ]
    return SheetTable(_(title), headers, rows)


def hidden_count(value: Any) -> bool:
    """Whether ``value`` is a count the disclosure rule hides (``<5``, ``withheld``)."""
    return isinstance(value, str) and (value == WITHHELD or _BELOW.match(value) is not None)


def _counted(values: Iterable[Any]) -> bool:
    return any(hidden_count(v) for v in values)


def _value_cells(value: Any, with_status: bool) -> list[Cell]:
    if hidden_count(value):
        return [None, value]
    return [cell(value), None] if with_status else [cell(value)]


def breakdown_sheet(
    title: str,
    cells: Mapping[str, Any],
    key_header: str,
    value_header: str,
    label: Callable[[str], str] | None = None,
) -> SheetTable:
    """A two-column sheet of ``cells`` (key → count), with the label people read
    beside each key when ``label`` is given, and a status column when a count is
    hidden."""
    with_status = _counted(cells.values())
    headers = [_(key_header)]
    if label is not None:
        headers.append(_("Label"))
    headers.append(_(value_header))
    if with_status:
        headers.append(_(STATUS))
    rows = []
    for key, value in cells.items():
        row: list[Cell] = [cell(key)]
        if label is not None:
            row.append(label(key))
        rows.append(row + _value_cells(value, with_status))
    return SheetTable(_(title), headers, rows)


def fields_sheet(title: str, data: Mapping[str, Any], fields: Sequence[Column]) -> SheetTable:
    """A sheet of single figures: a row per field (its label and value)."""
    values = [pick(data, key) for key, _label in fields]
    with_status = _counted(values)
    headers = [_(FIGURE), _(VALUE), *([_(STATUS)] if with_status else [])]
    rows = [
        [_(label), *_value_cells(value, with_status)]
        for (_key, label), value in zip(fields, values, strict=True)
    ]
    return SheetTable(_(title), headers, rows)
