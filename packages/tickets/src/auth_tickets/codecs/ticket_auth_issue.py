"""Issuing ``ticket_auth`` 0.1.4 tickets in one call (`TicketAuthCodec`'s ``issue`` fast path).

Why fused: the same reason as the default format's issuer (``hmac_issue``):
the generic path checks each value in its own function and builds a
`Claims` before the codec quotes and signs it. This function accepts the
common shapes inline (a plain ASCII alphanumeric user id, which is its own
quoting; no user data; a token tuple seen before; no address; a new login)
and hands everything else to the same checks in the same order, so each
argument raises exactly what it raised before and the bytes are those of
``ticket_auth`` (a test compares it with the generic path). The format has
no login id: a ``login_id`` argument is checked like everywhere else, then
left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, check_text, check_tokens
from ..login_ids import is_login_id, login_id_for
from ..quoting import quote_field
from .ticket_auth_verify import UNBOUND_IP_PREFIX, ip_prefix

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..claims import Issuer
    from ..expiry import ExpiryPolicy
    from .ticket_auth import TicketAuthWire

__all__ = ["TOKEN_MEMO_SIZE", "build_issuer"]

TOKEN_MEMO_SIZE = 256
"""Distinct token tuples remembered per issuer; the memo is emptied when full."""

_MAX_LENGTH = 4096


def build_issuer(
    wire: TicketAuthWire, key: bytes, policy: ExpiryPolicy, clock: Callable[[], float]
) -> Issuer:
    """`TicketSigner.issue` as a closure (see `Issuer`), signing with ``key``."""
    factory = wire.hash_factory
    max_age = policy.max_age
    simple_window = policy.max_lifetime is None
    window = policy.window
    quoted_tokens: dict[object, str] = {(): "", None: ""}

    def issued(  # noqa: PLR0917 - the Issuer signature: TicketSigner.issue's arguments
        user_id: str,
        tokens: Iterable[str] | None,
        user_data: str | None,
        client_ip: str | None,
        auth_time: int | None,
        login_id: str | None,
    ) -> str:
        if not (
            type(user_id) is str
            and user_id.isalnum()
            and user_id.isascii()
            and len(user_id) <= MAX_USER_ID_LENGTH
        ):
            user_id = quote_field(
                check_text(
                    user_id, what="user_id", max_length=MAX_USER_ID_LENGTH, allow_empty=False
                ),
                safe="/",
            )
        if user_data is None or user_data == "":
            user_data = ""
        else:
            user_data = quote_field(
                check_text(
                    user_data, what="user_data", max_length=MAX_USER_DATA_LENGTH, allow_empty=True
                ),
                safe="/",
            )
        prefix = UNBOUND_IP_PREFIX if client_ip is None else ip_prefix(client_ip)
        now = int(clock())
        if auth_time is None and simple_window:
            valid_until = now + max_age
        else:
            valid_until, _ = window(now, auth_time)
        try:
            token_field = quoted_tokens[tokens]
        except (KeyError, TypeError):  # unseen, or unhashable: check it the long way
            checked = check_tokens(tokens)
            token_field = ",".join([quote_field(token, safe="/") for token in checked])
            if type(tokens) is tuple and all(type(token) is str for token in checked):
                if len(quoted_tokens) >= TOKEN_MEMO_SIZE:
                    quoted_tokens.clear()
                    quoted_tokens[()] = quoted_tokens[None] = ""
                quoted_tokens[checked] = token_field
        if login_id is not None and not (type(login_id) is str and is_login_id(login_id)):
            login_id_for(login_id)  # raises what the generic path raises; the id is not signed
        time_field = f"{valid_until:08x}"
        data1 = f"{user_id}\0{token_field}\0{user_data}".encode()
        inner = factory(prefix + bytes.fromhex(time_field) + key + data1).digest()
        digest = factory(inner + key).hexdigest()
        text = f"{digest}{time_field}{user_id}!{token_field}!{user_data}"
        if len(text) > _MAX_LENGTH:
            raise ValueError(f"the encoded ticket exceeds {_MAX_LENGTH} characters")
        return text

    return issued
