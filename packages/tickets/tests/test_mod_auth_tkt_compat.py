"""`ModAuthTktCodec` against Pyramid's ``AuthTicket`` / ``parse_ticket`` (mod_auth_tkt format)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import (
    InsecureHashWarning,
    ModAuthTktCodec,
    TicketError,
    TicketParseError,
    TicketSigner,
)

USER_DATA = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters='!",;\\'),
    max_size=40,
)


@given(data=st.data())
def test_pyramid_and_we_mint_the_same_cookie_and_read_each_other(
    pyramid_authentication, secret, now, user_ids, token_lists, ip_addresses, data
):
    user_id, tokens = data.draw(user_ids), tuple(data.draw(token_lists))
    user_data, ip = data.draw(USER_DATA), data.draw(ip_addresses)
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    ours = signer.issue(user_id, tokens, user_data, ip)
    peer_ip = "0.0.0.0" if ip is None else signer.verify(ours, client_ip=ip).client_ip
    theirs = pyramid_authentication.AuthTicket(
        secret, user_id, peer_ip, tokens=tokens, user_data=user_data, time=now, hashalg="sha512"
    ).cookie_value()
    assert ours == theirs
    timestamp, parsed_id, parsed_tokens, parsed_data = pyramid_authentication.parse_ticket(
        secret, ours, peer_ip, "sha512"
    )
    assert (timestamp, parsed_id, parsed_data) == (now, user_id, user_data)
    assert parsed_tokens == (list(tokens) or [""])  # Pyramid's quirk for "no tokens"
    info = signer.verify(theirs, client_ip=ip)
    assert (info.user_id, info.tokens, info.user_data, info.auth_time) == (
        user_id,
        tokens,
        user_data,
        now,
    )


def test_apache_md5_only_by_name_with_a_warning(pyramid_authentication, secret, now):
    with pytest.warns(InsecureHashWarning, match="md5"):
        codec = ModAuthTktCodec("md5")
    signer = TicketSigner(secret, codec=codec, clock=lambda: now)
    cookie = pyramid_authentication.AuthTicket(secret, "alice", "1.2.3.4", time=now).cookie_value()
    assert signer.issue("alice", client_ip="1.2.3.4") == cookie
    assert signer.verify(cookie, client_ip="1.2.3.4").user_id == "alice"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: f'"{t}"',  # Pyramid strips quotes; we take the value as given
        lambda t: t.replace("alice!", "alice!!", 1),  # empty tokens spelled with a separator
        lambda t: t[:128] + t[128:136].upper() + t[136:],
        lambda t: t[:128] + "0x" + t[130:],
        lambda t: t.replace("alice", "%61lice"),
        lambda t: t.replace("alice", "al%69ce"),
        lambda t: t + "\udcff",
        lambda t: t[:136],
        lambda t: t[:136] + "!",
    ],
)
def test_A8_A11_non_canonical_spellings_are_rejected(secret, now, mutate):
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    ticket = signer.issue("alice", user_data="data")
    with pytest.raises(TicketError):
        signer.verify(mutate(ticket))


@pytest.mark.parametrize("user_data", ["a!b", "a b", 'a"b', "a,b", "a;b", "a\\b", "é"])
def test_A12_user_data_that_would_not_survive_unescaped_is_refused(secret, now, user_data):
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    with pytest.raises(ValueError, match="user data"):
        signer.issue("alice", user_data=user_data)


def test_tokens_outside_the_alphabet_are_rejected(pyramid_authentication, secret, now):
    cookie = pyramid_authentication.AuthTicket(
        secret, "alice", "0.0.0.0", tokens=("9lives",), time=now, hashalg="sha512"
    ).cookie_value()
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    with pytest.raises(TicketParseError, match="token"):
        signer.verify(cookie)


def test_user_id_with_control_characters_is_rejected(pyramid_authentication, secret, now):
    cookie = pyramid_authentication.AuthTicket(
        secret, "al\nice", "0.0.0.0", time=now, hashalg="sha512"
    ).cookie_value()
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    with pytest.raises(TicketParseError):
        signer.verify(cookie)


def test_issue_refuses_an_over_long_ticket(secret, now):
    signer = TicketSigner(secret, codec=ModAuthTktCodec(), clock=lambda: now)
    with pytest.raises(ValueError, match="exceeds"):
        signer.issue("\U0001f600" * 256, user_data="x" * 2000)
