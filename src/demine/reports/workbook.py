"""Tables as an Excel workbook: one sheet per table, the way spreadsheet users expect it.

Every workbook Demine writes — a report's tables, the annual profile, the register's
records — goes through :func:`write_workbook`: the header in row 1, frozen, with an
autofilter over the table; cells typed (numbers as numbers, days as Excel dates, yes/no
as booleans, nothing as an empty cell) so that sums, filters and pandas work on them;
columns as wide as their content (up to a limit). Sheets are written row by row
(openpyxl's write-only mode), so a register of a hundred thousand records does not
sit in memory as cell objects.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import IO

#: What a cell may hold (None: an empty cell).
Cell = str | int | float | bool | date | datetime | None

#: Excel's limit on a sheet's name, and the characters it refuses in one.
MAX_SHEET_NAME = 31
_REFUSED = re.compile(r"[\[\]:*?/\\]")
#: Column widths (in characters): measured on the first rows, within these bounds.
_MEASURED_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_DATE_WIDTH = 12


@dataclass(frozen=True)
class SheetTable:
    """One sheet: its name as people read it, the column headers and the rows."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def sheet_names(names: Iterable[str]) -> list[str]:
    """``names`` made valid Excel sheet names: at most 31 characters, none of
    ``[]:*?/\\``, and unique (Excel compares them ignoring case)."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = _REFUSED.sub("-", name).strip().strip("'")[:MAX_SHEET_NAME] or "Sheet"
        candidate, number = base, 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def excel_cell(value: Cell) -> Cell:
    """``value`` as openpyxl writes it: Excel has no time zones, so an aware datetime
    is written as its UTC time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return _DATE_WIDTH
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def write_workbook(tables: Iterable[SheetTable], target: Path | IO[bytes]) -> None:
    """Write ``tables`` to ``target``, one sheet each, in order."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    listed = list(tables)
    bold = Font(bold=True)
    for table, name in zip(listed, sheet_names(t.name for t in listed), strict=True):
        sheet = workbook.create_sheet(name)
        rows: Iterator[Sequence[Cell]] = iter(table.rows)
        # Widths and the frozen pane are written before the rows: measure on a sample.
        sample = list(islice(rows, _MEASURED_ROWS))
        for index, header in enumerate(table.headers, start=1):
            widest = max([len(header) + 2, *(_width(row[index - 1]) for row in sample)])
            width = min(max(widest + 1, _MIN_WIDTH), _MAX_WIDTH)
            sheet.column_dimensions[_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in table.headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        count = 0
        for row in chain(sample, rows):
            sheet.append([excel_cell(value) for value in row])
            count += 1
        if table.headers:
            last = _column_letter(len(table.headers))
            sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if not listed:
        # A workbook needs one sheet; an empty report still opens.
        workbook.create_sheet("Sheet")
    workbook.save(target)


def workbook_bytes(tables: Iterable[SheetTable]) -> bytes:
    """``tables`` as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    write_workbook(tables, buffer)
    return buffer.getvalue()
