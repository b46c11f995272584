"""``demine serve --workers``: a worker listens only once its application has started."""

from __future__ import annotations

import socket
from typing import Any

import pytest
import uvicorn

from demine.web import workers


@pytest.mark.skipif(not workers.can_share_port(), reason="no SO_REUSEPORT here")
def test_a_worker_listens_only_once_its_application_has_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        (listener,) = sockets
        # Bound to the port, but given no connection until uvicorn listens on it (after
        # the application's start-up, which makes the dashboard's first answers).
        seen["listening"] = listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        seen["port"] = listener.getsockname()[1]
        seen["backlog"] = server.config.backlog
        listener.close()

    monkeypatch.setattr(uvicorn.Server, "run", run)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workers.serve_worker("127.0.0.1", port)
    assert seen == {"listening": 0, "port": port, "backlog": workers.BACKLOG}
