"""Which of the tickets a request presents proves its identity, if any.

A request normally carries one ticket, but a Cookie header can repeat our
cookie name (cookie tossing from a sibling subdomain, SECURITY A18).  The
rule: every presented ticket is verified (at most ``MAX_TICKETS_PER_REQUEST``
of them, so duplicates cannot multiply HMAC work); if the valid ones name
different users, nobody is logged in.  Nothing a client sends can raise out
of here, and a rejected ticket is logged at DEBUG by exception type only,
never by value (J6).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from auth_tickets import TicketError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from auth_tickets import TicketSigner, VerifiedTicket

__all__ = ["MAX_TICKETS_PER_REQUEST", "MAX_TICKET_LENGTH", "choose_ticket", "same_user_tickets"]

logger = logging.getLogger("aiohttp_auth.auth")

#: Longer values are refused before parsing: no cookie can be longer (SECURITY A7).
MAX_TICKET_LENGTH = 4096
#: Distinct tickets one request may present (duplicate cookies); more is anonymous.
MAX_TICKETS_PER_REQUEST = 4


def _verify(signer: TicketSigner, text: object, client_ip: str | None) -> VerifiedTicket | None:
    if not isinstance(text, str) or not text or len(text) > MAX_TICKET_LENGTH:
        return None
    try:
        return signer.verify(text, client_ip=client_ip)
    except TicketError as exc:
        logger.debug("ticket rejected: %s", type(exc).__name__)
    except Exception as exc:  # attacker input must never become a 500
        logger.info("ticket rejected by an unexpected %s", type(exc).__name__)
    return None


def choose_ticket(
    signer: TicketSigner, candidates: Sequence[str], client_ip: str | None
) -> VerifiedTicket | None:
    """The verified ticket for this request, or ``None`` (anonymous)."""
    if len(candidates) == 1:  # the usual request: the general rule below, without its lists
        text = candidates[0]
        if type(text) is str and 0 < len(text) <= MAX_TICKET_LENGTH:  # _verify(), inlined
            try:
                info = signer.verify(text, client_ip=client_ip)
            except TicketError as exc:
                logger.debug("ticket rejected: %s", type(exc).__name__)
                return None
            except Exception as exc:  # attacker input must never become a 500
                logger.info("ticket rejected by an unexpected %s", type(exc).__name__)
                return None
            return info if info.user_id else None  # '' is never an identity (F11)
        return None
    if len(candidates) > MAX_TICKETS_PER_REQUEST:
        logger.info("%d different tickets in one request: anonymous", len(candidates))
        return None
    valid = [info for info in (_verify(signer, text, client_ip) for text in candidates) if info]
    if not valid:
        return None
    if len({info.user_id for info in valid}) > 1:
        logger.info(
            "%d tickets for different users in one request (cookie tossing?): anonymous",
            len(valid),
        )
        return None
    return valid[0] if valid[0].user_id else None  # '' is never an identity (F11)


def same_user_tickets(
    signer: TicketSigner,
    candidates: Sequence[str],
    client_ip: str | None,
    chosen: VerifiedTicket,
) -> list[VerifiedTicket]:
    """``chosen`` and every other valid ticket of its user the request presents.

    For a logout: two cookies of one user in one request (an old
    ``Domain`` cookie beside the current host cookie, after a configuration
    change) are two logins, and the one not chosen must be revoked too, or
    it keeps the browser logged in.  At most ``MAX_TICKETS_PER_REQUEST``
    are looked at, as in `choose_ticket`.
    """
    found = [chosen]
    seen = {(chosen.login_id, chosen.auth_time)}
    for text in candidates[:MAX_TICKETS_PER_REQUEST]:
        info = _verify(signer, text, client_ip)
        if info is None or info.user_id != chosen.user_id:
            continue
        login = (info.login_id, info.auth_time)
        if login not in seen:
            seen.add(login)
            found.append(info)
    return found
