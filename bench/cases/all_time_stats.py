"""All-time statistics: finds by district × year and casualty breakdowns, against DuckDB.

Demine has no single "finds by district × year" call; its annual report does it one
year at a time, so Demine's side is what ``demine report annual`` computes for each year
2021–2025 (``Summariser.summarise``: devices by category, land released, activities and
accidents by district) plus the all-time casualty statistics ``demine casualties
--format json`` computes (``casualty_statistics``: killed/injured, civilians, children,
women, by year, by district, accidents inside known hazard areas; counted by the
database, one grouped query per breakdown), timed from an open store.

The reference is DuckDB 1.5.5 with its spatial extension, over an in-memory copy of the
GeoPackage's layers loaded before timing (the load is not timed, the queries are),
including the spatial join of accidents with hazard polygons recorded by then. Both
sides agree once, figure for figure, before timing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from harness import Comparison, Context, Side, timed
from sqlalchemy import Connection

from cases.figures import counts_figures
from demine.analysis.casualties import casualty_statistics
from demine.analysis.summary import Summariser
from demine.store.engine import open_store
from demine.store.reader import RegisterReader

TITLE = "All-time statistics: finds by district × year, casualty breakdowns"
BACKENDS = ("sqlite", "postgis")
COMPARISONS = [Comparison("seconds", "DuckDB 1.5.5", 1.0, "lower")]

YEARS = tuple(range(2021, 2026))
AS_OF = date(2025, 12, 31)
_FIELDS = {"AP_MINE": "ap_mines", "AT_MINE": "at_mines", "UXO": "uxo"}
Figures = dict[str, Any]


def _demine(connection: Connection, country: str) -> Figures:
    summariser = Summariser(RegisterReader(connection, country))
    cells: dict[str, dict[str, float]] = {}
    for year in YEARS:
        summary = summariser.summarise(date(year, 1, 1), date(year, 12, 31))
        for code, c in summary.by_district.items():
            cells[f"{code} {year}"] = counts_figures(c)
    # As ``demine casualties --format json`` reads them: counted by the database, no map.
    reader = RegisterReader(connection, country)
    stats = casualty_statistics(reader, AS_OF, with_shapes=False, with_facts=False).to_json()
    names = {area.name: code for code, area in summariser.places.areas.items()}
    return {
        "cells": cells,
        "casualties": {
            key: stats[f"since_{key}"]
            for key in ("total", "killed", "injured", "civilians", "children", "women")
        },
        "by_year": {k: v for k, v in stats["by_year"].items() if v},
        "by_district": {names[k]: v for k, v in stats["by_district"].items() if v},
        "inside_known_hazard": {k: v for k, v in stats["inside_known_hazard"].items() if v},
    }


# --- the reference ---------------------------------------------------------------------

_LOAD = """
CREATE TABLE finds AS SELECT district, category, quantity, CAST(found_on AS DATE) AS found_on
  FROM st_read('{path}', layer='finds');
CREATE TABLE activities AS SELECT district, CAST(end_date AS DATE) AS end_date,
  area_cleared_m2, area_reduced_m2, area_cancelled_m2 FROM st_read('{path}', layer='activities');
CREATE TABLE accidents AS SELECT external_id, district, CAST(occurred_on AS DATE) AS occurred_on,
  geom FROM st_read('{path}', layer='accidents');
CREATE TABLE victims AS SELECT accident, sex, category, outcome, age
  FROM st_read('{path}', layer='victims');
CREATE TABLE hazards AS SELECT CAST(recorded_on AS DATE) AS recorded_on, geom
  FROM st_read('{path}', layer='hazards');
"""

_FINDS = """SELECT district, year(found_on) AS y, category, SUM(quantity) FROM finds
  GROUP BY ALL"""
_ACTIVITIES = """SELECT district, year(end_date) AS y, SUM(area_cleared_m2), SUM(area_reduced_m2),
  SUM(area_cancelled_m2), COUNT(*) FROM activities GROUP BY ALL"""
_ACCIDENTS = "SELECT district, year(occurred_on) AS y, COUNT(*) FROM accidents GROUP BY ALL"
_VICTIMS = """SELECT COUNT(*), COUNT(*) FILTER (outcome = 'killed'),
  COUNT(*) FILTER (outcome = 'injured'), COUNT(*) FILTER (v.category = 'civilian'),
  COUNT(*) FILTER (age < 18), COUNT(*) FILTER (sex = 'female' AND age >= 18)
  FROM victims v JOIN accidents a ON a.external_id = v.accident WHERE a.occurred_on <= $as_of"""
_VICTIMS_BY = """SELECT {key}, COUNT(*) FROM victims v JOIN accidents a
  ON a.external_id = v.accident WHERE a.occurred_on <= $as_of GROUP BY ALL"""
# Joined on the geometry alone, then filtered by date: with the date in the join,
# DuckDB 1.5.5 plans a merge join on the dates and tests ST_Intersects on every pair
# (a minute instead of a tenth of a second).
_PAIRS = """CREATE OR REPLACE TEMP TABLE hazard_pairs AS
  SELECT a.external_id, a.occurred_on, h.recorded_on
  FROM accidents a JOIN hazards h ON ST_Intersects(a.geom, h.geom)"""
_INSIDE = """SELECT COUNT(DISTINCT external_id) FROM hazard_pairs
  WHERE recorded_on <= occurred_on AND occurred_on <= $as_of"""


def _spatial(connection: duckdb.DuckDBPyConnection) -> None:
    """Load DuckDB's spatial extension offline (see DEPENDENCIES.md)."""
    try:
        from duckdb_extensions import import_extension

        import_extension("spatial", con=connection)
    except ImportError:
        import duckdb_extension_spatial

        base = Path(duckdb_extension_spatial.__file__).parent / "extensions"
        connection.execute(f"LOAD '{next(base.glob('*/spatial.duckdb_extension'))}'")


def load_duckdb(geopackage: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the layers the statistics need (not timed)."""
    connection = duckdb.connect()
    _spatial(connection)
    connection.execute(_LOAD.format(path=geopackage))
    return connection


def with_duckdb(connection: duckdb.DuckDBPyConnection) -> Figures:
    """The same figures as :func:`_demine`, from DuckDB."""
    cells: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for district, year, category, quantity in connection.execute(_FINDS).fetchall():
        cells[f"{district} {year}"][_FIELDS.get(category, "other_devices")] += quantity
    for district, year, cleared, reduced, cancelled, number in connection.execute(
        _ACTIVITIES
    ).fetchall():
        cell = cells[f"{district} {year}"]
        cell["area_cleared_m2"] += cleared
        cell["area_reduced_m2"] += reduced
        cell["area_cancelled_m2"] += cancelled
        cell["activities"] += number
    for district, year, number in connection.execute(_ACCIDENTS).fetchall():
        cells[f"{district} {year}"]["accidents"] += number
    as_of = {"as_of": AS_OF}
    row = connection.execute(_VICTIMS, as_of).fetchone()
    assert row is not None
    keys = ("total", "killed", "injured", "civilians", "children", "women")
    connection.execute(_PAIRS)
    inside = connection.execute(_INSIDE, as_of).fetchone()
    assert inside is not None
    accidents = connection.execute(
        "SELECT COUNT(*) FROM accidents WHERE occurred_on <= $as_of", as_of
    ).fetchone()
    assert accidents is not None
    by = {
        name: {
            str(k): n for k, n in connection.execute(_VICTIMS_BY.format(key=key), as_of).fetchall()
        }
        for name, key in (("by_year", "year(a.occurred_on)"), ("by_district", "a.district"))
    }
    return {
        "cells": {key: dict(cell) for key, cell in cells.items()},
        "casualties": dict(zip(keys, row, strict=True)),
        **by,
        # Generated accidents all have a point and none states whether it was inside.
        "inside_known_hazard": {
            k: v for k, v in (("inside", inside[0]), ("outside", accidents[0] - inside[0])) if v
        },
    }


def check_agreement(demine: Figures, reference: Figures) -> None:
    """Raise unless both sides give the same figures (areas to a square centimetre)."""
    for key in ("casualties", "by_year", "by_district", "inside_known_hazard"):
        assert demine[key] == reference[key], (key, demine[key], reference[key])
    assert set(demine["cells"]) == set(reference["cells"]), "district × year cells differ"
    for cell, figures in demine["cells"].items():
        other = reference["cells"][cell]
        for name, value in figures.items():
            assert math.isclose(value, other.get(name, 0), abs_tol=1e-2), (cell, name)


def measure(side: Side, context: Context) -> dict[str, float]:
    (country, geopackage), *_rest = context.files
    store = open_store(context.database_url)
    ducks = load_duckdb(geopackage)
    try:
        with store.read() as connection:
            check_agreement(_demine(connection, country), with_duckdb(ducks))
        if side == "demine":

            def work() -> Figures:
                with store.read() as connection:
                    return _demine(connection, country)

            timing = timed(work, context.repeats)
        else:
            timing = timed(lambda: with_duckdb(ducks), context.repeats)
        return {"seconds": timing.median, "runs": len(timing.runs)}
    finally:
        ducks.close()
        store.dispose()
