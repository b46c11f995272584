"""Kill ``demine import`` and ``demine serve`` with SIGKILL at random moments; after each
kill the database must open, be intact, and hold the import whole or not at all.

    python bench/soak.py --backend sqlite --kills 100 --seed 1
    python bench/soak.py --backend postgis --kills 20 --seed 1

The register is the benchmark generator's (``bench/generate.py``, country ``XA``) with
``--finds`` finds; areas, organisations, hazards and activities are imported once, then
each round imports a finds file whose ids are new (``XA-K0007-F-…``), so a committed
import adds every row of its file and a rolled-back one none. A round runs ``python -m
demine --db URL --country XA import finds FILE`` and kills it (a seeded random choice):

- **anywhere**: after a random delay over the whole run (start-up, reading, checking,
  writing, committing);
- **writing**: once it has opened the database, after a random delay up to the time an
  uninterrupted run takes from there to its commit (reading, checking, writing rows);
- **commit**: 0-50 ms after its commit shows (SQLite: the WAL's header is written,
  which happens when the transaction commits, its pages having waited in the cache;
  PostgreSQL: the import's backend, having written, runs ``COMMIT``).

A process that ended before its kill is not counted as a kill (its database is checked
all the same); rounds go on until ``--kills`` processes were killed. Then the server:
``--server-kills`` rounds of ``demine serve`` killed during a web import and writes
(``soak_server.py``). What each check looks at is in ``soak_checks.py``. The results
go to ``bench/SOAK.md`` (one section per backend, replaced by each run).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from harness import POSTGRES_ADMIN_URL
from soak_backends import IMPORT_APP, SERVE_APP, Backend, Files, base_file, prepare
from soak_checks import COUNTRY, Verdict, before, check
from soak_server import Round, ServerTally, calibrate, kill_round, restart_check

BENCH = Path(__file__).resolve().parent
#: How often a round's kill moment is each kind.
MOMENTS = (("anywhere", 0.3), ("writing", 0.45), ("commit", 0.25))


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# -- killing imports -----------------------------------------------------------------------


@dataclass
class Calibration:
    """An uninterrupted import: how long it ran, when it had opened the database and
    when its commit began."""

    seconds: float
    opened_at: float
    committed_at: float


@dataclass
class ImportTally:
    kills: int = 0
    finished_before_kill: int = 0
    failed_imports: int = 0
    moments: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    #: Kills in the commit by where the import was, and what it left.
    in_commit: Counter[tuple[str, str]] = field(default_factory=Counter)
    torn: int = 0
    integrity_failures: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, verdict: Verdict) -> None:
        self.outcomes[verdict.outcome] += 1
        self.torn += verdict.outcome == "torn"
        other = [p for p in verdict.problems if not p.startswith("torn")]
        self.integrity_failures += bool(other)
        self.problems += verdict.problems


def import_process(backend: Backend, path: Path, err: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "demine",
        "--db",
        backend.with_application(IMPORT_APP),
        "--country",
        COUNTRY,
        "import",
        "finds",
        str(path),
    ]
    with err.open("wb") as stderr:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)


def calibrate_import(backend: Backend, path: Path, work: Path) -> Calibration:
    """Time an uninterrupted import, and the moments it opened the database and committed."""
    watcher = backend.watcher()
    started = time.perf_counter()
    process = import_process(backend, path, work / "import.err")
    opened_at = committed_at = None
    while process.poll() is None:
        now = time.perf_counter() - started
        if opened_at is None and watcher.opened():
            opened_at = now
        if committed_at is None and watcher.committing():
            committed_at = now
        time.sleep(0.0005)
    seconds = time.perf_counter() - started
    watcher.close()
    if process.returncode != 0:
        raise RuntimeError(f"import failed: {(work / 'import.err').read_text()[-2000:]}")
    if opened_at is None or committed_at is None:
        raise RuntimeError(
            f"the import's opening ({opened_at}) or commit ({committed_at}) was not seen"
        )
    return Calibration(seconds, opened_at, committed_at)


def kill_import(
    backend: Backend, path: Path, work: Path, calibration: Calibration, rng: random.Random
) -> tuple[str, float, bool, int | None]:
    """Run the import and SIGKILL it at a random moment: the moment's kind, the seconds
    it ran, whether it was still running when killed, and its exit code if it was not.

    Delays count from what the run shows (its opening of the database, its commit), not
    from its start alone: on a loaded machine the start-up's length varies by seconds.
    """
    moment = rng.choices([m for m, _ in MOMENTS], [w for _, w in MOMENTS])[0]
    if moment == "anywhere":
        wait_for, delay = None, rng.uniform(0, calibration.seconds)
    elif moment == "writing":
        writing = calibration.committed_at - calibration.opened_at
        wait_for, delay = "opened", rng.uniform(0, writing + 0.05)
    else:
        # Within the commit, not only at its first write (SQLite writes the WAL's
        # header, then the transaction's pages, then the frame that commits them).
        wait_for, delay = "committing", rng.uniform(0, 0.05)
    watcher = backend.watcher() if wait_for is not None else None
    started = time.perf_counter()
    process = import_process(backend, path, work / "import.err")
    if watcher is not None:
        seen = watcher.opened if wait_for == "opened" else watcher.committing
        while process.poll() is None and not seen():
            time.sleep(0.0005)
    time.sleep(delay)
    if watcher is not None:
        watcher.at_kill()
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    if watcher is not None:
        if moment == "commit":
            moment = f"commit: {watcher.where()}"
        watcher.close()
    ran = time.perf_counter() - started
    backend.settle(IMPORT_APP)()
    return moment, ran, running, None if running else process.returncode


def soak_imports(
    backend: Backend, files: Files, committed: list[int], kills: int, rng: random.Random
) -> tuple[ImportTally, Calibration]:
    imported, path = files.get(committed[0])
    was = before(backend.url)
    calibration = calibrate_import(backend, path, backend.work)
    verdict = check(backend.url, was, imported)
    if verdict.outcome != "committed" or verdict.problems:
        raise RuntimeError(f"the uninterrupted import is not whole: {verdict}")
    committed[0] += 1
    log(
        f"an uninterrupted import of {imported.rows:,} finds takes {calibration.seconds:.2f} s "
        f"(database opened at {calibration.opened_at:.2f} s, commit at "
        f"{calibration.committed_at:.2f} s)"
    )
    tally = ImportTally()
    rounds = 0
    while tally.kills < kills:
        rounds += 1
        if rounds > 3 * kills + 10:
            raise RuntimeError(f"only {tally.kills} kills in {rounds} rounds")
        imported, path = files.get(committed[0])
        was = before(backend.url)
        moment, ran, running, code = kill_import(backend, path, backend.work, calibration, rng)
        verdict = check(backend.url, was, imported)
        tally.add(verdict)
        if running:
            tally.kills += 1
            tally.moments[moment.split(":")[0]] += 1
            if moment.startswith("commit:"):
                tally.in_commit[(moment.split(": ", 1)[1], verdict.outcome)] += 1
        else:
            tally.finished_before_kill += 1
            if code != 0:
                tally.failed_imports += 1
                tally.problems.append(
                    f"import exited {code} unkilled: "
                    f"{(backend.work / 'import.err').read_text()[-500:]}"
                )
        if verdict.outcome == "committed":
            committed[0] += 1
        what = f"kill {tally.kills}/{kills}" if running else "no kill (it had finished)"
        state = "ok" if not verdict.problems else "PROBLEMS: " + "; ".join(verdict.problems)
        log(
            f"{what} after {ran:.2f} s ({moment}): {verdict.outcome}, "
            f"{verdict.finds:,} finds; {state}"
        )
    return tally, calibration


# -- killing the server --------------------------------------------------------------------


def soak_server(
    backend: Backend,
    files: Files,
    committed: list[int],
    kills: int,
    token: str,
    rng: random.Random,
) -> tuple[ServerTally, float]:
    round_ = Round(
        backend.url,
        backend.with_application(SERVE_APP),
        token,
        f"{COUNTRY}-K0000-F-0000001",
        backend.work / "serve.log",
    )
    tally = ServerTally()
    if kills == 0:
        return tally, 0.0
    imported, path = files.get(committed[0])
    was = before(backend.url)
    duration = calibrate(round_, imported, path)
    backend.settle(SERVE_APP)()
    verdict = check(backend.url, was, imported)
    if verdict.outcome != "committed" or verdict.problems:
        raise RuntimeError(f"the uninterrupted web import is not whole: {verdict}")
    committed[0] += 1
    log(f"an uninterrupted web import takes {duration:.2f} s")
    for number in range(1, kills + 1):
        imported, path = files.get(committed[0])
        moment, delay, verdict, writer, stored = kill_round(
            round_, imported, path, duration, rng, backend.settle(SERVE_APP)
        )
        tally.kills += 1
        tally.restarts += 1
        tally.moments[moment] += 1
        tally.outcomes[verdict.outcome] += 1
        tally.torn += verdict.outcome == "torn"
        tally.integrity_failures += any(not p.startswith("torn") for p in verdict.problems)
        tally.acknowledged_writes += writer.writes
        tally.server_errors += writer.server_errors
        allowed = {writer.acknowledged, writer.pending} - {None}
        if writer.acknowledged is not None and stored not in allowed:
            tally.lost_acknowledged_writes += 1
            verdict.problems.append(
                f"quantity {stored}, last acknowledged "
                f"{writer.acknowledged}, unanswered {writer.pending}"
            )
        tally.problems += verdict.problems
        if verdict.outcome == "committed":
            committed[0] += 1
        state = "ok" if not verdict.problems else "PROBLEMS: " + "; ".join(verdict.problems)
        log(
            f"server kill {number}/{kills} after {delay:.2f} s ({moment}): import "
            f"{verdict.outcome}, {writer.writes} writes acknowledged, quantity {stored}; "
            f"{state}"
        )
    final = restart_check(round_)
    tally.restarts += 1
    tally.problems += final
    tally.integrity_failures += bool(final)
    return tally, duration


# -- the report ----------------------------------------------------------------------------


def section(
    backend: Backend,
    args: argparse.Namespace,
    imports: ImportTally,
    calibration: Calibration,
    server: ServerTally,
    web_seconds: float,
    rows: int,
    seconds: float,
) -> str:
    command = (
        f"python bench/soak.py --backend {args.backend} --kills {args.kills} "
        f"--server-kills {args.server_kills} --seed {args.seed} --finds {args.finds}"
    )
    lines = [
        f"## {backend.name}",
        "",
        f"    {command}",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {platform.node()} "
        f"({os.cpu_count()} cores, shared), {backend.version()}, in {seconds / 60:.1f} min. "
        f"Each file: {rows:,} finds; an uninterrupted `demine import` takes "
        f"{calibration.seconds:.2f} s (the database opened at {calibration.opened_at:.2f} s, "
        f"the commit began at {calibration.committed_at:.2f} s)"
        + (f", a web import {web_seconds:.2f} s." if server.kills else "."),
        "",
        "| `demine import` killed | |",
        "|---|---|",
        f"| kills (SIGKILL while running) | **{imports.kills}** |",
        *(f"| … at a moment {m} | {imports.moments[m]} |" for m, _ in MOMENTS),
        *(
            f"| … … in the commit, {where}: import left {outcome} | {n} |"
            for (where, outcome), n in sorted(imports.in_commit.items())
        ),
        f"| rounds where the import had finished before its kill (checked too) "
        f"| {imports.finished_before_kill} |",
        *(f"| import left {o} | {n} |" for o, n in sorted(imports.outcomes.items())),
        f"| **torn imports** | **{imports.torn}** |",
        f"| **integrity failures** | **{imports.integrity_failures}** |",
        f"| imports that failed unkilled | {imports.failed_imports} |",
        "",
        "| `demine serve` killed during a web import and writes | |",
        "|---|---|",
        f"| kills | **{server.kills}** |",
        *(f"| … {m} | {n} |" for m, n in sorted(server.moments.items())),
        *(f"| import left {o} | {n} |" for o, n in sorted(server.outcomes.items())),
        f"| restarts that served what the database holds | "
        f"{server.restarts - sum(p.startswith('restarted') for p in server.problems)}"
        f" of {server.restarts} |",
        f"| writes acknowledged (200) | {server.acknowledged_writes} |",
        f"| **acknowledged writes lost** | **{server.lost_acknowledged_writes}** |",
        f"| server errors (5xx) seen by the writer | {server.server_errors} |",
        f"| **torn imports** | **{server.torn}** |",
        f"| **integrity failures** | **{server.integrity_failures}** |",
        "",
    ]
    problems = imports.problems + server.problems
    if problems:
        lines += ["Problems:", "", *(f"- {p}" for p in problems[:50]), ""]
    return "\n".join(lines)


HEADER = """# Kill soak

`bench/soak.py` kills `demine import` and `demine serve` with SIGKILL at random moments and
checks after each kill that the database opens with Demine, is intact (SQLite: `PRAGMA
integrity_check`, `PRAGMA foreign_key_check`; PostgreSQL: every foreign key by a query,
valid indexes, `amcheck`), that the killed import is all or nothing (its file's finds all
there or none, the finds table holding exactly the rows before or those plus the whole
file, its import batch only with them) and that the figures the database keeps equal a
recount. See the docstrings of `bench/soak.py`, `soak_checks.py` and `soak_server.py`.
`tests/test_soak.py` runs a few kills on SQLite in the test suite.
"""


def write_report(out: Path, backend: str, text: str) -> None:
    start, end = f"<!-- {backend} -->", f"<!-- /{backend} -->"
    current = out.read_text() if out.exists() else HEADER
    block = f"{start}\n{text}{end}"
    if start in current:
        head, rest = current.split(start, 1)
        current = head + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(current)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgis"], default="sqlite")
    parser.add_argument("--kills", type=int, default=100, help="imports to kill")
    parser.add_argument("--server-kills", type=int, default=10, help="servers to kill")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--finds", type=int, default=10_000, help="finds in each file")
    parser.add_argument("--work", type=Path, default=BENCH / "work" / "soak")
    parser.add_argument("--out", type=Path, default=BENCH / "SOAK.md")
    parser.add_argument("--postgis-database", default="demine_soak")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rng = random.Random(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work / args.backend
    work.mkdir(exist_ok=True)
    url = (
        f"sqlite:///{work / 'soak.db'}"
        if args.backend == "sqlite"
        else f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{args.postgis_database}"
    )
    backend = Backend(args.backend, url, work)
    base = base_file(args.work, args.finds)
    files = Files(base, args.work / f"files-{args.finds}")
    log(f"{args.backend}: preparing the register ({url})")
    token = prepare(backend, base)
    committed = [0]  # files imported whole so far: the next file to import
    imports, calibration = soak_imports(backend, files, committed, args.kills, rng)
    server, web_seconds = soak_server(backend, files, committed, args.server_kills, token, rng)
    seconds = time.perf_counter() - started

    torn = imports.torn + server.torn
    failures = imports.integrity_failures + server.integrity_failures
    log(
        f"{args.backend}: {imports.kills} import kills ({imports.finished_before_kill} "
        f"finished first), {server.kills} server kills; torn imports {torn}, integrity "
        f"failures {failures}, acknowledged writes lost {server.lost_acknowledged_writes}; "
        f"{seconds / 60:.1f} min"
    )
    text = section(
        backend, args, imports, calibration, server, web_seconds, len(files.geometry), seconds
    )
    write_report(args.out, args.backend, text)
    log(f"written to {args.out}")
    bad = torn or failures or server.lost_acknowledged_writes or imports.failed_imports
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
