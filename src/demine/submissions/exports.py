"""Submissions exported by KoboToolbox and ODK Central, read back as XForm instances.

Both servers export one row per submission, its columns named after the questions with
their group path (``work/district`` in Kobo, ``work-district`` in ODK Central), its id in
``_uuid`` (Kobo) or ``meta/instanceID`` / ``KEY`` (ODK Central). A Kobo XLSX export
holds each repeat group on a sheet of its own, its rows linked to the submission's
``_index`` by ``_parent_index``. Each row becomes the instance ODK Collect would have
sent, so that it is stored, mapped and deduplicated exactly as an OpenRosa submission.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from demine.errors import InvalidRequestError
from demine.fieldforms.model import GEOMETRY_QUESTION, FormSpec
from demine.i18n import _

#: Columns holding the submission's id, most specific first.
_ID_COLUMNS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
_DEPRECATED_COLUMNS = ("meta/deprecatedID", "meta-deprecatedID", "deprecatedID")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
#: Kobo's row number of a submission, and of a repeat entry's submission.
_INDEX, _PARENT_INDEX = "_index", "_parent_index"


@dataclass(frozen=True)
class ExportRow:
    """One exported submission: its line in the file, and the instance it stands for."""

    line: int
    instance_id: str | None
    xml: bytes


def _question(column: str, names: frozenset[str]) -> str | None:
    """The question a column answers: its last path segment (``/`` in Kobo; ``-`` in ODK
    Central, when that names a question); None for columns that are no XML name."""
    name = column.strip().rpartition("/")[2]
    if name not in names and "-" in name and name.rpartition("-")[2] in names:
        name = name.rpartition("-")[2]
    return name if _XML_NAME.match(name) else None


def _first(row: Mapping[str, str], columns: Sequence[str]) -> str | None:
    for column in columns:
        value = (row.get(column) or "").strip()
        if value:
            return value
    return None


def _instance_id(row: Mapping[str, str]) -> str | None:
    found = _first(row, _ID_COLUMNS)
    if found and not found.startswith("uuid:") and re.fullmatch(r"[0-9a-fA-F-]{32,36}", found):
        return f"uuid:{found}"  # Kobo's _uuid is the instance id without its prefix
    return found


def _leaves(row: Mapping[str, str], names: frozenset[str]) -> str:
    out = []
    for column, value in row.items():
        name = _question(column or "", names)
        text = (value or "").strip()
        if name is None or not text or name in ("instanceID", "deprecatedID"):
            continue
        out.append(f"<{name}>{escape(text)}</{name}>")
    return "".join(out)


def instance_of(
    spec: FormSpec,
    row: Mapping[str, str],
    repeats: Mapping[str, Sequence[Mapping[str, str]]],
    version: str,
) -> bytes:
    """The XForm instance an exported row stands for (every answered column kept)."""
    names = frozenset(
        (*spec.fields, GEOMETRY_QUESTION, *(f for r in spec.repeats for f in r.fields))
    )
    entries = "".join(
        f"<{name}>{_leaves(entry, names)}</{name}>"
        for name, rows in repeats.items()
        for entry in rows
    )
    instance_id = _instance_id(row) or ""
    deprecated = _first(row, _DEPRECATED_COLUMNS)
    meta = f"<instanceID>{escape(instance_id)}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{escape(deprecated)}</deprecatedID>"
    root = spec.form_id
    return (
        f"<?xml version='1.0' ?><{root} id={quoteattr(root)} version={quoteattr(version)}>"
        f"{_leaves(row, names)}{entries}<meta>{meta}</meta></{root}>"
    ).encode()


def _csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def _sheet_rows(sheet: object) -> list[dict[str, str]]:
    rows = iter(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = [str(cell or "") for cell in next(rows, ())]
    return [
        {name: "" if cell is None else str(cell) for name, cell in zip(header, row, strict=False)}
        for row in rows
        if any(cell is not None for cell in row)
    ]


def _xlsx_sheets(path: Path) -> list[tuple[str, list[dict[str, str]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return [(sheet.title, _sheet_rows(sheet)) for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _repeat_name(sheet: str, spec: FormSpec) -> str | None:
    """The repeat a sheet holds (Kobo names it after the group, cut to 31 characters)."""
    for repeat in spec.repeats:
        if sheet == repeat.name or sheet == repeat.name[:31]:
            return repeat.name
    return None


def read_export(path: Path, spec: FormSpec) -> Iterator[ExportRow]:
    """The submissions of a Kobo or ODK Central export of ``spec``'s form (CSV or XLSX)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidRequestError(_("{path}: no such file").format(path=path))
    if suffix == ".csv":
        main, repeat_sheets = _csv_rows(path), []
    elif suffix in (".xlsx", ".xlsm"):
        sheets = _xlsx_sheets(path)
        if not sheets:
            raise InvalidRequestError(_("{path}: the workbook has no sheet").format(path=path))
        main, repeat_sheets = sheets[0][1], sheets[1:]
    else:
        raise InvalidRequestError(
            _("{path}: an export is read from CSV or XLSX").format(path=path.name)
        )
    children: dict[str, dict[str, list[dict[str, str]]]] = {}
    for title, rows in repeat_sheets:
        name = _repeat_name(title, spec)
        if name is None:
            continue
        for row in rows:
            parent = row.get(_PARENT_INDEX, "")
            children.setdefault(parent, {}).setdefault(name, []).append(row)
    for line, row in enumerate(main, start=2):
        version = (row.get("__version__") or row.get("FormVersion") or "").strip()
        repeats = children.get((row.get(_INDEX) or "").strip(), {})
        yield ExportRow(line, _instance_id(row), instance_of(spec, row, repeats, version))
