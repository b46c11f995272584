"""Several server processes on one port, each with a listening socket of its own.

uvicorn's own ``--workers`` shares one listening socket between processes, and the
kernel hands a burst of new connections mostly to whichever process is awake: with
long-lived connections (a GIS client, a load balancer) one worker may serve nearly all
of them while the others idle. With ``SO_REUSEPORT`` every worker listens on its own
socket and the kernel spreads connections evenly across them.

A worker binds its socket at once but listens only once its application has started
(uvicorn listens after the application's start-up, :mod:`demine.web.warm_up`): the
kernel gives new connections to listening sockets only, so none waits behind a worker
still warming up while another could answer it.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
from types import FrameType

from demine.errors import ConfigurationError
from demine.i18n import _

#: Pending connections per worker socket.
BACKLOG = 2048


def can_share_port() -> bool:
    """True where the kernel balances connections over sockets (Linux, the BSDs)."""
    return hasattr(socket, "SO_REUSEPORT")


def _listener(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other workers may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise ConfigurationError(
            _("cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=exc.strerror
            )
        ) from exc
    return listener


def serve_worker(host: str, port: int) -> None:
    """One worker: the application from the environment, on its own socket."""
    import uvicorn

    listener = _listener(host, port)  # uvicorn listens once the application has started
    config = uvicorn.Config(
        "demine.web.asgi:worker_app_from_environment",
        factory=True,
        log_level="warning",
        access_log=False,
        backlog=BACKLOG,
    )
    uvicorn.Server(config).run(sockets=[listener])


def serve_workers(host: str, port: int, workers: int) -> None:
    """Start ``workers`` processes and wait for them; stop them all on a signal.

    The address is tried first, so a port another program holds is one clear error
    rather than a failure in every worker; a worker that fails is reported too.
    """
    _listener(host, port).close()
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=serve_worker, args=(host, port), name=f"demine-worker-{i + 1}")
        for i in range(workers)
    ]
    for process in processes:
        process.start()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        for process in processes:
            if process.is_alive():
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:
        stop(signal.SIGINT, None)
        for process in processes:
            process.join()
        return
    failed = [p for p in processes if p.exitcode not in (0, -signal.SIGTERM)]
    if failed:
        names = ", ".join(
            _("{name} (exit {code})").format(name=p.name, code=p.exitcode) for p in failed
        )
        raise ConfigurationError(
            _("server workers stopped: {names}; see the messages above").format(names=names)
        )
