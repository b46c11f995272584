"""The annual profile as text, HTML, PDF, JSON or an XLSX workbook."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from demine.analysis.annual_profile import AnnualProfile
from demine.i18n import N_, _, current_locale, format_number
from demine.reports.article7.tables import Cell, Table, profile_tables
from demine.reports.formats import AnnualFormat
from demine.reports.templating import html_to_pdf, template_environment
from demine.reports.workbook import SheetTable, workbook_bytes


def title(profile: AnnualProfile) -> str:
    return _("Annual profile {year}: {country}").format(
        year=profile.period.start.year, country=profile.shown_country_name or profile.country_name
    )


def method_note() -> str:
    return _(
        "Only approved records count. Areas remaining are each hazard's estimated area less "
        "the land released in it by then (as in the land-release report); land counts in "
        "the year its activity ended; devices in the year they were found; risk education "
        "sessions on the day they were held; victims in the year of their accident."
    )


def shown(cell: Cell) -> str:
    """A cell as people read it: numbers formatted per locale."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and not cell.is_integer():
        return format_number(cell, 2)
    return format_number(cell)


def render_text(profile: AnnualProfile) -> str:
    lines = [title(profile), ""]
    for table in profile_tables(profile):
        lines += [table.title, "\t".join(table.headers)]
        lines += ["\t".join(shown(cell) for cell in row) for row in table.rows]
        lines.append("")
    lines.append(method_note())
    return "\n".join(lines) + "\n"


def _html_table(table: Table) -> dict[str, Any]:
    """Cells as text, numbers aligned right (a column of numbers, its header too)."""
    numeric = [
        all(not isinstance(row[i], str) for row in table.rows) for i in range(len(table.headers))
    ]
    return {
        "title": table.title,
        "headers": list(zip(table.headers, numeric, strict=True)),
        "rows": [[(shown(cell), not isinstance(cell, str)) for cell in row] for row in table.rows],
    }


def render_html(profile: AnnualProfile) -> str:
    template = template_environment().get_template("article7.html.j2")
    return template.render(
        locale=current_locale(),
        title=title(profile),
        subtitle=_("{start} to {end}").format(
            start=profile.period.start.isoformat(), end=profile.period.end.isoformat()
        ),
        tables=[_html_table(t) for t in profile_tables(profile)],
        method_note=method_note(),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


#: Each table's sheet: short enough for Excel's 31 characters in every language.
_SHEETS = {
    "hazardous_areas": N_("Hazardous areas"),
    "released": N_("Land released"),
    "devices_destroyed": N_("Devices destroyed"),
    "risk_education": N_("Risk education"),
    "casualties": N_("Casualties"),
}


def render_xlsx(profile: AnnualProfile) -> bytes:
    """One sheet per table, numbers kept as numbers (the common workbook layout)."""
    return workbook_bytes(
        SheetTable(_(_SHEETS[table.key]), table.headers, table.rows)
        for table in profile_tables(profile)
    )


def render_profile(profile: AnnualProfile, report_format: AnnualFormat) -> str | bytes:
    """The profile in ``report_format`` (bytes for PDF and XLSX, text otherwise)."""
    if report_format is AnnualFormat.JSON:
        return json.dumps(profile.to_json(), indent=2, ensure_ascii=False)
    if report_format is AnnualFormat.TEXT:
        return render_text(profile)
    if report_format is AnnualFormat.XLSX:
        return render_xlsx(profile)
    page = render_html(profile)
    return page if report_format is AnnualFormat.HTML else html_to_pdf(page)
