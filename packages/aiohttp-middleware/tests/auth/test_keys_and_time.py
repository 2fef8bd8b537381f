"""Secrets, key rotation, migration from the original library, and time (B3-B7, C1-C6)."""

from __future__ import annotations

import logging
from ipaddress import ip_address
from typing import Any

import pytest
from ticket_auth import TicketFactory

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie
from auth_tickets import HmacCodec

NAME = "AUTH_TKT"


@pytest.mark.parametrize(
    ("bad_secret", "error"),
    [("a" * 40, TypeError), (b"short", ValueError), (b"", ValueError), (b"\x00" * 32, ValueError)],
)
def test_B3_compat_bug12_bad_secrets_fail_at_construction(bad_secret: Any, error: type) -> None:
    with pytest.raises(error):
        auth.CookieTktAuthentication(bad_secret, 60)


@pytest.mark.parametrize("hashalg", ["md5", "sha1"])
def test_B4_weak_hash_configuration_is_refused(secret: bytes, hashalg: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        auth.CookieTktAuthentication(secret, 60, codec=HmacCodec(hashalg))


@pytest.mark.parametrize(
    ("max_age", "reissue_time", "error"),
    [
        ("60", None, TypeError),
        (60.5, None, TypeError),
        (True, None, TypeError),
        (0, None, ValueError),
        (-1, None, ValueError),
        (60, -1, ValueError),
        (60, "10", TypeError),
    ],
)
def test_C6_timing_configuration_is_validated(
    secret: bytes, max_age: Any, reissue_time: Any, error: type
) -> None:
    with pytest.raises(error):
        auth.CookieTktAuthentication(secret, max_age, reissue_time)


def test_C2_a_max_age_that_overflows_the_time_field_fails_at_construction(secret: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        auth.CookieTktAuthentication(secret, 10**13)


async def test_B5_rotation_old_key_verifies_and_is_reissued_with_the_new_one(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    other_secret: bytes,
    clock: Any,
    cookies_set: Any,
) -> None:
    old_only = auth.CookieTktAuthentication(other_secret, 600, clock=clock)
    rotated = auth.CookieTktAuthentication([secret, other_secret], 600, clock=clock)
    new_only = auth.CookieTktAuthentication(secret, 600, clock=clock)
    old_cookie = make_auth_cookie(old_only, "alice")

    client_rotated = await aiohttp_client(make_app(rotated))
    response = await client_rotated.get("/whoami", cookies=old_cookie)
    assert await response.text() == "alice"
    (morsel,) = cookies_set(response, NAME)  # reissued although reissue_time is None

    client_new = await aiohttp_client(make_app(new_only))
    assert await (await client_new.get("/whoami", cookies={NAME: morsel.value})).text() == "alice"
    assert await (await client_new.get("/whoami", cookies=old_cookie)).text() == "anonymous"


async def test_B6_rolling_rotation_across_two_instances(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    other_secret: bytes,
    clock: Any,
) -> None:
    # instance A already signs with the new key; B still signs with the old one and
    # lists the new one as a fallback.  One browser alternates between them.
    a = await aiohttp_client(make_app(auth.CookieTktAuthentication([secret, other_secret], 600)))
    b = await aiohttp_client(make_app(auth.CookieTktAuthentication([other_secret, secret], 600)))
    await a.get("/login?user=alice")
    ticket = next(c.value for c in a.session.cookie_jar if c.key == NAME)
    assert await (await b.get("/whoami", cookies={NAME: ticket})).text() == "alice"
    await b.get("/login?user=bob")
    ticket = next(c.value for c in b.session.cookie_jar if c.key == NAME)
    assert await (await a.get("/whoami", cookies={NAME: ticket})).text() == "bob"


async def test_B7_the_secret_never_appears_in_repr_errors_or_logs(
    aiohttp_client: Any, make_app: Any, secret: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60, reissue_time=0, include_ip=True)
    texts = [repr(policy), str(policy)]
    for bad in (secret.hex(), secret[:10]):
        try:
            auth.CookieTktAuthentication(bad, 60)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            texts.append(str(exc))
    client = await aiohttp_client(make_app(policy))
    with caplog.at_level(logging.DEBUG):
        await client.get("/login")
        await client.get("/whoami", headers={"Cookie": f"{NAME}=v1!garbage"})
        await client.get("/whoami")
    texts.append(caplog.text)
    for text in texts:
        for form in (secret.hex(), repr(secret), secret.decode("latin-1")):
            assert form not in text


async def test_migration_tickets_of_the_original_library_are_accepted_and_reissued(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    """A cookie minted by the real ticket_auth 0.1.4 (what aiohttp_auth_autz wrote) logs in."""
    import time

    original = TicketFactory(secret).new(
        "alice", valid_until=int(time.time()) + 60, client_ip=ip_address("127.0.0.1")
    )
    policy = auth.CookieTktAuthentication(secret, 60, include_ip=True, accept_original_tickets=True)
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies={NAME: original})
    assert await response.text() == "alice"
    (morsel,) = cookies_set(response, NAME)
    assert morsel.value.startswith("v1!")  # now in the default format
    follow_up = await client.get("/info")
    assert (await follow_up.json())["user"] == "alice"
    assert "Set-Cookie" not in follow_up.headers  # migrated once, not on every request


async def test_migration_is_off_by_default_and_only_reissued_on_2xx(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    import time

    original = TicketFactory(secret).new("alice", valid_until=int(time.time()) + 60)
    strict = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 60)))
    assert await (await strict.get("/whoami", cookies={NAME: original})).text() == "anonymous"
    migrating = await aiohttp_client(
        make_app(auth.CookieTktAuthentication(secret, 60, accept_original_tickets=True))
    )
    response = await migrating.get("/nowhere", cookies={NAME: original})
    assert response.status == 404
    assert not cookies_set(response, NAME)


@pytest.mark.parametrize(
    ("offset", "identity"), [(-1, "alice"), (0, "anonymous"), (1, "anonymous")]
)
async def test_C1_expiry_boundary(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, offset: int, identity: str
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, reissue_time=0, clock=clock)
    cookie = make_auth_cookie(policy, "alice")
    clock.advance(600 + offset)  # valid_until - now == -offset
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies=cookie)
    assert await response.text() == identity
    if identity == "anonymous":
        assert "Set-Cookie" not in response.headers  # no reissue of an expired ticket


async def test_C2_far_future_ticket_from_a_longer_max_age_is_anonymous(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    long_lived = auth.CookieTktAuthentication(secret, 86400, clock=clock)
    cookie = make_auth_cookie(long_lived, "alice")
    short = auth.CookieTktAuthentication(secret, 600, clock=clock)
    client = await aiohttp_client(make_app(short))
    assert await (await client.get("/whoami", cookies=cookie)).text() == "anonymous"


@pytest.mark.parametrize(("fast_by", "identity"), [(30, "alice"), (600, "anonymous")])
async def test_C3_clock_skew_between_instances(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    clock: Any,
    fast_by: int,
    identity: str,
) -> None:
    fast_instance = auth.CookieTktAuthentication(secret, 600, clock=lambda: clock() + fast_by)
    cookie = make_auth_cookie(fast_instance, "alice")
    here = auth.CookieTktAuthentication(secret, 600, clock=clock, skew=60)
    client = await aiohttp_client(make_app(here))
    assert await (await client.get("/whoami", cookies=cookie)).text() == identity


async def test_C4_absolute_lifetime_survives_constant_reissue(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, reissue_time=0, max_lifetime=3600, clock=clock
    )
    client = await aiohttp_client(make_app(policy))
    await client.get("/login?user=alice")
    seen = []
    for _ in range(14):  # a request every 5 minutes for 70 minutes
        clock.advance(300)
        seen.append(await (await client.get("/whoami")).text())
    assert seen[:11] == ["alice"] * 11  # up to 55 minutes
    assert seen[12:] == ["anonymous"] * 2  # after the hour, whatever the activity


async def test_C5_idle_timeout_is_max_age(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 600, reissue_time=0, max_lifetime=86400, clock=clock
    )
    client = await aiohttp_client(make_app(policy))
    await client.get("/login?user=alice")
    clock.advance(500)
    assert await (await client.get("/whoami")).text() == "alice"  # active: slides
    clock.advance(601)
    assert await (await client.get("/whoami")).text() == "anonymous"  # idle too long
