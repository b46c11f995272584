"""The formats analysis documents come in, and turning a document into the one asked for."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from demine.reports.formats import AnalysisFormat as AnalysisFormat
from demine.reports.templating import html_to_pdf
from demine.reports.workbook import SheetTable, workbook_bytes


def render_as(
    report_format: AnalysisFormat,
    data: Callable[[], dict[str, Any]],
    text: Callable[[], str],
    html: Callable[[], str],
    sheets: Callable[[dict[str, Any]], Sequence[SheetTable]],
) -> str | bytes:
    """The document in ``report_format``: JSON from ``data``, PDF from ``html`` and the
    workbook from ``sheets`` of the same data as the JSON (both bytes)."""
    if report_format is AnalysisFormat.JSON:
        return json.dumps(data(), indent=2, ensure_ascii=False)
    if report_format is AnalysisFormat.XLSX:
        return workbook_bytes(sheets(data()))
    if report_format is AnalysisFormat.TEXT:
        return text()
    page = html()
    return page if report_format is AnalysisFormat.HTML else html_to_pdf(page)
