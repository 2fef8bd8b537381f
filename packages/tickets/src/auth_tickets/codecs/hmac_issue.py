"""Issuing default-format (``v1!``) tickets in one call: `TicketSigner.issue`'s fast path.

Why fused: ``issue`` used to check each value in its own function, build a
`Claims` with keywords, join the body from seven parts and call the MAC
object: more interpreter work than the MAC itself. `build_issuer` returns
one function that accepts the common shapes inline (a plain ASCII
alphanumeric user id, no user data, a token tuple seen before, no address,
a new login) and hands everything else to the same checks as before
(`check_text`, `check_tokens`, ``ip_info``, `ExpiryPolicy.window`,
`login_id_for`), in the same order, so every argument raises exactly what it
raised before. A test compares it with the generic path on generated
arguments. A new login takes its id from the pool in ``login_ids`` (no
system call per login); a reissue's id is checked with one regex match.

Why a memo of token tuples: a site has a handful of token sets, and checking
each token against `TOKEN_PATTERN` costs more than the join. Only tuples of
exact ``str`` that passed `check_tokens` are remembered (bounded), and a hit
returns the join of the validated tuple.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..claims import MAX_USER_DATA_LENGTH, MAX_USER_ID_LENGTH, check_text, check_tokens
from ..ip import ip_info
from ..login_ids import is_login_id, login_id_for, new_login_id
from ..quoting import quote_field
from .hmac_verify import MAX_TICKET_LENGTH, VERSION

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from ..claims import Issuer
    from ..expiry import ExpiryPolicy
    from ..mac import Pads

__all__ = ["TOKEN_MEMO_SIZE", "build_issuer"]

TOKEN_MEMO_SIZE = 256
"""Distinct token tuples remembered per issuer; the memo is emptied when full."""


def build_issuer(pads: Pads, policy: ExpiryPolicy, clock: Callable[[], float]) -> Issuer:
    """`TicketSigner.issue` as a closure (see `Issuer`), signing with ``pads``."""
    inner_copy, outer_copy = pads
    max_age = policy.max_age
    simple_window = policy.max_lifetime is None
    window = policy.window
    joined_tokens: dict[object, str] = {(): "", None: ""}

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
        ):  # anything but a plain ASCII alphanumeric id (those are their own quoting)
            user_id = quote_field(
                check_text(
                    user_id, what="user_id", max_length=MAX_USER_ID_LENGTH, allow_empty=False
                ),
                safe="",
            )
        if user_data is None or user_data == "":
            user_data = ""
        else:
            user_data = quote_field(
                check_text(
                    user_data, what="user_data", max_length=MAX_USER_DATA_LENGTH, allow_empty=True
                ),
                safe="",
            )
        ip = "" if client_ip is None else ip_info(client_ip)[0]
        now = int(clock())
        if auth_time is None and simple_window:
            valid_until, auth_time = now + max_age, now
        else:
            valid_until, auth_time = window(now, auth_time)
        try:
            joined = joined_tokens[tokens]
        except (KeyError, TypeError):  # unseen, or unhashable: check it the long way
            checked = check_tokens(tokens)
            joined = ".".join(checked)
            if type(tokens) is tuple and all(type(token) is str for token in checked):
                if len(joined_tokens) >= TOKEN_MEMO_SIZE:
                    joined_tokens.clear()
                    joined_tokens[()] = joined_tokens[None] = ""
                joined_tokens[checked] = joined
        if login_id is None:  # a new login
            login_id = new_login_id()
        elif not (type(login_id) is str and is_login_id(login_id)):  # "", or a refusal
            login_id = login_id_for(login_id)
        body = f"{VERSION}!{valid_until}!{auth_time}!{login_id}!{ip}!{user_id}!{joined}!{user_data}"
        inner = inner_copy()
        inner.update(body.encode("ascii"))
        outer = outer_copy()
        outer.update(inner.digest())
        text = f"{body}!{outer.hexdigest()}"
        if len(text) > MAX_TICKET_LENGTH:
            raise ValueError(f"the encoded ticket exceeds {MAX_TICKET_LENGTH} characters")
        return text

    return issued
