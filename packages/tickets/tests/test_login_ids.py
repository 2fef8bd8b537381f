"""Login ids: one random, signed id per login, kept by reissues, with exactly one spelling.

Why these tests: revocation and other per-login server state key on
``(user_id, login_id)``, so two logins must never share an id (even in the
same second, from the same address), a reissue must never change it, a
ticket's id must be the signed one and no other spelling of it, and the
legacy formats, which have no such field, must say so with ``""``.
"""

from __future__ import annotations

import os
import string
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import (
    HmacCodec,
    ModAuthTktCodec,
    TicketAuthCodec,
    TicketDigestError,
    TicketParseError,
)
from auth_tickets import login_ids as login_id_module
from auth_tickets.login_ids import LOGIN_ID_PATTERN, is_login_id, login_id_for, new_login_id

ALPHABET = string.ascii_letters + string.digits + "-_"
CANONICAL = st.from_regex(r"\A[A-Za-z0-9_-]{12}\Z")


def _with_login_id(ticket: str, login_id: str) -> str:
    """The ticket's body with another login id field (no MAC): for `sign_body`."""
    parts = ticket.rpartition("!")[0].split("!")
    parts[3] = login_id
    return "!".join(parts)


def test_logins_in_the_same_second_from_one_address_get_different_ids(make_signer):
    signer = make_signer()
    tickets = [signer.issue("alice", ("editor",), client_ip="203.0.113.5") for _ in range(50)]
    infos = [signer.verify(ticket, client_ip="203.0.113.5") for ticket in tickets]
    assert len(set(tickets)) == len(tickets)  # no longer byte-identical
    assert len({info.login_id for info in infos}) == len(infos)
    assert {info.auth_time for info in infos} == {infos[0].auth_time}
    assert all(is_login_id(info.login_id) for info in infos)


def test_the_login_id_is_signed_in_the_fourth_field(make_signer):
    signer = make_signer()
    ticket = signer.issue("alice")
    assert ticket.split("!")[3] == signer.verify(ticket).login_id


def test_a_reissue_keeps_the_login_id_and_auth_time(make_signer, clock):
    signer = make_signer(max_age=100, max_lifetime=1000)
    ticket = signer.issue("alice", ("editor",))
    first = signer.verify(ticket)
    for _ in range(5):
        clock.advance(60)
        info = signer.verify(ticket)
        ticket = signer.issue(
            info.user_id, info.tokens, info.user_data, auth_time=info.auth_time,
            login_id=info.login_id,
        )  # fmt: skip
        assert (signer.verify(ticket).login_id, signer.verify(ticket).auth_time) == (
            first.login_id,
            first.auth_time,
        )
    assert signer.issue("alice", auth_time=first.auth_time) != ticket  # no id: a new login
    assert signer.verify(signer.issue("alice", auth_time=first.auth_time)).login_id != (
        first.login_id
    )


@pytest.mark.parametrize("codec", [TicketAuthCodec, ModAuthTktCodec])
def test_legacy_formats_carry_no_login_id_and_a_migration_gets_a_new_one(make_signer, codec):
    legacy = make_signer(codec=codec())
    old = legacy.issue("alice", login_id="L0g1n-1d_AbC")  # checked, then left out
    assert old == legacy.issue("alice")  # the legacy bytes are unchanged
    signer = make_signer(accept=(codec(),))
    info = signer.verify(old)
    assert (info.login_id, info.needs_reissue) == ("", True)
    fresh = signer.verify(signer.issue(info.user_id, auth_time=info.auth_time, login_id=""))
    assert is_login_id(fresh.login_id)
    assert (fresh.codec, fresh.auth_time) == ("hmac", info.auth_time)


@pytest.mark.parametrize("codec", [HmacCodec, TicketAuthCodec, ModAuthTktCodec])
@pytest.mark.parametrize(
    ("login_id", "error"),
    [
        (b"L0g1n-1d_AbC", TypeError),
        (5, TypeError),
        (False, TypeError),
        (b"", TypeError),
        ("L0g1n-1d_Ab", ValueError),
        ("L0g1n-1d_AbCd", ValueError),
        ("L0g1n+1d/AbC", ValueError),
        ("L0g1n-1d_Ab=", ValueError),
        ("L0g1n-1d_Ab\n", ValueError),
        (" L0g1n-1d_Ab", ValueError),
        ("L0g1n-1d_Ab\u0661", ValueError),
        ("L0g1n!1d_AbC", ValueError),
        ("%4C0g1n-1d_A", ValueError),
    ],
)
def test_issue_refuses_every_other_login_id(make_signer, codec, login_id, error):
    with pytest.raises(error, match="login_id"):
        make_signer(codec=codec()).issue("alice", login_id=login_id)


@pytest.mark.parametrize(
    "spelling",
    [
        "",
        "L0g1n-1d_Ab",
        "L0g1n-1d_AbCd",
        "L0g1n-1d_AbC=",
        "L0g1n+1d/AbC",
        "L0g1n-1d_Ab.",
        "L0g1n-1d_Ab~",
        "%4C0g1n-1d_Ab",
        "L0g1n%2D1d_AbC",
        "L0g1n-1d_Ab%",
    ],
)
def test_a_correctly_signed_but_non_canonical_login_id_is_a_parse_error(
    make_signer, mint, sign_body, login_id, spelling
):
    signer = make_signer()
    good = mint(HmacCodec())
    assert good.split("!")[3] == login_id
    assert signer.verify(sign_body(_with_login_id(good, login_id))).login_id == login_id
    with pytest.raises(TicketParseError, match="login id"):
        signer.verify(sign_body(_with_login_id(good, spelling)))


def test_every_character_outside_the_alphabet_is_refused_at_every_position(
    make_signer, mint, sign_body, login_id
):
    """The parse accepts exactly ``[A-Za-z0-9_-]{12}``: every other ASCII byte fails."""
    signer = make_signer()
    good = mint(HmacCodec())
    others = [chr(code) for code in range(128) if chr(code) not in ALPHABET]
    for position in range(len(login_id)):
        for other in others:
            spelling = login_id[:position] + other + login_id[position + 1 :]
            with pytest.raises(TicketParseError):
                signer.verify(sign_body(_with_login_id(good, spelling)))


def test_the_mac_is_checked_before_the_login_id(make_signer, mint, login_id):
    signer = make_signer()
    good = mint(HmacCodec())
    for spelling in ("Zm9vYmFyYmF6", "L0g1n+1d/AbC", ""):  # canonical or not: the MAC fails first
        with pytest.raises(TicketDigestError):
            signer.verify(good.replace(f"!{login_id}!", f"!{spelling}!"))


@given(
    user_id=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    login_id=st.none() | st.just("") | CANONICAL,
    auth_offset=st.integers(0, 3000),
)
def test_login_id_round_trips_through_issue_verify_and_reissue(
    make_signer, clock, now, user_id, login_id, auth_offset
):
    signer = make_signer()
    info = signer.verify(signer.issue(user_id, auth_time=now - auth_offset, login_id=login_id))
    assert is_login_id(info.login_id)
    if login_id:
        assert info.login_id == login_id
    again = signer.verify(
        signer.issue(info.user_id, auth_time=info.auth_time, login_id=info.login_id)
    )
    assert (again.user_id, again.auth_time, again.login_id) == (
        user_id,
        now - auth_offset,
        info.login_id,
    )


@given(text=st.text(max_size=14))
def test_is_login_id_agrees_with_the_pattern(text):
    expected = len(text) == 12 and all(ch in ALPHABET for ch in text)
    assert bool(is_login_id(text)) is expected
    assert LOGIN_ID_PATTERN == "[A-Za-z0-9_-]{12}"


def test_login_id_for_keeps_a_canonical_id_and_replaces_none_or_empty():
    class Text(str):
        pass

    assert login_id_for("L0g1n-1d_AbC") == "L0g1n-1d_AbC"
    kept = login_id_for(Text("L0g1n-1d_AbC"))
    assert (type(kept), kept) == (str, "L0g1n-1d_AbC")
    assert is_login_id(login_id_for(None))
    assert is_login_id(login_id_for(""))
    assert is_login_id(login_id_for(Text("")))


def test_new_ids_are_canonical_and_unique_across_many_refills():
    ids = [new_login_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert all(is_login_id(value) for value in ids)
    assert len(set("".join(ids))) == 64  # the whole alphabet shows up


def test_new_ids_are_unique_across_threads():
    login_id_module._pool.clear()
    results: list[list[str]] = [[] for _ in range(4)]

    def draw(out: list[str]) -> None:
        out.extend(new_login_id() for _ in range(5000))

    threads = [threading.Thread(target=draw, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [value for out in results for value in out]
    assert len(set(every)) == len(every) == 20_000


def test_the_fixture_makes_new_ids_predictable(fixed_login_ids, make_signer):
    assert fixed_login_ids == "AAAAAAAAAAAA"
    signer = make_signer()
    assert signer.issue("alice") == signer.issue("alice")
    assert signer.verify(signer.issue("alice")).login_id == fixed_login_ids


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_does_not_reuse_the_parents_pooled_ids():
    new_login_id()  # the pool now holds ids the child inherits
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report one id and leave without running pytest's cleanup
        try:
            os.write(write_end, new_login_id().encode())
        finally:
            os._exit(0)
    os.close(write_end)
    child = os.read(read_end, 64).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    assert is_login_id(child)
    assert child not in login_id_module._pool
    assert child != new_login_id()


@pytest.mark.parametrize("login_id", ["", "L0g1n+1d/AbC", None, b"L0g1n-1d_AbC"])
def test_the_codec_never_mints_a_v1_ticket_without_a_canonical_login_id(mint, login_id):
    """`BoundCodec.issue` signs claims as given: an id must already be there."""
    with pytest.raises(ValueError, match="login_id"):
        mint(HmacCodec(), login_id=login_id)
    assert mint(TicketAuthCodec(), login_id=login_id)  # no such field: nothing to check
