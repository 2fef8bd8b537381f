"""The package's public surface and its promise to import nothing outside the stdlib."""

from __future__ import annotations

import json
import subprocess
import sys

import auth_tickets

CONTRACT = {  # CONTRIBUTING.md, "auth_tickets (what the glue relies on)"
    "TicketSigner",
    "VerifiedTicket",
    "Codec",
    "HmacCodec",
    "TicketAuthCodec",
    "ModAuthTktCodec",
    "TicketError",
    "TicketParseError",
    "TicketDigestError",
    "TicketExpired",
    "normalize_ip",
    "generate_secret",
    "MIN_SECRET_BYTES",
    "TicketFactory",
    "TicketInfo",
}


def test_every_contract_name_is_exported():
    assert set(auth_tickets.__all__) >= CONTRACT
    for name in auth_tickets.__all__:
        assert getattr(auth_tickets, name) is not None


def test_importing_loads_no_third_party_module():
    probe = (
        "import sys, json; before = set(sys.modules); import auth_tickets, auth_tickets.cli;"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(done.stdout)
    stdlib = sys.stdlib_module_names
    foreign = [
        m for m in loaded if m.split(".")[0] not in stdlib and not m.startswith("auth_tickets")
    ]
    assert foreign == []
    assert "auth_tickets.signer" in loaded


def test_verified_ticket_fields_match_the_contract():
    assert auth_tickets.VerifiedTicket._fields == (
        "user_id", "tokens", "user_data", "valid_until", "auth_time", "client_ip",
        "login_id", "key_index", "codec", "needs_reissue",
    )  # fmt: skip
