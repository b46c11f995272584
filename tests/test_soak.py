"""The kill soak still runs: ``bench/soak.py`` with three kills of ``demine import`` on
SQLite (the long runs, on both databases and with the server, are in ``bench/SOAK.md``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_three_killed_imports_leave_the_database_whole(tmp_path: Path) -> None:
    out = tmp_path / "SOAK.md"
    command = [
        sys.executable, str(REPO / "bench" / "soak.py"), "--backend", "sqlite",
        "--kills", "3", "--server-kills", "0", "--seed", "3", "--finds", "1000",
        "--work", str(tmp_path / "work"), "--out", str(out),
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "sqlite: 3 import kills" in completed.stdout
    assert "torn imports 0, integrity failures 0" in completed.stdout
    report = out.read_text()
    assert "| kills (SIGKILL while running) | **3** |" in report
    assert "| **torn imports** | **0** |" in report
    assert "| **integrity failures** | **0** |" in report
