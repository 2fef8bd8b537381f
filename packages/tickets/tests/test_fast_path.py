"""The fused hot paths give exactly what the plain, step-by-step paths give.

`TicketSigner` verifies through ``BoundCodec.verifier`` and issues through
``BoundCodec.issuer``; formats override them with one flat function for
speed. These tests run the overrides and the
generic base-class versions on the same inputs and require the same result
or the same exception (type and message), and check that the parse memo
never skips the MAC, the IP binding or the time policy.
"""

from __future__ import annotations

import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import (
    HmacCodec,
    ModAuthTktCodec,
    TicketAuthCodec,
    TicketDigestError,
    TicketError,
    TicketExpired,
    TicketSigner,
    generate_secret,
)
from auth_tickets.claims import Claims
from auth_tickets.codecs.base import BoundCodec
from auth_tickets.codecs.hmac_verify import PARSE_MEMO_SIZE
from auth_tickets.expiry import ExpiryPolicy

NOW = 1_764_400_000
CODECS = [HmacCodec, TicketAuthCodec, ModAuthTktCodec]


def _outcome(call, *args):
    """The result, or ``(exception type, message)``: what must agree between the paths."""
    try:
        return call(*args)
    except TicketError as exc:
        return type(exc), exc.msg


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
@given(
    until_offset=st.integers(-5, 4000),
    auth_offset=st.integers(-4000, 200),
    skew=st.integers(0, 120),
    lifetime=st.none() | st.integers(1, 8000),
    now_fraction=st.sampled_from([0.0, 0.25, 0.999]),
)
def test_fused_verifier_matches_verify_then_policy_check(
    mint, secret, codec, until_offset, auth_offset, skew, lifetime, now_fraction
):
    valid_until = NOW + until_offset
    auth_time = max(0, NOW + auth_offset)
    ticket = mint(codec(), valid_until=valid_until, auth_time=auth_time)
    policy = ExpiryPolicy(3600, skew, lifetime)
    bound = codec().bind((secret,), max_age=3600)

    def clock() -> float:
        return NOW + now_fraction

    fused = bound.verifier(policy, clock, "x", legacy=False)
    generic = BoundCodec.verifier(bound, policy, clock, "x", legacy=False)
    assert _outcome(fused, ticket, None) == _outcome(generic, ticket, None)


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
@pytest.mark.parametrize("valid_until", [0, 10, 3000])
def test_fused_verifier_matches_the_policy_before_the_epoch(mint, secret, codec, valid_until):
    ticket = mint(codec(), valid_until=valid_until, auth_time=0)
    policy = ExpiryPolicy(3600, 60, None)
    bound = codec().bind((secret,), max_age=3600)

    def clock() -> float:
        return -100.0

    fused = bound.verifier(policy, clock, "x", legacy=True)
    generic = BoundCodec.verifier(bound, policy, clock, "x", legacy=True)
    assert _outcome(fused, ticket, None) == _outcome(generic, ticket, None)


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("client_ip", [None, "203.0.113.5", "2001:db8::1"])
def test_bound_verify_returns_the_claims_and_key_index(make_signer, secret, codec, client_ip):
    keys = (generate_secret(), secret)
    old = make_signer(codec=codec()).issue("alice", ("editor",), "x", client_ip=client_ip)
    bound = codec().bind(keys, max_age=3600)
    claims, key_index = bound.verify(old, client_ip)
    assert type(claims) is Claims
    assert (claims.user_id, claims.tokens, claims.user_data) == ("alice", ("editor",), "x")
    assert claims.client_ip == client_ip
    assert key_index == 1
    with pytest.raises(TicketDigestError):
        bound.verify(old, "198.51.100.7")
    if codec is not ModAuthTktCodec:  # the fused codecs keep the TicketError-only contract
        for not_text in (None, 5, old.encode()):
            with pytest.raises(TicketError):
                bound.verify(not_text, client_ip)


def test_memo_hit_still_checks_mac_ip_and_time(make_signer, clock, monkeypatch):
    keys = [generate_secret() for _ in range(2)]
    signer = make_signer(secrets=keys, max_age=100)
    ticket = signer.issue("alice", client_ip="203.0.113.5")
    first = signer.verify(ticket, client_ip="203.0.113.5")
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert signer.verify(ticket, client_ip="203.0.113.5") == first  # a memo hit
    assert len(calls) == len(keys)  # every key, as on the first verification
    with pytest.raises(TicketDigestError):
        signer.verify(ticket, client_ip="198.51.100.7")
    with pytest.raises(TicketDigestError):
        signer.verify(ticket)
    rotated = TicketSigner(keys[1:], max_age=100, clock=clock)
    with pytest.raises(TicketDigestError):  # a removed key stops working, memo or not
        rotated.verify(ticket, client_ip="203.0.113.5")
    clock.advance(100)
    with pytest.raises(TicketExpired):
        signer.verify(ticket, client_ip="203.0.113.5")


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
def test_memo_is_bounded_and_results_survive_a_flush(make_signer, codec):
    signer = make_signer(codec=codec())
    tickets = [signer.issue(f"user{i}") for i in range(PARSE_MEMO_SIZE + 10)]
    for _ in range(2):
        for i, ticket in enumerate(tickets):
            assert signer.verify(ticket).user_id == f"user{i}"


def test_legacy_ticket_auth_tickets_obey_max_lifetime(make_signer, mint, clock, now):
    signer = make_signer(max_lifetime=100, accept=(TicketAuthCodec(),))
    old = mint(TicketAuthCodec(), valid_until=now + 3600)  # login time taken as now
    assert signer.verify(old).needs_reissue
    clock.advance(100)
    with pytest.raises(TicketExpired, match="max_lifetime"):
        signer.verify(old)


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
def test_a_tampered_ticket_fails_after_its_original_was_verified(make_signer, codec):
    signer = make_signer(codec=codec())
    ticket = signer.issue("alice")
    signer.verify(ticket)
    for index in range(len(ticket)):
        for replacement in "0aZ!%":
            if ticket[index] == replacement:
                continue
            with pytest.raises(TicketError):
                signer.verify(ticket[:index] + replacement + ticket[index + 1 :])


_values = st.one_of(
    st.sampled_from(["alice", "", "a" * 256, "a" * 257, "José", "a b", "x\x00", "\udcff"]),
    st.text(max_size=12),
    st.none(),
    st.integers(-1, 1),
    st.binary(max_size=3),
)
_token_sets = st.one_of(
    st.none(),
    st.sampled_from(["editor", b"editor", ("editor",), ("editor", "admin"), ["editor"], ()]),
    st.lists(st.sampled_from(["editor", "a.b", "", "9x", "x" * 65, 5, ["x"]]), max_size=3).map(
        tuple
    ),
    st.lists(st.text(max_size=4), max_size=2),
)
_addresses = st.sampled_from([None, "203.0.113.5", "::ffff:203.0.113.5", "fe80::1%eth0", "nope"])
_auth_times = st.one_of(
    st.none(), st.sampled_from([NOW, NOW - 7200, NOW + 30, NOW + 61, -1, True, "1", 1.5])
)
_login_ids = st.one_of(
    st.none(),
    st.sampled_from(["", "L0g1n-1d_AbC", "L0g1n-1d_Ab", "L0g1n-1d_AbC=", "L0g1n+1d/AbC", 5, b""]),
    st.text(max_size=13),
)


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
@given(
    user_id=_values,
    tokens=_token_sets,
    user_data=_values,
    client_ip=_addresses,
    auth_time=_auth_times,
    login_id=_login_ids,
    lifetime=st.none() | st.sampled_from([1, 3600, 9000]),
)
def test_fused_issuer_matches_the_checked_generic_path(
    secret,
    fixed_login_ids,
    codec,
    user_id,
    tokens,
    user_data,
    client_ip,
    auth_time,
    login_id,
    lifetime,
):
    policy = ExpiryPolicy(3600, 60, lifetime)
    bound = codec().bind((secret,), max_age=3600)

    def clock() -> float:
        return NOW + 0.5

    def outcome(issuer):
        try:
            return issuer(user_id, tokens, user_data, client_ip, auth_time, login_id)
        except (TypeError, ValueError, TicketError) as exc:
            return type(exc), str(exc)

    fused = bound.issuer(policy, clock)
    generic = BoundCodec.issuer(bound, policy, clock)
    assert outcome(fused) == outcome(generic)
    assert outcome(fused) == outcome(fused)  # the token memo changes nothing


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
def test_token_memo_is_bounded(make_signer, codec):
    signer = make_signer(codec=codec())
    for _ in range(2):
        for i in range(600):
            tokens = (f"t{i}", "editor")
            assert signer.verify(signer.issue("alice", tokens)).tokens == tokens


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
def test_issue_refuses_an_oversized_ticket(mint, make_signer, codec):
    with pytest.raises(ValueError, match="exceeds"):
        mint(codec(), user_data="\U0001f600" * 1000)
    with pytest.raises(ValueError, match="exceeds"):
        make_signer(codec=codec()).issue("alice", user_data="\U0001f600" * 1000)
