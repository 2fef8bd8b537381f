"""Atheris harness: every codec's parser and verifier must answer any input with TicketError.

Run (libFuzzer flags pass straight through; exit status 0 means no crash):

    python packages/tickets/fuzz/fuzz_tickets.py -max_total_time=60
    python packages/tickets/fuzz/fuzz_tickets.py -runs=20000 packages/tickets/fuzz/corpus

Why these targets: a ticket reaches the parser from a Cookie header or a
session store, where aiohttp decodes raw bytes with ``surrogateescape``
(SECURITY A10, A16). The input is decoded the same way, the text is fed to
the signer (all codecs accepted), the ``ticket_auth`` drop-in's ``validate``
and ``parse``, and ``inspect``. The first half of the input is also spliced
into a real ticket so mutations start from something that nearly verifies.
Anything but a `TicketError` propagates and libFuzzer reports it as a crash.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

import atheris

if TYPE_CHECKING:
    from collections.abc import Callable

with atheris.instrument_imports():
    from auth_tickets import (
        HmacCodec,
        ModAuthTktCodec,
        TicketAuthCodec,
        TicketError,
        TicketFactory,
        TicketSigner,
    )
    from auth_tickets.inspection import inspect_ticket

SECRET = bytes(range(7, 39))
NOW = 1_764_400_000
SIGNERS = (
    TicketSigner(
        SECRET,
        clock=lambda: NOW,
        accept=(TicketAuthCodec(), ModAuthTktCodec(), HmacCodec("sha512")),
    ),
    TicketSigner(SECRET, clock=lambda: NOW, codec=ModAuthTktCodec()),
)
FACTORY = TicketFactory(SECRET)
SEEDS = (
    SIGNERS[0].issue("alice", ("editor",), "data é", "2001:db8::1"),
    SIGNERS[1].issue("bob", ("a", "b"), "x", "1.2.3.4"),
    FACTORY.new("carol", ("t",), "d", NOW + 60, "10.0.0.1"),
)


def check(text: str, client_ip: str | None) -> None:
    """Feed ``text`` to every entry point; only the TicketError family may escape here."""
    for signer in SIGNERS:
        with contextlib.suppress(TicketError):
            signer.verify(text, client_ip=client_ip)
    calls: tuple[Callable[[], object], ...] = (
        lambda: FACTORY.validate(text, client_ip=client_ip, now=NOW),
        lambda: FACTORY.parse(text),
    )
    for call in calls:
        with contextlib.suppress(TicketError):
            call()
    inspect_ticket(text)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, len(SEEDS))
    ip = (None, "1.2.3.4", "2001:db8::1", "::ffff:10.0.0.1", "garbage")[
        provider.ConsumeIntInRange(0, 4)
    ]
    raw = provider.ConsumeBytes(provider.remaining_bytes())
    text = raw.decode("utf-8", "surrogateescape")
    if choice < len(SEEDS):  # splice the fuzz bytes into a real ticket
        seed = SEEDS[choice]
        cut = len(text) % (len(seed) + 1)
        text = seed[:cut] + text + seed[cut + len(text) :]
    check(text, ip)


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
