"""When a valid ticket is replaced by a fresh one (sliding expiry).

The original's rule, kept: a ticket is due once it is ``reissue_time``
seconds old (``0``: on every request), and ``None`` or a value ``>=
max_age`` turns reissue off.  A ticket verified by an older key or a legacy
format is always due, so rotation and migration finish on their own.
*Whether* a due ticket is reissued (only for a returned 2xx response, never
after ``forget``/``remember``) is the policy's ``process_response``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from auth_tickets import VerifiedTicket

__all__ = ["ReissueSchedule"]


class ReissueSchedule:
    """Decides, from a verified ticket and the clock, whether it is due."""

    __slots__ = ("_clock", "_max_age", "reissue_time")

    def __init__(self, max_age: int, reissue_time: int | None, clock: Callable[[], float]) -> None:
        if reissue_time is not None:
            if isinstance(reissue_time, bool) or not isinstance(reissue_time, int):
                raise TypeError(
                    f"reissue_time must be an int or None, got {type(reissue_time).__name__}"
                )
            if reissue_time < 0:
                raise ValueError(f"reissue_time must be >= 0, got {reissue_time}")
        self._max_age = max_age
        self._clock = clock
        #: ``None``: never (also for values ``>= max_age``, the original's rule).
        self.reissue_time = (
            reissue_time if reissue_time is not None and reissue_time < max_age else None
        )

    def is_due(self, info: VerifiedTicket) -> bool:
        if info.needs_reissue:
            return True
        if self.reissue_time is None:
            return False
        issued_at = info.valid_until - self._max_age
        return self._clock() >= issued_at + self.reissue_time
