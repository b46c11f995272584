"""Empty import files with every column and one example row (``demine template KIND``).

The example row says so in a last column, ``example``: the importer skips the rows it
marks, so a template imported unchanged imports nothing (and says there are no data rows)
instead of an invented record.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from demine.domain.kinds import KINDS, Kind
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.ingest.importer import EXAMPLE_COLUMN
from demine.ingest.specs import spec_of

#: The ``example`` cell of the example row.
EXAMPLE_MARK = "yes"

_GEOMETRY_EXAMPLES = {
    "admin-areas": "POLYGON ((46.8 40.3, 47.0 40.3, 47.0 40.4, 46.8 40.4, 46.8 40.3))",
    "hazards": "POLYGON ((46.90 40.30, 46.91 40.30, 46.91 40.31, 46.90 40.31, 46.90 40.30))",
    "activities": "POLYGON ((46.90 40.30, 46.905 40.30, 46.905 40.305, 46.90 40.305, 46.90 40.30))",
    "finds": "POINT (46.9021 40.3014)",
    "accidents": "POINT (47.1412 39.6023)",
    "minefield-records": (
        "POLYGON ((46.95 40.00, 46.955 40.00, 46.955 40.003, 46.95 40.003, 46.95 40.00))"
    ),
    "minefield-rows": "LINESTRING (46.9505 40.001, 46.9545 40.001)",
    "minefield-points": "POINT (46.9500 40.0005)",
    "projects": "LINESTRING (47.10 39.60, 47.05 39.65, 46.98 39.70)",
}


def template_rows(kind: str, kinds: Mapping[str, Kind] = KINDS) -> tuple[list[str], list[str]]:
    """The header and example row of ``kind``'s import file (the example marked so in
    the last column); ``kinds`` as the programme's fields file extends them."""
    described = kinds.get(kind)
    if described is None:
        raise InvalidRequestError(
            _("unknown kind '{kind}' (accepted: {kinds})").format(kind=kind, kinds=", ".join(kinds))
        )
    spec = spec_of(described)
    header = [f.name for f in spec.fields]
    example = [f.example for f in spec.fields]
    if described.spatial:
        header.append("wkt")
        example.append(described.geometry_example or _GEOMETRY_EXAMPLES[kind])
    return [*header, EXAMPLE_COLUMN], [*example, EXAMPLE_MARK]


def write_template(kind: str, path: Path, kinds: Mapping[str, Kind] = KINDS) -> None:
    """Write ``kind``'s template as CSV or XLSX (by the file's suffix)."""
    header, example = template_rows(kind, kinds)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = kind.replace("-", "_")
        sheet.append(header)
        sheet.append(example)
        workbook.save(path)
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(example)
