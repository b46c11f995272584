"""Time one ``demine`` command with two versions of the code, side by side, in one run.

    python bench/before_after.py --before-src OLD/src --before-db OLD.db --after-db NEW.db \
        [--runs 5] [--country XA] -- report weekly --week 2024-W27 --format json

The two versions run alternately (before, after, before, …) so that both see the same
machine load; each run is a fresh process, start-up included, as a user types it. The
outputs are compared (JSON without its moment of generation) so that a faster answer
is also the same answer. Prints a Markdown table of wall and CPU medians and the ratio.
``--before-src`` is the ``src`` folder of a checkout of the older commit (``git
worktree add``); the databases hold the same register, each at its version's schema.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AFTER_SRC = HERE.parent / "src"


def _run(src: Path, database: str, country: str, command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and standard output of one run."""
    environment = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "demine", "--db", database, "--country", country, *command],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _comparable(output: str) -> Any:
    try:
        value = json.loads(output)
    except ValueError:
        return output
    if isinstance(value, dict) and isinstance(value.get("provenance"), dict):
        value["provenance"].pop("generated_at", None)
    return value


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Where two outputs differ (``path: before -> after``), leaf by leaf."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            found
            for key in sorted(set(before) | set(after))
            for found in differences(before.get(key), after.get(key), f"{path}.{key}")
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            found
            for index, (b, a) in enumerate(zip(before, after, strict=True))
            for found in differences(b, a, f"{path}[{index}]")
        ]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-src", type=Path, required=True)
    parser.add_argument("--before-db", required=True)
    parser.add_argument("--after-db", required=True)
    parser.add_argument("--country", default="XA")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = [word for word in args.command if word != "--"]
    sides = {
        "before": (args.before_src.resolve(), args.before_db),
        "after": (AFTER_SRC, args.after_db),
    }
    times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    outputs: dict[str, Any] = {}
    for run in range(args.runs):
        for side, (src, database) in sides.items():
            wall, cpu, output = _run(src, database, args.country, command)
            times[side].append((wall, cpu))
            outputs[side] = _comparable(output)
            print(f"run {run + 1} {side}: {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)
    changed = differences(outputs["before"], outputs["after"])
    wall = {side: statistics.median(w for w, _ in values) for side, values in times.items()}
    cpu = {side: statistics.median(c for _, c in values) for side, values in times.items()}
    print(f"`demine {' '.join(command)}`, {args.runs} alternating runs, medians\n")
    print("| | before | after | before / after |")
    print("|---|---|---|---|")
    print(f"| wall (s) | {wall['before']:.2f} | {wall['after']:.2f} | "
          f"{wall['before'] / wall['after']:.2f}× |")  # fmt: skip
    print(f"| CPU (s) | {cpu['before']:.2f} | {cpu['after']:.2f} | "
          f"{cpu['before'] / cpu['after']:.2f}× |")  # fmt: skip
    print(f"\nValues that differ: {len(changed)}")
    for line in changed[:20]:
        print(f"- `{line}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
