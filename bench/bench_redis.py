"""HTTP benchmark: what keeping state in Redis costs, against the plain cookie-ticket path.

    python bench/bench_redis.py [--rounds 3] [--seconds 5] [--connections 32]

One run on 127.0.0.1, one private redis-server (``aiohttp_auth.testing.
redis_server``), one server process per kind, each serving the
getting-started app's ``GET /view`` for a logged-in ``bob``:

``cookie``            the ticket in its own cookie, nothing server-side: the reference.
``cookie+revocation`` the same with ``RedisRevocationStore`` (``--redis``): one MGET per request.
``session-memory``    the ticket in an aiohttp-session session kept in the process (1 worker).
``session-redis``     the session in Redis (``SharedRedisStorage``), no revocation: one GET.
``session-redis+revocation``  what ``--app session --redis`` runs: one GET and one MGET.

The drive is bench/http_bench.py's (bench/_wrk.py): wrk on CPU 1, the
server pinned to CPU 0 with its CPU time read from /proc, kinds taken in
turn for several rounds so that noise from the shared machine falls on all
of them.  Redis runs beside wrk; its own CPU per request and the commands
it received per request (``INFO commandstats``) are reported too.  Reported
as medians over the rounds, with ratios to ``cookie``.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import redis
from _wrk import Server, cpu_seconds, free_port, run_wrk

from aiohttp_auth.testing import redis_server

HERE = Path(__file__).resolve()
KINDS = [
    "cookie",
    "cookie+revocation",
    "session-memory",
    "session-redis",
    "session-redis+revocation",
]
SECRET = b"0123456789abcdef0123456789abcdef-bench-only"
MAX_AGE = 3600  # longer than any run: no ticket expires while wrk drives it


def build_app(kind: str, redis_url: str) -> object:
    """The app of ``kind`` (runs in the server process)."""
    from aiohttp_session import session_middleware

    from aiohttp_auth import auth
    from aiohttp_auth_examples import getting_started, redis_backed, session_app
    from aiohttp_auth_examples.redis_session_storage import SharedRedisStorage

    if kind == "cookie":
        return getting_started.create_app(SECRET, max_age=MAX_AGE)
    if kind == "cookie+revocation":
        return redis_backed.create_app("getting-started", SECRET, redis_url, max_age=MAX_AGE)
    if kind == "session-memory":
        return session_app.create_app(SECRET, max_age=MAX_AGE)
    if kind == "session-redis":
        storage = SharedRedisStorage(redis_backed.connect(redis_url), ttl=MAX_AGE)
        policy = auth.SessionTktAuthentication(SECRET, MAX_AGE, include_ip=True)
        return getting_started.create_app(
            SECRET, auth_policy=policy, extra_middlewares=[session_middleware(storage)]
        )
    return redis_backed.create_app("session", SECRET, redis_url, max_age=MAX_AGE)


def serve(kind: str, port: int, redis_url: str) -> None:
    import warnings

    from aiohttp import web

    warnings.simplefilter("ignore")  # aiohttp-session's string request key warns per request
    web.run_app(
        build_app(kind, redis_url), host="127.0.0.1", port=port, access_log=None, print=None
    )  # type: ignore[arg-type]


def start(kind: str, redis_url: str) -> Server:
    port = free_port()
    argv = [sys.executable, str(HERE), "--serve", kind, str(port), redis_url]
    if shutil.which("taskset"):
        argv = ["taskset", "-c", "0", *argv]
    process = subprocess.Popen(argv)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{kind} exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return Server(kind, port, process)
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{kind} did not start")


def log_in(server: Server) -> None:
    url = f"http://127.0.0.1:{server.port}/login?username=bob&password=bob_password"
    with urllib.request.urlopen(url) as resp:
        cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("Set-Cookie") or []]
    server.headers = ["Cookie: " + "; ".join(cookies)]
    check = urllib.request.Request(f"http://127.0.0.1:{server.port}/view")
    check.add_header("Cookie", server.headers[0].split(": ", 1)[1])
    with urllib.request.urlopen(check) as resp:
        assert resp.read() == b"View Page", server.kind


def commands(client: redis.Redis) -> int:
    stats = client.info("commandstats")
    return sum(
        int(value["calls"])
        for name, value in stats.items()
        if not name.startswith(("cmdstat_config", "cmdstat_info"))
    )


def measure(
    server: Server, client: redis.Redis, redis_pid: int, args: argparse.Namespace
) -> dict[str, float]:
    client.config_resetstat()
    redis_before = cpu_seconds(redis_pid)
    requests_before = len(server.rps)
    run_wrk(server, args.seconds, args.connections)
    assert len(server.rps) == requests_before + 1
    total = server.rps[-1] * args.seconds  # wrk's req/s is its request count / duration
    return {
        "redis_cpu_us": (cpu_seconds(redis_pid) - redis_before) / max(total, 1) * 1e6,
        "commands": commands(client) / max(total, 1),
    }


def report(servers: list[Server], extra: dict[str, list[dict[str, float]]]) -> str:
    ref = servers[0]
    base_rps, base_cpu = statistics.median(ref.rps), statistics.median(ref.cpu_us)
    lines = [
        "| kind | req/s | vs cookie | server CPU µs/req | vs cookie "
        "| Redis CPU µs/req | Redis commands/req | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in servers:
        rps, cpu = statistics.median(s.rps), statistics.median(s.cpu_us)
        redis_cpu = statistics.median(e["redis_cpu_us"] for e in extra[s.kind])
        cmds = statistics.median(e["commands"] for e in extra[s.kind])
        lines.append(
            f"| {s.kind} | {rps:,.0f} | {rps / base_rps:.2f} | {cpu:.0f} | {cpu / base_cpu:.2f} "
            f"| {redis_cpu:.0f} | {cmds:.2f} | {s.errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument(
        "--serve", nargs=3, metavar=("KIND", "PORT", "REDIS_URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.serve:
        kind, port, url = args.serve
        serve(kind, int(port), url)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    kinds = args.kinds.split(",")
    assert kinds[0] == "cookie", "cookie must come first: it is the reference"
    servers: list[Server] = []
    with redis_server() as redis_srv:
        client = redis.Redis(port=redis_srv.port)
        redis_pid = int(client.info("server")["process_id"])
        if shutil.which("taskset"):  # beside wrk, off the measured server's CPU
            subprocess.run(
                ["taskset", "-p", "-c", "1", str(redis_pid)], check=True, capture_output=True
            )
        extra: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
        try:
            for kind in kinds:
                servers.append(start(kind, redis_srv.url))
            for server in servers:
                log_in(server)
                run_wrk(server, 1, args.connections)  # warm-up, not reported
                server.rps.clear(), server.cpu_us.clear(), server.rss.clear()
            for round_no in range(args.rounds):
                order = servers[round_no % len(servers) :] + servers[: round_no % len(servers)]
                for server in order:
                    extra[server.kind].append(measure(server, client, redis_pid, args))
            print(
                f"Python {sys.version.split()[0]}, {args.rounds} rounds x {args.seconds}s, "
                f"{args.connections} connections, Redis {client.info('server')['redis_version']}"
            )
            print(report(servers, extra))
        finally:
            client.close()
            for server in servers:
                server.process.terminate()
                server.process.wait(timeout=10)


if __name__ == "__main__":
    main()
