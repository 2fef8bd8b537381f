"""SECURITY J4-J6, small scale, in CI: the example app under a mix of good and hostile cookies.

``bench/soak.py`` is the long version (wrk, 60 s, 64 connections, 100,000+
requests).  This one needs nothing beyond Python and stays well under a
minute: a load generator on aiohttp's client with 32 connections drives
``python -m aiohttp_auth_examples`` (a subprocess, so its CPU and resident
memory can be read from ``/proc``) with five classes of request: anonymous,
valid, expired, tampered and garbage cookies.  Asserted, per class: no 5xx,
every status the one that class must get; invalid tickets cost the server no
more CPU per request than valid ones (no amplification); resident memory
does not grow with traffic; and the server's output stays clean.  A second
test does the same in-process under ``tracemalloc`` with a fresh user per
request, which is what would expose an unbounded per-user cache.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import random
import time
import tracemalloc

import aiohttp
import pytest

from auth_tickets import TicketSigner

CONCURRENCY = 32
EXPECTED = {"anonymous": 403, "valid": 200, "expired": 403, "tampered": 403, "garbage": 403}


def cookie_classes(secret: bytes, seed: int = 4) -> dict[str, list[str | None]]:
    """A few cookies of each class, minted for the example app's secret and 60 s tickets."""
    rng = random.Random(seed)
    now = time.time()
    valid = [
        TicketSigner(secret, max_age=60).issue("alice", client_ip="127.0.0.1") for _ in range(3)
    ]
    old = TicketSigner(secret, max_age=60, clock=lambda: now - 3600)
    expired = [old.issue("alice", client_ip="127.0.0.1")]
    tampered = [t[:-1] + ("0" if t[-1] != "0" else "1") for t in valid] + [
        valid[0].replace("alice", "bobby")
    ]
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!%._-"
    garbage = ["".join(rng.choice(alphabet) for _ in range(n)) for n in (1, 40, 160, 4000)]
    return {
        "anonymous": [None],
        "valid": valid,
        "expired": expired,
        "tampered": tampered,
        "garbage": garbage,
    }


async def drive(
    port: int, plan: list[tuple[str, str | None]], path: str = "/view"
) -> dict[str, dict[int, int]]:
    """Send every (class, cookie) of ``plan`` to GET ``path`` with CONCURRENCY connections."""
    counts: dict[str, dict[int, int]] = {}
    queue = iter(plan)
    url = f"http://127.0.0.1:{port}{path}"
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout
    ) as client:

        async def worker() -> None:
            for kind, cookie in queue:
                headers = {"Cookie": f"AUTH_TKT={cookie}"} if cookie is not None else {}
                async with client.get(url, headers=headers) as resp:
                    await resp.read()
                    per_class = counts.setdefault(kind, {})
                    per_class[resp.status] = per_class.get(resp.status, 0) + 1

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return counts


def mixed(classes: dict[str, list[str | None]], n: int, seed: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    kinds = sorted(classes)
    return [(k, rng.choice(classes[k])) for k in (rng.choice(kinds) for _ in range(n))]


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def assert_statuses(counts: dict[str, dict[int, int]]) -> None:
    for kind, statuses in counts.items():
        assert not [s for s in statuses if s >= 500], (kind, statuses)
        assert set(statuses) == {EXPECTED[kind]}, (kind, statuses)


@pytest.mark.slow
async def test_J4_J5_J6_mixed_load_on_the_example_app_subprocess(kit, example_process):
    """About 32,000 requests: 4,000 mixed, 4,800 per class alone, 4,000 mixed again."""
    server = example_process("getting-started")
    pid = server.process.pid
    classes = cookie_classes(kit.SECRET)
    assert_statuses(await drive(server.port, mixed(classes, 4_000, seed=1)))  # warm-up
    rss_warm = rss_bytes(pid)
    rounds: dict[str, list[float]] = {kind: [] for kind in classes}
    for _ in range(6):  # each class alone, in interleaved rounds so drift hits all alike
        for kind in sorted(classes):
            # "/" answers 200 to every class: the cost compared is the ticket's, not a 403's
            plan = [(kind, c) for c in classes[kind]] * (800 // len(classes[kind]))
            before = cpu_seconds(pid)
            counts = await drive(server.port, plan, path="/")
            rounds[kind].append((cpu_seconds(pid) - before) / len(plan))
            assert counts == {kind: {200: len(plan)}}
    # the cheapest round of each class: other work on the machine only ever adds CPU
    # time to a round, so the minimum is the class's own cost, the mean is not
    cpu = {kind: min(costs) for kind, costs in rounds.items()}
    assert_statuses(await drive(server.port, mixed(classes, 4_000, seed=2)))
    growth = rss_bytes(pid) - rss_warm
    report = {k: f"{v * 1e6:.0f} us" for k, v in cpu.items()}
    for kind in ("expired", "tampered", "garbage", "anonymous"):
        # a shared 2-core box and 10 ms ticks: 25 % of noise allowed here (an amplification
        # would be a multiple); bench/soak.py measures it over 100,000+ requests
        assert cpu[kind] <= cpu["valid"] * 1.25, report
    assert growth < 3 * 1024 * 1024, f"RSS grew {growth / 1e6:.1f} MB over 28,000 requests"


@pytest.mark.slow
async def test_J5_traced_memory_is_flat_with_a_new_user_on_every_request(stack, caplog):
    app = await stack(reissue_time=0)  # reissue on every 2xx: that state must not pile up
    caplog.set_level(logging.WARNING)  # captured DEBUG records would be the growth measured
    rng = random.Random(5)

    def plan(n: int) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        for i in range(n):
            if i % 2:
                user = f"user{rng.randrange(10**9)}"
                out.append(("valid", app.policy.issue_ticket(user, client_ip="127.0.0.1")))
            else:
                out.append(("garbage", "".join(rng.choice("0123456789abcdef!") for _ in range(90))))
        return out

    async def run(n: int) -> dict[str, dict[int, int]]:
        counts = await drive(app.port, plan(n))
        assert counts["valid"] == {403: n // 2}  # unknown users: logged in, not permitted
        assert counts["garbage"] == {403: n - n // 2}
        return counts

    await run(3_000)  # bounded caches (tokens, cookies, URLs) fill up first
    tracemalloc.start()
    try:
        await run(500)
        gc.collect()  # raised 403s leave reference cycles: count what survives a collection
        baseline = tracemalloc.get_traced_memory()[0]
        await run(5_000)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - baseline
    finally:
        tracemalloc.stop()
    # bounded caches make a little noise; 50 bytes kept per request would be 250 kB
    assert growth < 200 * 1024, f"traced memory grew {growth / 1e3:.0f} kB over 5,000 requests"
