"""HTTP benchmark: the getting-started request path, ours against the peers.

    python bench/http_bench.py [--rounds 3] [--seconds 5] [--connections 32]

Starts every kind of bench/http_servers.py on 127.0.0.1, logs in once per
kind to get a credential, then drives ``GET /view`` with ``wrk`` (Debian
package ``wrk``), round-robin over the kinds for several rounds so that
noise from the shared machine falls on all of them alike.  The server is
pinned to CPU 0 and wrk to CPU 1 (``taskset``), and the server's own CPU
time is read from /proc before and after each run.

Reported per kind, as medians over the rounds: requests/s and its ratio to
bare aiohttp, server CPU microseconds per request and its ratio to bare,
and the server's resident memory after all rounds against after the first
(a growth check over every request the run made).  The original
aiohttp_auth_autz runs from .hatch/original (``hatch env create dev`` puts
it there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _results import save
from _wrk import Server, free_port, run_wrk

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ORIGINAL = Path(os.environ.get("AIOHTTP_AUTH_ORIGINAL_PATH", REPO / ".hatch" / "original"))
KINDS = ["bare", "floor", "ours", "original", "security-session", "security-jwt"]


def start(kind: str) -> Server:
    port = free_port()
    env = dict(os.environ)
    if kind == "original":
        if not (ORIGINAL / "aiohttp_auth").is_dir():
            raise SystemExit(
                f"the original library is not in {ORIGINAL}: run `hatch env create dev`"
            )
        env["PYTHONPATH"] = str(ORIGINAL)
        env["PYTHONWARNINGS"] = "ignore"  # its old-style middlewares warn at every start
    argv = [sys.executable, str(HERE / "http_servers.py"), kind, str(port)]
    if shutil.which("taskset"):
        argv = ["taskset", "-c", "0", *argv]
    process = subprocess.Popen(argv, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{kind} exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise SystemExit(f"{kind} did not start")
    return Server(kind, port, process)


def log_in(server: Server) -> None:
    url = f"http://127.0.0.1:{server.port}/login?username=bob&password=bob_password"
    with urllib.request.urlopen(url) as resp:
        body = resp.read().decode()
        cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []]
    if server.kind == "security-jwt":
        server.headers = [f"Authorization: Bearer {body}"]
    elif cookies:
        server.headers = ["Cookie: " + "; ".join(cookies)]
    check = urllib.request.Request(f"http://127.0.0.1:{server.port}/view")
    for header in server.headers:
        name, value = header.split(": ", 1)
        check.add_header(name, value)
    with urllib.request.urlopen(check) as resp:
        assert resp.read() == b"View Page", server.kind


def report(servers: list[Server]) -> str:
    bare = servers[0]
    base_rps, base_cpu = statistics.median(bare.rps), statistics.median(bare.cpu_us)
    lines = [
        "| server | req/s | vs bare | CPU µs/req | vs bare | RSS growth | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in servers:
        rps, cpu = statistics.median(s.rps), statistics.median(s.cpu_us)
        growth = (s.rss[-1] - s.rss[0]) / 2**20
        lines.append(
            f"| {s.kind} | {rps:,.0f} | {rps / base_rps:.2f} | {cpu:.0f} | {cpu / base_cpu:.2f} "
            f"| {growth:+.1f} MiB | {s.errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--chart", metavar="DIR", type=Path, help="also draw http.png here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    kinds = args.kinds.split(",")
    assert kinds[0] == "bare", "bare must come first: it is the reference"
    servers: list[Server] = []
    try:
        for kind in kinds:
            servers.append(start(kind))
        for server in servers:
            log_in(server)
            run_wrk(server, 1, args.connections)  # warm-up, not reported
            server.rps.clear(), server.cpu_us.clear(), server.rss.clear()
        for round_no in range(args.rounds):
            order = servers[round_no % len(servers) :] + servers[: round_no % len(servers)]
            for server in order:
                run_wrk(server, args.seconds, args.connections)
        table = report(servers)
        print(
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, "
            f"{args.rounds} rounds x {args.seconds}s, {args.connections} connections"
        )
        print(table)
        data = {s.kind: vars(s) | {"process": None} for s in servers}
        save(data, "http", args.json, args.chart, indent=None)
    finally:
        for server in servers:
            server.process.terminate()
            server.process.wait(timeout=10)


if __name__ == "__main__":
    main()
