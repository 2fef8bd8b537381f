"""Cookie attributes, cache headers and when a Set-Cookie is sent (SECURITY E1-E5, J3, A17, A18)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.testing import make_auth_cookie, make_auth_ticket

NAME = "AUTH_TKT"


async def test_E1_compat_bug7_defaults_httponly_secure_samesite_lax_path_no_domain(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    client = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 60)))
    # Behind a proxy (X-Forwarded-For present) the automatic Secure applies.
    response = await client.get("/login", headers={"X-Forwarded-For": "203.0.113.9"})
    (morsel,) = cookies_set(response, NAME)
    assert morsel["httponly"] is True
    assert morsel["secure"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert morsel["domain"] == ""
    assert morsel["max-age"] == ""
    assert morsel["expires"] == ""


async def test_E1_persistent_cookie_has_max_age(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 900, persistent=True, secure=True)
    client = await aiohttp_client(make_app(policy))
    (morsel,) = cookies_set(await client.get("/login"), NAME)
    assert morsel["max-age"] == "900"


@pytest.mark.parametrize(
    ("headers", "secure"),
    [
        ({}, False),  # plain HTTP, loopback Host, loopback peer: the getting-started case
        ({"Host": "localhost:8080"}, False),
        ({"Host": "example.com"}, True),
        ({"X-Forwarded-Proto": "https"}, True),
        ({"Forwarded": "for=1.2.3.4"}, True),
        ({"X-Real-IP": "1.2.3.4"}, True),
    ],
)
async def test_E1_automatic_secure_only_drops_for_direct_loopback_http(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    cookies_set: Any,
    headers: dict[str, str],
    secure: bool,
) -> None:
    client = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 60)))
    (morsel,) = cookies_set(await client.get("/login", headers=headers), NAME)
    assert bool(morsel["secure"]) is secure


@pytest.mark.parametrize("forced", [True, False])
async def test_E1_secure_can_be_forced(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any, forced: bool
) -> None:
    client = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 60, secure=forced)))
    response = await client.get("/login", headers={"Host": "example.com"})
    (morsel,) = cookies_set(response, NAME)
    assert bool(morsel["secure"]) is forced


@pytest.mark.parametrize(
    "options",
    [
        {"samesite": "None", "secure": False},
        {"cookie_name": "__Host-auth", "domain": "example.com"},
        {"cookie_name": "__Host-auth", "path": "/app"},
        {"cookie_name": "__Host-auth", "secure": False},
        {"cookie_name": "__Secure-auth", "secure": False},
        {"samesite": "sometimes"},
        {"cookie_name": "bad name"},
        {"cookie_name": "semi;colon"},
        {"path": "no-slash"},
        {"domain": "a;b"},
    ],
)
def test_E2_unsafe_cookie_configurations_fail_at_construction(
    secret: bytes, options: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  # the message varies per combination
        auth.CookieTktAuthentication(secret, 60, **options)


async def test_E2_host_prefix_and_samesite_none_force_secure(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    for options in ({"cookie_name": "__Host-auth"}, {"samesite": "None"}):
        policy = auth.CookieTktAuthentication(secret, 60, **options)
        client = await aiohttp_client(make_app(policy))
        (morsel,) = cookies_set(await client.get("/login"), policy.cookie_name)
        assert morsel["secure"] is True  # even on plain-HTTP loopback
        assert morsel["path"] == "/"


async def test_E3_deletion_matches_the_cookie_attributes(
    aiohttp_client: Any, make_app: Any, secret: bytes, cookies_set: Any
) -> None:
    policy = auth.CookieTktAuthentication(
        secret, 60, path="/app", domain="example.com", samesite="Strict", secure=True
    )
    app = web.Application()
    app.add_subapp("/app", make_app(policy))
    client = await aiohttp_client(app)
    (set_morsel,) = cookies_set(await client.get("/app/login"), NAME)
    response = await client.get("/app/logout", cookies=make_auth_cookie(policy, "alice"))
    (deleted,) = cookies_set(response, NAME)
    assert deleted.value == ""
    assert deleted["max-age"] == "0"
    assert "1970" in deleted["expires"]
    for attribute in ("path", "domain", "secure", "samesite", "httponly"):
        assert deleted[attribute] == set_morsel[attribute], attribute
    assert deleted["path"] == "/app"
    assert deleted["domain"] == "example.com"


@pytest.mark.parametrize("path", ["/login", "/logout", "/whoami"])
async def test_E4_responses_with_the_cookie_are_uncacheable(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, cookies_set: Any, path: str
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60, reissue_time=0, clock=clock)
    client = await aiohttp_client(make_app(policy))
    response = await client.get(path, cookies=make_auth_cookie(policy, "alice"))
    assert cookies_set(response, NAME)  # login, logout and the reissue path all set it
    directives = {d.strip() for d in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "Cookie" in response.headers["Vary"]


async def test_E4_existing_cache_headers_are_merged_not_replaced(
    aiohttp_client: Any, secret: bytes
) -> None:
    async def handler(request: web.Request) -> web.Response:
        await auth.remember(request, "alice")
        return web.Response(headers={"Cache-Control": "max-age=60", "Vary": "Accept-Encoding"})

    app = web.Application()
    auth.setup(app, auth.CookieTktAuthentication(secret, 60))
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert response.headers["Cache-Control"] == "max-age=60, private, no-store"
    assert response.headers["Vary"] == "Accept-Encoding, Cookie"


@pytest.mark.parametrize("logged_in_by", ["remember", "a valid cookie"])
async def test_E4_every_line_of_the_apps_vary_and_cache_control_is_kept(
    aiohttp_client: Any, secret: bytes, logged_in_by: str
) -> None:
    """A CORS layer adds its own ``Vary: Origin`` line: merging must not drop it."""
    policy = auth.CookieTktAuthentication(secret, 60)

    async def handler(request: web.Request) -> web.Response:
        if logged_in_by == "remember":
            await auth.remember(request, "alice")
        else:
            assert await auth.get_auth(request) == "alice"
        response = web.Response()
        for name, value in (
            ("Vary", "Accept-Encoding"),
            ("Vary", "Origin"),
            ("Cache-Control", "max-age=0"),
            ("Cache-Control", "must-revalidate"),
        ):
            response.headers.add(name, value)
        return response

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    cookies = make_auth_cookie(policy, "alice") if logged_in_by != "remember" else None
    response = await client.get("/", cookies=cookies)
    assert response.headers.getall("Vary") == ["Accept-Encoding, Origin, Cookie"]
    if logged_in_by == "remember":  # a response that sets the cookie: merged, uncacheable
        expected = ["max-age=0, must-revalidate, private, no-store"]
    else:  # the app's to decide: untouched
        expected = ["max-age=0", "must-revalidate"]
    assert response.headers.getall("Cache-Control") == expected


@pytest.mark.parametrize(
    ("vary", "expected"),
    [(None, "Cookie"), ("Accept-Encoding", "Accept-Encoding, Cookie"), ("*", "*"),
     ("cookie", "cookie")],
)  # fmt: skip
async def test_E4_a_logged_in_page_adds_cookie_to_vary_and_keeps_the_apps_cache_policy(
    aiohttp_client: Any, secret: bytes, vary: str | None, expected: str
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)

    async def handler(request: web.Request) -> web.Response:
        assert await auth.get_auth(request) == "alice"
        headers = {"Cache-Control": "private, max-age=60"}
        if vary is not None:
            headers["Vary"] = vary
        return web.Response(headers=headers)

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=make_auth_cookie(policy, "alice"))
    assert response.status == 200
    assert response.headers["Vary"] == expected
    assert response.headers["Cache-Control"] == "private, max-age=60"  # the app's to decide


async def test_E4_a_page_that_never_asks_who_is_logged_in_stays_cacheable(
    aiohttp_client: Any, secret: bytes
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(headers={"Cache-Control": "public, max-age=60"})

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/", cookies=make_auth_cookie(policy, "alice"))
    assert "Vary" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=60"


async def test_E5_cookie_over_4096_bytes_is_refused_at_remember(
    aiohttp_client: Any, secret: bytes, cookies_set: Any
) -> None:
    raised: list[Exception] = []

    async def handler(request: web.Request) -> web.Response:
        try:
            # within the signer's 2048-character cap, but percent-encoded far over 4096 bytes
            await auth.remember(request, "alice", user_data="\u00e9" * 1000)
        except ValueError as exc:
            raised.append(exc)
        await auth.remember(request, "alice", user_data="x" * 2000)  # fits
        return web.Response()

    app = web.Application()
    auth.setup(app, auth.CookieTktAuthentication(secret, 60))
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert len(raised) == 1
    assert "4096" in str(raised[0])
    assert cookies_set(response, NAME)


@pytest.mark.parametrize("case", ["invalid", "expired", "valid_not_due"])
async def test_J3_no_set_cookie_unless_login_logout_or_reissue(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, cookies_set: Any, case: str
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, reissue_time=300, clock=clock)
    ticket = make_auth_cookie(policy, "alice")[NAME]
    if case == "invalid":
        ticket = ticket[:-1] + ("0" if ticket[-1] != "0" else "1")
    elif case == "expired":
        clock.advance(601)
    else:
        clock.advance(100)
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies={NAME: ticket})
    assert await response.text() == ("alice" if case == "valid_not_due" else "anonymous")
    assert response.headers.getall("Set-Cookie", []) == []
    assert "Cache-Control" not in response.headers


async def test_J3_a_ticket_in_the_reissue_window_is_reissued(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, cookies_set: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, reissue_time=300, clock=clock)
    cookie = make_auth_cookie(policy, "alice")
    clock.advance(301)
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies=cookie)
    (morsel,) = cookies_set(response, NAME)
    assert morsel.value != cookie[NAME]


@pytest.mark.parametrize("reissue_time", [None, 600, 601])
async def test_reissue_none_or_not_below_max_age_never_reissues(
    aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any, reissue_time: Any
) -> None:
    policy = auth.CookieTktAuthentication(secret, 600, reissue_time=reissue_time, clock=clock)
    cookie = make_auth_cookie(policy, "alice")
    clock.advance(599)
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", cookies=cookie)
    assert await response.text() == "alice"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("raw", ["", '""', "null", " ", "undefined"])
async def test_A17_empty_or_placeholder_cookie_is_anonymous_without_set_cookie(
    aiohttp_client: Any, make_app: Any, secret: bytes, raw: str
) -> None:
    client = await aiohttp_client(make_app(auth.CookieTktAuthentication(secret, 60, 0)))
    response = await client.get("/whoami", headers={"Cookie": f"{NAME}={raw}"})
    assert response.status == 200
    assert await response.text() == "anonymous"
    assert "Set-Cookie" not in response.headers


async def test_A18_duplicate_cookies_for_different_users_are_anonymous(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)
    alice = make_auth_cookie(policy, "alice")[NAME]
    mallory = make_auth_cookie(policy, "mallory")[NAME]
    client = await aiohttp_client(make_app(policy))
    with caplog.at_level(logging.DEBUG, logger="aiohttp_auth"):
        for first, second in ((alice, mallory), (mallory, alice)):
            header = f"{NAME}={first}; other=1; {NAME}={second}"
            response = await client.get("/whoami", headers={"Cookie": header})
            assert await response.text() == "anonymous"
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 2
    assert all(r.levelno <= logging.INFO for r in caplog.records)
    assert alice not in caplog.text
    assert mallory not in caplog.text


async def test_A18_duplicates_of_one_identity_or_with_garbage_still_authenticate(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)
    alice = make_auth_cookie(policy, "alice")[NAME]
    client = await aiohttp_client(make_app(policy))
    for header in (
        f"{NAME}={alice}; {NAME}=garbage",
        f"{NAME}=garbage; {NAME}={alice}",
        f'{NAME}="{alice}"; {NAME}={alice}',
    ):
        response = await client.get("/whoami", headers={"Cookie": header})
        assert await response.text() == "alice", header


async def test_A13_cookie_round_trips_through_a_real_cookie_jar(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)
    client = await aiohttp_client(make_app(policy))
    awkward = 'd,a;t"a\\ x'
    response = await client.get("/login", params={"user": "o'brien, jr.", "data": awkward})
    raw = response.headers["Set-Cookie"]
    assert raw.startswith(f"{NAME}=v1!")
    assert '"' not in raw.split(";")[0]  # nothing the cookie syntax needs to quote
    info = await (await client.get("/info")).json()
    assert info["user"] == "o'brien, jr."
    assert info["user_data"] == awkward


async def test_A18_many_duplicate_cookies_are_anonymous_without_verifying_each(
    aiohttp_client: Any,
    make_app: Any,
    secret: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from auth_tickets import TicketSigner

    policy = auth.CookieTktAuthentication(secret, 60)
    alice = make_auth_cookie(policy, "alice")[NAME]
    client = await aiohttp_client(make_app(policy))
    calls: list[str] = []
    real_verify = TicketSigner.verify

    def counting(self: Any, text: str, client_ip: str | None = None) -> Any:
        calls.append(text)
        return real_verify(self, text, client_ip)

    monkeypatch.setattr(TicketSigner, "verify", counting)
    header = "; ".join([f"{NAME}={alice}"] + [f"{NAME}=junk{i}" for i in range(50)])
    response = await client.get("/whoami", headers={"Cookie": header})
    assert await response.text() == "anonymous"
    assert calls == []
    few = "; ".join([f"{NAME}={alice}"] + [f"{NAME}=junk{i}" for i in range(3)])
    assert await (await client.get("/whoami", headers={"Cookie": few})).text() == "alice"
    assert len(calls) == 4


async def test_E5_a_ticket_that_fits_the_signer_but_not_a_cookie_is_refused(
    aiohttp_client: Any, secret: bytes
) -> None:
    """Name + '=' + value must fit 4096 bytes, not just the ticket itself."""
    policy = auth.CookieTktAuthentication(secret, 60, cookie_name="A_LONGER_COOKIE_NAME")
    data = next(
        "\u00e9" * k + "x" * pad
        for k in range(600, 700)
        for pad in range(6)
        if 4096 - len(policy.cookie_name)
        <= len(make_auth_ticket(policy, "alice", user_data="\u00e9" * k + "x" * pad))
        <= 4096
    )
    raised: list[Exception] = []

    async def handler(request: web.Request) -> web.Response:
        try:
            await auth.remember(request, "alice", user_data=data)
        except ValueError as exc:
            raised.append(exc)
        return web.Response()

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert "browsers keep" in str(raised[0])
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("option", [{"secure": "yes"}, {"httponly": 1}, {"persistent": "no"}])
def test_E2_cookie_flags_must_be_bools(secret: bytes, option: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        auth.CookieTktAuthentication(secret, 60, **option)


async def test_E4_a_comma_inside_a_quoted_directive_does_not_split_it(
    aiohttp_client: Any, secret: bytes
) -> None:
    """``no-cache="Set-Cookie, no-store, X-Id"`` names fields; none is a ``no-store`` directive."""

    async def handler(request: web.Request) -> web.Response:
        await auth.remember(request, "alice")
        return web.Response(headers={"Cache-Control": 'no-cache="Set-Cookie, no-store, X-Id"'})

    app = web.Application()
    auth.setup(app, auth.CookieTktAuthentication(secret, 60))
    app.router.add_get("/", handler)
    response = await (await aiohttp_client(app)).get("/")
    expected = 'no-cache="Set-Cookie, no-store, X-Id", private, no-store'
    assert response.headers["Cache-Control"] == expected
