"""The time policy: when a ticket ends, and the server-side caps on what it claims.

Why on the server: a ticket's own ``valid_until`` is only as good as the key
that signed it. The policy also caps far-future values (a ticket minted under
an older, longer ``max_age``, or with a leaked key), tolerates a bounded clock
skew between instances, and enforces an absolute lifetime counted from the
signed login time, which no reissue can extend (SECURITY C1-C4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import TicketExpired

if TYPE_CHECKING:
    from .claims import Claims
    from .codecs.base import Codec

__all__ = ["ExpiryPolicy"]


def _seconds(value: object, *, what: str, minimum: int) -> int:
    """A whole number of seconds: ints only (``'60'`` and ``True`` are configuration bugs)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int number of seconds, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}")
    return value


class ExpiryPolicy:
    """``max_age`` per ticket, ``skew`` tolerance, optional ``max_lifetime`` per login."""

    __slots__ = ("_horizon", "max_age", "max_lifetime", "skew")

    def __init__(self, max_age: int, skew: int, max_lifetime: int | None) -> None:
        self.max_age = _seconds(max_age, what="max_age", minimum=1)
        self.skew = _seconds(skew, what="skew", minimum=0)
        self.max_lifetime = (
            None if max_lifetime is None else _seconds(max_lifetime, what="max_lifetime", minimum=1)
        )
        self._horizon = self.max_age + self.skew

    def check_codec(self, codec: Codec, now: int, *, signing: bool) -> None:
        """Refuse, at setup, settings the format cannot honour."""
        if now + self.max_age + self.skew > codec.max_time:
            raise ValueError(f"max_age overflows the {codec.name} time field")
        if signing and self.max_lifetime is not None and not codec.carries_auth_time:
            raise ValueError(
                f"{codec.name} tickets do not carry the login time, so max_lifetime "
                "cannot survive a reissue; sign with HmacCodec"
            )

    def window(self, now: int, auth_time: int | None) -> tuple[int, int]:
        """``(valid_until, auth_time)`` for a ticket issued at ``now``."""
        if auth_time is None:
            auth_time = now
        elif isinstance(auth_time, bool) or not isinstance(auth_time, int):
            raise TypeError("auth_time must be an int (seconds since the epoch) or None")
        elif auth_time < 0 or auth_time > now + self.skew:
            raise ValueError("auth_time lies in the future (or before the epoch)")
        valid_until = now + self.max_age
        if self.max_lifetime is not None:
            valid_until = min(valid_until, auth_time + self.max_lifetime)
            if valid_until <= now:
                raise TicketExpired("max_lifetime reached; the user must log in again")
        return valid_until, auth_time

    def check(self, claims: Claims, now: int) -> None:
        """Raise `TicketExpired` unless ``claims`` are inside every window at ``now``."""
        valid_until, auth_time = claims[3], claims[4]
        if valid_until <= now:
            raise TicketExpired()
        if valid_until > now + self._horizon:
            raise TicketExpired("valid_until lies beyond max_age + skew")
        if auth_time > now + self.skew or auth_time > valid_until:
            raise TicketExpired("auth_time lies in the future")
        if self.max_lifetime is not None and auth_time + self.max_lifetime <= now:
            raise TicketExpired("max_lifetime exceeded")
