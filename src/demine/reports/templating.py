"""Jinja2 templates with the translation functions installed, and HTML to PDF."""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from demine.i18n import gettext, ngettext
from demine.reports.fonts import report_font_file

_TEMPLATES = Path(__file__).parent / "templates"


def template_environment() -> Environment:
    """Templates under ``reports/templates``, autoescaped, with ``_()`` for translations."""
    return _environment(_TEMPLATES)


def template_environment_for(module_file: str) -> Environment:
    """Templates in the ``templates`` folder beside ``module_file``'s package."""
    folder = Path(module_file).resolve().parent
    while not (folder / "templates").is_dir() and folder.parent != folder:
        folder = folder.parent
    return _environment(folder / "templates")


def _environment(folder: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return environment


#: The faces of "DejaVu Sans" a report uses, as (file, weight, style).
_FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
)


def report_font_faces() -> str:
    """``@font-face`` rules binding the reports' "DejaVu Sans" to the font files that
    matplotlib (a dependency) ships: every letter of Azerbaijani (ə, ğ, ı, İ, ş, ç, ö, ü)
    and Russian is in them, so a PDF never depends on the fonts a machine happens to
    have, and WeasyPrint embeds the letters used."""
    return "\n".join(
        f'@font-face {{ font-family: "DejaVu Sans"; src: url("{report_font_file(name).as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in _FACES
    )


@contextmanager
def pdf_engine_loading() -> Iterator[None]:
    """Load WeasyPrint in a second thread while the block runs (a PDF's figures are read
    meanwhile), and wait for it before the block ends.

    Loading it takes about half a second (its C declarations are parsed at every start),
    mostly while the register's database works without Python's lock. It is waited for
    inside the block, so that nothing imported afterwards races with it; if it fails,
    :func:`html_to_pdf` imports it again and says why.
    """
    # The one module both sides import (numpy for the figures, cffi for WeasyPrint),
    # loaded first, so that the two threads never import the same module at once.
    importlib.import_module("ctypes")
    loader = threading.Thread(target=_load_pdf_engine, name="weasyprint-loader", daemon=True)
    loader.start()
    try:
        yield
    finally:
        loader.join()


def _load_pdf_engine() -> None:
    try:
        importlib.import_module("weasyprint")
    except Exception:  # said by html_to_pdf, which imports it again
        logging.getLogger(__name__).debug("WeasyPrint did not load ahead", exc_info=True)


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML page to PDF (WeasyPrint), with embedded fonts."""
    from weasyprint import CSS, HTML

    # WeasyPrint logs every SVG style it passes over; only its errors matter here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string=report_font_faces())])
    assert pdf is not None
    return bytes(pdf)
