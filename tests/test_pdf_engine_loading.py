"""The PDF engine loads in a second thread while a bulletin's figures are read, and is
waited for before the figures are drawn."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading

import pytest

from demine.reports import templating


def test_the_engine_is_loaded_and_waited_for_within_the_block() -> None:
    code = (
        "import sys, threading\n"
        "from demine.reports.templating import pdf_engine_loading\n"
        "with pdf_engine_loading():\n"
        "    pass\n"
        "assert 'weasyprint' in sys.modules, 'not loaded'\n"
        "assert not any(t.name == 'weasyprint-loader' for t in threading.enumerate())\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_engine_that_fails_to_load_is_left_to_the_pdf_to_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = importlib.import_module

    def broken(name: str) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real(name)

    monkeypatch.setattr(templating.importlib, "import_module", broken)
    with templating.pdf_engine_loading():
        pass  # no error here: html_to_pdf imports it again and says why
    assert not any(t.name == "weasyprint-loader" for t in threading.enumerate())
