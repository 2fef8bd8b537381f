"""SECURITY A16: the round-trip and canonical-form properties, for every codec."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auth_tickets import HmacCodec, ModAuthTktCodec, TicketAuthCodec, TicketError, normalize_ip
from auth_tickets.login_ids import is_login_id

CODECS = {
    "hmac": HmacCodec,
    "hmac-sha512": lambda: HmacCodec("sha512"),
    "ticket_auth": TicketAuthCodec,
    "mod_auth_tkt": ModAuthTktCodec,
}
LOGIN_IDS = st.none() | st.just("") | st.from_regex(r"\A[A-Za-z0-9_-]{12}\Z")
"""What ``issue(login_id=...)`` accepts: None and "" (a new login) or a canonical id."""
MOD_AUTH_TKT_DATA = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters='!",;\\'),
    max_size=40,
)


@pytest.fixture(params=sorted(CODECS))
def codec_name(request):
    return request.param


def _draw_claims(data, codec_name, user_ids, token_lists, user_datas, ip_addresses):
    user_data = data.draw(MOD_AUTH_TKT_DATA if codec_name == "mod_auth_tkt" else user_datas)
    return (
        data.draw(user_ids),
        tuple(data.draw(token_lists)),
        user_data,
        data.draw(ip_addresses),
    )


@given(data=st.data())
def test_A16_verify_of_issue_is_identity(
    make_signer, codec_name, user_ids, token_lists, user_datas, ip_addresses, data
):
    signer = make_signer(codec=CODECS[codec_name]())
    user_id, tokens, user_data, ip = _draw_claims(
        data, codec_name, user_ids, token_lists, user_datas, ip_addresses
    )
    login_id = data.draw(LOGIN_IDS)
    ticket = signer.issue(user_id, tokens, user_data, ip, login_id=login_id)
    info = signer.verify(ticket, client_ip=ip)
    assert (info.user_id, info.tokens, info.user_data) == (user_id, tokens, user_data)
    assert info.client_ip == (None if ip is None else normalize_ip(ip))
    if codec_name.startswith("hmac"):  # the default format signs the login id
        assert is_login_id(info.login_id)
        assert info.login_id == login_id or not login_id
    else:  # the legacy formats have no such field
        assert info.login_id == ""
    assert info.key_index == 0
    assert not info.needs_reissue


@given(data=st.data())
def test_A16_every_accepted_ticket_is_what_issue_would_mint(
    make_signer, codec_name, user_ids, token_lists, user_datas, ip_addresses, data
):
    """Canonical form: re-issuing the parsed fields gives back the exact text."""
    signer = make_signer(codec=CODECS[codec_name]())
    user_id, tokens, user_data, ip = _draw_claims(
        data, codec_name, user_ids, token_lists, user_datas, ip_addresses
    )
    ticket = signer.issue(user_id, tokens, user_data, ip, login_id=data.draw(LOGIN_IDS))
    info = signer.verify(ticket, client_ip=ip)
    again = signer.issue(
        info.user_id, info.tokens, info.user_data, info.client_ip, info.auth_time, info.login_id
    )
    assert again == ticket


@given(data=st.data())
def test_A16_single_character_edits_are_rejected_in_every_codec(
    make_signer, codec_name, mutation_alphabet, data
):
    signer = make_signer(codec=CODECS[codec_name]())
    ticket = signer.issue("alice/x", ("editor",), "data" if codec_name != "hmac" else "d é")
    position = data.draw(st.integers(0, len(ticket) - 1))
    replacement = data.draw(st.sampled_from(mutation_alphabet))
    if replacement == ticket[position]:
        return
    with pytest.raises(TicketError):
        signer.verify(ticket[:position] + replacement + ticket[position + 1 :])


@given(text=st.text(max_size=300))
def test_A16_arbitrary_text_raises_only_ticket_errors(make_signer, text):
    signer = make_signer(accept=(TicketAuthCodec(), ModAuthTktCodec(), HmacCodec("sha512")))
    with pytest.raises(TicketError):
        signer.verify(text)
