"""PDFs made by WeasyPrint loaded ahead in a second process: the same PDF, the second
process gone when the block ends, and the PDF made here when that process fails."""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection

import pytest

from demine.reports import pdf_ahead
from demine.reports.pdf_ahead import pdf_maker

PAGE = "<html><body><h1>Weekly operations report</h1><p>Ağdam, Шуша: 1,039.5</p></body></html>"


def _is_pdf(pdf: bytes) -> bool:
    return pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")


def test_the_pdf_made_ahead_is_a_pdf_and_the_second_process_ends() -> None:
    with pdf_maker(ahead=True) as make:
        pdf = make(PAGE)
    assert _is_pdf(pdf)
    assert multiprocessing.active_children() == []


def test_a_maker_not_used_stops_its_second_process() -> None:
    with pdf_maker(ahead=True):
        pass
    assert multiprocessing.active_children() == []


def test_a_failing_second_process_leaves_the_pdf_to_this_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(connection: Connection) -> None:
        connection.recv()
        connection.send((False, "WeasyPrint could not load"))

    # The fork copies this module as patched: the second process fails.
    monkeypatch.setattr(pdf_ahead, "_serve", failing)
    with pdf_maker(ahead=True) as make:
        assert _is_pdf(make(PAGE))
    assert multiprocessing.active_children() == []


def test_without_ahead_the_pdf_is_made_here() -> None:
    from demine.reports.templating import html_to_pdf

    with pdf_maker(ahead=False) as make:
        assert make is html_to_pdf
