"""Imports of whole registers published in their own shape (not Demine's columns)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from demine.errors import InvalidRequestError
from demine.i18n import _
from demine.ingest.colombia import COUNTRY, EventType, read_colombia_register
from demine.ingest.importer import ImportReport, save_entities
from demine.ingest.readers import file_sha256
from demine.store.engine import Store


def import_colombia(store: Store, paths: Sequence[Path], *, dry_run: bool = False) -> ImportReport:
    """Import Colombia's event register files (one GeoJSON per year) as country CO."""
    if not paths:
        raise InvalidRequestError(_("no Colombia register files given"))
    register = read_colombia_register(paths)
    entities = [
        *register.admin_areas,
        *register.hazards,
        *register.device_finds,
        *register.accidents,
    ]
    digest = "".join(sorted(file_sha256(p) for p in paths))
    report = save_entities(
        store,
        entities,
        kind="colombia",
        source_name=", ".join(sorted(p.name for p in paths)),
        sha256=_combined(digest),
        country=COUNTRY,
        dry_run=dry_run,
        rows=sum(register.counts_by_year_and_type.values()),
    )
    for event_type, count in sorted(register.skipped.items()):
        report.notes.append(
            f"{count} events of type {int(event_type)} ({EventType(event_type).name.lower()}) "
            "have no matching record kind and were not imported"
        )
    report.notes.extend(str(warning) for warning in register.warnings)
    return report


def _combined(digests: str) -> str:
    import hashlib

    return hashlib.sha256(digests.encode()).hexdigest()
