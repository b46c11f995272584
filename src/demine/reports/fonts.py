"""The font files every report uses: "DejaVu Sans", as matplotlib (a dependency) ships
it, with every letter of Azerbaijani and Russian."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path


@lru_cache(maxsize=1)
def _font_folder() -> Path:
    # Found without importing matplotlib: a PDF drawn without it saves its start-up.
    spec = find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def report_font_file(name: str) -> Path:
    """The file of one face, e.g. ``DejaVuSans-Bold.ttf``."""
    return _font_folder() / name
