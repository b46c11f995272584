"""HTML to PDF with WeasyPrint made ready ahead, in a second process, while the document
is still being computed: loading and warming it up takes half a second of a weekly
bulletin's PDF, which a second CPU spends while the first reads the register and
draws the charts.

Only where a fork is cheap and safe (Linux, a process of one thread, as a command is)
and the process may use two CPUs; anywhere else, and whenever the second process
fails, the PDF is made in this process, as :func:`~demine.reports.templating.html_to_pdf`
makes it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

logger = logging.getLogger(__name__)

#: Turns a self-contained HTML page into PDF bytes.
PdfMaker = Callable[[str], bytes]
#: How long the second process may take to stop once it is not needed, and the longest
#: a PDF is waited for before it is made here instead (seconds).
_STOP_SECONDS = 5.0
_ANSWER_SECONDS = 600.0


@contextmanager
def pdf_maker(*, ahead: bool) -> Iterator[PdfMaker]:
    """A PDF maker, loaded ahead in a second process when ``ahead`` and the machine
    allows it (the process stops when the block ends, used or not)."""
    from demine.reports.templating import html_to_pdf

    started = _start() if ahead and _can_fork_ahead() else None
    if started is None:
        yield html_to_pdf
        return
    process, connection = started
    used = False

    def make(html: str) -> bytes:
        nonlocal used
        used = True
        try:
            connection.send(html)
            if connection.poll(_ANSWER_SECONDS):
                made, payload = connection.recv()
            else:
                made, payload = False, "the second process did not answer"
        except (EOFError, OSError):
            made, payload = False, "the second process ended"
        if made:
            assert isinstance(payload, bytes)
            return payload
        # Made here instead: the error, if it is the document's, is raised here.
        logger.info("PDF made in this process: %s", payload)
        return html_to_pdf(html)

    try:
        yield make
    finally:
        if not used:
            with suppress(OSError):
                connection.send(None)
        connection.close()
        process.join(_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


def _can_fork_ahead() -> bool:
    import threading

    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        # A fork copies only the thread that forks: locks held by others stay held.
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _start() -> tuple[BaseProcess, Connection] | None:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True, name="pdf-ahead")
    try:
        process.start()
    except OSError as error:
        logger.info("PDF made in this process (no second one: %s)", error)
        return None
    theirs.close()
    return process, ours


def _serve(connection: Connection) -> None:
    """The second process: warm up, then make the one PDF asked for (None: none)."""
    import traceback

    from demine.reports.templating import html_to_pdf

    try:
        html_to_pdf(_WARM_UP)
        html = connection.recv()
        if html is not None:
            connection.send((True, html_to_pdf(html)))
    except EOFError:
        pass
    except BaseException:
        connection.send((False, traceback.format_exc()))


#: A page that makes WeasyPrint load its libraries, the reports' fonts and everything
#: it parses at first use (text in HTML and in SVG, a picture, bold type).
_WARM_UP = (
    "<html><body><p>0 <b>0</b></p><img src='data:image/svg+xml;utf8,"
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
    '<rect width="5" height="5" fill="red" opacity="0.5"/><polyline points="0,0 5,5" '
    'stroke="blue"/><text x="1" y="8" font-family="DejaVu Sans" font-size="8">0</text>'
    '<image width="2" height="2" href="data:image/png;base64,'
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    "\"/></svg>'></body></html>"
)
