"""Soak: the getting-started app under hostile and honest cookies, with wrk, on 127.0.0.1.

    python bench/soak.py                      # 60 s mix at 64 connections, ~2 minutes in all
    python bench/soak.py --seconds 20 --class-seconds 2   # a quicker look

Why: SECURITY.md promises that attacks cost no more than honest traffic,
that memory does not grow with traffic and that nothing an attacker sends
produces a 5xx or a log line above INFO.  The test suite checks this at a
small scale (tests/reliability/test_J_load.py); this is the long run.

What it does (wrk is the Debian package; bench/soak.lua is its script):

1. starts the getting-started app (``aiohttp_auth_examples.getting_started``,
   tickets valid 1 h so the valid class stays valid, access log off) in a
   subprocess pinned to CPU 0, wrk on CPU 1 when ``taskset`` exists;
2. mints five classes of cookie for its secret: anonymous (none), valid,
   expired, tampered (one MAC character changed, or the user renamed) and
   garbage (random text up to 4 KB);
3. warm-up: the mix until at least 10,000 requests, then reads the server's
   resident memory (the baseline);
4. the mix for ``--seconds`` at ``--connections`` on ``GET /view`` (200 for
   valid, 403 for the rest), then reads memory again (after 100,000+);
5. each class alone on ``GET /`` (200 for every class, so the cost compared
   is the ticket's, not the 403 path's), in interleaved rounds, reading the
   server's CPU time from /proc/<pid>/stat around each run.

Prints a table and exits 1 if any check fails: zero 5xx and socket errors,
zero unexpected statuses, every invalid class at most ``--cpu-tolerance``
above valid in CPU per request, memory growth under 10 MB, and no WARNING,
ERROR, traceback or ticket in the server's output.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CLASSES = ("anonymous", "valid", "expired", "tampered", "garbage")
TICKET_IN_TEXT = re.compile(r"v1![0-9]+![0-9]+!|[0-9a-f]{40,}")


def serve(port: int) -> None:
    """The server side (``--serve``): the example app, as its CLI builds it, 1 h tickets."""
    import logging

    from aiohttp import web

    from aiohttp_auth_examples.getting_started import create_app
    from aiohttp_auth_examples.secret import load_secret

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(load_secret(), max_age=3600)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def cookies(secret: bytes) -> list[tuple[str, str]]:
    """(class, cookie value) rows for the server's secret; '' means no Cookie header."""
    from auth_tickets import TicketSigner

    rng = random.Random(6)
    signer = TicketSigner(secret, max_age=3600)
    valid = [signer.issue(u, client_ip="127.0.0.1") for u in ("alice", "bob", "alice")]
    past = time.time() - 7200
    old = TicketSigner(secret, max_age=3600, clock=lambda: past)
    expired = [old.issue("alice", client_ip="127.0.0.1")]
    tampered = [t[:-1] + ("0" if t[-1] != "0" else "1") for t in valid[:2]]
    tampered.append(valid[0].replace("!alice!", "!alicf!"))
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!%._-"
    garbage = ["".join(rng.choice(alphabet) for _ in range(n)) for n in (1, 60, 200, 4000)]
    classes = {"valid": valid, "expired": expired, "tampered": tampered, "garbage": garbage}
    return [("anonymous", "")] + [(k, v) for k, values in classes.items() for v in values]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(cpu: str, argv: list[str]) -> list[str]:
    """Server on CPU 0, wrk on CPU 1: less noise in the per-request CPU figures."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", cpu, *argv]
    return argv


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int) -> float:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return int(next(x for x in lines if x.startswith("VmRSS:")).split()[1]) / 1024


def start_server(secret: bytes, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "AIOHTTP_AUTH_SECRET": secret.hex()}
    argv = pinned("0", [sys.executable, __file__, "--serve", str(port)])
    with log.open("wb") as out:
        server = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port  # taskset execs python: server.pid is the app's pid
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit(f"the server did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


class Soak:
    """The runs against one server, and every check that failed along the way."""

    def __init__(self, port: int, cookie_file: Path, connections: int) -> None:
        self.port = port
        self.cookie_file = cookie_file
        self.connections = connections
        self.failures: list[str] = []

    def wrk(self, mode: str, path: str, seconds: float) -> dict[str, Any]:
        script = ["-s", str(HERE / "soak.lua"), f"http://127.0.0.1:{self.port}"]
        options = ["-t2", f"-c{self.connections}", f"-d{max(1, round(seconds))}s", "--latency"]
        argv = pinned("1", ["wrk", *options, *script, "--", str(self.cookie_file), mode, path])
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
        result: dict[str, Any] = json.loads(
            next(x for x in done.stdout.splitlines() if x.startswith("SOAK "))[5:]
        )
        result["5xx"] = sum(v for k, v in result["statuses"].items() if int(k) >= 500)
        result["unexpected"] = self.unexpected(result, path)
        if result["5xx"] or result["unexpected"] or result["socket_errors"]:
            self.failures.append(
                f"{mode} {path}: {result['5xx']} 5xx, {result['unexpected']} unexpected, "
                f"{result['socket_errors']} socket errors"
            )
        return result

    def unexpected(self, result: dict[str, Any], path: str) -> int:
        """Responses no class explains (requests in flight when wrk stops: +-connections)."""
        statuses: dict[int, int] = {int(k): int(v) for k, v in result["statuses"].items()}
        if path == "/":
            return sum(v for k, v in statuses.items() if k != 200)
        sent: dict[str, int] = result["sent"]
        allowed = {
            200: sum(v for k, v in sent.items() if k == "valid"),
            403: sum(v for k, v in sent.items() if k != "valid"),
        }
        odd = sum(v for k, v in statuses.items() if k not in allowed)
        slack = self.connections
        return odd + sum(max(0, abs(statuses.get(k, 0) - n) - slack) for k, n in allowed.items())


def server_output_problems(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line.startswith(("WARNING", "ERROR", "CRITICAL"))
        or "Traceback" in line
        or TICKET_IN_TEXT.search(line)
    ]


def print_table(rows: list[tuple[str, int, float, int, int, str, str]]) -> None:
    names = ("run", "requests", "req/s", "5xx", "unexpected", "p99 ms / CPU us/req", "CPU/valid")
    widths = (14, 9, 7, 4, 10, 19, 9)
    print("| " + " | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for name, n, rate, five, odd, cost, ratio in rows:
        cells = (str(n), f"{rate:.0f}", str(five), str(odd), cost, ratio)
        right = " | ".join(c.rjust(w) for c, w in zip(cells, widths[1:], strict=True))
        print(f"| {name.ljust(widths[0])} | {right} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="the mix run (60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--class-seconds", type=float, default=4, help="each class alone (4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the class runs (2)")
    parser.add_argument("--cpu-tolerance", type=float, default=0.05, help="noise allowed (0.05)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    secret = secrets.token_bytes(32)
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    cookie_file = work / "cookies.tsv"
    cookie_file.write_text("".join(f"{k}\t{v}\n" for k, v in cookies(secret)))
    server, port = start_server(secret, work / "server.log")
    soak = Soak(port, cookie_file, args.connections)
    rows = []
    try:
        total = 0
        for _ in range(10):  # warm-up: at least 10,000 requests, at most 10 short runs
            total += soak.wrk("mix", "/view", 3)["requests"]
            if total >= 10_000:
                break
        warm, rss_base = total, rss_mb(server.pid)
        mix = soak.wrk("mix", "/view", args.seconds)
        total += mix["requests"]
        rss_end = rss_mb(server.pid)
        rate = mix["requests"] / args.seconds
        p99 = f"{mix['p99_ms']:.1f}"
        rows.append(("mix /view", mix["requests"], rate, mix["5xx"], mix["unexpected"], p99, "-"))
        cpu, count = dict.fromkeys(CLASSES, 0.0), dict.fromkeys(CLASSES, 0)
        for _ in range(args.rounds):  # interleaved, so drift on the machine hits every class
            for kind in CLASSES:
                before = cpu_seconds(server.pid)
                result = soak.wrk(kind, "/", args.class_seconds)
                cpu[kind] += cpu_seconds(server.pid) - before
                count[kind] += result["requests"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    per_request = {k: cpu[k] / max(count[k], 1) for k in CLASSES}
    for kind in CLASSES:
        ratio = per_request[kind] / per_request["valid"]
        rate = count[kind] / (args.class_seconds * args.rounds)
        cost = f"{per_request[kind] * 1e6:.0f}"
        rows.append((f"{kind} /", count[kind], rate, 0, 0, cost, f"{ratio:.2f}"))
        if ratio > 1 + args.cpu_tolerance:
            soak.failures.append(f"{kind}: {ratio:.2f}x the CPU per request of a valid ticket")
    growth = rss_end - rss_base
    if total < 100_000:
        soak.failures.append(f"only {total:,} requests before the memory reading (100,000 wanted)")
    if growth > 10:
        soak.failures.append(f"resident memory grew {growth:.1f} MB")
    output = (work / "server.log").read_text(errors="replace")
    problems = server_output_problems(output)
    if problems:
        soak.failures.append(f"server output: {problems[:3]}")

    print(f"\nsoak: getting-started app, {args.connections} connections, mix {args.seconds:.0f} s,"
          f" each class {args.rounds} x {args.class_seconds:.0f} s\n")  # fmt: skip
    print_table(rows)
    print(f"\nresident memory: {rss_base:.1f} MB after {warm:,} requests (warm-up), "
          f"{rss_end:.1f} MB after {total:,}: {growth:+.1f} MB (limit 10 MB)")  # fmt: skip
    lines = len(output.splitlines())
    print(f"server output: {lines} lines, {len(problems)} above INFO or with a ticket")
    for failure in soak.failures:
        print(f"FAIL: {failure}")
    print("PASS" if not soak.failures else f"{len(soak.failures)} check(s) failed")
    return 1 if soak.failures else 0


if __name__ == "__main__":
    sys.exit(main())
