"""The benchmarks still run: ``bench/run.py`` on the tiny scale (a smoke test, no timing).

The figures are not checked (the tiny scale measures nothing worth comparing); what is
checked is that every case runs on every database, Demine's side of each gives its
figures, and the results file and table are written. A reference tool that needs a
set-up of its own (pygeoapi) may be recorded as not measured.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tests.conftest import REPO, postgis_reason

pytestmark = pytest.mark.slow
#: References that need more than the test dependencies (``bench/peers/``).
OPTIONAL_REFERENCES = {"ogc_items"}


def test_bench_runs_every_case_on_the_tiny_scale(tmp_path: Path) -> None:
    backends = ["sqlite"]
    reason = postgis_reason()
    if reason is None:
        backends.append("postgis")
    elif os.environ.get("CI") == "true":
        pytest.fail(f"PostGIS is mandatory in CI: {reason}")
    command = [
        sys.executable, str(REPO / "bench" / "run.py"), "--scale", "tiny", "--repeats", "1",
        "--out", str(tmp_path), "--data", str(tmp_path / "data"), "--work", str(tmp_path / "work"),
    ]  # fmt: skip
    for backend in backends:
        command += ["--backend", backend]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]

    report = json.loads((tmp_path / "results.json").read_text())
    assert report["scale"] == "tiny"
    assert report["machine"]["cores"] >= 1
    cases = {case["name"]: case for case in report["cases"]}
    assert set(cases) == {
        "import_finds",
        "weekly_bulletin",
        "weekly_report",
        "all_time_stats",
        "records_verification",
        "ogc_items",
        "map_layer",
        "dashboard_first_load",
    }
    for name, case in cases.items():
        assert {b["backend"] for b in case["backends"]} == set(backends), name
        for backend in case["backends"]:
            demine = backend["sides"]["demine"]
            assert "error" not in demine, (name, backend["backend"], demine)
            assert demine["peak_rss_mb"] > 0
            reference = backend["sides"]["reference"]
            if name not in OPTIONAL_REFERENCES:
                assert "error" not in reference, (name, backend["backend"], reference)
            for row in backend["comparisons"]:
                assert row["demine"] is not None, (name, row)
                assert row["target"].startswith(("≤", "≥")), row
    table = (tmp_path / "RESULTS.md").read_text()
    assert table.startswith("# Benchmark results — tiny scale")
    assert "| Import device finds (GeoPackage, full validation) | sqlite | rows_per_s |" in table


class _Answers(http.server.BaseHTTPRequestHandler):
    """Every third path answered 503 (a body in JSON), the others 200."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        failing = int(self.path.rsplit("/", 1)[1]) % 3 == 0
        status, body = (503, '{"code": "store"}\n') if failing else (200, "ok")
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Nothing written per request: the test reads what the load counted."""


def test_the_load_generator_says_which_statuses_failed_and_how(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = importlib.util.spec_from_file_location("bench_wrk", REPO / "bench" / "peers" / "wrk.py")
    assert spec is not None and spec.loader is not None
    wrk = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, wrk)  # its dataclasses look it up there
    spec.loader.exec_module(wrk)
    if shutil.which(wrk.WRK) is None:
        pytest.skip("wrk is not installed")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        load = wrk.run_wrk(base, [f"/p/{i}" for i in range(9)], seconds=1, connections=3)
    finally:
        server.shutdown()
    assert set(load.statuses) == {200, 503} and load.socket_errors == {}
    assert load.errors == load.statuses[503] > 0
    assert load.samples and all(s == '503 {"code": "store"}' for s in load.samples)
    said = load.describe_errors()
    assert said.startswith(f"{load.errors} failures in {load.requests} requests: HTTP 503 ×")
    assert "\n" not in said
