"""SECURITY C1-C4 and C6: expiry boundary, far-future cap, skew, absolute lifetime, settings."""

from __future__ import annotations

import pytest

from auth_tickets import (
    HmacCodec,
    ModAuthTktCodec,
    TicketAuthCodec,
    TicketExpired,
    TicketSigner,
)

CODECS = [HmacCodec, TicketAuthCodec, ModAuthTktCodec]


@pytest.mark.parametrize("codec", CODECS)
def test_C1_expired_when_valid_until_is_now_or_past(make_signer, clock, codec):
    signer = make_signer(max_age=100, codec=codec())
    ticket = signer.issue("alice")
    assert signer.verify(ticket).valid_until == clock.now + 100
    clock.advance(99)
    assert signer.verify(ticket).user_id == "alice"  # valid_until == now + 1
    clock.advance(0.999)
    assert signer.verify(ticket).user_id == "alice"
    clock.advance(0.001)  # valid_until == now: expired (the pinned boundary)
    with pytest.raises(TicketExpired):
        signer.verify(ticket)
    clock.advance(1)
    with pytest.raises(TicketExpired):
        signer.verify(ticket)


def test_C1_drop_in_boundary_matches_ticket_auth(secret, now):
    import ticket_auth

    from auth_tickets import TicketFactory

    ours, theirs = TicketFactory(secret), ticket_auth.TicketFactory(secret)
    ticket = ours.new("alice", valid_until=now)
    for when in (now - 1, now - 0.5):
        assert ours.validate(ticket, now=when) == theirs.validate(ticket, now=when)
    for when in (now, now + 1):
        with pytest.raises(TicketExpired):
            ours.validate(ticket, now=when)
        with pytest.raises(ticket_auth.TicketExpired):
            theirs.validate(ticket, now=when)


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec])
def test_C2_far_future_ticket_is_rejected(make_signer, mint, now, codec):
    signer = make_signer(max_age=3600, skew=60, codec=codec())
    at_cap = mint(codec(), valid_until=now + 3600 + 60)
    assert signer.verify(at_cap).user_id == "alice"
    for valid_until in (now + 3600 + 61, now + 365 * 86400, 0xFFFFFFFF):
        with pytest.raises(TicketExpired, match="beyond"):
            signer.verify(mint(codec(), valid_until=valid_until))


def test_C2_far_future_mod_auth_tkt_issue_time_is_rejected(make_signer, mint, now):
    signer = make_signer(codec=ModAuthTktCodec(), skew=60)
    assert signer.verify(mint(ModAuthTktCodec(), valid_until=now + 3600 + 60)).auth_time == now + 60
    with pytest.raises(TicketExpired):
        signer.verify(mint(ModAuthTktCodec(), valid_until=now + 3600 + 61))


@pytest.mark.parametrize(
    ("codec", "max_age"),
    [(TicketAuthCodec(), 200 * 365 * 86400), (ModAuthTktCodec(), 200 * 365 * 86400)],
)
def test_C2_max_age_overflowing_the_time_field_fails_at_setup(secret, codec, max_age):
    with pytest.raises(ValueError, match="overflows"):
        TicketSigner(secret, max_age=max_age, codec=codec)
    TicketSigner(secret, max_age=max_age)  # the default format has room


def test_C3_skew_tolerance_between_instances(secret, clock, now):
    fast_30s = TicketSigner(secret, clock=lambda: now + 30)
    fast_10min = TicketSigner(secret, clock=lambda: now + 600)
    local = TicketSigner(secret, skew=60, clock=clock)
    assert local.verify(fast_30s.issue("alice")).auth_time == now + 30
    with pytest.raises(TicketExpired):
        local.verify(fast_10min.issue("alice"))
    strict = TicketSigner(secret, skew=0, clock=clock)
    with pytest.raises(TicketExpired):
        strict.verify(fast_30s.issue("alice"))


def test_C3_future_auth_time_is_rejected(make_signer, mint, now):
    signer = make_signer(skew=60)
    assert signer.verify(mint(HmacCodec(), auth_time=now + 60)).auth_time == now + 60
    with pytest.raises(TicketExpired, match="future"):
        signer.verify(mint(HmacCodec(), auth_time=now + 61))
    with pytest.raises(TicketExpired, match="future"):
        signer.verify(mint(HmacCodec(), auth_time=now + 50, valid_until=now + 40))


def test_C4_absolute_lifetime_survives_reissue(make_signer, clock, now):
    signer = make_signer(max_age=600, max_lifetime=3600)
    ticket = signer.issue("alice", tokens=("editor",))
    seen = 0
    while True:  # reissue on every request, every 5 minutes
        clock.advance(300)
        try:
            info = signer.verify(ticket)
        except TicketExpired:
            break
        seen += 1
        assert info.auth_time == now
        try:
            ticket = signer.issue(info.user_id, info.tokens, auth_time=info.auth_time)
        except TicketExpired:
            break
    assert clock.now == now + 3600
    assert seen == 11
    assert signer.verify(signer.issue("alice")).auth_time == clock.now  # a new login works


def test_C4_reissue_never_extends_past_the_lifetime(make_signer, clock, now):
    signer = make_signer(max_age=600, max_lifetime=1000)
    clock.advance(700)
    assert signer.verify(signer.issue("alice", auth_time=now)).valid_until == now + 1000
    clock.advance(300)
    with pytest.raises(TicketExpired, match="log in again"):
        signer.issue("alice", auth_time=now)


def test_C4_lifetime_is_checked_on_verify_too(make_signer, mint, now):
    signer = make_signer(max_age=600, max_lifetime=1000)
    with pytest.raises(TicketExpired, match="max_lifetime"):
        signer.verify(mint(HmacCodec(), auth_time=now - 1000, valid_until=now + 10))
    assert signer.verify(mint(HmacCodec(), auth_time=now - 999, valid_until=now + 1))


def test_C4_max_lifetime_needs_a_format_that_carries_the_login_time(secret):
    with pytest.raises(ValueError, match="login time"):
        TicketSigner(secret, codec=ModAuthTktCodec(), max_lifetime=3600)
    TicketSigner(secret, accept=(ModAuthTktCodec(),), max_lifetime=3600)


def test_C4_legacy_tickets_get_the_earliest_consistent_login_time(make_signer, mint, now):
    signer = make_signer(max_age=3600, accept=(TicketAuthCodec(),))
    info = signer.verify(mint(TicketAuthCodec(), valid_until=now + 600))
    assert (info.auth_time, info.codec, info.needs_reissue) == (now - 3000, "ticket_auth", True)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_age": "60"}, TypeError),
        ({"max_age": 60.0}, TypeError),
        ({"max_age": True}, TypeError),
        ({"max_age": 0}, ValueError),
        ({"max_age": -5}, ValueError),
        ({"skew": -1}, ValueError),
        ({"skew": None}, TypeError),
        ({"max_lifetime": 0}, ValueError),
        ({"max_lifetime": "3600"}, TypeError),
        ({"clock": 1764400000}, TypeError),
        ({"codec": "hmac"}, TypeError),
        ({"accept": ("ticket_auth",)}, TypeError),
    ],
)
def test_C6_timing_configuration_is_validated_at_setup(secret, options, error):
    with pytest.raises(error):
        TicketSigner(secret, **options)


@pytest.mark.parametrize(
    ("auth_time", "error"),
    [("1764400000", TypeError), (True, TypeError), (1.5, TypeError), (-1, ValueError)],
)
def test_C6_auth_time_must_be_a_past_int(make_signer, auth_time, error):
    with pytest.raises(error):
        make_signer().issue("alice", auth_time=auth_time)
    with pytest.raises(ValueError, match="future"):
        make_signer().issue("alice", auth_time=2_000_000_000)
