"""Web servers started by a benchmark case: on a free loopback port, ready, measured, stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from harness import Context, peak_rss_mb


def free_port() -> int:
    """A TCP port nobody listens on at the moment (on the loopback interface)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demine_server(
    context: Context,
    case: str,
    register_url: str,
    port: int,
    ready_path: str,
    headers: Mapping[str, str],
    workers: int,
) -> Server:
    """``demine serve --workers N`` on loopback ``port`` over the register at
    ``register_url`` (the case's country), ready once ``ready_path`` answers and every
    worker listens; its log is ``<case>.demine.<backend>.log`` in the case's work folder."""
    command = [
        sys.executable, "-m", "demine", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    environment = {"DEMINE_DATABASE_URL": register_url, "DEMINE_COUNTRY": context.files[0][0]}
    return Server(
        command,
        f"http://127.0.0.1:{port}{ready_path}",
        env=environment,
        headers=headers,
        log=context.work / f"{case}.demine.{context.backend}.log",
        listeners=workers,
    )


def listening_sockets(port: int | None) -> int:
    """How many TCP sockets listen on ``port`` (any address; IPv4 and IPv6)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for row in Path(table).read_text(encoding="ascii").splitlines()[1:]:
                local, state = row.split()[1], row.split()[3]
                count += state == "0A" and int(local.rsplit(":", 1)[1], 16) == port
    return count


def _children(pid: int) -> list[int]:
    found: list[int] = []
    # A process that ended meanwhile has no children left to count.
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text(encoding="ascii")
            for child in (int(c) for c in text.split()):
                found += [child, *_children(child)]
    return found


class Server:
    """A server process (and the workers it forks) for the length of a ``with`` block.

    It runs in a process group of its own, so that stopping it stops its workers too.
    """

    def __init__(
        self,
        command: Sequence[str],
        ready_url: str,
        *,
        env: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        log: Path | None = None,
        timeout_s: float = 60.0,
        listeners: int = 1,
    ) -> None:
        self.command = list(command)
        self.ready_url = ready_url
        self.env = {**os.environ, **(env or {})}
        self.headers = dict(headers or {})
        self.log = log
        self.timeout_s = timeout_s
        #: Sockets listening on the port once every worker is ready (``demine serve
        #: --workers N``: one per worker, each listening once its application is).
        self.listeners = listeners
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        output = open(self.log, "wb") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self._wait_ready()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.timeout_s
        request = urllib.request.Request(self.ready_url, headers=self.headers)
        port = urllib.parse.urlsplit(self.ready_url).port
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.command[0]} stopped at start (exit {self.process.returncode}); "
                    f"see {self.log}"
                )
            # Not listening yet: ask again until the deadline.
            with (
                contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                urllib.request.urlopen(request, timeout=5) as answer,
            ):
                if answer.status == 200 and listening_sockets(port) >= self.listeners:
                    return
            time.sleep(0.1)
        listening = listening_sockets(port)
        self.stop()
        raise RuntimeError(
            f"{self.ready_url} did not answer within {self.timeout_s:g} s with"
            f" {self.listeners} sockets listening ({listening} were); see {self.log}"
        )

    @property
    def pids(self) -> list[int]:
        """The server process and every process it started."""
        if self.process is None:
            return []
        return [self.process.pid, *_children(self.process.pid)]

    def peak_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) summed over the server and its workers."""
        total = 0.0
        for pid in self.pids:
            with contextlib.suppress(FileNotFoundError):
                total += peak_rss_mb(pid)
        return total

    def largest_rss_mb(self) -> float:
        """Peak resident memory (VmHWM) of the largest of the server's processes."""
        largest = 0.0
        for pid in self.pids:
            with contextlib.suppress(FileNotFoundError):
                largest = max(largest, peak_rss_mb(pid))
        return largest

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1]
            except FileNotFoundError:
                continue
            values = fields.split()
            total += (int(values[11]) + int(values[12])) / ticks
        return total

    def logged_errors(self) -> list[str]:
        """Each error the server logged (uvicorn's ``ERROR:`` lines), as the exception
        its traceback ends with: ``AttributeError: id``."""
        if self.log is None or not self.log.exists():
            return []
        found: list[str] = []
        block: list[str] | None = None
        for line in [*self.log.read_text(errors="replace").splitlines(), "ERROR: (end)"]:
            if line.startswith("ERROR:"):
                if block is not None:
                    found.append(_last_said(block))
                block = [line]
            elif block is not None:
                block.append(line)
        return found

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _last_said(block: list[str]) -> str:
    """What a logged error says: the exception line closing its traceback, else the
    ``ERROR:`` line itself."""
    said = [
        line.strip()
        for line in block
        if line.strip()
        and not line[0].isspace()
        and not line.startswith(("Traceback", "The above"))
    ]
    return said[-1]


def get_json(url: str, headers: Mapping[str, str] | None = None) -> object:
    """One GET, its body decoded as JSON."""
    import json

    request = urllib.request.Request(url, headers=dict(headers or {}))
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def get_seconds(url: str, headers: Mapping[str, str] | None = None) -> float:
    """Wall-clock seconds of one GET, body read in full."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        answer.read()
    return time.perf_counter() - started
