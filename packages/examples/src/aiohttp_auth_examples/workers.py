"""Run an app as several worker processes that share one listening socket.

A Python process serves on one core; a machine with N cores runs N of
them.  The supervisor (this module, in the process the user started) binds
the address once and starts N copies of ``python -m aiohttp_auth_examples``
that inherit the bound socket (``pass_fds``) and each call aiohttp's own
``web.run_app(app, sock=...)``.  The kernel hands every new connection to
one of them, so any request, including the next one of the same browser,
can land on any worker.  That is why the secret list and, with ``--redis``,
revocations and sessions must be shared: see :mod:`.redis_backed`.

Why an inherited socket rather than each worker binding with
``SO_REUSEPORT``: the port is known (and printed) before any worker starts,
``--port 0`` works, and no socket is ever left bound without a worker
accepting on it.

The supervisor stops every worker when it is stopped (SIGINT, SIGTERM) and
when any worker dies (exit status 1), so a process manager (systemd, a
container runtime) sees one service that is either whole or down.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

__all__ = ["bind", "supervise"]

_log = logging.getLogger("aiohttp_auth_examples")


class _Stop(Exception):
    """Raised by the signal handlers to leave ``os.wait``."""


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` that child processes may inherit."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def supervise(
    worker_argv: Sequence[str], sock: socket.socket, workers: int, env: dict[str, str]
) -> int:
    """Start ``workers`` copies of ``python -m aiohttp_auth_examples <worker_argv>``; wait.

    Each gets ``--worker-fd <fd>`` for ``sock``.  Returns the exit status:
    0 after SIGINT/SIGTERM, 1 when a worker died on its own.
    """
    if workers < 1:
        raise ValueError("workers must be >= 1")
    fd = sock.fileno()
    argv = [sys.executable, "-m", "aiohttp_auth_examples", *worker_argv, "--worker-fd", str(fd)]
    children: list[subprocess.Popen[bytes]] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stop

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    result = 0
    try:
        for _ in range(workers):
            children.append(subprocess.Popen(argv, pass_fds=(fd,), env=env))  # noqa: S603
        sock.close()  # the workers hold it now
        pid, status = os.wait()  # blocks until a worker exits (or a signal arrives)
        code = os.waitstatus_to_exitcode(status)
        _log.error("worker %d exited (code %d): stopping the others", pid, code)
        result = 1
    except _Stop:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_all(children)
    return result


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
