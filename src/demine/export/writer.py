"""Export register entities in the same columns their import files use.

A GeoPackage holds one layer per kind (named like the kind, e.g. ``finds``), in WGS84,
so that QGIS opens it with CRS and attributes and ``demine import finds FILE.gpkg``
reads it back. GeoJSON and CSV exports write one file per kind; CSV carries geometry
as a ``wkt`` column.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.raw import write as ogr_write
from shapely.geometry.base import BaseGeometry

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.kinds import KINDS, Kind, Sensitivity
from demine.domain.withheld import withhold
from demine.errors import InvalidRequestError
from demine.export.hxl import hashtag_row
from demine.i18n import _
from demine.ingest.importer import layer_name
from demine.ingest.specs import EntitySpec, spec_of
from demine.reports.formats import ExportFormat as ExportFormat
from demine.store.audit import log_export
from demine.store.engine import Store
from demine.store.protected import EXPORT, READ_REFUSED, log_access
from demine.store.reader import RegisterReader, Visibility
from demine.store.reads.export import ExportedRecord, records_to_export
from demine.store.refs import load_refs

#: The columns ``--include-drafts`` adds to the kinds that have drafts and deletions.
STATUS_COLUMNS = ("review_status", "deleted")


def export_register(
    store: Store,
    destination: Path,
    export_format: ExportFormat,
    kinds: Sequence[str] | None = None,
    country: str | None = None,
    *,
    principal: Principal | None = None,
    purpose: str | None = None,
    include_drafts: bool = False,
    programme: Mapping[str, Kind] = KINDS,
    hxl: bool = False,
) -> list[Path]:
    """Write the live records of ``kinds`` (default: every kind exported by default) to
    ``destination``; return the files.

    Protected kinds (victims' personal data) are written only when asked for by name,
    for a ``principal`` with the victim-data permission and a stated ``purpose``; the
    export is logged in access_log like any other read of them, and so is a refusal.
    ``include_drafts`` (information managers and administrators only) adds drafts,
    reports under review and deleted records, with their ``review_status`` and
    ``deleted`` columns; which of them were written is logged in access_log. Free text
    (narratives, notes) is written only for a ``principal`` with the victim-data grant;
    for anyone else its cells hold the withheld marker. ``programme`` holds the kinds as
    the programme's fields file extends them (their fields are written too). ``hxl``
    adds the HXL hashtag row under each CSV file's header (:mod:`demine.export.hxl`).
    """
    chosen = list(kinds) if kinds else [k.name for k in programme.values() if k.exported_by_default]
    unknown = [k for k in chosen if k not in programme]
    if unknown:
        raise InvalidRequestError(
            _("unknown kind(s) {kinds} (accepted: {accepted})").format(
                kinds=", ".join(unknown), accepted=", ".join(programme)
            )
        )
    protected = [k for k in chosen if programme[k].sensitivity is Sensitivity.PERSONAL]
    if protected:
        _check_protected_export(store, principal, purpose)
    if include_drafts:
        principal = require(principal, Permission.APPROVE, _("export drafts and deleted records"))
    with store.write() if protected or include_drafts else store.read() as connection:
        visibility = Visibility.ALL if include_drafts else Visibility.LIVE
        reader = RegisterReader(connection, country, visibility=visibility, principal=principal)
        refs = load_refs(connection)
        records = {kind: records_to_export(reader, programme[kind], refs) for kind in chosen}
        for kind in protected:
            # Logged by the victims whose data were written (each protected kind names one).
            keys = [r.entity.victim for r in records[kind]]
            log_access(connection, principal, EXPORT, keys, purpose, table=KINDS[kind].table)
        if include_drafts and principal is not None:
            now = datetime.now(UTC)
            for kind in chosen:
                if programme[kind].reviewed:
                    keys = [r.key for r in records[kind] if not r.live]
                    log_export(connection, principal, programme[kind].table, keys, now)
    with_status = {k for k in chosen if include_drafts and programme[k].reviewed}
    if export_format is ExportFormat.GPKG:
        if destination.exists():
            destination.unlink()
        for kind in chosen:
            _write_ogr(
                destination, programme[kind], records[kind], "GPKG", layer_name(kind),
                kind in with_status, principal,
            )  # fmt: skip
        return [destination]
    elif export_format is ExportFormat.XLSX:
        from demine.export.xlsx import kind_sheets, write_register_workbook

        sheets = [
            sheet
            for kind in chosen
            for sheet in kind_sheets(
                programme[kind], records[kind], kind in with_status, principal, STATUS_COLUMNS
            )
        ]
        write_register_workbook(destination, sheets)
        return [destination]
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in chosen:
        path = destination / f"{layer_name(kind)}.{export_format.value}"
        if export_format is ExportFormat.GEOJSON:
            if path.exists():
                path.unlink()
            _write_ogr(
                path, programme[kind], records[kind], "GeoJSON", layer_name(kind),
                kind in with_status, principal,
            )  # fmt: skip
        else:
            _write_csv(path, programme[kind], records[kind], kind in with_status, principal, hxl)
        written.append(path)
    return written


def _check_protected_export(store: Store, principal: Principal | None, purpose: str | None) -> None:
    if principal is None or not principal.can(Permission.VICTIM_DATA):
        with store.write() as connection:
            log_access(connection, principal, READ_REFUSED, [], purpose or EXPORT)
        require(principal, Permission.VICTIM_DATA, _("export victims' personal data"))
    if not (purpose or "").strip():
        raise InvalidRequestError(_("say why victims' personal data are exported (purpose)"))


def _status_cells(record: ExportedRecord) -> list[Any]:
    return [record.review_status, "true" if record.deleted else "false"]


def flat_rows(spec: EntitySpec, entities: Sequence[Any]) -> list[dict[str, Any]]:
    """Each entity as the values of its import columns, formatted as files hold them."""
    rows = []
    for entity in entities:
        values = spec.flatten(entity)
        rows.append(
            {
                f.name: (None if values[f.name] is None else f.format(values[f.name]))
                for f in spec.fields
            }
        )
    return rows


def _geometry_of(entity: Any) -> BaseGeometry | None:
    return getattr(entity, "geometry", None)


def _column(values: list[Any]) -> tuple[np.ndarray, np.ndarray | None]:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        mask = np.array([v is None for v in values])
        data = np.array([0 if v is None else v for v in values], dtype=np.int64)
        return data, mask if mask.any() else None
    if present and all(isinstance(v, float | int) and not isinstance(v, bool) for v in present):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64), None
    return np.array([None if v is None else str(v) for v in values], dtype=object), None


def _write_ogr(
    path: Path,
    kind: Kind,
    records: Sequence[ExportedRecord],
    driver: str,
    layer: str,
    with_status: bool,
    principal: Principal | None,
) -> None:
    spec = spec_of(kind)
    entities = [record.entity for record in records]
    rows = [withhold(kind, row, principal) for row in flat_rows(spec, entities)]
    names = [f.name for f in spec.fields]
    cells = [[row[name] for row in rows] for name in names]
    if with_status:
        names += STATUS_COLUMNS
        statuses = [_status_cells(record) for record in records]
        cells += [[status[i] for status in statuses] for i in range(len(STATUS_COLUMNS))]
    columns = [_column(values) for values in cells]
    geometry = None
    if kind.spatial:
        geometry = np.array(
            [None if (g := _geometry_of(e)) is None else shapely.to_wkb(g) for e in entities],
            dtype=object,
        )
    options: dict[str, Any] = {}
    if driver == "GeoJSON":
        options["layer_options"] = {"COORDINATE_PRECISION": 15, "WRITE_NAME": "NO"}
    ogr_write(
        path,
        geometry,
        [data for data, _ in columns],
        names,
        field_mask=[mask for _, mask in columns]
        if any(m is not None for _, m in columns)
        else None,
        layer=layer,
        driver=driver,
        geometry_type="Unknown" if kind.spatial else None,
        crs="EPSG:4326" if kind.spatial else None,
        append=path.exists() and driver == "GPKG",
        **options,
    )


def _write_csv(
    path: Path,
    kind: Kind,
    records: Sequence[ExportedRecord],
    with_status: bool,
    principal: Principal | None,
    hxl: bool = False,
) -> None:
    spec = spec_of(kind)
    rows = [
        withhold(kind, row, principal)
        for row in flat_rows(spec, [record.entity for record in records])
    ]
    names = [f.name for f in spec.fields]
    header = [*names, "wkt"] if kind.spatial else list(names)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        columns = [*header, *STATUS_COLUMNS] if with_status else header
        writer.writerow(columns)
        if hxl:
            writer.writerow(hashtag_row(kind, columns))
        for record, row in zip(records, rows, strict=True):
            cells = ["" if row[n] is None else _csv_cell(row[n]) for n in names]
            if kind.spatial:
                geometry = _geometry_of(record.entity)
                cells.append(
                    "" if geometry is None else shapely.to_wkt(geometry, rounding_precision=-1)
                )
            if with_status:
                cells += ["" if c is None else str(c) for c in _status_cells(record)]
            writer.writerow(cells)


def _csv_cell(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)
