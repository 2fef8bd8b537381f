"""Server-side revocation: make logout and "log out everywhere" stick.

A ticket is self-contained, so without server state a ticket captured
before ``forget()`` keeps working until it expires (SECURITY H1).  With a
store configured (``revocation=`` on a ticket policy, off by default):

* ``forget()`` revokes the *login* the request's ticket belongs to, keyed by
  user id and the ticket's signed, random ``login_id``.  Every reissue of a
  login keeps its ``login_id``, so the whole chain of sliding tickets dies
  at once, including one minted by a reissue racing the logout (H5).
  Another login, even of the same user in the same second, has another id
  and stays logged in, and a new login right after a logout works.
* Legacy-format tickets (``accept=`` ``TicketAuthCodec`` /
  ``ModAuthTktCodec``) have no login id (``login_id == ""``); their logins
  fall back to the old key, user id and login second (`login_key`), with
  its old limits: logins of one user within one second share it.  Their
  migration to the default format gets `migrated_login_id`, derived from
  that same user id and second, not a random id: every copy of a legacy
  ticket migrates to the same login, so one logout, made with the legacy
  ticket or with any migrated one, revokes both keys and ends them all.
* ``policy.revoke_user(user_id)`` ("log out everywhere", password change,
  disabled account) revokes every login of that user that started at or
  before now (by ``auth_time``); logging in again afterwards works (H2).

Entries expire on their own: a revoked login cannot produce a ticket that
outlives ``revoked_at + max_age + skew``, because reissue re-checks the
store first, so the store never grows with traffic (H3).  A store that
fails is treated as "revoked" by the policy (fail closed, H4).
"""

from __future__ import annotations

import abc
import asyncio
import base64
import hashlib
import logging
import time
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_timeout = getattr(asyncio, "timeout", None)  # Python 3.11+
_T = TypeVar("_T")

DEFAULT_TIMEOUT = 2.0
"""Seconds a revocation store may take to answer (``revocation_timeout``)."""

__all__ = [
    "DEFAULT_TIMEOUT",
    "MemoryRevocationStore",
    "RevocationStore",
    "Revoker",
    "login_key",
    "migrated_login_id",
]

logger = logging.getLogger("aiohttp_auth.auth")

#: bytes behind a login id: 12 base64url characters, no padding (auth_tickets' spelling)
_LOGIN_ID_BYTES = 9


def login_key(login_id: str, auth_time: int) -> str:
    """What identifies one login of a user: its login id, or its login second if it has none.

    The two spellings live in separate namespaces (``id:``/``at:``), so no
    login id can ever equal a legacy ticket's key.
    """
    return f"id:{login_id}" if login_id else f"at:{auth_time}"


def migrated_login_id(user_id: str, auth_time: int) -> str:
    """The login id a legacy ticket's login gets when it is reissued in the default format.

    Why derived and not random: a legacy ticket may have been copied (the
    reason to log out), and each copy is migrated on its own first request.
    With random ids every copy would become a separate login that a logout
    made with another copy cannot reach.  Derived from what identifies the
    legacy login (`login_key`'s user id and login second), every copy gets
    the same id.  It is not secret and need not be: a login id names a login
    for revocation, the ticket's MAC is what authenticates it.
    """
    material = f"aiohttp_auth migrated login\0{user_id}\0{auth_time}".encode()
    digest = hashlib.sha256(material).digest()[:_LOGIN_ID_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii")


class RevocationStore(abc.ABC):
    """Where revoked logins are remembered until their tickets have expired anyway."""

    @abc.abstractmethod
    async def revoke_login(
        self, user_id: str, login_id: str, auth_time: int, expires_at: int
    ) -> None:
        """Revoke the login ``login_key(login_id, auth_time)`` of ``user_id``."""

    @abc.abstractmethod
    async def revoke_user(self, user_id: str, not_before: int, expires_at: int) -> None:
        """Revoke every login of ``user_id`` that started at or before ``not_before``."""

    @abc.abstractmethod
    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        """Whether that login of ``user_id`` is revoked, by itself or by `revoke_user`.

        ``auth_time`` is compared with `revoke_user`'s ``not_before``, and keys
        the login only when ``login_id`` is ``""`` (see `login_key`).
        """


class MemoryRevocationStore(RevocationStore):
    """One process's revocations, in dicts (tests, single-process deployments).

    Several processes or hosts need a shared store, such as
    ``RedisRevocationStore``.  Expired entries are dropped by a sweep that
    runs at most once per ``sweep_interval`` seconds of elapsed time, on any
    call, and only once ``monotonic`` time has also passed their lifetime: a
    wall clock that steps forward and back cannot make the store forget a
    revocation early.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sweep_interval: int = 60,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._monotonic = monotonic
        self._sweep_interval = sweep_interval
        self._next_sweep = 0.0
        self._logins: dict[tuple[str, str], int] = {}  # (user, login_key) -> expires_at
        self._users: dict[str, tuple[int, int]] = {}  # user -> (not_before, expires_at)
        # when each entry may be forgotten by elapsed time, whatever the wall clock says
        self._kept_until: dict[object, float] = {}

    def __len__(self) -> int:
        return len(self._logins) + len(self._users)

    def _sweep(self) -> int:
        """Forget entries whose tickets are dead by the wall clock AND by elapsed time.

        The wall clock alone is not enough: stepped forward past an entry's
        expiry (NTP, a VM resume) and then back, it would let a sweep drop a
        revocation whose ticket is valid again once the clock is back.  The
        monotonic deadline, taken when the entry was written, never jumps.
        """
        now = int(self._clock())
        elapsed = self._monotonic()
        if elapsed >= self._next_sweep:
            self._next_sweep = elapsed + self._sweep_interval
            kept = self._kept_until
            self._logins = {
                k: e for k, e in self._logins.items() if e > now or kept.get(k, 0) > elapsed
            }
            self._users = {
                k: v for k, v in self._users.items() if v[1] > now or kept.get(k, 0) > elapsed
            }
            self._kept_until = {
                k: d for k, d in kept.items() if k in self._logins or k in self._users
            }
        return now

    def _keep(self, key: object, expires_at: int, now: int) -> None:
        deadline = self._monotonic() + max(0, expires_at - now)
        self._kept_until[key] = max(deadline, self._kept_until.get(key, 0))

    async def revoke_login(
        self, user_id: str, login_id: str, auth_time: int, expires_at: int
    ) -> None:
        now = self._sweep()
        key = (user_id, login_key(login_id, auth_time))
        self._logins[key] = max(expires_at, self._logins.get(key, 0))
        self._keep(key, expires_at, now)

    async def revoke_user(self, user_id: str, not_before: int, expires_at: int) -> None:
        now = self._sweep()
        old_not_before, old_expires = self._users.get(user_id, (0, 0))
        self._users[user_id] = (max(not_before, old_not_before), max(expires_at, old_expires))
        self._keep(user_id, expires_at, now)

    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        now = self._sweep()
        expires = self._logins.get((user_id, login_key(login_id, auth_time)))
        if expires is not None and expires > now:
            return True
        entry = self._users.get(user_id)
        return entry is not None and entry[1] > now and auth_time <= entry[0]


async def _within(seconds: float, call: Awaitable[_T]) -> _T:
    """``await call``, or ``TimeoutError`` after ``seconds``.

    ``asyncio.timeout`` where it exists (3.11+): it schedules one timer and
    no task, which matters on a path every authenticated request takes.
    """
    if _timeout is None:  # Python 3.10
        return await asyncio.wait_for(call, seconds)
    async with _timeout(seconds):
        return await call


class Revoker:
    """A policy's view of its store: expiry arithmetic, fail-closed and time-bounded calls.

    Every call to the store is bounded by ``timeout`` seconds: a store that
    hangs (a Redis that stopped answering, with no socket timeout set on its
    client) would otherwise hang every authenticated request.  A check that
    times out counts as "revoked" (anonymous); a revocation that times out
    raises, so a logout never pretends it stuck.
    """

    def __init__(
        self,
        store: RevocationStore,
        clock: Callable[[], float],
        lifetime: int,
        *,
        legacy_formats: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if not isinstance(store, RevocationStore):
            raise TypeError("revocation must be a RevocationStore (or None: no revocation)")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValueError("revocation_timeout must be a positive number of seconds")
        self._timeout = float(timeout)
        self._store = store
        self._clock = clock
        self._lifetime = lifetime  # max_age + skew: no revoked login's ticket outlives it
        # tickets without a login id verify: a logout revokes their key (login second) too
        self._legacy_formats = legacy_formats
        # the latest moment this process has seen: its clock, or a login's signed start
        self._latest = 0

    def observe(self, moment: int) -> None:
        """Remember that time ``moment`` has been reached (a login started, a clock read).

        ``revoke_user`` revokes every login up to the latest moment seen, not
        just up to the clock: a clock stepped back while it runs would
        otherwise leave the logins of the last minutes unrevoked.
        """
        self._latest = max(self._latest, moment)

    def _now(self) -> int:
        self.observe(int(self._clock()))
        return self._latest

    def login_started(self) -> None:
        """A ticket for a new login was just issued: its start is a moment seen."""
        self._now()

    def _expiry(self) -> int:
        return self._now() + self._lifetime

    async def is_revoked(self, user_id: str, login_id: str, auth_time: int) -> bool:
        self.observe(auth_time)
        try:
            return await _within(
                self._timeout, self._store.is_revoked(user_id, login_id, auth_time)
            )
        except Exception as exc:  # fail closed: an unknown answer is "revoked" (H4)
            logger.warning("revocation store failed (%s): ticket refused", type(exc).__name__)
            return True

    async def revoke_login(self, user_id: str, login_id: str, auth_time: int) -> None:
        """Revoke one login; a legacy ticket's login under both of its keys.

        A legacy ticket (no login id) is known by ``login_key("", auth_time)``
        and, once migrated, by `migrated_login_id`: a logout with the legacy
        ticket revokes both, so every migrated copy dies with it.  A logout
        with a default-format ticket, when legacy formats are accepted, also
        revokes the legacy key of its login second, so the ticket a login was
        migrated from dies with the login.
        """
        expires_at = self._expiry()
        store, within = self._store, self._timeout
        await _within(within, store.revoke_login(user_id, login_id, auth_time, expires_at))
        if not login_id:
            migrated = migrated_login_id(user_id, auth_time)
            await _within(within, store.revoke_login(user_id, migrated, auth_time, expires_at))
        elif self._legacy_formats:
            await _within(within, store.revoke_login(user_id, "", auth_time, expires_at))

    async def revoke_user(self, user_id: str) -> None:
        not_before = self._now()
        await _within(
            self._timeout,
            self._store.revoke_user(user_id, not_before, not_before + self._lifetime),
        )
