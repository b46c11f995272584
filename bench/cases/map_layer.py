"""The dashboard's map on first load: every layer for the whole-country view.

The map fits the country's extent, then asks ``/api/map/{layer}?bbox=<view>&zoom=<zoom>``
for each layer a viewer may see, all at once. The page itself (``static/demine-map.js``)
now asks this for districts and minefields and draws finds, hazards and accidents from
vector tiles (the whole page in Chromium is ``dashboard_first_load``); the five layers
here are what ``/api/map`` serves any client for that view. The view is taken 1166 × 510
CSS pixels (the page's map is 929 × 510 beside its legend: the same zoom, 8, on the bench
country). The figure is the wall time until every layer has arrived (five concurrent
requests, as a browser makes them): cold (a server just started, the median over
``context.repeats`` fresh servers) and warm (the same server again, median). A server
makes the whole-country answers as it starts (``demine.web.map_first_view``), so cold
measures those answers sent, not made.

Reference: the same five answers written by hand on the same database: plain SQL
through the database driver (the grid counts as one ``GROUP BY`` each, with the best
plan: a table scan on SQLite), shapely to simplify, ``json.dumps``; no web stack, no
ORM; the five layers in parallel threads as well. Cold is its first run in a fresh
process with new connections.
"""

from __future__ import annotations

import json
import math
import statistics
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shapely
from harness import Comparison, Context, Side
from peers.scratch import scratch_register
from peers.servers import demine_server, free_port, get_seconds

TITLE = "Dashboard map, first load: all layers for the whole country (cold, warm)"
BACKENDS = ("sqlite", "postgis")
REFERENCE = "hand-written SQL + shapely + json on the same database (no web stack)"
COMPARISONS = (
    Comparison("warm_s", REFERENCE, 1.0, better="lower"),
    Comparison("cold_s", REFERENCE, 1.0, better="lower"),
)
LAYERS = ("districts", "hazards", "finds", "accidents", "minefields")
MAP_WIDTH_PX, MAP_HEIGHT_PX = 1166, 510
WORKERS = 2
COUNTRY_WIDTH, COUNTRY_HEIGHT = 5.0, 2.0
#: As map_layers: at most this many shapes; grid cells about 40 pixels wide.
MAX_FEATURES = 5_000


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(y)))


def whole_country_view(extent: tuple[float, float, float, float]) -> tuple[str, int]:
    """The ``bbox`` and ``zoom`` Leaflet's ``fitBounds`` asks for (256-pixel tiles)."""
    west, south, east, north = extent
    y_south, y_north = _mercator_y(south), _mercator_y(north)
    zoom = 0
    while zoom < 17:
        scale = 256 * 2 ** (zoom + 1)
        if (east - west) / 360 * scale > MAP_WIDTH_PX:
            break
        if (y_north - y_south) / (2 * math.pi) * scale > MAP_HEIGHT_PX:
            break
        zoom += 1
    scale = 256 * 2**zoom
    half_width = MAP_WIDTH_PX / 2 / scale * 360
    half_height = MAP_HEIGHT_PX / 2 / scale * 2 * math.pi
    x, y = (west + east) / 2, (y_south + y_north) / 2
    box = (x - half_width, _latitude(y - half_height), x + half_width, _latitude(y + half_height))
    return ",".join(f"{v:.5f}" for v in box), zoom


def _view(context: Context) -> tuple[str, int]:
    west = -20.0  # bench/generate.py: the first country's south-west corner
    return whole_country_view((west, 38.0, west + COUNTRY_WIDTH, 38.0 + COUNTRY_HEIGHT))


def _all_at_once(jobs: list[Callable[[], Any]]) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(len(jobs)) as pool:
        list(pool.map(lambda job: job(), jobs))
    return time.perf_counter() - started


def measure_demine(context: Context) -> dict[str, float]:
    url, token = scratch_register(context.database_url, context.work, "map_layer")
    bbox, zoom = _view(context)
    headers = {"Authorization": f"Bearer {token}"}
    colds: list[float] = []
    warms: list[float] = []
    peaks: list[float] = []
    largest: list[float] = []
    layer_times: dict[str, list[float]] = {layer: [] for layer in LAYERS}
    public: list[float] = []
    for _ in range(max(1, context.repeats)):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        urls = [f"{base}/api/map/{layer}?bbox={bbox}&zoom={zoom}" for layer in LAYERS]
        with demine_server(context, "map_layer", url, port, "/api/me", headers, WORKERS) as s:
            colds.append(_all_at_once([lambda u=u: get_seconds(u, headers) for u in urls]))
            for _ in range(max(1, context.repeats)):
                warms.append(_all_at_once([lambda u=u: get_seconds(u, headers) for u in urls]))
            for layer, layer_url in zip(LAYERS, urls, strict=True):
                layer_times[layer].append(get_seconds(layer_url, headers))
            public.append(get_seconds(f"{base}/api/public/districts", headers))
            peaks.append(s.peak_rss_mb())
            largest.append(s.largest_rss_mb())
    figures = {
        "cold_s": statistics.median(colds),
        "warm_s": statistics.median(warms),
        "server_peak_rss_mb": max(peaks),
        "server_largest_process_mb": max(largest),
        "public_districts_s": statistics.median(public),
    }
    figures.update({f"{layer}_s": statistics.median(t) for layer, t in layer_times.items()})
    return figures


# -- the reference: the same answers by hand -------------------------------------------------


def _cell(zoom: int) -> float:
    return 360.0 / float(2 ** max(0, zoom)) / 256 * 40


_FILTERS = (
    "geometry IS NOT NULL AND review_status = 'approved' AND deleted_at IS NULL "
    "AND country = :country AND max_x >= :west AND min_x <= :east "
    "AND max_y >= :south AND min_y <= :north"
)
_AREAS = {
    "districts": ("admin_areas", "code, name", "AND level = 'district'"),
    "hazards": ("hazard_areas", "external_id, classification, status", ""),
    "minefields": ("minefield_records", "external_id, source, received_on, status", ""),
}
_POINTS = {"finds": ("device_finds", "sum(quantity)"), "accidents": ("accidents", "count(*)")}


def _columns(connection: Any, table: str) -> set[str]:
    from sqlalchemy import inspect

    with warnings.catch_warnings():  # PostGIS's geometry type is unknown to SQLAlchemy
        warnings.simplefilter("ignore")
        return {c["name"] for c in inspect(connection).get_columns(table)}


def _filters(connection: Any, table: str) -> str:
    """The box and "counted" conditions, without those on columns ``table`` lacks."""
    columns = _columns(connection, table)
    filters = _FILTERS
    if "review_status" not in columns:
        filters = filters.replace("AND review_status = 'approved' ", "")
    if "deleted_at" not in columns:
        filters = filters.replace("AND deleted_at IS NULL ", "")
    return filters


def _area_layer(connection: Any, layer: str, box: dict[str, Any], zoom: int) -> bytes:
    from sqlalchemy import text

    table, properties, extra = _AREAS[layer]
    postgis = connection.dialect.name == "postgresql"
    geometry = "ST_AsBinary(geometry)" if postgis else "geometry"
    filters = _filters(connection, table)
    rows = connection.execute(
        text(f"SELECT id, {geometry}, {properties} FROM {table} WHERE {filters} {extra} "
             f"LIMIT {MAX_FEATURES}"),
        box,
    ).all()  # fmt: skip
    names = [p.strip() for p in properties.split(",")]
    shapes = shapely.simplify(
        shapely.from_wkb([bytes(r[1]) for r in rows]), _cell(zoom) / 40, preserve_topology=True
    )
    features = [
        {"type": "Feature", "id": r[0], "geometry": shapely.geometry.mapping(shape),
         "properties": dict(zip(names, r[2:], strict=True))}
        for r, shape in zip(rows, shapes, strict=True)
    ]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}, default=str).encode()


def _point_layer(connection: Any, layer: str, box: dict[str, Any], zoom: int) -> bytes:
    from sqlalchemy import text

    table, weight = _POINTS[layer]
    postgis = connection.dialect.name == "postgresql"
    cell = _cell(zoom)

    def index(column: str, origin: float) -> str:
        position = f"({column} - ({origin})) / {cell!r}"
        return f"floor({position})" if postgis else f"CAST({position} AS INTEGER)"

    scan = "" if postgis else "NOT INDEXED"
    filters = _filters(connection, table)
    rows = connection.execute(
        text(f"SELECT {index('min_x', -180.0)} AS gx, {index('min_y', -90.0)} AS gy, {weight}, "
             f"avg(min_x), avg(min_y) FROM {table} {scan} WHERE {filters} GROUP BY gx, gy"),
        box,
    ).all()  # fmt: skip
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
         "properties": {"kind": "cell", "count": int(count)}}
        for _gx, _gy, count, x, y in rows
    ]  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def measure_reference(context: Context) -> dict[str, float]:
    from sqlalchemy import create_engine

    bbox, zoom = _view(context)
    west, south, east, north = (float(v) for v in bbox.split(","))
    box = {"country": context.files[0][0], "west": west, "south": south, "east": east,
           "north": north}  # fmt: skip

    def run(engine: Any, layer: str) -> bytes:
        with engine.connect() as connection:
            if layer in _POINTS:
                return _point_layer(connection, layer, box, zoom)
            return _area_layer(connection, layer, box, zoom)

    colds: list[float] = []
    warms: list[float] = []
    for _ in range(max(1, context.repeats)):
        engine = create_engine(context.database_url)
        jobs = [lambda layer=layer, engine=engine: run(engine, layer) for layer in LAYERS]
        colds.append(_all_at_once(jobs))
        for _ in range(max(1, context.repeats)):
            warms.append(_all_at_once(jobs))
        engine.dispose()
    return {"cold_s": statistics.median(colds), "warm_s": statistics.median(warms)}


def measure(side: Side, context: Context) -> dict[str, float]:
    if side == "demine":
        return measure_demine(context)
    return measure_reference(context)
