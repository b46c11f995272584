"""A read replica, measured: OGC items served from a primary, then from its streaming replica.

    python bench/replica.py --source postgresql://postgres@127.0.0.1:5432/demine_bench_national \\
        --out bench/work/replica

Builds two scratch PostgreSQL clusters beside the machine's own server (see
``clusters.py``): a primary holding a copy of the benchmark register (``pg_dump`` of
``--source``), and a hot standby made from it by ``pg_basebackup -R`` (asynchronous
streaming replication). Then:

1. OGC API items, the ``ogc_items`` case's load (pages of 100 hazard areas in random
   boxes, 16 connections, wrk): ``demine serve --workers 2`` reading the primary, then
   the same with ``--read-replica`` (every GET on the standby). Both answer the same
   boxes identically first.
2. Replication lag during and after imports: a generated country (``XR``, ``--finds``
   finds) imported into the primary with ``demine import`` while a sampler reads
   ``pg_stat_replication`` every 50 ms; after each import the time until the standby has
   replayed the primary's WAL position, and the count of the new finds on both.

Everything runs on one machine: the standby shares the primary's CPU cores and disk,
so (1) shows the cost of serving from a standby, not the capacity a second machine adds.
Bounded: about 2 minutes of load plus the copy of the register (a few minutes at
national scale).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from cases.ogc_items import (
    CONNECTIONS,
    DEMINE_COLLECTION,
    WORKERS,
    boxes,
    items_paths,
    refuse_failures,
)
from clusters import Cluster, wait_until
from generate import Scale, generate_country
from peers.scratch import USERNAME
from peers.servers import Server, free_port, get_json
from peers.wrk import run_wrk

from demine.store.engine import open_store
from demine.store.users import add_user, create_token

#: The generated country imported while the lag is sampled (index 17: far east of XA).
LAG_COUNTRY_INDEX = 17
LAYERS = ("admin-areas", "organisations", "hazards", "activities", "finds")


def log(message: str) -> None:
    print(f"[replica] {message}", file=sys.stderr, flush=True)


def copy_register(source: str, primary: Cluster, work: Path) -> float:
    """``pg_dump`` of ``source`` restored into the primary's ``demine`` database."""
    started = time.perf_counter()
    dump = work / "register.dump"
    subprocess.run(["pg_dump", "-Fc", "-Z1", "-f", str(dump), source], check=True)
    primary.psql("CREATE DATABASE demine", database="postgres")
    subprocess.run(
        ["pg_restore", "-j", "2", "--no-owner", "-d", primary.libpq, str(dump)], check=True
    )
    subprocess.run(["psql", primary.libpq, "-qc", "VACUUM ANALYZE"], check=True)
    dump.unlink()
    return time.perf_counter() - started


def viewer_token(url: str) -> str:
    store = open_store(url)
    try:
        with store.write() as connection:
            add_user(connection, USERNAME, "benchmark-only-password", "viewer")
            return create_token(connection, USERNAME, "benchmark")
    finally:
        store.dispose()


def replayed(primary: Cluster, replica: Cluster) -> float:
    """Seconds until the standby has replayed the primary's current WAL position."""
    with psycopg.connect(primary.libpq, autocommit=True) as p:
        target = p.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
    with psycopg.connect(replica.libpq, autocommit=True) as r:

        def caught_up() -> bool:
            row = r.execute(
                "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,)
            ).fetchone()
            return bool(row and row[0])

        return wait_until(caught_up, 120.0, 0.002)


def _serve(url: str, token: str, work: Path, replica_url: str | None, name: str) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "demine", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(WORKERS)]  # fmt: skip
    if replica_url is not None:
        command += ["--read-replica", replica_url]
    base = f"http://127.0.0.1:{port}"
    return Server(
        command,
        f"{base}/ogc/collections/{DEMINE_COLLECTION}",
        env={"DEMINE_DATABASE_URL": url, "DEMINE_COUNTRY": "XA"},
        headers={"Authorization": f"Bearer {token}"},
        log=work / f"{name}.log",
        listeners=WORKERS,
    )


def ogc_load(
    primary: Cluster, replica: Cluster, token: str, work: Path, seconds: int, repeats: int
) -> dict[str, dict[str, float]]:
    """The ``ogc_items`` load, served with reads on the primary, then on the replica."""
    headers = {"Authorization": f"Bearer {token}"}
    paths = items_paths("/ogc", DEMINE_COLLECTION)
    answers: dict[str, list[Any]] = {}
    results: dict[str, dict[str, float]] = {}
    for name, replica_url in (("reads on primary", None), ("reads on replica", replica.url)):
        scans_before = hazard_scans(replica)
        with _serve(primary.url, token, work, replica_url, name.replace(" ", "-")) as server:
            base = server.ready_url.split("/ogc/")[0]
            items = f"{base}/ogc/collections/{DEMINE_COLLECTION}/items?limit=100&bbox="
            answers[name] = [get_json(items + b, headers) for b in boxes()[:5]]
            warm = run_wrk(base, paths, seconds=3, connections=CONNECTIONS, headers=headers)
            refuse_failures(warm, server, f"{name}, warm-up")
            runs = []
            for _ in range(repeats):
                load = run_wrk(base, paths, seconds=seconds, connections=CONNECTIONS,
                               headers=headers)  # fmt: skip
                refuse_failures(load, server, name)
                runs.append(load)
        results[name] = {
            "requests_per_s": round(statistics.median(r.requests_per_s for r in runs), 1),
            "p50_ms": round(statistics.median(r.p50_ms for r in runs), 1),
            "p99_ms": round(statistics.median(r.p99_ms for r in runs), 1),
            "requests": sum(r.requests for r in runs),
            # Proof of where the reads went: scans of the hazard areas on the standby.
            "scans_on_replica": hazard_scans(replica) - scans_before,
        }
        log(f"{name}: {results[name]}")
    same = [_ids(a) for a in answers["reads on primary"]] == [
        _ids(a) for a in answers["reads on replica"]
    ]
    if not same:
        raise RuntimeError("the replica answered other features than the primary")
    return results


def hazard_scans(replica: Cluster) -> int:
    """Index and sequential scans of the hazard areas the standby has served so far."""
    sql = (
        "SELECT coalesce(idx_scan, 0) + coalesce(seq_scan, 0) FROM pg_stat_user_tables "
        "WHERE relname = 'hazard_areas'"
    )
    return int(replica.psql(sql))


def _ids(body: Any) -> list[str]:
    return [str(f["id"]) for f in body["features"]]


@contextmanager
def sampled_lag(primary: Cluster) -> Iterator[list[tuple[float, float, float]]]:
    """(seconds since start, bytes not yet replayed, replay_lag in s), every 50 ms."""
    samples: list[tuple[float, float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        started = time.perf_counter()
        with psycopg.connect(primary.libpq, autocommit=True) as p:
            while not stop.is_set():
                row = p.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
                    "coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication"
                ).fetchone()
                if row is not None:
                    samples.append((time.perf_counter() - started, float(row[0]), float(row[1])))
                stop.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()


def import_lag(primary: Cluster, replica: Cluster, work: Path, finds: int) -> dict[str, Any]:
    """Import a generated country layer by layer; the lag during and after each."""
    scale = Scale(1, finds // 4, finds, max(60, finds // 16), max(50, finds // 200), 10)
    gpkg = work / "lag-country.gpkg"
    generate_country(gpkg, LAG_COUNTRY_INDEX, scale)
    country = "X" + chr(ord("A") + LAG_COUNTRY_INDEX)
    layers: dict[str, Any] = {}
    for kind in LAYERS:
        with sampled_lag(primary) as samples:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "demine", "--db", primary.url, "--country", country,
                 "import", kind, str(gpkg)],
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            seconds = time.perf_counter() - started
            catch_up = replayed(primary, replica)
        layers[kind] = {
            "import_s": round(seconds, 2),
            "standby_caught_up_after_commit_ms": round(catch_up * 1000, 1),
            "max_bytes_behind": max((s[1] for s in samples), default=0.0),
            "max_replay_lag_ms": round(max((s[2] for s in samples), default=0.0) * 1000, 1),
            "samples": len(samples),
        }
        log(f"import {kind}: {layers[kind]}")
    count = f"SELECT count(*) FROM device_finds WHERE country = '{country}'"
    layers["finds_on_primary"] = int(primary.psql(count))
    layers["finds_on_replica"] = int(replica.psql(count))
    return layers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", required=True, help="libpq URL of the register to copy")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "demine-replica")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--finds", type=int, default=100_000)
    parser.add_argument("--primary-port", type=int, default=5441)
    parser.add_argument("--replica-port", type=int, default=5442)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    primary = Cluster(args.work / "primary", args.primary_port)
    replica = Cluster(args.work / "replica", args.replica_port)
    figures: dict[str, Any] = {}
    try:
        primary.init_primary()
        primary.start()
        log("copying the register into the primary")
        figures["copy_s"] = round(copy_register(args.source, primary, args.work), 1)
        token = viewer_token(primary.url)
        started = time.perf_counter()
        replica.init_replica_of(primary)
        replica.start()
        figures["base_backup_and_start_s"] = round(time.perf_counter() - started, 1)
        figures["standby_catch_up_s"] = round(replayed(primary, replica), 3)
        figures["replication"] = primary.psql(
            "SELECT state || ' ' || sync_state FROM pg_stat_replication", database="postgres"
        )
        figures["ogc_items"] = ogc_load(
            primary, replica, token, args.out, args.seconds, args.repeats
        )
        figures["import_lag"] = import_lag(primary, replica, args.work, args.finds)
    finally:
        replica.remove()
        primary.remove()
    (args.out / "replica.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
