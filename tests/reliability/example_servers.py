"""Example apps as subprocesses, the way users start them: ``python -m aiohttp_auth_examples``.

Loaded by ``conftest.py`` from its path (test modules and conftests cannot
import each other under ``--import-mode=importlib``).  Output goes to a file,
never a pipe: a server's access log can then never fill a pipe and block the
server mid-test, and the whole output can be checked after it stopped.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

#: What a ticket or its MAC looks like in text: neither may ever reach a log line.
TICKET_IN_TEXT = re.compile(r"v1![0-9]+![0-9]+!|[0-9a-f]{40,}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ExampleProcess:
    """``python -m aiohttp_auth_examples`` running on ``port``; its output goes to ``log``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_example(app: str, log: Path, secret: bytes) -> ExampleProcess:
    """Start one example app on a free port; return once it accepts connections."""
    port = free_port()
    env = {**os.environ, "AIOHTTP_AUTH_SECRET": secret.hex()}
    argv = [sys.executable, "-m", "aiohttp_auth_examples", "--app", app, "--port", str(port)]
    with log.open("wb") as out:  # a file, not a pipe: access logs can never fill it and block
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{app} exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return ExampleProcess(proc, port, log)
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"{app} did not listen within 20 s")


def stop_example(server: ExampleProcess) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - only a stuck server
        server.process.kill()
        server.process.wait()


def assert_clean_output(text: str) -> None:
    """A subprocess server's output: no WARNING/ERROR/traceback and no ticket."""
    for line in text.splitlines():
        assert not line.startswith(("WARNING", "ERROR", "CRITICAL")), line
        assert "Traceback" not in line, text[-3000:]
        assert not TICKET_IN_TEXT.search(line), f"a ticket was logged: {line[:200]}"
