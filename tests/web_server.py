"""A real ``demine serve`` process on a free loopback port, for GDAL and browser tests.

A separate process, not a thread: GDAL holds the interpreter lock while it reads over
HTTP, so a server in the same process could never answer it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(database_url: str, *extra: str) -> Iterator[str]:
    """Run ``demine --db URL serve`` on 127.0.0.1; yield its base URL; stop it afterwards."""
    with serving_process(database_url, *extra) as (base, _process):
        yield base


@contextmanager
def serving_process(
    database_url: str, *extra: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like :func:`serving`, yielding the server's process too (to watch its memory)."""
    port = free_port()
    command = [sys.executable, "-c", "from demine.cli.main import run; run()",
               "--db", database_url, "serve", "--port", str(port), *extra]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ}
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/ogc/conformance", timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(f"demine serve did not start:\n{output}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
