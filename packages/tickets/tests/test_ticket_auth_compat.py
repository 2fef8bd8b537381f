"""The ``ticket_auth`` 0.1.4 drop-in and `TicketAuthCodec`, against the real package.

Interop both ways (hypothesis over user ids, tokens, data, addresses), the
strictness ``ticket_auth`` lacked (SECURITY A8, A10, A11, D3 of section 4),
and the API shape code written for ``ticket_auth`` relies on.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress

import pytest
import ticket_auth
from hypothesis import assume, given
from hypothesis import strategies as st

import auth_tickets
from auth_tickets import (
    InsecureHashWarning,
    TicketAuthCodec,
    TicketDigestError,
    TicketError,
    TicketExpired,
    TicketFactory,
    TicketInfo,
    TicketParseError,
)

FAR = 4_000_000_000  # valid_until used with now=0 below: far from every edge


def _plain_ip(value):
    """Addresses both libraries spell the same (ticket_auth does not normalise mapped ones)."""
    return value is None or getattr(ipaddress.ip_address(value), "ipv4_mapped", None) is None


@given(data=st.data())
def test_drop_in_tickets_are_byte_identical_both_ways(
    secret, user_ids, token_lists, user_datas, ip_addresses, data
):
    user_id = data.draw(user_ids)
    tokens = data.draw(token_lists) or None
    user_data = data.draw(user_datas) or None
    ip = data.draw(ip_addresses)
    assume(_plain_ip(ip))
    valid_until = data.draw(st.integers(1, 2**32 - 1))
    ours, theirs = TicketFactory(secret), ticket_auth.TicketFactory(secret)
    ticket = ours.new(user_id, tokens, user_data, valid_until, ip)
    assert ticket == theirs.new(user_id, tokens, user_data, valid_until, ip)
    expected = theirs.validate(ticket, ip, now=0)
    assert tuple(ours.validate(ticket, ip, now=0)) == tuple(expected)
    assert ours.parse(ticket) == ours.validate(ticket, ip, now=0)


@given(data=st.data())
def test_signer_migrates_ticket_auth_cookies(
    make_signer, secret, now, user_ids, token_lists, user_datas, data
):
    user_id, tokens, user_data = data.draw(user_ids), data.draw(token_lists), data.draw(user_datas)
    old_cookie = ticket_auth.TicketFactory(secret).new(user_id, tokens, user_data, now + 600)
    signer = make_signer(accept=(TicketAuthCodec(),))
    info = signer.verify(old_cookie)
    assert (info.user_id, info.tokens, info.user_data) == (user_id, tuple(tokens), user_data)
    assert (info.codec, info.needs_reissue, info.key_index) == ("ticket_auth", True, 0)
    fresh = signer.issue(info.user_id, info.tokens, info.user_data, auth_time=info.auth_time)
    assert fresh.startswith("v1!")
    assert signer.verify(fresh).needs_reissue is False


def test_codec_with_its_own_legacy_secret(make_signer, now):
    legacy_secret = b"an old 24 byte secret!!!"
    cookie = ticket_auth.TicketFactory(legacy_secret).new("alice", valid_until=now + 60)
    with pytest.warns(auth_tickets.WeakSecretWarning):
        signer = make_signer(accept=(TicketAuthCodec(secrets=legacy_secret),))
    assert signer.verify(cookie).codec == "ticket_auth"
    assert signer.issue("alice").startswith("v1!")


def test_ticket_auth_validates_what_the_signing_codec_mints(make_signer, secret, clock):
    signer = make_signer(codec=TicketAuthCodec())
    ticket = signer.issue("bob é", tokens=("editor", "a+b"), user_data="x/y", client_ip="10.0.0.1")
    info = ticket_auth.TicketFactory(secret).validate(ticket, "10.0.0.1", now=clock.now)
    assert (info.user_id, info.tokens, info.user_data) == ("bob é", ("editor", "a+b"), "x/y")


@pytest.mark.parametrize(
    "spelling",
    [
        *["0xabcdef", "0Xabcdef", "+0abcdef", " 0abcdef", "\t0abcdef", "0_abcdef", "00ABCDEF"],
        *["\u0660\u0660abcdef", "0abcdef ", "-0abcdef"],
    ],
)
def test_A8_timestamp_spellings_ticket_auth_accepted_are_rejected(secret, spelling):
    theirs = ticket_auth.TicketFactory(secret)
    ticket = theirs.new("alice", valid_until=0x00ABCDEF)
    forged = ticket[:128] + spelling + ticket[136:]
    with contextlib.suppress(Exception):  # the predecessor: these validate (D3) or blow up
        theirs.validate(forged, now=0)
    with pytest.raises(TicketParseError):
        TicketFactory(secret).validate(forged, now=0)
    with pytest.raises(TicketParseError):
        TicketFactory(secret).parse(forged)


def test_A8_predecessor_really_accepted_a_hex_prefix(secret):
    theirs = ticket_auth.TicketFactory(secret)
    ticket = theirs.new("alice", valid_until=0x00ABCDEF)
    assert theirs.validate(ticket[:128] + "0xabcdef" + ticket[136:], now=0).user_id == "alice"


SPELLINGS = ["%61lice", "%ff", "%fe", "%Ef%bF%bd", "a%2cb", "%zz", "%2", "%C0%AF", "a+b", "%00"]


@pytest.mark.parametrize(
    ("position", "spelling"),
    [(0, spelling) for spelling in [*SPELLINGS, ""]] + [(2, spelling) for spelling in SPELLINGS],
)
def test_A11_non_canonical_percent_encodings_are_rejected(secret, position, spelling):
    """Each forgery carries the digest ticket_auth itself computes for its lenient reading."""
    theirs = ticket_auth.TicketFactory(secret)
    good = theirs.new("x", tokens=("t",), user_data="x", valid_until=FAR)
    fields = good[136:].split("!")
    fields[position] = spelling
    variant = good[:136] + "!".join(fields)
    forged = theirs.new(*_reparsed(theirs, variant))[:128] + variant[128:]
    with pytest.raises(TicketError):
        TicketFactory(secret).validate(forged, now=0)


def _reparsed(factory, ticket):
    """What ticket_auth would re-serialise and MAC for ``ticket`` (its lenient reading)."""
    info = factory.parse(ticket)
    return info.user_id, info.tokens, info.user_data, info.valid_until


def test_A11_predecessor_collided_percent_spellings(secret):
    theirs, ours = ticket_auth.TicketFactory(secret), TicketFactory(secret)
    ticket = theirs.new("alice", valid_until=FAR)
    forged = ticket.replace("alice", "%61lice")
    assert theirs.validate(forged, now=0).user_id == "alice"
    with pytest.raises(TicketDigestError):  # our MAC covers the received bytes
        ours.validate(forged, now=0)
    assert ours.validate(ticket, now=0).user_id == "alice"


@pytest.mark.parametrize(
    "text",
    [
        *["\udcff", "a" * 136 + "\udcff!!", "\xff" * 200, "é" * 140, "", "0" * 135, "0" * 136],
        *["0" * 136 + "!", "0" * 136 + "!!!", "0" * 128 + "abcdefgh" + "a!b!c"],
    ],
)
def test_A10_any_text_is_a_ticket_error_never_a_crash(secret, text):
    with pytest.raises(TicketError):
        TicketFactory(secret).validate(text, now=0)
    if not text.startswith("0" * 128 + "abcdefgh"):  # that one parses: its digest is wrong
        with pytest.raises(TicketParseError):
            TicketFactory(secret).parse(text)


@pytest.mark.parametrize("value", [None, 123, b"ticket", ["t"]])
def test_A14_non_string_tickets_are_parse_errors(secret, value):
    with pytest.raises(TicketParseError):
        TicketFactory(secret).validate(value)


def test_A12_values_ticket_auth_would_lose_are_refused(secret):
    factory = TicketFactory(secret)
    lossy = ticket_auth.TicketFactory(secret).new("x", tokens=("",), valid_until=FAR)
    assert ticket_auth.TicketFactory(secret).validate(lossy, now=0).tokens == ()
    with pytest.raises(ValueError, match="empty"):
        factory.new("x", tokens=("",))
    with pytest.raises(ValueError, match="empty"):
        factory.new("")
    with pytest.raises(ValueError, match="control"):
        factory.new("a\x00b")
    with pytest.raises(TypeError):
        factory.new("x", tokens="editor")
    empty_id = ticket_auth.TicketFactory(secret).new("", valid_until=FAR)
    with pytest.raises(TicketParseError):
        factory.validate(empty_id, now=0)
    nul_id = ticket_auth.TicketFactory(secret).new("a\x00b", valid_until=FAR)
    with pytest.raises(TicketParseError):
        factory.validate(nul_id, now=0)


@pytest.mark.parametrize("valid_until", [-1, 2**32, 10**12])
def test_C2_drop_in_refuses_times_outside_the_field(secret, valid_until):
    with pytest.raises(ValueError, match="32"):
        TicketFactory(secret).new("alice", valid_until=valid_until)


def test_drop_in_api_shape(secret, monkeypatch):
    factory = TicketFactory(secret)
    monkeypatch.setattr("time.time", lambda: 1_000_000_000.7)
    ticket = factory.new("alice", ["editor"], "data")
    info = factory.validate(ticket)
    assert isinstance(info, TicketInfo)
    assert info._fields == ("digest", "user_id", "tokens", "user_data", "valid_until")
    assert info.valid_until == 1_000_000_120
    assert info.digest == ticket[:128]
    assert ticket == ticket_auth.TicketFactory(secret).new("alice", ["editor"], "data")
    monkeypatch.setattr("time.time", lambda: 1_000_000_120.0)
    with pytest.raises(TicketExpired):
        factory.validate(ticket)
    assert factory.new("x", valid_until=1.9e9) == factory.new("x", valid_until=1_900_000_000)
    utf16 = factory.new("x", valid_until=FAR, encoding="utf-16")
    assert utf16 == ticket_auth.TicketFactory(secret).new("x", valid_until=FAR, encoding="utf-16")
    assert factory.validate(utf16, now=0, encoding="utf-16").user_id == "x"
    with pytest.raises(TicketDigestError):
        factory.validate(utf16, now=0)
    assert "hidden" in repr(factory)


def test_exception_hierarchy_and_messages():
    for cls in (TicketParseError, TicketDigestError, TicketExpired):
        assert issubclass(cls, TicketError)
        assert issubclass(cls, Exception)
    assert str(TicketDigestError()) == "Ticket error: Invalid digest"
    assert str(TicketExpired()) == "Ticket error: Ticket expired"
    assert str(TicketError()) == "Ticket error"
    assert TicketParseError("bad").msg == "bad"


@pytest.mark.parametrize("name", ["sha256", "sha384", "sha3_256", "blake2b", "sha512_256"])
def test_drop_in_supports_ticket_auths_other_hashes(secret, name):
    if name not in hashlib.algorithms_available:  # pragma: no cover - depends on OpenSSL
        pytest.skip(f"{name} not available")
    ours, theirs = TicketFactory(secret, name), ticket_auth.TicketFactory(secret, name)
    ticket = ours.new("alice", ("a",), "b", FAR, "::1")
    assert ticket == theirs.new("alice", ("a",), "b", FAR, "::1")
    assert ours.validate(ticket, "::1", now=0).user_id == "alice"


def test_drop_in_md5_works_with_a_warning(secret):
    with pytest.warns(InsecureHashWarning):
        ours = TicketFactory(secret, "md5")
    ticket = ours.new("alice", valid_until=FAR)
    assert ticket == ticket_auth.TicketFactory(secret, "md5").new("alice", valid_until=FAR)
    with pytest.raises(ValueError, match="unsupported"):
        TicketFactory(secret, "shake_256")
    with pytest.raises(TypeError):
        TicketFactory(secret, None)  # type: ignore[arg-type]
