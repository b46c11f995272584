"""Run the benchmarks: Demine side by side with the best tools, on the same data, in one run.

    python bench/run.py [--scale tiny|national|global] [--only NAME] [--backend sqlite]
        [--repeats 3]

Generates the scale's GeoPackages (``bench/generate.py``) if missing, imports them with
Demine into a SQLite file and a PostGIS database (kept in ``bench/work/`` and
``demine_bench_<scale>`` between runs), then runs every case of ``bench/cases/``: each
side (Demine, reference) of each case on each database in a process of its own, so its
peak memory (RSS) is its own. Writes ``bench/results.json`` and ``bench/RESULTS.md``
(for the tiny scale, only into ``bench/work/tiny/``: it is the smoke test's).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from harness import (
    BENCH_DIR,
    POSTGRES_ADMIN_URL,
    SIDES,
    Comparison,
    Context,
    Limit,
    peak_rss_mb,
)

CASES = (
    "import_finds",
    "weekly_bulletin",
    "weekly_report",
    "all_time_stats",
    "records_verification",
    "ogc_items",
    "map_layer",
)
MEMORY_LIMIT_MB = {"national": 1024.0, "tiny": 1024.0}


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_case(name: str) -> ModuleType:
    return importlib.import_module(f"cases.{name}")


# -- preparing the databases ---------------------------------------------------------------


def postgis_url(scale: str) -> str:
    """The PostGIS database of ``scale``: ``demine_bench_<scale>``, or the one named by
    ``DEMINE_BENCH_POSTGIS_DB`` (a copy of it, so that a run never changes the shared one)."""
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    name = os.environ.get("DEMINE_BENCH_POSTGIS_DB") or f"demine_bench_{scale}"
    return f"{base}/{name}"


def database_url(scale: str, backend: str, work: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{work / 'register.db'}"
    return postgis_url(scale)


def _recreate_postgis(url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    engine.dispose()


def prepare(scale: str, backend: str, files: list[tuple[str, Path]], work: Path) -> str:
    """Import every file with Demine (once: a marker file remembers it was done)."""
    url = database_url(scale, backend, work)
    marker = work / f"prepared-{backend}.json"
    fingerprint = [[code, str(path), path.stat().st_mtime] for code, path in files]
    if marker.exists() and json.loads(marker.read_text()) == fingerprint:
        return url
    log(f"importing the {scale} register into {backend} (once; kept for later runs)")
    if backend == "sqlite":
        (work / "register.db").unlink(missing_ok=True)
    else:
        _recreate_postgis(url)
    started = time.perf_counter()
    for code, path in files:
        # The generator's layers are in import order: what later kinds refer to first.
        for kind in (layer.replace("_", "-") for layer in generate.LAYERS):
            step = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "demine", "--db", url, "--create", "--country", code,
                 "import", kind, str(path)],
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            log(f"  {code} {kind}: {time.perf_counter() - step:.1f} s")
    if backend == "postgis":
        # What autovacuum does on a server that has run for a while: statistics and
        # the visibility map (which index-only scans need).
        subprocess.run(["psql", url.replace("+psycopg", ""), "-qc", "VACUUM ANALYZE"], check=True)
    log(f"  register ready in {time.perf_counter() - started:.0f} s")
    marker.write_text(json.dumps(fingerprint))
    return url


# -- running one side of one case -----------------------------------------------------------


def run_worker(case: str, side: str, context_json: str) -> int:
    """In a worker process: measure one side and print its figures as JSON."""
    module = load_case(case)
    context = Context.from_json(json.loads(context_json))
    figures = module.measure(side, context)
    figures["worker_peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))
    return 0


def run_side(case: str, side: str, context: Context) -> dict[str, Any]:
    """One side in its own process: its figures, its peak RSS, or why it failed."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", case, "--side", side,
        "--context", json.dumps(context.as_json()),
    ]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        reason = stderr.strip().splitlines()[-1] if stderr.strip() else "no output"
        log(f"  {case}/{context.backend}/{side}: NOT MEASURED: {reason}")
        return {"error": reason, "wall_s": elapsed}
    lines = stdout.strip().splitlines()
    figures: dict[str, Any] = json.loads(lines[-1])
    worker_rss = float(figures.pop("worker_peak_rss_mb", 0.0))
    # A server's processes (supervisor, workers) each count on their own, as the
    # target is per process; their sum is kept too (server_peak_rss_mb).
    server_rss = float(figures.get("server_largest_process_mb", 0.0))
    figures["peak_rss_mb"] = max(worker_rss, server_rss)
    figures["wall_s"] = elapsed
    return figures


def compare(module: ModuleType, results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each comparison and limit of a case, with its ratio and whether the target is met."""
    rows: list[dict[str, Any]] = []
    demine, reference = results.get("demine", {}), results.get("reference", {})
    comparison: Comparison
    for comparison in module.COMPARISONS:
        ours, theirs = demine.get(comparison.metric), reference.get(comparison.metric)
        ratio = ours / theirs if ours is not None and theirs else None
        rows.append(
            {
                "metric": comparison.metric,
                "unit": comparison.unit,
                "reference": comparison.reference,
                "demine": ours,
                "reference_value": theirs,
                "ratio": ratio,
                "target": comparison.describe_target(),
                "met": None if ratio is None else comparison.met(ratio),
            }
        )
    limit: Limit
    for limit in getattr(module, "LIMITS", ()):
        value = results.get(limit.side, {}).get(limit.metric)
        rows.append(
            {
                "metric": limit.metric,
                "unit": limit.unit,
                "reference": "absolute limit",
                "demine": value,
                "reference_value": None,
                "ratio": None,
                "target": f"≤ {limit.maximum:g} {limit.unit}",
                "met": None if value is None else value <= limit.maximum,
            }
        )
    return rows


# -- reporting ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    model = ""
    with open("/proc/cpuinfo", encoding="ascii") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for package in (
        "demine", "sqlalchemy", "psycopg", "shapely", "pyogrio", "geopandas", "duckdb",
        "fastapi", "uvicorn",
    ):  # fmt: skip
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    try:
        output = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
             "SELECT current_setting('server_version') || ' / PostGIS ' || default_version"
             " FROM pg_available_extensions WHERE name = 'postgis'"],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
        found["postgresql"] = output.stdout.strip() or "unknown"
    except (OSError, subprocess.TimeoutExpired):
        found["postgresql"] = "unknown"
    return found


def _figure(value: Any, unit: str) -> str:
    if value is None:
        return "not measured"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def markdown(report: dict[str, Any]) -> str:
    info = report["machine"]
    lines = [
        f"# Benchmark results — {report['scale']} scale",
        "",
        f"Run {report['started']} with `python bench/run.py --scale {report['scale']}`"
        f" ({report['repeats']} repeats per figure; medians). Written by bench/run.py:"
        " do not edit by hand.",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB memory,"
        f" Python {info['python']}, {info['platform']}.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()) + ".",
        "",
        "| Case | DB | Figure | Demine | Reference | Ratio | Target | Met"
        " | Peak RSS Demine / ref. |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case in report["cases"]:
        for backend in case["backends"]:
            sides = backend["sides"]
            memory = " / ".join(
                _figure(sides.get(side, {}).get("peak_rss_mb"), "MB") for side in SIDES
            )
            for row in backend["comparisons"]:
                ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}×"
                met = {True: "yes", False: "**no**", None: "—"}[row["met"]]
                reference = (
                    "(absolute limit)"
                    if row["reference_value"] is None and row["reference"] == "absolute limit"
                    else f"{row['reference']}: {_figure(row['reference_value'], row['unit'])}"
                )
                lines.append(
                    f"| {case['title']} | {backend['backend']} | {row['metric']} |"
                    f" {_figure(row['demine'], row['unit'])} | {reference} |"
                    f" {ratio} | {row['target']} | {met} | {memory} |"
                )
            for side, figures in sides.items():
                if "error" in figures:
                    lines.append(
                        f"| {case['title']} | {backend['backend']} | {side} | not measured:"
                        f" {figures['error']} | | | | | |"
                    )
    limit = MEMORY_LIMIT_MB.get(report["scale"])
    if limit is not None:
        peaks = [
            (case["title"], backend["backend"], backend["sides"]["demine"]["peak_rss_mb"])
            for case in report["cases"]
            for backend in case["backends"]
            if "peak_rss_mb" in backend["sides"].get("demine", {})
        ]
        over = [p for p in peaks if p[2] > limit]
        worst = max(peaks, key=lambda p: p[2]) if peaks else None
        lines += [
            "",
            f"Peak memory target: every Demine process under {limit:,.0f} MB (the table"
            " shows the largest process of each side; a server's processes together:"
            + ", ".join(
                f" {case['title'].split(':')[0]} on {backend['backend']}"
                f" {backend['sides']['demine']['server_peak_rss_mb']:,.0f} MB"
                for case in report["cases"]
                for backend in case["backends"]
                if "server_peak_rss_mb" in backend["sides"].get("demine", {})
            )
            + ").",
        ]
        if worst is not None:
            lines.append(
                f"Highest: {worst[0]} on {worst[1]}, {worst[2]:,.0f} MB —"
                f" {'**over**' if over else 'met'}."
            )
    findings = BENCH_DIR / "FINDINGS.md"
    if findings.exists():
        lines += ["", findings.read_text().rstrip()]
    lines.append("")
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("tiny", "national", "global"), default="national")
    parser.add_argument("--only", action="append", choices=CASES, help="run only this case")
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgis"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, help="directory for results (default bench/)")
    parser.add_argument("--data", type=Path, help="directory for the GeoPackages (bench/data)")
    parser.add_argument("--work", type=Path, help="directory for databases (bench/work/SCALE)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    parser.add_argument("--context", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.side, args.context)

    data = args.data or BENCH_DIR / "data"
    work = args.work or BENCH_DIR / "work" / args.scale
    work.mkdir(parents=True, exist_ok=True)
    out = args.out or (work if args.scale == "tiny" else BENCH_DIR)
    out.mkdir(parents=True, exist_ok=True)
    files = generate.generate(args.scale, data)
    backends = args.backend or ["sqlite", "postgis"]
    report: dict[str, Any] = {
        "scale": args.scale,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "repeats": args.repeats,
        "machine": machine(),
        "versions": versions(),
        "cases": [],
    }
    urls = {backend: prepare(args.scale, backend, files, work) for backend in backends}
    for name in args.only or CASES:
        module = load_case(name)
        case: dict[str, Any] = {"name": name, "title": module.TITLE, "backends": []}
        for backend in module.BACKENDS:
            if backend != "none" and backend not in backends:
                continue
            context = Context(
                scale=args.scale,
                backend=backend,
                database_url=urls.get(backend, ""),
                files=files,
                work=work,
                repeats=args.repeats,
            )
            sides: dict[str, dict[str, Any]] = {}
            for side in SIDES:
                log(f"{name} on {backend}: {side}")
                sides[side] = run_side(name, side, context)
            case["backends"].append(
                {"backend": backend, "sides": sides, "comparisons": compare(module, sides)}
            )
        report["cases"].append(case)
        (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
        (out / "RESULTS.md").write_text(markdown(report))
    log(f"results in {out / 'results.json'} and {out / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
