"""SECURITY B1 (constant-time compare), B4 (no downgrade), B5/B6 (rotation), B7 (no leaks)."""

from __future__ import annotations

import contextlib
import hmac
import logging

import pytest

from auth_tickets import (
    HmacCodec,
    InsecureHashWarning,
    ModAuthTktCodec,
    TicketAuthCodec,
    TicketDigestError,
    TicketError,
    TicketFactory,
    TicketParseError,
    generate_secret,
)


class CompareSpy:
    """Counts ``hmac.compare_digest`` calls and checks they only ever see bytes."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, bytes]] = []
        self.real = hmac.compare_digest

    def __call__(self, a, b):
        assert type(a) is bytes
        assert type(b) is bytes
        self.calls.append((a, b))
        return self.real(a, b)


@pytest.fixture
def spy(monkeypatch):
    spy = CompareSpy()
    monkeypatch.setattr(hmac, "compare_digest", spy)
    return spy


@pytest.mark.parametrize("key_count", [1, 3])  # one key takes a path of its own in each codec
@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec, ModAuthTktCodec])
def test_B1_one_compare_per_key_on_valid_and_invalid_paths(make_signer, spy, codec, key_count):
    keys = [generate_secret() for _ in range(key_count)]
    signer = make_signer(secrets=keys, codec=codec())
    old = make_signer(secrets=keys[-1], codec=codec()).issue("alice")
    ticket = signer.issue("alice")
    tampered = ticket[:-1] + ("0" if ticket[-1] != "0" else "1")
    if codec is not HmacCodec:  # the digest leads in the legacy formats
        tampered = ("0" if ticket[0] != "0" else "1") + ticket[1:]
    counts = []
    for text in (ticket, old, tampered):
        spy.calls.clear()
        with contextlib.suppress(TicketDigestError):
            signer.verify(text)
        counts.append(len(spy.calls))
        assert len({len(a) for a, _ in spy.calls}) == 1  # fixed-length digests
    assert counts == [key_count] * 3


def test_B1_drop_in_validate_uses_compare_digest(spy, secret, now):
    factory = TicketFactory(secret)
    ticket = factory.new("alice", valid_until=now + 60)
    factory.validate(ticket, now=now)
    with pytest.raises(TicketDigestError):
        factory.validate("0" + ticket[1:] if ticket[0] != "0" else "1" + ticket[1:], now=now)
    assert len(spy.calls) == 2


def test_B1_a_str_subclass_with_hostile_equality_cannot_be_compared(make_signer):
    class Hostile(str):
        def __eq__(self, other):
            raise AssertionError("== used on a ticket")

        __ne__ = __eq__
        __hash__ = str.__hash__

    signer = make_signer()
    with pytest.raises(TicketParseError):
        signer.verify(Hostile(signer.issue("alice")))


def test_B4_sha512_signer_rejects_sha256_and_legacy_md5_tickets(make_signer, secret, now):
    strong = make_signer(codec=HmacCodec("sha512"))
    weak_default = make_signer()
    with pytest.raises(TicketParseError):
        strong.verify(weak_default.issue("alice"))
    with pytest.warns(InsecureHashWarning):
        md5_factory = TicketFactory(secret, hashalg="md5")
    md5_ticket = md5_factory.new("alice", valid_until=now + 60)
    legacy_sha512 = make_signer(accept=(TicketAuthCodec(),))
    with pytest.raises(TicketError):
        legacy_sha512.verify(md5_ticket)


def test_B4_a_version_prefix_cannot_choose_the_algorithm(make_signer, sign_body):
    signer = make_signer()
    sha512_ticket = make_signer(codec=HmacCodec("sha512")).issue("alice")
    for prefix in ("v2", "v0", "v1sha512", "V1"):
        forged = sign_body(prefix + sha512_ticket.rpartition("!")[0][2:])
        with pytest.raises(TicketParseError):
            signer.verify(forged)


@pytest.mark.parametrize("name", ["md5", "sha1", "MD5", "sha-1", "sha224", "shake_128", "nope", 5])
def test_B4_default_format_refuses_weak_or_unknown_hashes(name):
    with pytest.raises((ValueError, TypeError)):
        HmacCodec(name)


@pytest.mark.parametrize("codec", [TicketAuthCodec, ModAuthTktCodec])
def test_B4_legacy_formats_take_md5_only_by_name_with_a_warning(codec):
    with pytest.warns(InsecureHashWarning, match="md5"):
        assert codec("md5").describe() == "md5"
    with pytest.warns(InsecureHashWarning, match="sha1"):
        codec("sha1")
    assert codec().describe() == "sha512"


def test_B5_newest_key_signs_older_keys_verify_and_ask_for_reissue(make_signer):
    new, old, older = (generate_secret() for _ in range(3))
    old_ticket = make_signer(secrets=old).issue("alice", tokens=("editor",))
    rotated = make_signer(secrets=[new, old, older])
    info = rotated.verify(old_ticket)
    assert (info.key_index, info.needs_reissue) == (1, True)
    reissued = rotated.issue(info.user_id, info.tokens, info.user_data, auth_time=info.auth_time)
    assert make_signer(secrets=new).verify(reissued).needs_reissue is False
    with pytest.raises(TicketDigestError):
        make_signer(secrets=[new, older]).verify(old_ticket)


def test_B6_instance_that_lists_the_new_key_as_fallback_accepts_its_tickets(make_signer):
    new, old = generate_secret(), generate_secret()
    promoted = make_signer(secrets=[new, old])
    lagging = make_signer(secrets=[old, new])
    assert lagging.verify(promoted.issue("alice")).key_index == 1
    assert promoted.verify(lagging.issue("bob")).key_index == 1


def test_B7_secrets_never_appear_in_repr_errors_or_logs(make_signer, caplog):
    caplog.set_level(logging.DEBUG)
    key = generate_secret()
    signer = make_signer(secrets=[key], accept=(TicketAuthCodec(),))
    factory = TicketFactory(key)
    texts = [repr(signer), str(signer), repr(factory), repr(signer.codec)]
    ticket = signer.issue("alice")
    tampered = ticket[:-1] + ("1" if ticket.endswith("0") else "0")
    for bad in ("", "garbage", tampered):
        with pytest.raises(TicketError) as info:
            signer.verify(bad)
        texts += [str(info.value), repr(info.value)]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        for spelling in (key.hex(), repr(key), key.decode("latin-1")):
            assert spelling not in text


def test_J6_error_messages_never_contain_the_ticket(make_signer, now):
    signer = make_signer()
    ticket = signer.issue("alice")
    flipped = ticket[:-1] + ("1" if ticket.endswith("0") else "0")
    for bad in (flipped, ticket + "x", ticket.replace("alice", "admin")):
        with pytest.raises(TicketError) as info:
            signer.verify(bad)
        assert bad not in str(info.value)
        assert bad[-64:] not in repr(info.value)
    factory = TicketFactory(generate_secret())
    legacy = factory.new("alice", valid_until=now - 1)
    with pytest.raises(TicketError) as info:
        factory.validate(legacy, now=now)
    assert legacy not in str(info.value)
    assert not hasattr(info.value, "ticket")


def test_J6_fingerprint_is_short_stable_and_not_the_ticket(make_signer):
    signer = make_signer()
    ticket = signer.issue("alice")
    fingerprint = signer.fingerprint(ticket)
    assert len(fingerprint) == 32
    assert fingerprint == make_signer(secrets=generate_secret()).fingerprint(ticket)
    assert fingerprint not in ticket
    assert signer.fingerprint(ticket + "x") != fingerprint
    assert len(signer.fingerprint("\udcff")) == 32
    assert signer.fingerprint(b"raw") != signer.fingerprint("raw")  # type: ignore[arg-type]


def test_B5_failure_reported_is_the_most_specific_across_codecs(make_signer, now):
    signer = make_signer(accept=(TicketAuthCodec(), ModAuthTktCodec()))
    foreign = TicketFactory(generate_secret()).new("alice", valid_until=now + 60)
    with pytest.raises(TicketDigestError):  # ticket_auth shape, wrong key
        signer.verify(foreign)
    ticket = make_signer().issue("alice")
    forged = ticket[:-1] + ("1" if ticket.endswith("0") else "0")
    with pytest.raises(TicketDigestError):  # default shape, wrong MAC; legacy shapes do not parse
        signer.verify(forged)
    with pytest.raises(TicketParseError):
        signer.verify("nothing like a ticket")
