"""Partitioning by country, measured: the same register in plain tables and partitioned.

    python bench/partitioning.py --source demine_bench_national --countries 4 \\
        --out bench/work/partitioning

1. ``global_bench``: a copy of the benchmark register (``CREATE DATABASE … TEMPLATE``)
   grown to ``--countries`` countries by copying every hazard area, activity, device
   find and accident (and the districts) with a new country code, new keys and
   geometries moved 6° east per country, so that each country has the national
   register's size and a place of its own. Triggers are off while copying (the
   figures' aggregates are then rebuilt, ``demine db rebuild-aggregates``).
2. ``global_bench_part``: a copy of that, with ``hazard_areas``, ``activities``,
   ``device_finds`` and ``accidents`` partitioned by ``LIST (country)``, one partition
   per country: primary keys become ``(id, country)``, the external-id unique
   constraints ``(external_id, country)``, every index and trigger is made again on the
   partitioned table (PostgreSQL makes it on each partition), and the foreign keys
   *to* these tables are dropped (a key to a partitioned table must name the whole
   partition key; see docs/design/global-scale.md).
3. For each country, on both databases, best of ``--repeats``: the weekly bulletin's
   figures and the all-time statistics as Demine computes them, OGC items in 20 boxes
   (hazard areas, pages of 100), and two plain queries of the big tables (finds by
   category for a country; finds in a box of a country) — with ``EXPLAIN`` of the
   latter on the partitioned database (partition pruning).

Bounded: the copies take a few minutes at national scale; measuring, a minute or two.
The databases are dropped at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cases.all_time_stats import _demine as all_time_figures
from cases.ogc_items import boxes, country_box
from generate import country_code
from sqlalchemy import create_engine, text

from demine.analysis.summary import summarise_period
from demine.store.engine import Connection, open_store
from demine.store.reader import RegisterReader
from demine.web.ogc import handlers
from demine.web.ogc.collections import served

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
FLAT, PARTITIONED = "global_bench", "global_bench_part"
TABLES = ("hazard_areas", "activities", "device_finds", "accidents")
#: Each copied country lies this far east of the one before (generate.py's spacing).
SHIFT_DEGREES = 6.0
WEEK = (date(2025, 6, 2), date(2025, 6, 8))
#: Columns that point at rows of tables copied per country: (table, column, target).
POINTERS = (
    ("admin_areas", "parent_id", "admin_areas"),
    ("hazard_areas", "district_id", "admin_areas"),
    ("activities", "district_id", "admin_areas"),
    ("activities", "hazard_id", "hazard_areas"),
    ("device_finds", "district_id", "admin_areas"),
    ("device_finds", "activity_id", "activities"),
    ("accidents", "district_id", "admin_areas"),
    ("accidents", "settlement_id", "admin_areas"),
)
FINDS_BY_CATEGORY = (
    "SELECT category, sum(quantity) FROM device_finds WHERE country = :country "
    "AND review_status = 'approved' AND deleted_at IS NULL GROUP BY category"
)
FINDS_IN_BOX = (
    "SELECT count(*) FROM device_finds WHERE country = :country "
    "AND geometry && ST_MakeEnvelope(:w, :s, :e, :n, 4326)"
)


def log(message: str) -> None:
    print(f"[partitioning] {message}", file=sys.stderr, flush=True)


def admin() -> Any:
    return create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")


def copy_database(source: str, target: str) -> None:
    engine = admin()
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        for attempt in range(60):  # the template must have no session open
            try:
                connection.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{source}"'))
                break
            except Exception:
                if attempt == 59:
                    raise
                time.sleep(5)
    engine.dispose()


def _columns(connection: Connection, table: str) -> list[str]:
    return list(
        connection.execute(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'public' AND table_name = :t ORDER BY ordinal_position"
            ),
            {"t": table},
        ).scalars()
    )


def grow_countries(url: str, countries: int) -> dict[str, float]:
    """Copy country XA's rows as XB, XC … (new ids, keys and places)."""
    engine = create_engine(url)
    tables = ("admin_areas", *TABLES)
    seconds: dict[str, float] = {}
    with engine.begin() as connection:
        connection.execute(text("SET session_replication_role = replica"))
        spans = {
            t: int(connection.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {t}")).scalar())
            for t in tables
        }
        for index in range(1, countries):
            code = country_code(index)
            shift = SHIFT_DEGREES * index
            for table in tables:
                started = time.perf_counter()
                values = {}
                for column in _columns(connection, table):
                    values[column] = column
                values["id"] = f"id + {spans[table] * index}"
                values["country"] = f"'{code}'"
                key = "code" if table == "admin_areas" else "external_id"
                values[key] = (
                    f"'{code}' || substr({key}, 3)"
                    if table == "admin_areas"
                    else (f"'{code}-' || {key}")
                )
                for source, column, target in POINTERS:
                    if source == table:
                        values[column] = f"{column} + {spans[target] * index}"
                values["geometry"] = f"ST_Translate(geometry, {shift}, 0)"
                values["min_x"] = f"min_x + {shift}"
                values["max_x"] = f"max_x + {shift}"
                for unique in ("iso_code", "boundary_id", "pcode"):
                    if unique in values:
                        values[unique] = f"NULLIF('{code}' || {unique}, '{code}')"
                connection.execute(
                    text(
                        f"INSERT INTO {table} ({', '.join(values)}) "
                        f"SELECT {', '.join(values.values())} FROM {table} WHERE country = 'XA'"
                    )
                )
                seconds[f"{code} {table}"] = round(time.perf_counter() - started, 1)
        for table in tables:
            connection.execute(
                text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
            )
    engine.dispose()
    subprocess.run(
        [sys.executable, "-m", "demine", "--db", url, "db", "rebuild-aggregates"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return seconds


def partition(url: str, countries: int) -> dict[str, Any]:
    """Make the four tables partitioned by country, as a migration would."""
    engine = create_engine(url)
    dropped: list[str] = []
    started = time.perf_counter()
    with engine.begin() as connection:
        inbound = connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' "
                "AND confrelid::regclass::text = ANY(:tables)"
            ),
            {"tables": list(TABLES)},
        ).all()
        for table, name in inbound:
            connection.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            dropped.append(f"{table}.{name}")
        for table in TABLES:
            _partition_table(connection, table, countries)
    engine.dispose()
    return {"seconds": round(time.perf_counter() - started, 1), "dropped_foreign_keys": dropped}


def _partition_table(connection: Connection, table: str, countries: int) -> None:
    oid = f"'public.{table}'::regclass"
    indexes = (
        connection.execute(
            text(
                f"SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = {oid} "
                "AND NOT indisprimary AND NOT indisunique"
            )
        )
        .scalars()
        .all()
    )
    uniques = connection.execute(
        text(
            f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            f"WHERE conrelid = {oid} AND contype = 'u'"
        )
    ).all()
    outbound = connection.execute(
        text(
            f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            f"WHERE conrelid = {oid} AND contype = 'f'"
        )
    ).all()
    triggers = (
        connection.execute(
            text(
                f"SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = {oid} "
                "AND NOT tgisinternal"
            )
        )
        .scalars()
        .all()
    )
    connection.execute(text(f"ALTER SEQUENCE {table}_id_seq OWNED BY NONE"))
    connection.execute(
        text(
            f"CREATE TABLE {table}_part (LIKE {table} INCLUDING DEFAULTS) "
            "PARTITION BY LIST (country)"
        )
    )
    for index in range(countries):
        code = country_code(index)
        connection.execute(
            text(
                f"CREATE TABLE {table}_{code.lower()} PARTITION OF {table}_part "
                f"FOR VALUES IN ('{code}')"
            )
        )
    connection.execute(text(f"CREATE TABLE {table}_other PARTITION OF {table}_part DEFAULT"))
    connection.execute(text(f"INSERT INTO {table}_part SELECT * FROM {table}"))
    connection.execute(text(f"DROP TABLE {table}"))
    connection.execute(text(f"ALTER TABLE {table}_part RENAME TO {table}"))
    connection.execute(text(f"ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id"))
    # A unique key of a partitioned table must hold the partition key.
    connection.execute(
        text(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (id, country)")
    )
    for name, definition in uniques:
        columns = definition.removeprefix("UNIQUE (").removesuffix(")")
        connection.execute(
            text(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({columns}, country)")
        )
    for definition in indexes:
        connection.execute(text(definition))
    for name, definition in outbound:
        if not any(f"REFERENCES {target}(" in definition for target in TABLES):
            connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))
    for definition in triggers:
        connection.execute(text(definition))


def triggers_keep_figures(url: str) -> dict[str, int]:
    """A find inserted into the partitioned table reaches the figures' aggregate (the
    statement triggers, made on the partitioned table, fire); rolled back."""
    engine = create_engine(url)
    devices = "SELECT coalesce(sum(devices), 0) FROM figures_finds WHERE country = 'XB'"
    with engine.connect() as connection, connection.begin() as transaction:
        before = int(connection.execute(text(devices)).scalar_one())
        columns = [c for c in _columns(connection, "device_finds") if c != "id"]
        chosen = ", ".join("'XB-CHECK'" if c == "external_id" else c for c in columns)
        connection.execute(
            text(
                f"INSERT INTO device_finds ({', '.join(columns)}) SELECT {chosen} FROM "
                "device_finds WHERE country = 'XB' AND review_status = 'approved' "
                "AND deleted_at IS NULL LIMIT 1"
            )
        )
        after = int(connection.execute(text(devices)).scalar_one())
        transaction.rollback()
    engine.dispose()
    return {"devices_before": before, "devices_after_one_insert": after}


def _works(connection: Connection, index: int) -> dict[str, Callable[[], object]]:
    """What is measured for country ``index``, on one database."""
    code = country_code(index)
    reader = RegisterReader(connection, code)
    west, south, _east, _north = country_box(index)
    # The generated boxes of XA, moved to this country.
    shifted = [
        ",".join(
            str(float(v) + (SHIFT_DEGREES * index if i % 2 == 0 else 0.0))
            for i, v in enumerate(b.split(","))
        )
        for b in boxes(0, 20)
    ]

    def ogc() -> None:
        for bbox in shifted:
            handlers.items(
                RegisterReader(connection, None), "", "hazards-areas", served(),
                {"bbox": bbox, "limit": "100"},
            )  # fmt: skip

    box = {"country": code, "w": west + 1, "s": south + 0.5, "e": west + 1.5, "n": south + 1.0}
    return {
        "weekly_bulletin_ms": lambda: summarise_period(reader, *WEEK),
        "all_time_stats_ms": lambda: all_time_figures(connection, code),
        "ogc_items_20_boxes_ms": ogc,
        "finds_by_category_sql_ms": lambda: connection.execute(
            text(FINDS_BY_CATEGORY), {"country": code}
        ).all(),
        "finds_in_box_sql_ms": lambda: connection.execute(text(FINDS_IN_BOX), box).all(),
    }


def measure(urls: dict[str, str], countries: int, repeats: int) -> dict[str, Any]:
    """Best of ``repeats`` per figure, country and database; the databases take turns
    (plain first, then partitioned first, …) so that neither always runs on a cache the
    other warmed or cooled."""
    stores = {name: open_store(url) for name, url in urls.items()}
    best: dict[str, dict[str, dict[str, float]]] = {name: {} for name in urls}
    try:
        for index in range(countries):
            code = country_code(index)
            for repeat in range(repeats):
                order = list(urls) if repeat % 2 == 0 else list(reversed(urls))
                for name in order:
                    with stores[name].read() as connection:
                        for figure, work in _works(connection, index).items():
                            started = time.perf_counter()
                            work()
                            ms = round((time.perf_counter() - started) * 1000, 1)
                            kept = best[name].setdefault(code, {})
                            kept[figure] = min(ms, kept.get(figure, ms))
            log(f"{code}: { ({name: best[name][code] for name in urls}) }")
    finally:
        for store in stores.values():
            store.dispose()
    return best


def plans(url: str, country: str) -> dict[str, list[str]]:
    """EXPLAIN of the plain queries for one country: which partitions are read."""
    engine = create_engine(url)
    found: dict[str, list[str]] = {}
    box = {"country": country, "w": -19.0, "s": 38.5, "e": -18.5, "n": 39.0}
    with engine.connect() as connection:
        for name, sql, parameters in (
            ("finds_by_category", FINDS_BY_CATEGORY, {"country": country}),
            ("finds_in_box", FINDS_IN_BOX, box),
            ("ogc_bbox_without_country",
             "SELECT id FROM hazard_areas WHERE geometry && "
             "ST_MakeEnvelope(-19.0, 38.5, -18.5, 39.0, 4326) LIMIT 100", {}),
        ):  # fmt: skip
            found[name] = list(
                connection.execute(text(f"EXPLAIN (COSTS OFF) {sql}"), parameters).scalars()
            )
    engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="demine_bench_national")
    parser.add_argument("--countries", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--keep", action="store_true", help="keep the two databases")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    flat, part = f"{SERVER}/{FLAT}", f"{SERVER}/{PARTITIONED}"
    result: dict[str, Any] = {"countries": args.countries}
    try:
        started = time.perf_counter()
        copy_database(args.source, FLAT)
        result["grow_seconds"] = grow_countries(flat, args.countries)
        subprocess.run(["psql", flat.replace("+psycopg", ""), "-qc", "VACUUM ANALYZE"], check=True)
        result["build_flat_s"] = round(time.perf_counter() - started, 1)
        log(f"plain tables ready in {result['build_flat_s']} s")
        copy_database(FLAT, PARTITIONED)
        result["partition"] = partition(part, args.countries)
        subprocess.run(["psql", part.replace("+psycopg", ""), "-qc", "VACUUM ANALYZE"], check=True)
        log(f"partitioned in {result['partition']['seconds']} s")
        result["triggers_on_partitioned"] = triggers_keep_figures(part)
        result.update(measure({"plain": flat, "partitioned": part}, args.countries, args.repeats))
        result["explain_partitioned_XA"] = plans(part, "XA")
        result["explain_plain_XA"] = plans(flat, "XA")
    finally:
        if not args.keep:
            engine = admin()
            with engine.connect() as connection:
                for name in (FLAT, PARTITIONED):
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
    (args.out / "partitioning.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
