"""Helpers shared by tests: loading the sample register, snapshotting a database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from demine.ingest import columnar_load, importer
from demine.ingest.importer import ImportReport, import_file
from demine.store import schema
from demine.store.engine import Store

REGISTER = Path(__file__).parent / "fixtures" / "register"
#: The sample register's files, in the order their records depend on each other.
SAMPLE_FILES = [
    ("admin-areas", "admin_areas.csv"),
    ("organisations", "organisations.csv"),
    ("hazards", "hazards.csv"),
    ("hazard-changes", "hazard_changes.csv"),
    ("activities", "activities.csv"),
    ("finds", "finds.csv"),
    ("summaries", "summaries.csv"),
    ("accidents", "accidents.csv"),
]
TODAY = date(2026, 1, 1)


def load_sample(store: Store, folder: Path = REGISTER) -> list[ImportReport]:
    """Import the whole sample register into ``store``."""
    return [
        import_file(store, kind, folder / name, country="AZ", today=TODAY)
        for kind, name in SAMPLE_FILES
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, BaseGeometry):
        return shapely.to_wkt(value, rounding_precision=-1)
    return value


def snapshot(store: Store, *, with_provenance: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), to compare a database before and after."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    skip = set() if with_provenance else {"id", "import_batch_id", "updated_at"}
    with store.read() as connection:
        for table in schema.metadata.sorted_tables:
            columns = [c for c in table.c if c.name not in skip]
            rows = connection.execute(select(*columns)).all()
            tables[table.name] = sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)
    return tables


def columnar_spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each import from now on goes the columnar path
    (:mod:`demine.ingest.columnar_load`), in the order of the imports."""
    taken: list[bool] = []

    def spied(*args: Any, **kwargs: Any) -> Any:
        stored = columnar_load.import_columns(*args, **kwargs)
        taken.append(stored is not None)
        return stored

    monkeypatch.setattr(importer, "import_columns", spied)
    return taken
