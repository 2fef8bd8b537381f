"""IP binding (``include_ip``) and trusted proxies (SECURITY D1-D5, COMPAT bug 11)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie

NAME = "AUTH_TKT"


def app_seen_from(make_app: Any, policy: Any) -> web.Application:
    """The standard app behind a test-only middleware that sets ``request.remote``.

    This is what aiohttp-remotes and similar proxy helpers do; the peer is
    taken from the ``X-Test-Peer`` header.
    """

    @web.middleware
    async def fake_peer(request: web.Request, handler: Any) -> web.StreamResponse:
        if "X-Test-Peer" in request.headers:
            request = request.clone(remote=request.headers["X-Test-Peer"])
        return await handler(request)

    app = make_app(policy)
    app.middlewares.insert(0, fake_peer)
    return app


async def whoami(client: Any, cookie: Any, peer: str, **headers: str) -> str:
    response = await client.get("/whoami", cookies=cookie, headers={"X-Test-Peer": peer, **headers})
    assert response.status == 200
    return await response.text()


@pytest.fixture
def policy(secret: bytes) -> auth.CookieTktAuthentication:
    return auth.CookieTktAuthentication(secret, 600, include_ip=True)


async def test_D1_compat_bug11_binding_uses_request_remote(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, policy))
    cookie = make_auth_cookie(policy, "alice", client_ip="203.0.113.5")
    assert await whoami(client, cookie, "203.0.113.5") == "alice"
    assert await whoami(client, cookie, "203.0.113.6") == "anonymous"
    assert await whoami(client, cookie, "127.0.0.1") == "anonymous"  # the real socket peer


async def test_D1_login_binds_to_request_remote(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    # secure=False: the fake peer is not loopback, so the cookie would be Secure
    policy = auth.CookieTktAuthentication(secret, 600, include_ip=True, secure=False)
    client = await aiohttp_client(app_seen_from(make_app, policy))
    await client.get("/login", headers={"X-Test-Peer": "198.51.100.7"})
    assert await whoami(client, None, "198.51.100.7") == "alice"
    assert await whoami(client, None, "198.51.100.8") == "anonymous"


@pytest.mark.parametrize(
    ("minted", "seen"),
    [
        ("1.2.3.4", "::ffff:1.2.3.4"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("fe80::1%eth0", "fe80::1"),
        ("fe80::1", "fe80::1%eth1"),
        ("::1", "::1"),
    ],
)
async def test_D2_ipv6_and_mapped_addresses_are_normalised(
    aiohttp_client: Any, make_app: Any, policy: Any, minted: str, seen: str
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, policy))
    cookie = make_auth_cookie(policy, "alice", client_ip=minted)
    assert await whoami(client, cookie, seen) == "alice"


async def test_D2_real_ipv6_loopback_listener(
    aiohttp_server: Any, make_app: Any, policy: Any
) -> None:
    try:
        server = await aiohttp_server(make_app(policy), host="::1")
    except OSError:  # pragma: no cover  # no IPv6 on this machine
        pytest.skip("IPv6 loopback unavailable")
    # unsafe=True: the default jar ignores cookies of IP-address hosts
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        base = f"http://[::1]:{server.port}"
        await session.get(f"{base}/login")
        assert await (await session.get(f"{base}/whoami")).text() == "alice"


@pytest.fixture
def proxied(secret: bytes) -> auth.CookieTktAuthentication:
    return auth.CookieTktAuthentication(
        secret, 600, include_ip=True, trusted_proxies=["10.0.0.0/8", "192.0.2.1"]
    )


@pytest.mark.parametrize(
    ("peer", "forwarded", "client_ip"),
    [
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),  # right-most untrusted
        ("10.0.0.2", "203.0.113.5, 192.0.2.1", "203.0.113.5"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
async def test_D4_trusted_proxies_right_most_untrusted_address(
    aiohttp_client: Any,
    make_app: Any,
    proxied: Any,
    peer: str,
    forwarded: str,
    client_ip: str,
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, proxied))
    cookie = make_auth_cookie(proxied, "alice", client_ip=client_ip)
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    assert await whoami(client, cookie, peer, **headers) == "alice"


@pytest.mark.parametrize(
    "policy_fixture",
    [
        "policy",  # no trusted proxies: X-Forwarded-For is ignored by default
        "proxied",  # trusted proxies, but the peer is not one of them
    ],
)
async def test_D4_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(
    aiohttp_client: Any, make_app: Any, request: pytest.FixtureRequest, policy_fixture: str
) -> None:
    policy = request.getfixturevalue(policy_fixture)
    client = await aiohttp_client(app_seen_from(make_app, policy))
    cookie = make_auth_cookie(policy, "alice", client_ip="203.0.113.5")
    spoofed = {"X-Forwarded-For": "203.0.113.5"}
    assert await whoami(client, cookie, "198.51.100.1", **spoofed) == "anonymous"


@pytest.mark.parametrize(
    "forwarded",
    ["garbage", "1.2.3.4,,", ", ".join(["10.0.0.3"] * 100), "[2001:db8::1]:443", "1.2.3.4:80"],
)
async def test_D4_malformed_forwarded_lists_are_anonymous_never_500(
    aiohttp_client: Any,
    make_app: Any,
    proxied: Any,
    forwarded: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, proxied))
    cookie = make_auth_cookie(proxied, "alice", client_ip="1.2.3.4")
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        assert await whoami(client, cookie, "10.0.0.2", **{"X-Forwarded-For": forwarded}) == (
            "anonymous"
        )
    assert all(r.levelno <= logging.INFO for r in caplog.records)  # client input, no alarm


@pytest.mark.parametrize(
    "written_by_the_client",
    ["garbage", "1.2.3.4,,", ", ".join(["6.6.6.6"] * 300), "[::1]:80, 10.0.0.7"],
)
async def test_D4_what_the_client_wrote_left_of_the_proxy_entry_is_ignored(
    aiohttp_client: Any, make_app: Any, proxied: Any, written_by_the_client: str
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, proxied))
    cookie = make_auth_cookie(proxied, "alice", client_ip="203.0.113.5")
    forwarded = {"X-Forwarded-For": f"{written_by_the_client}, 203.0.113.5"}
    assert await whoami(client, cookie, "10.0.0.2", **forwarded) == "alice"


def test_D4_trusted_proxies_are_validated(secret: bytes) -> None:
    with pytest.raises(ValueError, match="not an address"):
        auth.CookieTktAuthentication(secret, 60, include_ip=True, trusted_proxies=["proxy"])
    with pytest.raises(TypeError):
        auth.CookieTktAuthentication(secret, 60, trusted_proxies="10.0.0.1")


async def test_D5_unix_socket_fails_closed_with_one_warning(
    tmp_path: Any, make_app: Any, policy: Any, caplog: pytest.LogCaptureFixture
) -> None:
    path = str(tmp_path / "auth.sock")
    runner = web.AppRunner(make_app(policy))
    await runner.setup()
    site = web.UnixSite(runner, path)
    await site.start()
    try:
        cookie = make_auth_cookie(policy, "alice", client_ip="127.0.0.1")
        connector = aiohttp.UnixConnector(path=path)
        async with aiohttp.ClientSession(connector=connector) as session:
            with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
                for _ in range(3):
                    response = await session.get("http://unix/whoami", cookies=cookie)
                    assert response.status == 200
                    assert await response.text() == "anonymous"
                login = await session.get("http://unix/login")
            assert login.status == 500  # include_ip without an address is a deployment error
    finally:
        await runner.cleanup()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "include_ip" in warnings[0].getMessage()


async def test_D5_empty_remote_is_anonymous(
    aiohttp_client: Any, make_app: Any, policy: Any
) -> None:
    client = await aiohttp_client(app_seen_from(make_app, policy))
    cookie = make_auth_cookie(policy, "alice", client_ip="127.0.0.1")
    assert await whoami(client, cookie, "") == "anonymous"


@pytest.mark.parametrize("trusted_proxies", [(), ("10.0.0.0/8",)], ids=["direct", "proxied"])
async def test_D5_no_peer_address_at_all_is_anonymous(
    secret: bytes, trusted_proxies: tuple[str, ...]
) -> None:
    """``request.remote is None`` (a closed transport, a transport without a peer name)."""
    from unittest import mock

    from aiohttp.test_utils import make_mocked_request

    policy = auth.CookieTktAuthentication(
        secret, 600, include_ip=True, trusted_proxies=trusted_proxies
    )
    ticket = make_auth_cookie(policy, "alice", client_ip="127.0.0.1")[NAME]
    transport = mock.Mock()
    transport.get_extra_info.return_value = None  # no peername
    request = make_mocked_request(
        "GET",
        "/",
        headers={"Cookie": f"{NAME}={ticket}", "X-Forwarded-For": "127.0.0.1"},
        transport=transport,
    )
    assert request.remote is None
    assert policy.client_ip(request) is None
    assert await policy.get(request) is None


@pytest.mark.parametrize(
    ("listed", "peer"),
    [
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("::ffff:10.0.0.0/104", "10.0.0.7"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),  # the peer's own mapped spelling too
    ],
)
async def test_D2_D4_a_proxy_listed_in_its_ipv4_mapped_spelling_is_trusted(
    aiohttp_client: Any, make_app: Any, secret: bytes, listed: str, peer: str
) -> None:
    """Peers are normalised to IPv4: a mapped listing never matched, so every ticket was
    bound to the proxy's address."""
    policy = auth.CookieTktAuthentication(secret, 600, include_ip=True, trusted_proxies=[listed])
    client = await aiohttp_client(app_seen_from(make_app, policy))
    cookie = make_auth_cookie(policy, "alice", client_ip="203.0.113.9")
    assert await whoami(client, cookie, peer, **{"X-Forwarded-For": "203.0.113.9"}) == "alice"
    proxys_own = make_auth_cookie(policy, "alice", client_ip="10.0.0.1")
    assert await whoami(client, proxys_own, peer, **{"X-Forwarded-For": "203.0.113.9"}) == (
        "anonymous"
    )


async def test_D4_a_trusted_proxy_sending_only_forwarded_is_warned_about_once(
    aiohttp_client: Any, make_app: Any, proxied: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """``Forwarded`` is not read: every client would silently resolve to the proxy."""
    client = await aiohttp_client(app_seen_from(make_app, proxied))
    cookie = make_auth_cookie(proxied, "alice", client_ip="203.0.113.5")
    with caplog.at_level(logging.WARNING, logger="aiohttp_auth"):
        for _ in range(3):
            text = await whoami(client, cookie, "10.0.0.2", Forwarded="for=203.0.113.5")
            assert text == "anonymous"  # bound to the proxy's address, not the client's
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Forwarded" in warnings[0].getMessage()
