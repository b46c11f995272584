"""pygeoapi 0.21 (Flask under gunicorn, OGR provider): the OGC API peer.

Installed by ``bench/peers/setup_pygeoapi.sh`` into ``bench/.peers/pygeoapi`` (a venv on
Debian's Python, for GDAL's bindings). Two sync gunicorn workers: one per core.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from string import Template

from harness import BENCH_DIR

VENV = BENCH_DIR / ".peers" / "pygeoapi"
SETUP = "bench/peers/setup_pygeoapi.sh"
TEMPLATE = Path(__file__).with_name("pygeoapi.config.yml")
WORKERS = 2


class PeerMissing(RuntimeError):
    """The peer is not installed; the message says how to install it."""


def check_installed() -> None:
    for program in ("python", "gunicorn", "pygeoapi"):
        if not (VENV / "bin" / program).exists():
            raise PeerMissing(f"pygeoapi is not set up: run {SETUP} (missing {VENV}/bin/{program})")
    probe = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", "import pygeoapi; from osgeo import ogr"],
        capture_output=True, text=True,
    )  # fmt: skip
    if probe.returncode != 0:
        raise PeerMissing(f"pygeoapi is not set up: run {SETUP} ({probe.stderr.strip()})")


def configure(folder: Path, source: Path, layer: str, port: int) -> dict[str, str]:
    """Write the configuration and OpenAPI document; the environment gunicorn needs."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "pygeoapi.config.yml"
    openapi = folder / "pygeoapi.openapi.yml"
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        port=port, source=str(source.resolve()), layer=layer
    )
    config.write_text(text, encoding="utf-8")
    environment = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run(
        [str(VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config),
         "--output-file", str(openapi)],
        check=True, capture_output=True, env={"PATH": str(VENV / "bin"), **environment},
    )  # fmt: skip
    return environment


def command(port: int) -> list[str]:
    return [
        str(VENV / "bin" / "gunicorn"),
        "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        "pygeoapi.flask_app:APP",
    ]  # fmt: skip
