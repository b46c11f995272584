"""PDF reports carry their own fonts: every Azerbaijani and Russian letter comes out as
text, in a font embedded in the file (read back with poppler's pdffonts and pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from demine.reports.templating import html_to_pdf

LETTERS = "Xankəndi Ağdam Şuşa İsmayıllı Göygöl Çiçək Ünvan — Ханкенди Ёлка противотанковых"

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils absent")


def test_azerbaijani_and_russian_letters_are_embedded_text(tmp_path: Path) -> None:
    html = (
        "<html><body style=\"font-family: 'DejaVu Sans'\">"
        f"<p>{LETTERS}</p><p><b>{LETTERS}</b></p><p><i>{LETTERS}</i></p></body></html>"
    )
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(html_to_pdf(html))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    assert sorted(row[0].split("+")[-1] for row in rows) == [
        "DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique",
    ]  # fmt: skip
    # Columns: name, type (two words), encoding, emb, sub, uni, object, generation.
    assert all(row[-5] == "yes" for row in rows), fonts.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.split() == LETTERS.split() * 3
