"""SECURITY A17 and A18 over raw sockets: empty values and our cookie name written many ways.

The Cookie header is where a browser (or a sibling subdomain tossing cookies
at it) can be made to send odd things: our name with no value, placeholder
values, quotes and spaces around a ticket, the name twice for two users, the
name spelled with spacing or commas, or names that merely contain ours.  The
rule checked: a ticket authenticates only when it is the one value of our
cookie; two tickets for different users, however written, are anonymous; a
cookie that only looks like ours is not ours.  Same ANON contract and log
guard as ``test_A_hostile_tickets``.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "cookie", [b"AUTH_TKT=", b'AUTH_TKT=""', b"AUTH_TKT=null", b"AUTH_TKT", b"AUTH_TKT= ", b"=x"]
)
async def test_A17_empty_or_placeholder_cookies_are_anonymous_over_a_raw_socket(
    app, cookie, assert_anon
):
    await assert_anon(app, cookie)


async def test_A17_padding_around_a_valid_ticket_does_not_create_a_second_spelling(
    app, assert_anon, assert_alice
):
    """Cookie syntax (RFC 6265 DQUOTEs, surrounding whitespace) is the cookie layer's: the
    ticket inside is byte-identical, so it authenticates.  Anything inside the value that is
    not the ticket (an escaped space) is anonymous; a NUL is aiohttp's 400 (test_raw_http)."""
    ticket = app.ticket().encode()
    for same in (b'"' + ticket + b'"', b" " + ticket + b" ", ticket + b"\t"):
        await assert_alice(app, b"AUTH_TKT=" + same)
    for padded in (
        ticket + b"%20",
        b"%20" + ticket,
        b"+" + ticket,
        ticket[:-1] + b"%" + ticket[-1:],
    ):
        await assert_anon(app, b"AUTH_TKT=" + padded)


async def test_A18_duplicate_cookies_for_two_users_are_anonymous_in_either_order(
    app, kit, assert_anon
):
    alice, bob = app.ticket("alice").encode(), app.ticket("bob").encode()
    await assert_anon(app, b"AUTH_TKT=" + alice + b"; AUTH_TKT=" + bob)
    await assert_anon(app, b"AUTH_TKT=" + bob + b"; AUTH_TKT=" + alice)
    # two Cookie headers instead of one: the same rule
    head = b"GET /view HTTP/1.1\r\nHost: x\r\nCookie: AUTH_TKT=" + alice
    response = await kit.raw_request(app.port, head + b"\r\nCookie: AUTH_TKT=" + bob)
    assert response.status == 403


async def test_A18_a_duplicate_of_the_same_user_or_with_garbage_still_authenticates(
    app, assert_alice
):
    alice = app.ticket("alice").encode()
    await assert_alice(app, b"AUTH_TKT=" + alice + b"; AUTH_TKT=" + alice)
    await assert_alice(app, b"AUTH_TKT=garbage; AUTH_TKT=" + alice)


async def test_A18_many_duplicate_cookies_are_anonymous(app, assert_anon):
    tickets = [app.ticket("alice", user_data=str(i)).encode() for i in range(10)]
    await assert_anon(app, b"; ".join(b"AUTH_TKT=" + t for t in tickets))


@pytest.mark.parametrize(
    "template",
    [
        b"AUTH_TKT={a}; AUTH_TKT ={b}",
        b"AUTH_TKT ={b}; AUTH_TKT={a}",
        b"AUTH_TKT={a}; AUTH_TKT\t={b}",
        b"AUTH_TKT={a};AUTH_TKT={b}",
        b"AUTH_TKT={a}, AUTH_TKT={b}",
        b"AUTH_TKT={b},AUTH_TKT={a}",
    ],
)
async def test_A18_spacing_and_separator_variants_of_a_second_user_are_anonymous(
    app, template, assert_anon
):
    """However the second cookie is spelled, bob's ticket can never hide or replace alice's."""
    alice, bob = app.ticket("alice").encode(), app.ticket("bob").encode()
    await assert_anon(app, template.replace(b"{a}", alice).replace(b"{b}", bob))


@pytest.mark.parametrize(
    "template",
    [
        b"NOTAUTH_TKT={b}; AUTH_TKT={a}",
        b"AUTH_TKTX={b}; AUTH_TKT={a}",
        b"auth_tkt={b}; AUTH_TKT={a}",
        b'x="AUTH_TKT={b}"; AUTH_TKT={a}',
    ],
)
async def test_A18_lookalike_cookie_names_are_not_ours(app, template, assert_alice):
    alice, bob = app.ticket("alice").encode(), app.ticket("bob").encode()
    await assert_alice(app, template.replace(b"{a}", alice).replace(b"{b}", bob))
