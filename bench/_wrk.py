"""What the wrk-driven HTTP benchmarks share: a server record, /proc readings, one wrk run.

bench/http_bench.py (ours against the peers) and bench/bench_redis.py (the
Redis-backed paths against the plain cookie path) measure the same way: the
server is pinned to CPU 0 and wrk to CPU 1 (``taskset``), the server's own
CPU time is read from /proc before and after each run, and requests/s, CPU
per request, resident memory and errors are collected per run.  Keeping
that in one place keeps the two tables comparable.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CLK_TCK", "PAGE", "Server", "cpu_seconds", "free_port", "rss_bytes", "run_wrk"]

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Server:
    kind: str
    port: int
    process: subprocess.Popen[bytes]
    headers: list[str] = field(default_factory=list)
    rps: list[float] = field(default_factory=list)
    cpu_us: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    errors: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def run_wrk(server: Server, seconds: int, connections: int) -> None:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    for header in server.headers:
        argv += ["-H", header]
    argv.append(f"http://127.0.0.1:{server.port}/view")
    if shutil.which("taskset"):
        argv = ["taskset", "-c", "1", *argv]
    before = cpu_seconds(server.process.pid)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    used = cpu_seconds(server.process.pid) - before
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    server.rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))  # type: ignore[union-attr]
    server.cpu_us.append(used / max(total, 1) * 1e6)
    server.rss.append(rss_bytes(server.process.pid))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    server.errors += int(bad.group(1)) if bad else 0
    server.errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
