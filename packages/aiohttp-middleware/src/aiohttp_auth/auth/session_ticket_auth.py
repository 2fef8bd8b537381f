"""``SessionTktAuthentication``: the ticket lives in the aiohttp-session session.

The session is only a container: the ticket inside is verified on every
request exactly like a cookie ticket, so an expired ticket in a session the
storage still considers alive is anonymous (SECURITY G3), and a value of the
wrong type or size is anonymous without being parsed (A14, A7).

Login starts a new session (``aiohttp_session.new_session``): a session id
planted before login never becomes authenticated (G1, aiohttp-session
CVE-2018-1000519).  Only the keys listed in ``keep_session_keys`` are carried
over.  Logout invalidates the session, so server-side storages delete their
record (G2).

aiohttp-session's middleware saves the session only into a ``web.Response``;
for a streamed or WebSocket response it does nothing.  So when this request
logged in, logged out or reissued and the answer is such a response, the
policy saves the session itself, before the headers go out.

The session middleware must run before (outside) ours; ``setup`` checks
that at application startup (F10), and registers the session cookie's name
with the filter that keeps credentials out of aiohttp's logs (J6).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp_session import STORAGE_KEY, AbstractStorage, Session, get_session, new_session

from ..log_hygiene import protect_aiohttp_logs
from .auth import auth_middleware_index
from .cookie_options import copy_cookies, mark_uncacheable, scratch_response, vary_on
from .ticket_auth import TicketOptions, TktAuthentication
from .ticket_choice import MAX_TICKET_LENGTH
from .ticket_state import find_ticket_state

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from typing_extensions import Unpack

__all__ = ["SessionTktAuthentication"]

logger = logging.getLogger("aiohttp_auth.auth")

#: ``aiohttp_session.AbstractStorage``'s default ``cookie_name``
_DEFAULT_SESSION_COOKIE = "AIOHTTP_SESSION"


def _is_session_middleware(middleware: object) -> bool:
    return getattr(middleware, "__module__", None) == "aiohttp_session" and getattr(
        middleware, "__qualname__", ""
    ).startswith("session_middleware.")


def _session_middleware_index(app: web.Application) -> int | None:
    for index, middleware in enumerate(app.middlewares):
        if _is_session_middleware(middleware):
            return index
    return None


def _storage_of(middleware: object) -> AbstractStorage | None:
    """The storage an aiohttp-session middleware was made with (``None``: not found).

    ``aiohttp_session.setup(app, storage)`` keeps the storage only in the
    closure of the middleware it appends; requests get it as
    ``request[STORAGE_KEY]``.
    """
    for cell in getattr(middleware, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if isinstance(value, AbstractStorage):
            return value
    return None


async def _retire(request: web.Request, session: Session) -> None:
    """Save ``session`` invalidated, so its storage forgets what it held.

    ``new_session()`` alone only replaces the request's session: the old
    record would stay in a server-side storage under the old id.  The
    storage's own ``save_session`` is asked to store the emptied session;
    the cookie it writes goes to a throwaway response, because the browser
    gets the new session's cookie from the session middleware.
    """
    storage = request.get(STORAGE_KEY)
    if session.new or storage is None:
        return
    session.invalidate()
    await storage.save_session(request, web.Response(), session)


async def _save_for_streamed(request: web.Request, response: web.StreamResponse) -> None:
    """Save the session into a response aiohttp-session's middleware will not save.

    The storage writes its cookie into a scratch response whose
    ``Set-Cookie`` headers are copied over: inside ``on_response_prepare``
    aiohttp has already turned the response's own cookies into headers.
    """
    storage = request.get(STORAGE_KEY)
    if storage is None:  # no session middleware: check_app refuses this at startup
        return
    scratch = scratch_response()
    await storage.save_session(request, scratch, await get_session(request))
    copy_cookies(scratch, response)


class SessionTktAuthentication(TktAuthentication):
    """Ticket authentication with the ticket in the session under ``cookie_name``."""

    def __init__(
        self,
        secret: bytes | Sequence[bytes],
        max_age: int,
        reissue_time: int | None = None,
        include_ip: bool = False,
        cookie_name: str = "AUTH_TKT",
        *,
        keep_session_keys: Iterable[str] = (),
        **ticket_options: Unpack[TicketOptions],
    ) -> None:
        super().__init__(
            secret,
            max_age,
            reissue_time,
            include_ip,
            cookie_name,
            **ticket_options,
        )
        if isinstance(keep_session_keys, str):
            raise TypeError("keep_session_keys must be a collection of keys, not a str")
        self._keep_session_keys = tuple(keep_session_keys)
        # The default session cookie is kept out of aiohttp's logs as soon as
        # the policy exists, also under a bare auth_middleware(policy), which
        # runs no startup check; check_app adds a custom name at startup.
        protect_aiohttp_logs(_DEFAULT_SESSION_COOKIE)

    def check_app(self, app: web.Application) -> None:
        """``RuntimeError`` unless the aiohttp-session middleware runs before ours;
        then keep the session cookie out of aiohttp's logs.

        On the wire the credential is the aiohttp-session cookie (its name is
        the storage's ``cookie_name``, ``AIOHTTP_SESSION`` by default), not
        ``self.cookie_name``, which is only a key inside the session; aiohttp
        logs the raw header bytes of requests its parser refuses.  Its name is
        registered with ``aiohttp_auth.log_hygiene`` here, at startup, the
        earliest point where it is reliably known: the middleware list is
        final, and the server has not accepted a connection yet.  The first
        request (``request[STORAGE_KEY]``) would be too late: a request the
        parser refuses never reaches a middleware, so every refused request
        before the first good one (a header over the size limit, say, right
        after a restart) would log a session id.

        The storage is read from the middleware's closure, which is how
        aiohttp-session keeps it.  An aiohttp-session that keeps it elsewhere
        still starts: the log redaction is not worth an outage.  The default
        cookie name is then protected, and a WARNING says that a custom one
        is not.
        """
        session_index = _session_middleware_index(app)
        if session_index is None:
            raise RuntimeError(
                "SessionTktAuthentication needs the aiohttp-session middleware: call "
                "aiohttp_session.setup(app, storage) before aiohttp_auth.auth.setup()"
            )
        auth_index = auth_middleware_index(app)
        if auth_index is not None and session_index > auth_index:
            raise RuntimeError(
                "the aiohttp-session middleware is installed after the auth middleware: "
                "call aiohttp_session.setup(app, storage) before aiohttp_auth.auth.setup()"
            )
        for middleware in app.middlewares:
            if not _is_session_middleware(middleware):
                continue
            storage = _storage_of(middleware)
            if storage is None:
                logger.warning(
                    "cannot find the storage of the aiohttp-session middleware: only the "
                    "default session cookie name %s is kept out of aiohttp's logs",
                    _DEFAULT_SESSION_COOKIE,
                )
            name = _DEFAULT_SESSION_COOKIE if storage is None else storage.cookie_name
            protect_aiohttp_logs(name)

    async def remember(
        self,
        request: web.Request,
        user_id: str,
        *,
        tokens: Iterable[str] = (),
        user_data: str = "",
    ) -> None:
        """Start a new session (fixation defence), then store the new ticket in it.

        The previous session is retired first: its server-side record is
        emptied (or deleted, as the storage does for an invalidated session),
        so an old session id, whether planted before login or a login of
        another user in the same browser, authenticates nobody afterwards.
        """
        old = await get_session(request)
        kept = {key: old[key] for key in self._keep_session_keys if key in old}
        await _retire(request, old)
        session = await new_session(request)
        session.update(kept)
        await super().remember(request, user_id, tokens=tokens, user_data=user_data)

    async def process_response(self, request: web.Request, response: web.StreamResponse) -> None:
        """Reissue if due; a response to a logged-in request varies with the session cookie.

        A response to a login, logout or reissue is marked uncacheable, as
        the cookie storage marks the responses that set its cookie: the
        session cookie aiohttp-session sends with it is the credential.

        A login, logout or reissue on a streamed or WebSocket response is
        saved here: aiohttp-session's middleware saves only ``web.Response``
        objects and returns any other response untouched, so without this
        a logout answered by a ``StreamResponse`` would leave the ticket in
        the session record (`_save_for_streamed`).
        """
        state = find_ticket_state(request)
        if state is None:
            return
        if state.verified is not None:
            vary_on(response, "Cookie")
        await super().process_response(request, response)
        if state.decided or state.issued is not None:
            # login, logout or reissue: the session cookie that goes out is a credential
            mark_uncacheable(response, "Cookie")
            if not isinstance(response, web.Response):
                await _save_for_streamed(request, response)

    async def remember_ticket(self, request: web.Request, ticket: str) -> None:
        session = await get_session(request)
        session[self.cookie_name] = ticket

    async def forget_ticket(self, request: web.Request) -> None:
        """Invalidate the whole session: server-side storages delete the record."""
        session = await get_session(request)
        session.invalidate()

    async def get_ticket(self, request: web.Request) -> str | None:
        session = await get_session(request)
        value = session.get(self.cookie_name)
        if not isinstance(value, str) or len(value) > MAX_TICKET_LENGTH:
            return None
        return value
