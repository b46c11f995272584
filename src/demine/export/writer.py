"""Export register records in the columns every exchange format shares.

The columns, their order and their types come from the registry of kinds
(:func:`~demine.domain.kinds.exchange.exchange_columns`); the rows are built once per
kind (:mod:`demine.export.table`) and written by one function per format:

- **GeoPackage** (``--format gpkg``, one file): one layer per geometry type of each kind
  (``hazards_points`` Point, ``hazards_areas`` MultiPolygon, ``activities``
  MultiPolygon…), written even when empty; records without geometry in an attribute
  table ``<kind>_no_geometry`` (when there are some); kinds without geometry as
  attribute tables (``organisations``). Typed columns (DATE, INTEGER, REAL, TEXT,
  Boolean), WGS84, GeoPackage 1.2 (:mod:`demine.export.ogr`).
- **GeoJSON** (``--format geojson``, a folder): one RFC 7946 file per layer, named like
  the GeoPackage's layers (``hazards_points.geojson``).
- **CSV** (``--format csv``, a folder): one file per kind (``hazards.csv``), geometry
  as a ``wkt`` column to 7 decimals, each geometry typed as its layer declares it (a CSV
  mixes points and multipolygons freely); dates ISO 8601, yes/no as ``true``/``false``.

Each imports back with ``demine import KIND FILE`` (a GeoPackage: every layer of the
kind at once) and changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import shapely

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.domain.kinds import KINDS, Kind, Sensitivity
from demine.domain.kinds.exchange import exchange_columns
from demine.domain.same_shape import EXCHANGE_DECIMALS
from demine.errors import InvalidRequestError
from demine.export.hxl import hashtag_row
from demine.export.ogr import write_geojson, write_geopackage
from demine.export.table import STATUS_COLUMNS as STATUS_COLUMNS
from demine.export.table import ExchangeTable, exchange_table
from demine.export.table import flat_rows as flat_rows
from demine.i18n import _
from demine.reports.formats import DEFAULT_GPKG_VERSION, GeoPackageVersion
from demine.reports.formats import ExportFormat as ExportFormat
from demine.store.audit import log_export
from demine.store.engine import Store
from demine.store.protected import EXPORT, READ_REFUSED, log_access
from demine.store.reader import RegisterReader, Visibility
from demine.store.reads.export import records_to_export
from demine.store.refs import load_refs


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
    gpkg_version: GeoPackageVersion = DEFAULT_GPKG_VERSION,
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
    the programme's fields file extends them (their fields are written too).
    ``gpkg_version`` is the GeoPackage version written (1.2: read by GDAL 3.4+ without a
    warning). ``hxl`` adds the HXL hashtag row under each CSV file's header
    (:mod:`demine.export.hxl`).
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
    tables = [
        exchange_table(
            programme[kind], records[kind], principal,
            with_status=include_drafts and programme[kind].reviewed,
        )
        for kind in chosen
    ]  # fmt: skip
    if export_format is ExportFormat.GPKG:
        write_geopackage(destination, tables, gpkg_version)
        return [destination]
    if export_format is ExportFormat.XLSX:
        from demine.export.xlsx import write_register_workbook

        write_register_workbook(destination, tables)
        return [destination]
    destination.mkdir(parents=True, exist_ok=True)
    if export_format is ExportFormat.GEOJSON:
        return write_geojson(destination, tables)
    return [write_csv(destination / f"{table.name}.csv", table, hxl) for table in tables]


def _check_protected_export(store: Store, principal: Principal | None, purpose: str | None) -> None:
    if principal is None or not principal.can(Permission.VICTIM_DATA):
        with store.write() as connection:
            log_access(connection, principal, READ_REFUSED, [], purpose or EXPORT)
        require(principal, Permission.VICTIM_DATA, _("export victims' personal data"))
    if not (purpose or "").strip():
        raise InvalidRequestError(_("say why victims' personal data are exported (purpose)"))


def write_csv(path: Path, table: ExchangeTable, hxl: bool = False) -> Path:
    """Write one kind's records to ``path``: its exchange columns, then its geometry as
    ``wkt`` (7 decimals, each record's geometry as its layer declares it); with ``hxl``,
    the HXL hashtag row under the header."""
    geometries = table.promoted_geometries() if table.kind.spatial else None
    header = table.names
    # The status columns (--include-drafts) stay last, after the geometry.
    fields = len(exchange_columns(table.kind))
    if geometries is not None:
        header = [*header[:fields], "wkt", *header[fields:]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        if hxl:
            writer.writerow(hashtag_row(table.kind, header))
        for index, row in enumerate(table.rows):
            cells = [_csv_cell(value) for value in row]
            if geometries is not None:
                geometry = geometries[index]
                wkt = (
                    ""
                    if geometry is None
                    else shapely.to_wkt(geometry, rounding_precision=EXCHANGE_DECIMALS, trim=True)
                )
                cells.insert(fields, wkt)
            writer.writerow(cells)
    return path


def _csv_cell(value: Any) -> str:
    """A cell as CSV files hold it: ISO 8601 dates, true/false, ``.`` decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value) if isinstance(value, float) else str(value)
