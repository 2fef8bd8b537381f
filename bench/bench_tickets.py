"""Ticket issue/verify speed: auth_tickets beside its peers, in one interleaved run.

    python bench/bench_tickets.py [--rounds 15] [--number 3000]

Each round times every case once (round-robin), so a noisy neighbour on a
shared machine hits all cases alike; the table reports the median per-op time
of the rounds and its ratio to the floor: a bare ``hmac.new(key, msg,
hashlib.sha256).digest()`` plus ``hmac.compare_digest`` over the bytes of our
default ticket. Targets (DESIGN.md section 4): the default format within 1.5x
the floor; TicketAuthCodec at least 3x faster than ticket-auth itself.
The second floor row is the ticket_auth format's MAC alone (its input cut
out of the text, two SHA-512 passes, the compare; no checks, no result):
the least a TicketAuthCodec verify can cost. The "fresh" rows verify 8192 distinct
tickets in turn, more than the verifiers' parse memos hold (2048), so every
call parses from scratch (and
pays ~0.02 µs for ``next()``): a site with many concurrent users. The other
verify rows repeat one ticket, as one browser does.
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import platform
import statistics
import sys
import timeit
import warnings
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import ticket_auth
from _results import save
from itsdangerous import TimestampSigner

from auth_tickets import HmacCodec, ModAuthTktCodec, TicketAuthCodec, TicketSigner

if TYPE_CHECKING:
    from collections.abc import Callable

with warnings.catch_warnings():  # WebOb (under Pyramid) imports the deprecated cgi module
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyramid.authentication import AuthTicket, parse_ticket

SECRET = bytes.fromhex("8f3c2a1d5e7b9c0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081")
USER, TOKENS, DATA = "alice", ("editor",), ""
FRESH = 8192  # distinct tickets for the "fresh" rows: more than a parse memo holds
TA_MAC_FLOOR = "floor: ticket_auth MAC (2x SHA-512)"


def cases() -> dict[str, Callable[[], object]]:
    """Name -> zero-argument callable; every verify case checks a valid, fresh ticket."""
    hmac_signer = TicketSigner(SECRET)
    ta_signer = TicketSigner(SECRET, codec=TicketAuthCodec())
    mat_signer = TicketSigner(SECRET, codec=ModAuthTktCodec())
    hmac_ticket = hmac_signer.issue(USER, TOKENS, DATA)
    ta_ticket = ta_signer.issue(USER, TOKENS, DATA)
    mat_ticket = mat_signer.issue(USER, TOKENS, DATA)
    users = [f"user{i}" for i in range(FRESH)]
    hmac_fresh = itertools.cycle([hmac_signer.issue(user, TOKENS, DATA) for user in users])
    ta_fresh = itertools.cycle([ta_signer.issue(user, TOKENS, DATA) for user in users])

    floor_key = HmacCodec().derive_key(SECRET)
    floor_msg = hmac_ticket.encode()
    floor_mac = hmac.new(floor_key, floor_msg, hashlib.sha256).digest()

    def floor() -> bool:
        return hmac.compare_digest(
            hmac.new(floor_key, floor_msg, hashlib.sha256).digest(), floor_mac
        )

    # The ticket_auth format's MAC and nothing else: what verifying it costs at
    # the least (its secret follows the variable data, so no keyed state can
    # be prepared): the digest and the MAC input cut out of the text, two
    # SHA-512 passes, the compare; no check of structure or time, no result.
    cut = hashlib.sha512().digest_size * 2

    def ticket_auth_mac_floor() -> bool:
        text = ta_ticket
        data0 = b"\x04\x00\x00\x00\x00" + bytes.fromhex(text[cut : cut + 8])
        data1 = text[cut + 8 :].replace("!", "\0").encode()
        inner = hashlib.sha512(data0 + SECRET + data1).digest()
        outer = hashlib.sha512(inner + SECRET).hexdigest().encode()
        return hmac.compare_digest(outer, text[:cut].encode())

    assert ticket_auth_mac_floor(), "the MAC floor must check a valid ticket_auth ticket"

    peer = ticket_auth.TicketFactory(SECRET)
    peer_ticket = peer.new(USER, TOKENS, DATA, valid_until=2_000_000_000)
    pyramid_ticket = AuthTicket(SECRET, USER, "0.0.0.0", TOKENS, DATA, hashalg="sha512")
    pyramid_cookie = pyramid_ticket.cookie_value()
    its = TimestampSigner(SECRET)
    its_token = its.sign(USER)

    return {
        "floor: hmac sha256 + compare_digest": floor,
        TA_MAC_FLOOR: ticket_auth_mac_floor,
        "auth_tickets HmacCodec issue": lambda: hmac_signer.issue(USER, TOKENS, DATA),
        "auth_tickets HmacCodec verify": lambda: hmac_signer.verify(hmac_ticket),
        "auth_tickets HmacCodec verify, fresh": lambda: hmac_signer.verify(next(hmac_fresh)),
        "auth_tickets TicketAuthCodec issue": lambda: ta_signer.issue(USER, TOKENS, DATA),
        "auth_tickets TicketAuthCodec verify": lambda: ta_signer.verify(ta_ticket),
        "auth_tickets TicketAuthCodec verify, fresh": lambda: ta_signer.verify(next(ta_fresh)),
        "auth_tickets ModAuthTktCodec issue": lambda: mat_signer.issue(USER, TOKENS, DATA),
        "auth_tickets ModAuthTktCodec verify": lambda: mat_signer.verify(mat_ticket),
        "ticket-auth 0.1.4 new": lambda: peer.new(USER, TOKENS, DATA),
        "ticket-auth 0.1.4 validate": lambda: peer.validate(peer_ticket, now=1_900_000_000),
        "pyramid AuthTicket().cookie_value": lambda: AuthTicket(
            SECRET, USER, "0.0.0.0", TOKENS, DATA, hashalg="sha512"
        ).cookie_value(),
        "pyramid parse_ticket": lambda: parse_ticket(SECRET, pyramid_cookie, "0.0.0.0", "sha512"),
        "itsdangerous TimestampSigner.sign": lambda: its.sign(USER),
        "itsdangerous TimestampSigner.unsign": lambda: its.unsign(its_token, max_age=3600),
    }


def measure(rounds: int, number: int) -> dict[str, float]:
    """Median microseconds per call of every case, timed round-robin."""
    timers = {name: timeit.Timer(call) for name, call in cases().items()}
    samples: dict[str, list[float]] = {name: [] for name in timers}
    for _ in range(rounds):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(number) / number * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def environment() -> str:
    versions = ", ".join(
        f"{dist} {metadata.version(dist)}"
        for dist in ("auth-tickets", "ticket-auth", "pyramid", "itsdangerous")
    )
    cpu = platform.processor() or platform.machine()
    return f"{platform.system()} {cpu}, Python {platform.python_version()}; {versions}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=3000, help="calls per case per round")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON here")
    parser.add_argument("--chart", metavar="DIR", type=Path, help="also draw tickets.png here")
    args = parser.parse_args(argv)
    results = measure(args.rounds, args.number)
    floor = results["floor: hmac sha256 + compare_digest"]
    print(environment())
    print(f"{args.rounds} rounds x {args.number} calls, median per op\n")
    print(f"| {'case':<43} | {'µs/op':>7} | {'x floor':>7} |")
    print(f"|{'-' * 45}|{'-' * 9}|{'-' * 9}|")
    for name, micros in results.items():
        print(f"| {name:<43} | {micros:7.2f} | {micros / floor:7.2f} |")
    validate = results["ticket-auth 0.1.4 validate"]
    speedup = validate / results["auth_tickets TicketAuthCodec verify"]
    fresh_speedup = validate / results["auth_tickets TicketAuthCodec verify, fresh"]
    issue_speedup = results["ticket-auth 0.1.4 new"] / results["auth_tickets TicketAuthCodec issue"]
    print(
        f"\nTicketAuthCodec vs ticket-auth: verify {speedup:.2f}x "
        f"(fresh tickets {fresh_speedup:.2f}x), issue {issue_speedup:.2f}x faster"
    )
    mac_only = results[TA_MAC_FLOOR]
    print(
        f"The ticket_auth MAC alone is {validate / mac_only:.2f}x faster than ticket-auth's "
        f"validate: a 3x verify leaves {validate / 3 - mac_only:.2f} µs for every check and "
        "the result"
    )
    data = {
        "benchmark": "tickets",
        "environment": environment(),
        "rounds": args.rounds,
        "number": args.number,
        "floor": "floor: hmac sha256 + compare_digest",
        "us_per_op": results,
    }
    save(data, "tickets", args.json, args.chart)


if __name__ == "__main__":
    main(sys.argv[1:])
