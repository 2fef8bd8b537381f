"""`TicketSigner`: the one object an application configures to issue and verify tickets.

Why one object: keys, format, accepted legacy formats and the time policy are
checked together at construction, so every misconfiguration fails at setup
(SECURITY B3, B4, C2) and the per-request path only does the work that a
ticket needs: the MACs (one per key, always), a strict parse, the clock.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from .codecs.base import Codec
from .codecs.hmac import HmacCodec
from .errors import TicketDigestError, TicketError, TicketParseError
from .expiry import ExpiryPolicy
from .ip import ip_info
from .keys import check_secrets
from .verified import VerifiedTicket

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from .verified import Verifier

__all__ = ["TicketSigner", "VerifiedTicket"]


def _client_ip(value: object) -> str:
    """The normalised peer address; anything else fails closed like a wrong address."""
    try:
        return ip_info(value)[0]
    except (TypeError, ValueError):
        raise TicketDigestError("client address is not an IP address") from None


class TicketSigner:
    """Issue and verify tickets with ``secrets`` (newest first): the first signs, all verify.

    ``codec`` is the format that signs (default `HmacCodec`); ``accept`` lists
    extra formats that only verify, for migration, and whose tickets always
    come back with ``needs_reissue=True``. See the package README.
    """

    __slots__ = ("_clock", "_issuer", "_legacy", "_policy", "_signing", "_verifier", "codec")

    def __init__(  # noqa: PLR0917 - the documented signature (CONTRIBUTING.md)
        self,
        secrets: bytes | Sequence[bytes],
        max_age: int = 3600,
        codec: Codec | None = None,
        accept: Iterable[Codec] = (),
        skew: int = 60,
        max_lifetime: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Check everything now, so a bad configuration fails at start-up, not on a request.

        ``secrets``: ``bytes`` (32 or more, newest first when a list; at most
        `MAX_SECRETS`).  ``max_age``: seconds a new ticket is valid, and the
        cap on how far in the future a ticket's expiry may lie (plus
        ``skew``).  ``max_lifetime``: seconds from the original login after
        which no reissue helps.  ``clock``: seconds since the epoch.
        """
        keys = check_secrets(secrets)
        if not callable(clock):
            raise TypeError("clock must be a callable returning seconds since the epoch")
        self._clock = clock
        self._policy = ExpiryPolicy(max_age, skew, max_lifetime)
        self.codec = HmacCodec() if codec is None else codec
        accepted = tuple(accept)
        for candidate in (self.codec, *accepted):
            if not isinstance(candidate, Codec):
                raise TypeError(f"codecs must be Codec instances, not {type(candidate).__name__}")
        if self.codec.secrets is not None:
            raise ValueError("the signing codec uses the signer's secrets; do not give it its own")
        now = int(clock())
        self._policy.check_codec(self.codec, now, signing=True)
        self._signing = self.codec.bind(keys, max_age=max_age)
        self._issuer = self._signing.issuer(self._policy, clock)
        self._verifier = self._signing.verifier(self._policy, clock, self.codec.name, legacy=False)
        legacy: list[Verifier] = []
        for extra in accepted:  # a loop, not a generator: warnings point at the caller
            extra_keys = (
                keys if extra.secrets is None else check_secrets(extra.secrets, allow_short=True)
            )
            bound = extra.bind(extra_keys, max_age=max_age)
            legacy.append(bound.verifier(self._policy, clock, extra.name, legacy=True))
        self._legacy = tuple(legacy)

    def __repr__(self) -> str:
        policy = self._policy
        return (
            f"TicketSigner(codec={self.codec!r}, accept={len(self._legacy)}, "
            f"max_age={policy.max_age}, skew={policy.skew}, max_lifetime={policy.max_lifetime})"
        )

    def issue(  # noqa: PLR0917 - the documented signature (CONTRIBUTING.md)
        self,
        user_id: str,
        tokens: Iterable[str] | None = (),
        user_data: str | None = "",
        client_ip: str | None = None,
        auth_time: int | None = None,
        login_id: str | None = None,
    ) -> str:
        """A new ticket; a reissue passes the verified ticket's ``auth_time`` and ``login_id``.

        ``auth_time``: the original login time (None: now). ``login_id``:
        the login's id (None or ``""``, what legacy formats report: a new
        login with a new random id, whatever ``auth_time`` says). Pass both
        from the `VerifiedTicket` when reissuing, so ``max_lifetime`` and
        per-login state (revocation) follow the login.

        ``ValueError``/``TypeError`` for values that cannot round-trip,
        including a ``login_id`` that is not 12 characters of
        ``A-Za-z0-9_-``; `TicketExpired` when ``max_lifetime`` leaves no
        time for a new ticket.
        """
        return self._issuer(user_id, tokens, user_data, client_ip, auth_time, login_id)

    def verify(self, text: str, client_ip: str | None = None) -> VerifiedTicket:
        """Verify ``text``; raises only `TicketError` subclasses, whatever the input.

        ``client_ip`` must be the address the ticket was bound to (``None`` for
        unbound tickets); it is normalised first.
        """
        if type(text) is not str:
            raise TicketParseError("a ticket must be a str")
        ip = None if client_ip is None else _client_ip(client_ip)
        try:  # the signing format first: the common case pays for nothing else
            return self._verifier(text, ip)
        except (TicketParseError, TicketDigestError) as exc:
            if not self._legacy:
                raise
            return self._verify_legacy(text, ip, exc)

    def _verify_legacy(self, text: str, ip: str | None, failure: TicketError) -> VerifiedTicket:
        """Try the ``accept=`` formats in order; report a digest failure over a parse failure."""
        for verifier in self._legacy:
            try:
                return verifier(text, ip)
            except TicketParseError:
                continue
            except TicketDigestError as exc:
                failure = exc
        raise failure

    @staticmethod
    def fingerprint(text: str) -> str:
        """A short, stable digest of ``text`` to log or to key a denylist; never the ticket.

        Unkeyed on purpose, so a denylist survives key rotation: every ticket
        already contains a 256-bit MAC, so 128 bits of its SHA-256 reveal
        nothing usable.
        """
        data = (
            text.encode("utf-8", "surrogatepass") if isinstance(text, str) else repr(text).encode()
        )
        return hashlib.sha256(b"auth-tickets fingerprint\0" + data).hexdigest()[:32]
