"""What every benchmark case shares: its context, timing, and how results compare.

A case is a module in ``bench/cases/`` with:

- ``TITLE``: what it measures, as RESULTS.md shows it;
- ``BACKENDS``: the databases it runs on (``"sqlite"``, ``"postgis"``, or ``"none"``);
- ``COMPARISONS``: :class:`Comparison` of Demine's figure with the reference's;
- ``LIMITS`` (optional): absolute :class:`Limit` on one side's figure;
- ``measure(side, context) -> dict[str, float]``: the figures of one side
  (``"demine"`` or ``"reference"``), measured in a process of its own so that its
  peak memory is its own. A figure named ``server_peak_rss_mb`` (a server process the
  case started) counts as that side's peak memory when larger than the worker's.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Side = Literal["demine", "reference"]
SIDES: tuple[Side, ...] = ("demine", "reference")
BENCH_DIR = Path(__file__).resolve().parent
POSTGRES_ADMIN_URL = os.environ.get(
    "DEMINE_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@dataclass(frozen=True)
class Context:
    """Where a case finds its data and database."""

    scale: str
    backend: str
    #: The whole register of ``files`` imported by Demine (cases only read it).
    database_url: str
    #: (country code, GeoPackage) of every country at this scale.
    files: list[tuple[str, Path]]
    #: A scratch directory of this scale, kept between runs.
    work: Path
    repeats: int

    def as_json(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "backend": self.backend,
            "database_url": self.database_url,
            "files": [[code, str(path)] for code, path in self.files],
            "work": str(self.work),
            "repeats": self.repeats,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Context:
        return cls(
            scale=data["scale"],
            backend=data["backend"],
            database_url=data["database_url"],
            files=[(code, Path(path)) for code, path in data["files"]],
            work=Path(data["work"]),
            repeats=int(data["repeats"]),
        )


@dataclass(frozen=True)
class Comparison:
    """Demine's ``metric`` against the reference's: ``ratio = demine / reference``.

    ``better="lower"`` (times): the target is met when the ratio is at most ``target``;
    ``better="higher"`` (throughputs): when it is at least ``target``.
    """

    metric: str
    reference: str
    target: float
    better: Literal["lower", "higher"] = "lower"
    unit: str = "s"

    def met(self, ratio: float) -> bool:
        return ratio <= self.target if self.better == "lower" else ratio >= self.target

    def describe_target(self) -> str:
        return f"≤ {self.target:g}×" if self.better == "lower" else f"≥ {self.target:g}×"


@dataclass(frozen=True)
class Limit:
    """An absolute bound on one side's figure (``p99_ms`` at most 50, say)."""

    metric: str
    maximum: float
    unit: str
    side: Side = "demine"


@dataclass
class Timing:
    """Wall-clock times of repeated runs of the same work."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def timed(work: Callable[[], Any], repeats: int, setup: Callable[[], Any] | None = None) -> Timing:
    """Run ``work`` ``repeats`` times (``setup`` before each, untimed); every time."""
    timing = Timing()
    for _ in range(repeats):
        if setup is not None:
            setup()
        started = time.perf_counter()
        work()
        timing.runs.append(time.perf_counter() - started)
    return timing


def peak_rss_mb(pid: int | str = "self") -> float:
    """The peak resident memory (VmHWM) of a running process, in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
