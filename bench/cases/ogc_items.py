"""OGC API – Features items under load: Demine against pygeoapi on the same hazard areas.

Sixteen connections from ``wrk`` (a process of its own, over loopback) ask for pages of
100 hazard areas in random boxes (a fixed seed; 0.15°–0.3° wide, so that most hold a
full page at national scale) for ``SECONDS`` at a time, ``context.repeats`` times after
a warm-up; the figures are the medians of the runs. Both servers get two worker
processes, one per core of the benchmark machines: the work is CPU-bound Python, so one
process uses one core at most, and more workers than cores only add switching and memory.

- Demine: ``demine serve --workers 2`` (uvicorn workers on :mod:`demine.web.asgi`),
  serving a scratch copy of the register with a viewer's API token (hazard areas are
  not public).
- pygeoapi 0.21: its Flask app under gunicorn (2 sync workers) with the OGR provider on
  the hazards layer of the same GeoPackage (``bench/peers/setup_pygeoapi.sh``).

Before measuring, the reference side checks that both answer the same boxes with the
same features (every match, compared by identifier): pygeoapi pages in its spatial
index's order and Demine by id, so single pages differ while the matches are equal.
"""

from __future__ import annotations

import logging
import statistics
from pathlib import Path
from typing import Any

import numpy as np
from harness import Comparison, Context, Limit, Side
from peers import pygeoapi
from peers.scratch import scratch_register
from peers.servers import Server, demine_server, free_port, get_json
from peers.wrk import Load, run_wrk

TITLE = "OGC API items: pages of 100 hazard areas in random boxes, 16 connections"
BACKENDS = ("sqlite", "postgis")
COMPARISONS = (
    Comparison(
        "requests_per_s",
        "pygeoapi 0.21 (Flask + gunicorn, OGR)",
        10.0,
        better="higher",
        unit="req/s",
    ),
)
LIMITS = (Limit("p99_ms", 50.0, "ms"),)

SECONDS = 12
WARM_UP_SECONDS = 3
CONNECTIONS = 16
WORKERS = 2
BOXES = 500
SEED = 20261204
#: The generated hazards' layer (pygeoapi serves it under this name) and Demine's
#: collection of the same polygons (one geometry type per collection).
LAYER = "hazards"
DEMINE_COLLECTION = "hazards-areas"
#: Where the generated countries lie (bench/generate.py: XA from -20°E, 38°N, 5° × 2°).
COUNTRY_WIDTH, COUNTRY_HEIGHT = 5.0, 2.0
log = logging.getLogger(__name__)


def country_box(index: int) -> tuple[float, float, float, float]:
    west = -20.0 + index * (COUNTRY_WIDTH + 1.0)
    return (west, 38.0, west + COUNTRY_WIDTH, 38.0 + COUNTRY_HEIGHT)


def boxes(index: int = 0, count: int = BOXES) -> list[str]:
    """Random boxes inside country ``index`` as ``bbox`` parameters (always the same)."""
    west, south, east, north = country_box(index)
    rng = np.random.default_rng(SEED)
    width = rng.uniform(0.15, 0.3, count)
    height = rng.uniform(0.15, 0.3, count)
    min_x = rng.uniform(west, east - width)
    min_y = rng.uniform(south, north - height)
    return [
        f"{x:.5f},{y:.5f},{x + w:.5f},{y + h:.5f}"
        for x, y, w, h in zip(min_x, min_y, width, height, strict=True)
    ]


def items_paths(prefix: str, collection: str, extra: str = "") -> list[str]:
    return [f"{prefix}/collections/{collection}/items?limit=100&bbox={b}{extra}" for b in boxes()]


def refuse_failures(load: Load, server: Server, run: str) -> None:
    """Stop the case when a request of ``run`` failed, saying what failed: the statuses
    and socket errors wrk counted, the first failed answers and the errors the server
    logged (one line: the results keep the last line a failed side printed)."""
    if not load.errors:
        return
    said = f"{run}: {load.describe_errors()}"
    logged = server.logged_errors()
    if logged:
        said += f"; the server logged {len(logged)} errors, first: {logged[0]}"
    raise RuntimeError(f"{said} (log: {server.log})")


def _load(
    server: Server, base_url: str, paths: list[str], headers: dict[str, str], context: Context
) -> dict[str, float]:
    """Medians of ``repeats`` bounded runs after a warm-up; refuses failed requests
    (in the warm-up too: a worker's first requests are answered there).

    Besides wrk's figures, the server's CPU time per request: unlike throughput, it
    hardly changes when other work shares the machine.
    """
    seconds = SECONDS if context.scale != "tiny" else 2  # the tiny scale is a smoke test
    warm = run_wrk(
        base_url, paths, seconds=WARM_UP_SECONDS, connections=CONNECTIONS, headers=headers
    )
    refuse_failures(warm, server, "warm-up")
    runs: list[Load] = []
    cpu_ms: list[float] = []
    for run in range(max(1, context.repeats)):
        cpu_before = server.cpu_seconds()
        load = run_wrk(base_url, paths, seconds=seconds, connections=CONNECTIONS, headers=headers)
        refuse_failures(load, server, f"run {run + 1}")
        runs.append(load)
        cpu_ms.append((server.cpu_seconds() - cpu_before) * 1000 / max(1, load.requests))
    return {
        "requests_per_s": statistics.median(r.requests_per_s for r in runs),
        "p50_ms": statistics.median(r.p50_ms for r in runs),
        "p99_ms": statistics.median(r.p99_ms for r in runs),
        "server_cpu_ms_per_request": statistics.median(cpu_ms),
        "server_peak_rss_mb": server.peak_rss_mb(),
        "server_largest_process_mb": server.largest_rss_mb(),
    }


def measure_demine(context: Context) -> dict[str, float]:
    url, token = scratch_register(context.database_url, context.work, "ogc_items")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    ready = f"/ogc/collections/{DEMINE_COLLECTION}"
    with demine_server(context, "ogc_items", url, port, ready, headers, WORKERS) as server:
        return _load(server, base, items_paths("/ogc", DEMINE_COLLECTION), headers, context)


def _demine_matches(context: Context, bbox: str) -> set[str]:
    """Every hazard area Demine's OGC handler gives for ``bbox`` (in-process, no server)."""
    from demine.store.engine import open_store
    from demine.store.reader import RegisterReader
    from demine.web.ogc import handlers
    from demine.web.ogc.collections import served

    store = open_store(context.database_url)
    try:
        with store.read() as connection:
            answer = handlers.items(
                RegisterReader(connection, None), "", DEMINE_COLLECTION, served(),
                {"bbox": bbox, "limit": "10000"},
            )  # fmt: skip
    finally:
        store.dispose()
    return {f["properties"]["external_id"] for f in answer.body["features"]}


def check_same_answers(context: Context, base_url: str) -> None:
    """Both servers match the same features in the same boxes (else the race is unfair)."""
    for bbox in boxes()[:5]:
        body: Any = get_json(f"{base_url}/collections/{LAYER}/items?f=json&limit=10000&bbox={bbox}")
        theirs = {str(f["id"]) for f in body["features"]}
        ours = _demine_matches(context, bbox)
        if theirs != ours:
            raise RuntimeError(
                f"pygeoapi and Demine disagree on bbox {bbox}: {len(theirs)} against "
                f"{len(ours)} features, {len(theirs ^ ours)} differ"
            )
        if len(ours) < 100:
            log.info("bbox %s holds only %d features", bbox, len(ours))


def measure_reference(context: Context) -> dict[str, float]:
    pygeoapi.check_installed()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    folder: Path = context.work / "pygeoapi"
    environment = pygeoapi.configure(folder, context.files[0][1], LAYER, port)
    ready = f"{base}/collections/{LAYER}"
    log_file = folder / f"gunicorn.{context.backend}.log"
    with Server(pygeoapi.command(port), ready, env=environment, log=log_file) as server:
        check_same_answers(context, base)
        return _load(server, base, items_paths("", LAYER, "&f=json"), {}, context)


def measure(side: Side, context: Context) -> dict[str, float]:
    if side == "demine":
        return measure_demine(context)
    return measure_reference(context)
