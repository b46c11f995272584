"""``demine serve --workers N``: one socket per worker on a shared port, never shared
with another server, and listening only once its worker can answer."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from demine.errors import ConfigurationError
from demine.web import workers

pytestmark = pytest.mark.skipif(not workers.can_share_port(), reason="no SO_REUSEPORT here")


@pytest.fixture
def other_server() -> Iterator[int]:
    """The port of another server's worker: listening, sharing its port (as ours do)."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def test_a_port_another_servers_workers_share_is_refused_before_any_worker_starts(
    other_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Joining it would give each server a share of the other's requests (as the same
    # user, the kernel lets any number of sockets share a port).
    started: list[object] = []
    monkeypatch.setattr(workers.multiprocessing, "get_context", lambda _kind: started.append(_kind))
    with pytest.raises(ConfigurationError, match=r"cannot listen on 127\.0\.0\.1"):
        workers.serve_workers("127.0.0.1", other_server, 2)
    assert started == []


def test_a_worker_listens_only_once_its_application_is_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # uvicorn listens on the socket after the application's start-up (its warm-up):
    # until then the kernel sends new connections to the workers that answer.
    handed: dict[str, Any] = {}

    def run(server: Any, sockets: list[socket.socket]) -> None:
        handed["listening"] = sockets[0].getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
        handed["backlog"] = server.config.backlog
        sockets[0].close()

    monkeypatch.setattr("uvicorn.Server.run", run)
    workers.serve_worker("127.0.0.1", 0)
    assert handed == {"listening": 0, "backlog": workers.BACKLOG}
