"""Load with Debian's ``wrk``: many connections over loopback for a bounded time.

A Lua script cycles through a precomputed list of request paths (each wrk thread from a
different place in it) and prints wrk's own figures as JSON when the run is done.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"

_SCRIPT = """
local paths = {%(paths)s}
local threads = 0
function setup(thread)
  thread:set("first", threads * 7919)
  threads = threads + 1
end
local counter = 0
function init(args)
  counter = tonumber(first) or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write("WRK_JSON ", string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%f, "p99_us": %%f, ' ..
    '"status_errors": %%d, "socket_errors": %%d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout), "\\n")
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string


def run_wrk(
    base_url: str,
    paths: Sequence[str],
    *,
    seconds: float,
    connections: int = 16,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
) -> Load:
    """Send GETs of ``paths`` (cycled) to ``base_url`` for ``seconds``; wrk's figures."""
    if shutil.which(WRK) is None:
        raise RuntimeError("wrk is missing: apt-get install -y wrk")
    script = _SCRIPT % {"paths": ", ".join(_lua_string(p) for p in paths)}
    with tempfile.TemporaryDirectory() as folder:
        lua = Path(folder) / "paths.lua"
        lua.write_text(script, encoding="utf-8")
        command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                   "-s", str(lua)]  # fmt: skip
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        command.append(base_url)
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures: {done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    errors = int(figures["status_errors"]) + int(figures["socket_errors"])
    return Load(
        requests_per_s=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        requests=int(figures["requests"]),
        errors=errors,
    )
