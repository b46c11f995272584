"""Drafts and deleted records never count: every figure, map layer, OGC collection,
public output and default export of the demo register stays exactly the same after
draft and soft-deleted records with large counts are added for every kind that has
them (SQLite and PostGIS)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, box
from sqlalchemy import select, update
from tests.migrated_copies import MigratedSchemas, copy_sqlite_database
from typer.testing import CliRunner

from demine.cli.main import app
from demine.demo.load import load_demo
from demine.domain.dates import EventDate
from demine.domain.entities import (
    Accident,
    Activity,
    DeviceFind,
    HazardArea,
    HazardStatusChange,
    Victim,
)
from demine.domain.eore import EoreSession
from demine.domain.kinds import KINDS
from demine.domain.projects import DevelopmentProject
from demine.domain.quality import (
    InspectionResult,
    InspectionType,
    NonConformity,
    NonConformityGrade,
    QualityInspection,
)
from demine.domain.tasks import Task
from demine.domain.vocab import (
    ActivityKind,
    DatePrecision,
    EOCategory,
    EoreMethod,
    EoreTargetGroup,
    HazardClassification,
    HazardStatus,
    Outcome,
    ProjectKind,
    Sex,
    TaskMethod,
    TaskStatus,
    VictimCategory,
)
from demine.settings import Settings
from demine.store import schema
from demine.store.engine import Store, open_store, sqlite_file
from demine.store.mapping import mapping_for
from demine.store.refs import load_refs
from demine.store.register import save
from demine.store.users import add_user, create_token
from demine.web.app import create_app
from demine.web.ogc.collections import served

runner = CliRunner()
WEEK = date(2024, 7, 3)
NOW = datetime(2025, 1, 1, tzinfo=UTC)
TARTAR = (46.93, 40.34)
#: A manager sees every operational layer and collection.
MANAGER = "ines"


@pytest.fixture
def demo_store(
    database_url: str, migrated_schemas: MigratedSchemas, request: pytest.FixtureRequest
) -> Iterator[tuple[Store, str]]:
    """A demo register of the test's own (the test changes it)."""
    path = sqlite_file(database_url) if database_url.startswith("sqlite") else None
    if path is not None:
        copy_sqlite_database(request.getfixturevalue("demo_sqlite_template"), path)
        store = open_store(database_url)
    else:
        store = migrated_schemas.fresh_store(database_url)
        load_demo(store)
    yield store, database_url
    store.dispose()


def _hidden_records(store: Store) -> dict[str, int]:
    """Add, for every kind with drafts, drafts and deleted records with large counts;
    return how many rows of each table were added."""
    with store.read() as connection:
        hazard = connection.execute(select(schema.hazard_areas.c.external_id)).scalars().first()
        accident = connection.execute(select(schema.accidents.c.external_id)).scalars().first()
        acts = schema.activities
        # A live clearance of the seed week: a failed QC of it would reopen its land.
        cleared = (
            connection.execute(
                select(acts.c.external_id)
                .where(acts.c.end_date == date(2024, 7, 7), acts.c.area_cleared_m2 > 0)
                .order_by(acts.c.external_id)
            )
            .scalars()
            .first()
        )
    point, area = Point(*TARTAR), box(TARTAR[0] - 0.01, TARTAR[1] - 0.01, TARTAR[0], TARTAR[1])
    day = EventDate(WEEK, WEEK, DatePrecision.DAY)
    added: dict[str, int] = {}
    for status in ("draft", "deleted"):
        key = f"HIDDEN-{status}"
        entities: list[Any] = [
            HazardArea(
                f"{key}-HAZ", "AZ", "AZ-TAR", HazardClassification.CHA, HazardStatus.OPEN,
                WEEK, estimated_area_m2=9e9, remaining_area_m2=9e9, geometry=area,
            ),
            HazardStatusChange(f"{key}-HC", hazard, WEEK, HazardStatus.CLOSED, "hidden"),
            Activity(
                f"{key}-ACT", "AZ", ActivityKind.CLEARANCE, "ANAMA", "AZ-TAR", WEEK, WEEK,
                area_cancelled_m2=5e8, area_reduced_m2=5e8, area_cleared_m2=5e8,
                team_days=999, geometry=area,
            ),
            DeviceFind(
                f"{key}-FND", "AZ", "AZ-TAR", EOCategory.AT_MINE, 77_777, day, geometry=point
            ),
            DeviceFind(f"{key}-FND2", "AZ", "AZ-AGD", EOCategory.AP_MINE, 55_555, day),
            Accident(
                f"{key}-ACC", "AZ", "AZ-TAR", day, device_category=EOCategory.AP_MINE,
                geometry=point,
            ),
            DevelopmentProject(
                f"{key}-PRJ", "AZ", "AZ-TAR", "hidden road", ProjectKind.ROAD, 1, 50.0,
                geometry=area,
            ),
            Task(
                f"{key}-TSK", "AZ", "AZ-TAR", "ANAMA", TaskMethod.CLEARANCE, TaskStatus.ISSUED,
                WEEK, WEEK, hazards=(hazard,), geometry=area,
            ),
            QualityInspection(
                f"{key}-QI", "AZ", InspectionType.QC, WEEK, "ANAMA", InspectionResult.FAIL,
                inspected_activity=cleared, sampled_area_m2=9e8,
            ),
            NonConformity(
                f"{key}-NC", "AZ", f"{key}-QI", NonConformityGrade.CRITICAL, WEEK, "hidden"
            ),
            EoreSession(
                f"{key}-EORE", "AZ", "AZ-TAR", WEEK, "ANAMA", EoreMethod.FACE_TO_FACE,
                EoreTargetGroup.RETURNEES, girls=3, boys=4_000, women=1, men=2,
                persons_with_disabilities=1, geometry=point,
            ),
        ]  # fmt: skip
        victims = [
            Victim(
                f"{key}-VIC-{n}",
                accident if n % 2 else f"{key}-ACC",
                Sex.FEMALE,
                VictimCategory.CIVILIAN,
                Outcome.KILLED,
                age=9,
            )
            for n in range(40)
        ]
        with store.write() as connection:
            for entity in entities:
                save(connection, [entity], load_refs(connection), None, NOW)
            save(connection, victims, load_refs(connection), None, NOW)
            for entity in [*entities, *victims]:
                mapping = mapping_for(type(entity))
                table = mapping.table
                hide = {"review_status": "draft"} if status == "draft" else {"deleted_at": NOW}
                connection.execute(
                    update(table)
                    .where(table.c[mapping.key_column] == mapping.key_of(entity))
                    .values(**hide)
                )
                added[table.name] = added.get(table.name, 0) + 1
    return added


def _cli(url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", url, "--country", "AZ", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _figures(url: str) -> dict[str, Any]:
    """Every figure the commands print, as JSON (moments of generation left out)."""
    commands = {
        "summary": ["summary", "--from", "2024-07-01", "--to", "2024-07-07", "--format", "json"],
        "weekly": ["report", "weekly", "--week", "2024-W27", "--format", "json"],
        "monthly": ["report", "monthly", "--month", "2024-07", "--format", "json"],
        "annual": ["report", "annual", "--year", "2024", "--format", "json"],
        "article7": ["report", "article7", "--year", "2024", "--format", "json"],
        "series": ["report", "series", "--from", "2024-01", "--to", "2024-12", "--format", "json"],
        "casualties": ["report", "casualties", "--as-of", "2024-07-07", "--format", "json"],
        "casualties_public": [
            "report", "casualties", "--as-of", "2024-07-07", "--format", "json", "--public",
        ],
        "landrelease": [
            "report", "landrelease", "--from", "2024-07-01", "--to", "2024-07-07",
            "--format", "json",
        ],
        "records": ["analyse", "records", "--as-of", "2025-12-31", "--format", "json"],
        "projects": ["analyse", "projects", "--as-of", "2025-12-31", "--format", "json"],
        "forecast": ["forecast", "--as-of", "2025-12-31", "--format", "json"],
        "quality": ["report", "quality", "--from", "2022-01-01", "--to", "2025-12-31",
                    "--format", "json"],
    }  # fmt: skip
    figures = {}
    for name, args in commands.items():
        figures[name] = _without_moments(json.loads(_cli(url, *args)))
    return figures


def _without_moments(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_moments(v) for k, v in value.items() if k != "generated_at"}
    if isinstance(value, list):
        return [_without_moments(v) for v in value]
    return value


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _exports(url: str, folder: Path) -> dict[str, Any]:
    public, register = folder / "public", folder / "register"
    _cli(url, "export", "--public", "--as-of", "2024-07-07", "-o", str(public))
    _cli(url, "export", "--format", "csv", "-o", str(register))
    return {"public": _files(public), "register": _files(register)}


def _web(store: Store) -> dict[str, Any]:
    """Map layers, public figures and every OGC collection, as a manager and the public."""
    with store.write() as connection:
        known = select(schema.users.c.id).where(schema.users.c.username == MANAGER)
        if connection.execute(known).first() is None:
            add_user(connection, MANAGER, "a long enough password", "information_manager")
        token = create_token(connection, MANAGER, "test")
    client = TestClient(create_app(Settings(database_url="unused", country="AZ"), store))
    manager = {"Authorization": f"Bearer {token}"}
    answers: dict[str, Any] = {}
    for layer in ("districts", "hazards", "finds", "accidents", "minefield-records"):
        for zoom in (5, 14):
            answer = client.get(f"/api/map/{layer}?zoom={zoom}", headers=manager)
            answers[f"map {layer} {zoom}"] = (answer.status_code, answer.json())
    public = client.get("/api/public/districts?from=2024-07-01&to=2024-07-07")
    answers["public districts"] = public.json()
    for collection in served():
        base = f"/ogc/collections/{collection}"
        answers[base] = client.get(base, headers=manager).json()
        items = client.get(f"{base}/items?limit=10000", headers=manager).json()
        answers[f"{base}/items"] = _without_moments(
            {k: v for k, v in items.items() if k != "timeStamp"}
        )
    return answers


def _everything(store: Store, url: str, folder: Path) -> dict[str, Any]:
    return {"figures": _figures(url), "exports": _exports(url, folder), "web": _web(store)}


@pytest.mark.slow
def test_drafts_and_deleted_records_change_no_output(
    demo_store: tuple[Store, str], tmp_path: Path
) -> None:
    store, url = demo_store
    before = _everything(store, url, tmp_path / "before")
    added = _hidden_records(store)
    assert set(added) == {
        "hazard_areas", "hazard_status_changes", "activities", "device_finds", "accidents",
        "victims", "development_projects", "tasks", "quality_inspections", "non_conformities",
        "eore_sessions",
    }  # fmt: skip
    # Every kind with drafts or soft delete got both.
    reviewed = {kind.table for kind in KINDS.values() if kind.reviewed}
    assert reviewed == set(added)
    after = _everything(store, url, tmp_path / "after")
    changed = [
        f"{part}: {name}"
        for part in before
        for name in before[part]
        if after[part][name] != before[part][name]
    ]
    assert not changed, "changed: " + "; ".join(changed)
