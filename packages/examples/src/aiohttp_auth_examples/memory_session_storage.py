"""A server-side aiohttp-session storage that keeps sessions in this process.

The session example needs a storage where the session *id* lives in the
cookie and the data stays on the server, because that is where session
fixation and "logout must destroy the session" matter (an encrypted cookie
storage has no server-side record to destroy).  In production that storage
is aiohttp-session's ``RedisStorage``; this one has the same shape with a
dict instead of Redis, so the example runs on a machine with only Python.

Not for production: one process only, nothing expires but what
``max_entries`` pushes out.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import TYPE_CHECKING

from aiohttp_session import AbstractStorage, Session, SessionData

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["MemorySessionStorage"]


class MemorySessionStorage(AbstractStorage):
    """Session ids in an HttpOnly cookie, session data in a bounded dict."""

    def __init__(self, *, cookie_name: str = "AIOHTTP_SESSION", max_entries: int = 10_000) -> None:
        super().__init__(cookie_name=cookie_name, httponly=True, samesite="Lax")
        self._records: OrderedDict[str, SessionData] = OrderedDict()
        self._max_entries = max_entries

    def __contains__(self, session_id: object) -> bool:
        return session_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    async def load_session(self, request: web.Request) -> Session:
        session_id = self.load_cookie(request)
        record = self._records.get(session_id) if isinstance(session_id, str) else None
        if record is None:
            return Session(None, data=None, new=True, max_age=self.max_age)
        return Session(session_id, data=record, new=False, max_age=self.max_age)

    async def save_session(
        self, request: web.Request, response: web.StreamResponse, session: Session
    ) -> None:
        session_id = session.identity
        if session.empty:
            # invalidate(): drop the server-side record, expire the cookie
            if isinstance(session_id, str):
                self._records.pop(session_id, None)
            self.save_cookie(response, "", max_age=session.max_age)
            return
        if not isinstance(session_id, str):
            session_id = secrets.token_urlsafe(32)  # new_session(): a fresh, unguessable id
        self._records[session_id] = self._get_session_data(session)
        self._records.move_to_end(session_id)
        while len(self._records) > self._max_entries:
            self._records.popitem(last=False)
        self.save_cookie(response, session_id, max_age=session.max_age)
