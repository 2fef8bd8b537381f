"""Building blocks checked directly: the prepared HMAC, strict unquoting, defensive parses."""

from __future__ import annotations

import hmac
import os
import runpy
import sys

import pytest
import ticket_auth

from auth_tickets import HmacCodec, TicketAuthCodec, TicketParseError, generate_secret
from auth_tickets.mac import PreparedHmac
from auth_tickets.quoting import strict_unquote


@pytest.mark.parametrize("hashalg", ["sha256", "sha384", "sha512"])
@pytest.mark.parametrize("key_size", [0, 16, 32, 64, 128, 129, 300])
def test_prepared_hmac_equals_the_stdlib(hashalg, key_size):
    key = os.urandom(key_size)
    for message in (b"", b"v1!1!2!!alice!!", os.urandom(1000)):
        expected = hmac.new(key, message, hashalg).hexdigest().encode()
        assert PreparedHmac(key, hashalg).hexdigest(message) == expected


@pytest.mark.parametrize(
    ("field", "safe", "value"),
    [("a%20b", "", "a b"), ("a/b", "/", "a/b"), ("a%2Fb", "", "a/b"), ("%C3%A9", "", "é")],
)
def test_strict_unquote_accepts_only_the_canonical_spelling(field, safe, value):
    assert strict_unquote(field, safe=safe) == value


@pytest.mark.parametrize("field", ["é", "a\udcff", "%c3%a9", "a%2fb", "%FF", "a b", "%41"])
def test_strict_unquote_rejects_everything_else(field):
    with pytest.raises(TicketParseError):
        strict_unquote(field, safe="")


@pytest.mark.parametrize(
    "body",
    [
        "v1!1764403600!1764400000!L0g1n-1d_AbC!!alice!!!extra",
        "v1!1764403600!1764400000!L0g1n-1d_AbC!!alice!1bad!",
        "v1!1764403600!1764400000!L0g1n-1d_AbC!!alice!a..b!",
        "v1!1764403600!1764400000!L0g1n-1d_AbC!!!!",
        "v1!1764403600!1764400000!L0g1n-1d_AbC!!" + "a" * 257 + "!!",
    ],
)
def test_signed_but_malformed_default_tickets_are_parse_errors(make_signer, sign_body, body):
    with pytest.raises(TicketParseError):
        make_signer().verify(sign_body(body))


def test_signed_fields_are_checked_like_issue_would(make_signer, sign_body):
    signer = make_signer()
    assert signer.verify(
        sign_body("v1!1764403600!1764400000!L0g1n-1d_AbC!!" + "a" * 256 + "!!")
    ).user_id
    assert signer.verify(sign_body("v1!1764403600!1764400000!L0g1n-1d_AbC!!%2A!!")).user_id == "*"


@pytest.mark.parametrize("purpose", ["", "a\nb", 5, None])
def test_purpose_must_be_printable_text(purpose):
    with pytest.raises(ValueError, match="purpose"):
        HmacCodec(purpose=purpose)


def test_tokens_none_means_no_tokens(make_signer):
    signer = make_signer()
    assert signer.verify(signer.issue("alice", tokens=None)).tokens == ()
    assert signer.verify(signer.issue("alice", user_data=None)).user_data == ""


def test_ticket_auth_codec_limits(make_signer, secret, now):
    signer = make_signer(codec=TicketAuthCodec())
    with pytest.raises(ValueError, match="exceeds"):
        signer.issue("alice", user_data="\U0001f600" * 400)
    odd_token = ticket_auth.TicketFactory(secret).new("alice", ("9lives",), valid_until=now + 60)
    with pytest.raises(TicketParseError, match="token"):
        signer.verify(odd_token)


def test_module_entry_point_in_process(monkeypatch, capsys):
    key = generate_secret()
    monkeypatch.setenv("AUTH_TICKETS_SECRET", key.hex())
    monkeypatch.setattr(sys, "argv", ["auth-tickets", "issue", "erin"])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("auth_tickets", run_name="__main__")
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("v1!")


def test_importing_the_entry_module_runs_nothing(capsys):
    import importlib

    module = importlib.import_module("auth_tickets.__main__")
    assert callable(module.main)
    assert capsys.readouterr().out == ""
