"""Scratch PostgreSQL clusters for the scale benchmarks: a primary and its streaming replica.

Each cluster lives in a folder of its own on a port of its own, started with ``pg_ctl``
and stopped (and removed) when the benchmark ends; the server already running on the
machine is never touched. PostgreSQL refuses to run as root: as root, every server
command runs as the ``postgres`` account (``runuser``), which then owns the folders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

#: Where Debian puts the server's programs (``pg_config --bindir`` elsewhere).
BINARIES = Path("/usr/lib/postgresql/15/bin")
#: Settings of both clusters: small, and replication on (streaming, asynchronous).
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "60",
    "shared_buffers": "'256MB'",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "max_wal_size": "'2GB'",
    "logging_collector": "off",
}


def _binary(name: str) -> str:
    local = BINARIES / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is missing: install PostgreSQL's server programs")
    return found


def _as_server(command: list[str]) -> list[str]:
    """``command`` as the account that may run the server (postgres when we are root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], **options: object) -> None:
    subprocess.run(_as_server(command), check=True, capture_output=True, **options)  # type: ignore[call-overload]


class Cluster:
    """A PostgreSQL cluster in ``folder`` on ``port``."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.data = folder / "data"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of its ``demine`` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/demine"

    @property
    def libpq(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/demine"

    def _prepare_folder(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            probe = subprocess.run(_as_server(["test", "-w", str(self.folder)]), check=False)
            if probe.returncode != 0:
                raise RuntimeError(
                    f"the postgres account cannot reach {self.folder}: choose a --work "
                    "folder it can (the system's temporary folder, the default)"
                )

    def _configure(self) -> None:
        lines = [f"{name} = {value}" for name, value in SETTINGS.items()]
        lines += [f"port = {self.port}", f"unix_socket_directories = '{self.folder}'"]
        conf = self.data / "postgresql.auto.conf"
        _run(["sh", "-c", f"cat >> '{conf}'"], input="\n".join(lines) + "\n", text=True)

    def init_primary(self) -> None:
        """A new empty cluster (trust on loopback, replication connections included)."""
        self._prepare_folder()
        _run([_binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
              "--no-sync"])  # fmt: skip
        self._configure()

    def init_replica_of(self, primary: Cluster) -> None:
        """A hot standby of ``primary``: a base backup, then streaming (``-R``)."""
        self._prepare_folder()
        _run([_binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
              "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream",
              "-c", "fast", "--no-sync"])  # fmt: skip
        self._configure()

    def start(self) -> None:
        _run([_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
              "-w", "-t", "120", "start"])  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            _run([_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql: str, database: str = "demine") -> str:
        """One statement's result, unaligned (as psql -At prints it)."""
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-Atqc", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout.strip()


def wait_until(condition: object, timeout_s: float, step_s: float = 0.005) -> float:
    """Seconds until ``condition()`` holds (polled every ``step_s``); fails past ``timeout_s``."""
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError(f"not within {timeout_s} s")
        time.sleep(step_s)
    return time.perf_counter() - started
