"""The whole weekly bulletin command: ``demine report weekly --week … --format json``
(and ``--format pdf``).

Demine's side runs the command as a user does, in a process of its own, and times it
from start to the JSON written (``seconds``: the median over ``context.repeats`` runs):
starting Python and Demine, opening the store, everything the bulletin computes (the
week, the week before, the 12-week trend, the monthly cumulative series since the first
data, provenance and casualty statistics) and the JSON. ``pdf_seconds`` times the same
command writing the PDF (with its charts and the map of the week's finds and released
land). ``startup_seconds`` times ``demine --help`` the same way, to tell the start-up
cost from the bulletin's own. Targets (``LIMITS``, issue 19): the JSON in at most 1 s,
the PDF in at most 2 s, start-up included.

Reference: a bare Python process that computes the week's figures with the
hand-written SQL of :mod:`cases.weekly_bulletin` and prints them as JSON — the floor of
any command answering in a process of its own, not the same work (it has no trend,
cumulative series, map or provenance), so no target is set against it. The two agree
on the week's national totals once before timing.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from harness import BENCH_DIR, Comparison, Context, Limit, Side

from cases.weekly_bulletin import WEEK

TITLE = "Weekly bulletin command (demine report weekly --format json and pdf, whole process)"
BACKENDS = ("sqlite", "postgis")
COMPARISONS: tuple[Comparison, ...] = ()
LIMITS = (Limit("seconds", 1.0, "s"), Limit("pdf_seconds", 2.0, "s"))

_REFERENCE = """
import json, sys
from collections import defaultdict
from sqlalchemy import create_engine
from cases.weekly_bulletin import WEEK, hand_written
engine = create_engine(sys.argv[1])
with engine.connect() as connection:
    figures = hand_written(connection, sys.argv[2], WEEK)
totals = defaultdict(float)
for row in figures["by_district"].values():
    for name, value in row.items():
        totals[name] += value
print(json.dumps({**figures, "totals": totals}))
"""


def _command(side: Side, context: Context, report_format: str = "json") -> list[str]:
    country = context.files[0][0]
    if side == "demine":
        output = [] if report_format == "json" else ["--output", str(_pdf_path(context))]
        return [
            sys.executable, "-m", "demine", "--db", context.database_url, "--country", country,
            "report", "weekly", "--week", WEEK.label, "--format", report_format, *output,
        ]  # fmt: skip
    return [sys.executable, "-c", _REFERENCE, context.database_url, country]


def _pdf_path(context: Context) -> Path:
    return context.work / f"weekly-{context.backend}.pdf"


def _run(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        command, capture_output=True, text=True, check=True, env=_environment()
    )
    return time.perf_counter() - started, completed.stdout


def _environment() -> dict[str, str]:
    # The reference imports ``cases.weekly_bulletin`` from bench/.
    path = os.pathsep.join(filter(None, (str(BENCH_DIR), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "PYTHONPATH": path}


def check_agreement(demine: dict[str, Any], reference: dict[str, Any]) -> None:
    """Raise unless the command's week has the reference's national totals."""
    totals = reference["totals"]
    for name in ("ap_mines", "at_mines", "uxo", "other_devices"):
        assert demine[name] == totals.get(name, 0), (name, demine[name], totals.get(name))
    cleared = totals.get("area_cleared_m2", 0.0) / 10_000
    assert math.isclose(demine["hectares_cleared"], cleared, abs_tol=1e-2), "hectares differ"


def measure(side: Side, context: Context) -> dict[str, float]:
    command = _command(side, context)
    _, output = _run(command)
    if side == "demine":
        _, reference = _run(_command("reference", context))
        check_agreement(json.loads(output), json.loads(reference))
    runs = [_run(command)[0] for _ in range(max(1, context.repeats))]
    figures = {"seconds": statistics.median(runs), "runs": float(len(runs))}
    if side == "demine":
        pdf_command = _command(side, context, "pdf")
        figures["pdf_seconds"] = statistics.median(
            _run(pdf_command)[0] for _ in range(max(1, context.repeats))
        )
        if not _pdf_path(context).read_bytes().startswith(b"%PDF"):
            raise AssertionError("the command wrote no PDF")
        help_command = [sys.executable, "-m", "demine", "--help"]
        figures["startup_seconds"] = statistics.median(
            _run(help_command)[0] for _ in range(max(1, context.repeats))
        )
    # The command ran in a child process: its peak memory is the side's.
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    figures["server_largest_process_mb"] = children_kb / 1024
    return figures
