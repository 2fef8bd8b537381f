"""SECURITY B3 (weak secrets fail at setup), B5 (key cap) and the secret helpers."""

from __future__ import annotations

import pytest

from auth_tickets import (
    MAX_SECRETS,
    MIN_SECRET_BYTES,
    HmacCodec,
    TicketAuthCodec,
    TicketFactory,
    TicketSigner,
    WeakSecretWarning,
    generate_secret,
)


def test_generate_secret_is_32_fresh_random_bytes():
    first, second = generate_secret(), generate_secret()
    assert isinstance(first, bytes)
    assert len(first) == MIN_SECRET_BYTES == 32
    assert first != second
    TicketSigner(first)  # good enough for the strictest check


@pytest.mark.parametrize(
    ("secrets", "error", "words"),
    [
        ("a" * 40, TypeError, "str"),
        (["a" * 40], TypeError, "str"),
        ([bytearray(40)], TypeError, "bytes"),
        (None, TypeError, "sequence"),
        (12345, TypeError, "sequence"),
        ([], ValueError, "at least one"),
        (b"", ValueError, "empty"),
        ([generate_secret(), b""], ValueError, "empty"),
        (b"x" * 31, ValueError, "at least 32"),
        (b"\x01\x02\x03\x04" * 10, ValueError, "variety"),
        (b"abcdefgh" * 5, ValueError, "variety"),
        (b"secret", ValueError, "placeholder"),
        (b"Secret-key-0123456789-abcdefghijklmnop", ValueError, "placeholder"),
        (b"django-insecure-0123456789abcdefghijklmnopqrstuv", ValueError, "placeholder"),
        (b"changeme-0123456789abcdefghijklmnopqrstuvwx", ValueError, "placeholder"),
    ],
)
def test_B3_weak_or_mistyped_secret_fails_at_construction(secrets, error, words):
    with pytest.raises(error, match=words):
        TicketSigner(secrets)


def test_B3_message_names_the_position_never_the_secret():
    weak = b"0123456789abcdef0123456789abcde"  # 31 bytes
    with pytest.raises(ValueError, match=r"secret #1") as info:
        TicketSigner([generate_secret(), weak])
    assert weak.decode() not in str(info.value)


def test_B5_number_of_keys_is_capped_and_duplicates_refused():
    keys = [generate_secret() for _ in range(MAX_SECRETS + 1)]
    TicketSigner(keys[:MAX_SECRETS])
    with pytest.raises(ValueError, match="at most"):
        TicketSigner(keys)
    with pytest.raises(ValueError, match="twice"):
        TicketSigner([keys[0], keys[0]])


def test_B3_str_secret_is_a_type_error_in_the_drop_in_too():
    with pytest.raises(TypeError, match="str"):
        TicketFactory("secret-as-text-0123456789012345678901")  # type: ignore[arg-type]


def test_B3_short_secret_only_for_legacy_verification_with_a_warning(make_signer):
    short = b"legacy-16-bytes!"
    with pytest.warns(WeakSecretWarning, match="legacy"):
        make_signer(accept=(TicketAuthCodec(secrets=short),))
    with pytest.warns(WeakSecretWarning):
        TicketFactory(short)
    with pytest.raises(ValueError, match="at least 32"):
        TicketSigner(short)


def test_B3_signing_codec_cannot_bring_its_own_secret(secret):
    with pytest.raises(ValueError, match="signing codec"):
        TicketSigner(secret, codec=HmacCodec(secrets=generate_secret()))


def test_B7_codec_repr_hides_its_own_secrets():
    key = generate_secret()
    text = repr(TicketAuthCodec(secrets=key))
    assert "hidden" in text
    assert key.hex() not in text
    assert repr(key) not in text


def test_B3_weak_secret_warning_points_at_the_configuration_line(make_signer):
    with pytest.warns(WeakSecretWarning) as record:
        TicketFactory(b"legacy-16-bytes!")
    with pytest.warns(WeakSecretWarning) as record2:
        make_signer(accept=(TicketAuthCodec(secrets=b"legacy-16-bytes!"),))
    assert record[0].filename == __file__
    assert record2[0].filename.endswith("conftest.py")  # make_signer builds the signer there
