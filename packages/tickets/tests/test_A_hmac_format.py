"""SECURITY section A for the default format: tampering, truncation, canonical form, cookies."""

from __future__ import annotations

import time
from http.cookies import SimpleCookie

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import (
    HmacCodec,
    TicketDigestError,
    TicketError,
    TicketParseError,
    generate_secret,
)

HEX = "0123456789abcdef"


@pytest.fixture
def signer(make_signer):
    return make_signer()


@pytest.fixture
def ticket(signer):
    return signer.issue("alice", tokens=("editor", "viewer"), user_data="theme=dark")


def _replace_field(ticket: str, index: int, value: str) -> str:
    parts = ticket.split("!")
    parts[index] = value
    return "!".join(parts)


def test_A1_every_digest_character_flipped_is_rejected(signer, ticket):
    start = ticket.rindex("!") + 1
    for position in range(start, len(ticket)):
        for replacement in {HEX[(HEX.index(ticket[position]) + 1) % 16], ticket[position].upper()}:
            if replacement == ticket[position]:
                continue
            forged = ticket[:position] + replacement + ticket[position + 1 :]
            with pytest.raises(TicketError):
                signer.verify(forged)


@given(data=st.data())
def test_A1_A16_any_single_character_edit_is_rejected(signer, ticket, mutation_alphabet, data):
    position = data.draw(st.integers(0, len(ticket) - 1))
    replacement = data.draw(st.sampled_from(mutation_alphabet) | st.characters())
    if replacement == ticket[position]:
        return
    with pytest.raises(TicketError):
        signer.verify(ticket[:position] + replacement + ticket[position + 1 :])


@pytest.mark.parametrize("delta", [1, 365 * 86400])
def test_A2_tampered_expiry_is_rejected(signer, ticket, delta):
    valid_until = int(ticket.split("!")[1])
    with pytest.raises(TicketDigestError):
        signer.verify(_replace_field(ticket, 1, str(valid_until + delta)))


@pytest.mark.parametrize("user_id", ["admin", "alicex", "alic", "Alice"])
def test_A3_tampered_user_id_is_rejected(signer, ticket, user_id):
    with pytest.raises(TicketDigestError):
        signer.verify(_replace_field(ticket, 5, user_id))


@pytest.mark.parametrize("tokens", ["editor.viewer.admin", "editor", "viewer.editor", ""])
def test_A4_tampered_tokens_are_rejected(signer, ticket, tokens):
    with pytest.raises(TicketDigestError):
        signer.verify(_replace_field(ticket, 6, tokens))


def test_A5_tampered_user_data_is_rejected(signer, ticket):
    with pytest.raises(TicketDigestError):
        signer.verify(_replace_field(ticket, 7, "theme=dar"))


def test_A6_every_prefix_is_rejected_without_other_exceptions(signer, ticket):
    for end in range(len(ticket)):
        with pytest.raises(TicketError):
            signer.verify(ticket[:end])
    assert signer.verify(ticket).user_id == "alice"


@pytest.mark.parametrize("size", [4096, 8192, 9 * 1024, 1024 * 1024])
def test_A7_oversized_input_is_rejected_quickly(signer, size):
    garbage = "v1!" + "a" * size
    started = time.perf_counter()
    for _ in range(50):
        with pytest.raises(TicketParseError):
            signer.verify(garbage)
    assert (time.perf_counter() - started) / 50 < 0.005


def test_A7_issue_refuses_a_ticket_longer_than_a_cookie(signer):
    with pytest.raises(ValueError, match="exceeds"):
        signer.issue("alice", user_data="\U0001f600" * 400)


@pytest.mark.parametrize(
    "spelling",
    [
        "0x69290e10",
        "+1764403600",
        " 1764403600",
        "1764403600 ",
        "01764403600",
        "1_764403600",
        "\u0661\u0667\u0666\u0664\u0664\u0660\u0663\u0666\u0660\u0660",
        "-1764403600",
        "1764403600.0",
        "1764403600000",
    ],
)
def test_A8_non_canonical_time_is_rejected_even_when_correctly_signed(
    mint, sign_body, signer, spelling
):
    """Forged with the library's own key so only canonicality is under test."""
    body = _replace_field(mint(HmacCodec()), 1, spelling).rpartition("!")[0]
    assert signer.verify(sign_body(_replace_field(body, 1, "1764403600")))
    with pytest.raises(TicketParseError):
        signer.verify(sign_body(body))
    with pytest.raises(TicketParseError):
        signer.verify(sign_body(_replace_field(body, 2, spelling)))


@pytest.mark.parametrize("valid_until", ["-0000001", "4294967295", "999999999999", "0"])
def test_A9_negative_or_huge_time_is_rejected(mint, sign_body, signer, valid_until):
    body = _replace_field(mint(HmacCodec()), 1, valid_until).rpartition("!")[0]
    with pytest.raises(TicketError):
        signer.verify(sign_body(body))


@pytest.mark.parametrize(
    "text",
    ["\udcff", "v1!\udcff", "\xff" * 100, "\xed\xa0\x80", "v1!1!1!!\udcff!!!" + "a" * 64, "\x00"],
)
def test_A10_non_ascii_and_surrogates_are_parse_errors(signer, text):
    with pytest.raises(TicketParseError):
        signer.verify(text)


def test_A10_non_ascii_inside_a_real_ticket_is_a_parse_error(signer, ticket):
    with pytest.raises(TicketParseError):
        signer.verify(ticket[:-1] + "\u00e9")
    with pytest.raises(TicketParseError):
        signer.verify(_replace_field(ticket, 5, "\U0001f600"))
    with pytest.raises(TicketParseError):
        signer.verify(_replace_field(ticket, 5, "ali\udcffce"))


@pytest.mark.parametrize(
    ("field", "spelling"),
    [
        ("alice", "%61lice"),
        ("a%2Cb", "a%2cb"),
        ("a%2Cb", "a,b"),
        ("alice", "alice%zz"),
        ("alice", "alice%2"),
        ("alice", "%ff"),
        ("alice", "%C0%AF"),
        ("a%20b", "a+b"),
        ("alice", "al%00ice"),
        ("alice", "alice%0A"),
    ],
)
def test_A11_percent_encoding_tricks_are_rejected(mint, sign_body, signer, field, spelling):
    good = mint(HmacCodec(), user_id=field.replace("%2C", ",").replace("%20", " "))
    assert _replace_field(good, 5, field) == good
    assert signer.verify(sign_body(good.rpartition("!")[0]))
    forged = sign_body(_replace_field(good, 5, spelling).rpartition("!")[0])
    with pytest.raises(TicketParseError):
        signer.verify(forged)
    forged = sign_body(_replace_field(good, 7, spelling).rpartition("!")[0])
    with pytest.raises(TicketParseError):
        signer.verify(forged)


def test_A11_double_encoding_decodes_exactly_once(signer):
    ticket = signer.issue("%21")
    assert ticket.split("!")[5] == "%2521"
    assert signer.verify(ticket).user_id == "%21"


def test_A11_invalid_utf8_never_collides_with_the_replacement_character(sign_body, signer):
    ticket = signer.issue("\ufffd")
    assert ticket.split("!")[5] == "%EF%BF%BD"
    assert signer.verify(ticket).user_id == "\ufffd"
    for invalid in ("%FF", "%FE", "%ff"):
        with pytest.raises(TicketParseError):
            signer.verify(sign_body(_replace_field(ticket, 5, invalid).rpartition("!")[0]))


@pytest.mark.parametrize(
    "value",
    [
        "a!b",
        "a,b",
        "a;b",
        'a"b',
        "a\\b",
        "a b",
        "a.b",
        "a%b",
        "a+b",
        "a/b",
        "~-_.",
        "é😀",
        "\u200b",
    ],
)
def test_A12_separator_characters_round_trip_exactly(signer, value):
    info = signer.verify(signer.issue(value, user_data=value))
    assert (info.user_id, info.user_data) == (value, value)


@pytest.mark.parametrize(
    ("user_id", "tokens", "user_data", "error"),
    [
        ("", (), "", ValueError),
        ("a\x00b", (), "", ValueError),
        ("a\nb", (), "", ValueError),
        ("a\x7fb", (), "", ValueError),
        ("a\ud800", (), "", ValueError),
        ("x" * 257, (), "", ValueError),
        ("alice", ("",), "", ValueError),
        ("alice", ("1abc",), "", ValueError),
        ("alice", ("a,b",), "", ValueError),
        ("alice", ("a.b",), "", ValueError),
        ("alice", ("a" * 65,), "", ValueError),
        ("alice", "editor", "", TypeError),
        ("alice", (), "x\x00", ValueError),
        ("alice", (), "x" * 2049, ValueError),
        (None, (), "", TypeError),
        (123, (), "", TypeError),
        (b"alice", (), "", TypeError),
        ("alice", (), b"data", TypeError),
    ],
)
def test_A12_values_that_cannot_round_trip_are_refused_at_issue(
    signer, user_id, tokens, user_data, error
):
    with pytest.raises(error):
        signer.issue(user_id, tokens=tokens, user_data=user_data)


def test_A12_injected_raw_separators_are_rejected(signer, ticket):
    for forged in (
        _replace_field(ticket, 5, "ali!ce"),
        _replace_field(ticket, 6, "editor,viewer"),
        ticket.replace("!editor.viewer!", "!editor!viewer!"),
    ):
        with pytest.raises(TicketError):
            signer.verify(forged)


def test_A13_default_ticket_needs_no_cookie_quoting(signer):
    ticket = signer.issue(
        'José "x", y; z\\',
        tokens=("a+b", "C_d-e"),
        user_data='{"a": [1, 2]}',
        client_ip="2001:db8::1",
    )
    cookie = SimpleCookie()
    cookie["AUTH_TKT"] = ticket
    assert cookie.output(header="").strip() == f"AUTH_TKT={ticket}"
    assert signer.verify(ticket, client_ip="2001:db8::1").user_id == 'José "x", y; z\\'


def test_A15_other_secret_or_other_purpose_is_rejected(make_signer, signer, ticket, secret):
    with pytest.raises(TicketDigestError):
        make_signer(secrets=generate_secret()).verify(ticket)
    other_purpose = make_signer(codec=HmacCodec(purpose="csrf"))
    with pytest.raises(TicketDigestError):
        other_purpose.verify(ticket)
    with pytest.raises(TicketDigestError):
        signer.verify(other_purpose.issue("alice"))
    # A MAC keyed with the raw secret (as another library sharing it would do) fails too.
    import hmac

    body = ticket.rpartition("!")[0]
    raw = f"{body}!{hmac.new(secret, body.encode(), 'sha256').hexdigest()}"
    with pytest.raises(TicketDigestError):
        signer.verify(raw)


@pytest.mark.parametrize("text", ["", " ", '""', "null", "None", "v1", "v1!", "!" * 80])
def test_A17_empty_or_placeholder_values_are_rejected(signer, text):
    with pytest.raises(TicketParseError):
        signer.verify(text)


@pytest.mark.parametrize("value", [None, b"v1!", 123, {}, ["t"], 1.5])
def test_A14_wrong_types_are_parse_errors(signer, value):
    with pytest.raises(TicketParseError):
        signer.verify(value)
