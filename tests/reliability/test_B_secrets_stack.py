"""SECURITY B1-B4 and B7 over TCP: what the example app does with keys, formats and secrets.

The cryptographic promises seen from outside: the number of constant-time
comparisons a request costs does not depend on the ticket (B1), the cookie a
login sets is exactly the published MAC construction, recomputed here with
the standard library alone (B2), a bad secret stops ``python -m
aiohttp_auth_examples`` before it serves anything (B3), tickets in other or
weaker formats signed with the same secret open nothing (B4), and the secret
shows up in no repr, log record or server output (B7).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import subprocess
import sys
import warnings

import pytest

from auth_tickets import ModAuthTktCodec, TicketAuthCodec, TicketSigner


@pytest.mark.parametrize(
    "make",
    [
        lambda: TicketAuthCodec("sha512"),
        lambda: TicketAuthCodec("md5"),
        lambda: ModAuthTktCodec("md5"),
    ],
)
async def test_B4_tickets_in_another_or_weaker_format_are_anonymous(app, kit, make):
    """Same secret and user, a format the app was not configured for: it decides nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # md5 warns at construction: the attacker's tool here
        codec = make()
    ticket = TicketSigner(kit.SECRET, codec=codec, clock=app.clock).issue(
        "bob", client_ip="127.0.0.1"
    )
    assert (await app.get("/admin", ticket))[0] == 403
    assert (await app.get("/", ticket))[1] == "Home page."


async def test_B7_the_secret_is_not_in_reprs_logs_or_subprocess_output(
    app, kit, caplog, example_process
):
    async with app.client() as bob:
        await app.login(bob, "bob")
        await bob.get(app.url("/logout"))
    await app.get("/", "garbage")
    secret_forms = (kit.SECRET.hex(), kit.SECRET.decode("latin-1"), repr(kit.SECRET))
    texts = [repr(app.policy), str(app.policy), caplog.text]
    server = example_process("getting-started")
    await kit.raw_request(server.port, kit.cookie_head("/view", b"AUTH_TKT=x"))
    kit.stop_example(server)
    texts.append(server.output())
    for text in texts:
        assert not any(form in text for form in secret_forms)


async def test_B1_one_constant_time_comparison_per_key_whatever_the_ticket(stack, monkeypatch):
    """With two keys, valid-new, valid-old and tampered tickets all cost exactly two
    ``hmac.compare_digest`` calls on bytes: the work never tells an attacker how close he is."""
    new = bytes(range(1, 33))
    app = await stack(secrets=[new, bytes(range(101, 133))])
    old_signer = TicketSigner(bytes(range(101, 133)), max_age=60, clock=app.clock)
    calls: list[tuple[type, type]] = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    valid = app.ticket("bob")
    tickets = {
        "new": (valid, 200),
        "old": (old_signer.issue("bob", client_ip="127.0.0.1"), 200),
        "tampered": (valid[:-1] + ("0" if valid[-1] != "0" else "1"), 403),
    }
    for ticket, status in tickets.values():
        calls.clear()
        assert (await app.get("/admin", ticket))[0] == status
        assert calls == [(bytes, bytes), (bytes, bytes)]


async def test_B2_the_login_cookie_matches_the_published_mac_construction(app, kit):
    """Recomputed from the format's specification with the standard library alone."""
    login = await app.raw("/login?username=bob&password=bob_password", None)
    ticket = kit.auth_cookies(login)[0]["AUTH_TKT"].value
    body, mac = ticket.rsplit("!", 1)
    key = hmac.new(kit.SECRET, b"auth-tickets v1\x00sha256\x00login", hashlib.sha256).digest()
    assert mac == hmac.new(key, body.encode("ascii"), hashlib.sha256).hexdigest()
    assert body.startswith("v1!")
    assert body.split("!")[4:6] == ["127.0.0.1", "bob"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", body.split("!")[3])  # the login id


@pytest.mark.parametrize(
    ("secret_hex", "message"),
    [("00" * 16, "at least 32 bytes"), ("zz", "must be hex"), ("00" * 32, "variety")],
)
def test_B3_a_bad_secret_stops_the_example_app_at_start_up(kit, secret_hex, message):
    port = "0"  # never reached: the secret is checked before binding
    env = {**os.environ, "AIOHTTP_AUTH_SECRET": secret_hex}
    done = subprocess.run(
        [sys.executable, "-m", "aiohttp_auth_examples", "--port", port],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0  # it exited by itself instead of serving
    assert message in done.stdout + done.stderr
    assert secret_hex not in done.stdout + done.stderr
