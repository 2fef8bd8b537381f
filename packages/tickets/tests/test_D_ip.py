"""SECURITY D1-D3: IP binding, normalisation and unambiguous encodings."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import (
    HmacCodec,
    ModAuthTktCodec,
    TicketAuthCodec,
    TicketDigestError,
    TicketError,
    TicketFactory,
    normalize_ip,
)

CODECS = [HmacCodec, TicketAuthCodec, ModAuthTktCodec]


@pytest.mark.parametrize(
    ("given_ip", "expected"),
    [
        ("1.2.3.4", "1.2.3.4"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("::FFFF:102:304", "1.2.3.4"),
        ("fe80::1%eth0", "fe80::1"),
        ("FE80:0:0:0:0:0:0:1", "fe80::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("::1", "::1"),
    ],
)
def test_D2_normalize_ip(given_ip, expected):
    assert normalize_ip(given_ip) == expected


@pytest.mark.parametrize(
    "value", ["", "garbage", "1.2.3", "1.2.3.4%eth0", " 1.2.3.4", "1.2.3.4:80", "[::1]", "unix:"]
)
def test_D2_normalize_ip_refuses_non_addresses(value):
    with pytest.raises(ValueError, match="not an IP address"):
        normalize_ip(value)


@pytest.mark.parametrize("value", [None, 1234, b"1.2.3.4", ["1.2.3.4"]])
def test_D2_normalize_ip_refuses_non_strings_with_value_error(value):
    with pytest.raises(ValueError, match="not an IP address"):
        normalize_ip(value)


@pytest.mark.parametrize("codec", CODECS)
def test_D1_ticket_bound_to_one_address_fails_from_another(make_signer, codec):
    signer = make_signer(codec=codec())
    ticket = signer.issue("alice", client_ip="203.0.113.5")
    assert signer.verify(ticket, client_ip="203.0.113.5").client_ip == "203.0.113.5"
    for other in ("203.0.113.6", None, "::1", "not-an-ip"):
        with pytest.raises(TicketDigestError):
            signer.verify(ticket, client_ip=other)
    unbound = signer.issue("alice")
    with pytest.raises(TicketDigestError):
        signer.verify(unbound, client_ip="203.0.113.5")


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(
    ("issued_for", "seen_as"),
    [
        ("1.2.3.4", "::ffff:1.2.3.4"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("fe80::1%eth0", "fe80::1"),
        ("fe80::1", "fe80::1%eth1"),
        ("::1", "0:0:0:0:0:0:0:1"),
    ],
)
def test_D2_mapped_and_scoped_addresses_are_the_same_client(
    make_signer, codec, issued_for, seen_as
):
    signer = make_signer(codec=codec())
    assert signer.verify(signer.issue("alice", client_ip=issued_for), client_ip=seen_as)


def test_D2_drop_in_normalises_where_ticket_auth_did_not(secret, now):
    factory = TicketFactory(secret)
    ticket = factory.new("alice", valid_until=now + 60, client_ip="1.2.3.4")
    assert factory.validate(ticket, client_ip="::ffff:1.2.3.4", now=now).user_id == "alice"
    assert factory.validate(ticket, client_ip=ipaddress.ip_address("1.2.3.4"), now=now)
    with pytest.raises(TicketDigestError):
        factory.validate(ticket, client_ip="garbage", now=now)


def test_D3_pyramid_counter_example_is_not_a_collision(make_signer, mint, clock):
    """('2001:db8::1', 1700000000) and ('2001:db8::11', 700000000) share Pyramid's MAC input."""
    for codec in (HmacCodec, TicketAuthCodec, ModAuthTktCodec):
        first = mint(
            codec(),
            client_ip="2001:db8::1",
            valid_until=1_700_000_000 + 3600,
            auth_time=1_700_000_000,
        )
        signer = make_signer(codec=codec(), clock=lambda: 1_700_000_000)
        assert signer.verify(first, client_ip="2001:db8::1")
        with pytest.raises(TicketError):
            signer.verify(first, client_ip="2001:db8::11")


def test_D3_mod_auth_tkt_refuses_timestamps_that_would_make_ipv6_ambiguous(
    make_signer, pyramid_authentication
):
    """Pyramid itself accepts the shifted ticket; our codec refuses short timestamps."""
    secret = b"\x9c" * 16 + bytes(range(16))
    original = pyramid_authentication.AuthTicket(
        secret, "alice", "2001:db8::1", time=1_700_000_000, hashalg="sha512"
    ).cookie_value()
    shifted = original[:128] + f"{700_000_000:08x}" + original[136:]
    timestamp, *_ = pyramid_authentication.parse_ticket(secret, shifted, "2001:db8::11", "sha512")
    assert timestamp == 700_000_000  # the forgery works against Pyramid
    signer = make_signer(secrets=secret, codec=ModAuthTktCodec(), clock=lambda: 700_000_000)
    with pytest.raises(TicketError):
        signer.verify(shifted, client_ip="2001:db8::11")
    with pytest.raises(ValueError, match="2001"):
        signer.issue("alice")


@given(
    a=st.tuples(st.ip_addresses().map(str) | st.none(), st.integers(1_000_000_000, 2**32 - 1)),
    b=st.tuples(st.ip_addresses().map(str) | st.none(), st.integers(1_000_000_000, 2**32 - 1)),
)
def test_D3_distinct_ip_and_time_never_share_a_mac_input(a, b):
    """Both legacy MAC prefixes are injective; only "unbound" and 0.0.0.0 coincide (by format)."""
    from auth_tickets.codecs.mod_auth_tkt import _ip_timestamp
    from auth_tickets.codecs.ticket_auth import ip_prefix

    (ip_a, t_a), (ip_b, t_b) = a, b
    key_a = (None if ip_a is None else normalize_ip(ip_a), t_a)
    key_b = (None if ip_b is None else normalize_ip(ip_b), t_b)
    if key_a == key_b:
        return
    assert _ip_timestamp(key_a[0], t_a) != _ip_timestamp(key_b[0], t_b) or (
        key_a[0] in (None, "0.0.0.0") and key_b[0] in (None, "0.0.0.0") and t_a == t_b
    )
    prefix_a = ip_prefix(key_a[0]) + t_a.to_bytes(4, "big")
    prefix_b = ip_prefix(key_b[0]) + t_b.to_bytes(4, "big")
    assert prefix_a != prefix_b or {key_a[0], key_b[0]} <= {None, "0.0.0.0"}
