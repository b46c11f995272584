"""Load with Debian's ``wrk``: many connections over loopback for a bounded time.

A Lua script cycles through a precomputed list of request paths (each wrk thread from a
different place in it) and prints wrk's own figures as JSON when the run is done: the
requests, their latency, every status answered (with the first few bodies of those
above 399) and wrk's socket errors by kind, so that a failed run says what failed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

WRK = "/usr/bin/wrk"
#: Bodies of failed answers kept per wrk thread, and the characters kept of each.
SAMPLES = 3
SAMPLE_CHARS = 200

_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("first", #threads * 7919)
  table.insert(threads, thread)
end
local counter = 0
-- Globals of each thread's own Lua state, read by done() through thread:get().
statuses = {}
samples = {}
function init(args)
  counter = tonumber(first) or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status > 399 and #samples < %(samples)d then
    table.insert(samples, status .. " " .. string.sub(body or "", 1, %(sample_chars)d))
  end
end
local function quoted(text)
  -- Control characters, quotes and non-ASCII bytes escaped: always valid JSON.
  return '"' .. string.gsub(text, '[%%c"\\\\\\128-\\255]', function(c)
    return string.format("\\\\u%%04x", string.byte(c))
  end) .. '"'
end
function done(summary, latency, requests)
  local counts, kept = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + count
    end
    for _, sample in ipairs(thread:get("samples") or {}) do
      table.insert(kept, quoted(sample))
    end
  end
  local listed = {}
  for status, count in pairs(counts) do
    table.insert(listed, string.format('"%%d": %%d', status, count))
  end
  local e = summary.errors
  io.write("WRK_JSON ", string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%f, "p99_us": %%f, ' ..
    '"status_errors": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, ' ..
    '"statuses": {%%s}, "samples": [%%s]}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout,
    table.concat(listed, ", "), table.concat(kept, ", ")), "\\n")
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    #: Answers by HTTP status (every status, successful ones too).
    statuses: dict[int, int] = field(default_factory=dict)
    #: wrk's socket errors by kind (connect, read, write, timeout), zeros left out.
    socket_errors: dict[str, int] = field(default_factory=dict)
    #: The start of the first few answers above 399: ``"503 {...}"``.
    samples: tuple[str, ...] = ()

    @property
    def failed_statuses(self) -> dict[int, int]:
        """Answers that wrk counts as failed (status above 399), by status."""
        return {status: n for status, n in self.statuses.items() if status > 399}

    @property
    def errors(self) -> int:
        """Requests that failed: answered above 399, or lost to a socket error."""
        return sum(self.failed_statuses.values()) + sum(self.socket_errors.values())

    def describe_errors(self) -> str:
        """What failed, in one line: ``"32 failures in 2106 requests: HTTP 500 ×16,
        socket read ×16; first answers: 500 {…}"`` (a server closes the connection
        after a 500, which wrk counts as a read error too)."""
        parts = [f"HTTP {status} ×{n}" for status, n in sorted(self.failed_statuses.items())]
        parts += [f"socket {kind} ×{n}" for kind, n in sorted(self.socket_errors.items())]
        said = f"{self.errors} failures in {self.requests} requests: {', '.join(parts)}"
        if self.samples:
            said += "; first answers: " + " | ".join(self.samples)
        return said


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string


def load_from_figures(figures: Mapping[str, object]) -> Load:
    """A :class:`Load` from the figures the script prints (its JSON)."""

    def number(name: str) -> float:
        value = figures[name]
        assert isinstance(value, int | float), (name, value)
        return float(value)

    statuses = figures.get("statuses") or {}
    samples = figures.get("samples") or []
    assert isinstance(statuses, dict) and isinstance(samples, list), figures
    socket_errors = {
        kind: int(number(kind))
        for kind in ("connect", "read", "write", "timeout")
        if number(kind) > 0
    }
    return Load(
        requests_per_s=number("requests") / (number("duration_us") / 1e6),
        p50_ms=number("p50_us") / 1000,
        p99_ms=number("p99_us") / 1000,
        requests=int(number("requests")),
        statuses={int(status): int(n) for status, n in statuses.items()},
        socket_errors=socket_errors,
        samples=tuple(_readable(str(sample)) for sample in samples[:SAMPLES]),
    )


def _readable(sample: str) -> str:
    """A sample's bytes (escaped one by one) as UTF-8 text, on one line."""
    text = sample.encode("latin-1").decode("utf-8", errors="replace")
    return " ".join(text.split())


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
    script = _SCRIPT % {
        "paths": ", ".join(_lua_string(p) for p in paths),
        "samples": SAMPLES,
        "sample_chars": SAMPLE_CHARS,
    }
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
    return load_from_figures(json.loads(line.removeprefix("WRK_JSON ")))
