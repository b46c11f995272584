"""Export register entities in the same columns their import files use.

A GeoPackage holds one layer per kind (named like the kind, e.g. ``finds``), in WGS84,
so that QGIS opens it with CRS and attributes and ``demine import finds FILE.gpkg``
reads it back. GeoJSON and CSV exports write one file per kind; CSV carries geometry
as a ``wkt`` column.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.raw import write as ogr_write
from shapely.geometry.base import BaseGeometry

from demine.domain.access import Permission, Principal
from demine.domain.authorization import require
from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.ingest.importer import layer_name
from demine.ingest.specs import SPECS, EntitySpec
from demine.store.engine import Store
from demine.store.protected import EXPORT, READ_REFUSED, log_access
from demine.store.refs import load_refs
from demine.store.register import load_all


class ExportFormat(StrEnum):
    GPKG = "gpkg"
    GEOJSON = "geojson"
    CSV = "csv"


#: Kinds holding personal data: never exported unless asked for by name, with permission.
PROTECTED_KINDS = {"victim-identifiers"}

#: Kinds whose records have a geometry column in exports.
SPATIAL_KINDS = {"admin-areas", "hazards", "activities", "finds", "accidents"}
SPATIAL_KINDS |= {"minefield-records", "minefield-rows", "minefield-points"}
SPATIAL_KINDS |= {"projects"}


def export_register(
    store: Store,
    destination: Path,
    export_format: ExportFormat,
    kinds: Sequence[str] | None = None,
    country: str | None = None,
    *,
    principal: Principal | None = None,
    purpose: str | None = None,
) -> list[Path]:
    """Write every record of ``kinds`` (default all) to ``destination``; return the files.

    Protected kinds (victims' personal data) are written only when asked for by name,
    for a ``principal`` with the victim-data permission and a stated ``purpose``; the
    export is logged in access_log like any other read of them, and so is a refusal.
    """
    chosen = list(kinds) if kinds else [k for k in SPECS if k not in PROTECTED_KINDS]
    unknown = [k for k in chosen if k not in SPECS]
    if unknown:
        raise InvalidRequestError(
            f"unknown kind(s) {', '.join(unknown)} (accepted: {', '.join(SPECS)})"
        )
    protected = [k for k in chosen if k in PROTECTED_KINDS]
    if protected:
        _check_protected_export(store, principal, purpose)
    with store.write() if protected else store.read() as connection:
        refs = load_refs(connection)
        records: dict[str, list[Any]] = {
            kind: load_all(connection, SPECS[kind].entity_type, refs, country) for kind in chosen
        }
        if protected:
            keys = [i.victim for kind in protected for i in records[kind]]
            log_access(connection, principal, EXPORT, keys, purpose)
    if export_format is ExportFormat.GPKG:
        if destination.exists():
            destination.unlink()
        for kind in chosen:
            _write_ogr(destination, SPECS[kind], records[kind], "GPKG", layer_name(kind))
        return [destination]
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in chosen:
        path = destination / f"{layer_name(kind)}.{export_format.value}"
        if export_format is ExportFormat.GEOJSON:
            if path.exists():
                path.unlink()
            _write_ogr(path, SPECS[kind], records[kind], "GeoJSON", layer_name(kind))
        else:
            _write_csv(path, SPECS[kind], records[kind])
        written.append(path)
    return written


def _check_protected_export(store: Store, principal: Principal | None, purpose: str | None) -> None:
    if principal is None or not principal.can(Permission.VICTIM_DATA):
        with store.write() as connection:
            log_access(connection, principal, READ_REFUSED, [], purpose or EXPORT)
        require(principal, Permission.VICTIM_DATA, _("export victims' personal data"))
    if not (purpose or "").strip():
        raise InvalidRequestError(_("say why victims' personal data are exported (purpose)"))


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
    path: Path, spec: EntitySpec, entities: Sequence[Any], driver: str, layer: str
) -> None:
    rows = flat_rows(spec, entities)
    names = [f.name for f in spec.fields]
    columns = [_column([row[name] for row in rows]) for name in names]
    spatial = spec.kind in SPATIAL_KINDS
    geometry = None
    if spatial:
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
        geometry_type="Unknown" if spatial else None,
        crs="EPSG:4326" if spatial else None,
        append=path.exists() and driver == "GPKG",
        **options,
    )


def _write_csv(path: Path, spec: EntitySpec, entities: Sequence[Any]) -> None:
    rows = flat_rows(spec, entities)
    names = [f.name for f in spec.fields]
    spatial = spec.kind in SPATIAL_KINDS
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*names, "wkt"] if spatial else names)
        for entity, row in zip(entities, rows, strict=True):
            cells = ["" if row[n] is None else _csv_cell(row[n]) for n in names]
            if spatial:
                geometry = _geometry_of(entity)
                cells.append(
                    "" if geometry is None else shapely.to_wkt(geometry, rounding_precision=-1)
                )
            writer.writerow(cells)


def _csv_cell(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)
