"""``CookieTktAuthentication``: the ticket travels in a cookie (the default storage).

``remember()``/``forget()`` record what the response must do; the cookie is
written in ``process_response``, which the middleware runs before the
headers go out on every path (returned, raised, streamed).  Nothing is
written unless this request logged in, logged out or was due for reissue:
an invalid or expired cookie is left alone (SECURITY J3), so a late
response can never clobber a fresh login.

A Cookie header may carry our name more than once (cookie tossing from a
sibling subdomain).  aiohttp keeps only the last value, so the raw header is
read whenever the name occurs twice; tickets for different users make the
request anonymous (SECURITY A18).
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

from aiohttp import hdrs, web

from .cookie_options import CookieOptions
from .ticket_auth import TicketOptions, TktAuthentication

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typing_extensions import Unpack

__all__ = ["CookieTktAuthentication"]


_DELETE = ""


@dataclass
class _PendingCookie:
    value: str  # "" deletes


_PENDING_COOKIE_KEY: web.RequestKey[_PendingCookie] = web.RequestKey(
    "aiohttp_auth.auth.pending_cookie", _PendingCookie
)


def cookie_values(request: web.BaseRequest, name: str) -> list[str]:
    """Every distinct value the raw Cookie headers give ``name``, in order."""
    values: list[str] = []
    decoder = SimpleCookie()
    for header in request.headers.getall(hdrs.COOKIE, ()):
        for pair in header.split(";"):
            key, sep, value = pair.partition("=")
            if not sep or key.strip() != name:
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = decoder.value_decode(value)[0]
            if value not in values:
                values.append(value)
    return values


class CookieTktAuthentication(TktAuthentication):
    """Ticket authentication with the ticket in the cookie named ``cookie_name``.

    Same positional arguments as ``TktAuthentication``; cookie attributes
    are keyword-only: ``secure`` (``None``: automatic, see
    ``cookie_options``), ``httponly`` (True), ``samesite`` ('Lax'),
    ``domain`` (None), ``path`` ('/'), ``persistent`` (False: a session
    cookie; True: ``Max-Age`` follows the ticket's lifetime).
    """

    def __init__(
        self,
        secret: bytes | Sequence[bytes],
        max_age: int,
        reissue_time: int | None = None,
        include_ip: bool = False,
        cookie_name: str = "AUTH_TKT",
        *,
        secure: bool | None = None,
        httponly: bool = True,
        samesite: str | None = "Lax",
        domain: str | None = None,
        path: str = "/",
        persistent: bool = False,
        **ticket_options: Unpack[TicketOptions],
    ) -> None:
        self._cookie = CookieOptions(
            name=cookie_name,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            domain=domain,
            path=path,
            persistent=persistent,
        )
        super().__init__(
            secret,
            max_age,
            reissue_time,
            include_ip,
            cookie_name,
            **ticket_options,
        )

    @property
    def cookie_options(self) -> CookieOptions:
        """The validated cookie attributes."""
        return self._cookie

    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        """Schedule the cookie; ``ValueError`` now if browsers would drop it (E5)."""
        self._cookie.check_size(ticket)
        request[_PENDING_COOKIE_KEY] = _PendingCookie(ticket)

    async def forget_ticket(self, request: web.Request) -> None:
        """Schedule the deletion of the cookie."""
        request[_PENDING_COOKIE_KEY] = _PendingCookie(_DELETE)

    async def get_ticket(self, request: web.Request) -> str | None:
        """The cookie's value as aiohttp parsed it (the last one if repeated)."""
        return request.cookies.get(self.cookie_name)

    async def get_ticket_candidates(self, request: web.Request) -> Sequence[str]:
        name = self.cookie_name
        needle = name + "="
        if sum(header.count(needle) for header in request.headers.getall(hdrs.COOKIE, ())) > 1:
            return [value for value in cookie_values(request, name) if value]
        return await super().get_ticket_candidates(request)

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue if due, then write or delete the cookie as this request decided."""
        await super().process_response(request, response)
        pending = request.get(_PENDING_COOKIE_KEY)
        if pending is None:
            return
        if pending.value == _DELETE:
            self._cookie.delete(request, response)
        else:
            self._cookie.set(request, response, pending.value, self._cookie_max_age())

    def _cookie_max_age(self) -> int:
        return self.max_age
