"""The small interface every ticket format implements.

Why two objects: a `Codec` is configuration (format, hash, purpose) that a
user writes in settings; a `BoundCodec` is that configuration joined with
checked keys, made by the signer once. Keys are derived and hash objects
prepared in ``bind``, so the per-request path does no setup work.

Why `BoundCodec.verifier` and `BoundCodec.issuer`: every request pays for
each Python call between the cookie and the result. The defaults chain the
generic steps (value checks, time policy, ``issue``; ``verify``, time
policy, result); a format may override them with one fused function that
does the same checks in the same order (the default format does).

Why the format never comes from the ticket: the signer asks each configured
codec in turn; a ticket cannot name its algorithm or version (SECURITY B4).
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

from ..claims import checked_claims
from ..verified import VerifiedTicket

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from ..claims import Claims, Issuer
    from ..expiry import ExpiryPolicy
    from ..verified import Verifier

__all__ = ["BoundCodec", "Codec"]

_tuple_new = tuple.__new__


class BoundCodec(abc.ABC):
    """A codec holding its keys: mints and verifies ticket text."""

    __slots__ = ()

    @abc.abstractmethod
    def issue(self, claims: Claims) -> str:
        """Encode and sign ``claims`` with the first key; ``ValueError`` if they do not fit.

        A format without a login id field drops ``claims.login_id``.
        """

    @abc.abstractmethod
    def verify(self, text: str, client_ip: str | None) -> tuple[Claims, int]:
        """Return the claims and the index of the key that verified them.

        ``client_ip`` is already normalised (or ``None`` for an unbound
        ticket); a ticket bound to another address fails like a bad digest.
        Raises only `TicketParseError`/`TicketDigestError`; expiry is the
        signer's job, so every codec applies the same time policy.
        """

    def issuer(self, policy: ExpiryPolicy, clock: Callable[[], float]) -> Issuer:
        """`TicketSigner.issue` for this format: every value check, the time window, ``issue``.

        Formats may override it with a fused version that raises the same
        errors for the same arguments and mints the same bytes.
        """
        issue = self.issue

        def issued(  # noqa: PLR0917 - the Issuer signature: TicketSigner.issue's arguments
            user_id: str,
            tokens: Iterable[str] | None,
            user_data: str | None,
            client_ip: str | None,
            auth_time: int | None,
            login_id: str | None,
        ) -> str:
            return issue(
                checked_claims(
                    policy, clock, user_id, tokens, user_data, client_ip, auth_time, login_id
                )
            )

        return issued

    def verifier(
        self, policy: ExpiryPolicy, clock: Callable[[], float], name: str, *, legacy: bool
    ) -> Verifier:
        """``verify``, then ``policy.check`` at ``int(clock())``, then the `VerifiedTicket`.

        ``legacy`` marks every result ``needs_reissue`` (an ``accept=`` format);
        otherwise only tickets verified by an older key need a reissue.
        """
        verify = self.verify
        check = policy.check

        def verified(text: str, client_ip: str | None) -> VerifiedTicket:
            claims, key_index = verify(text, client_ip)
            check(claims, int(clock()))
            return _tuple_new(VerifiedTicket, (*claims, key_index, name, legacy or key_index > 0))

        return verified


class Codec(abc.ABC):
    """A ticket format as configured by the user."""

    name: str = "codec"
    """Stable name reported in ``VerifiedTicket.codec``."""
    carries_auth_time: bool = False
    """Whether the original login time survives a reissue in this format."""
    max_time: int = 2**32 - 1
    """Largest timestamp the format's time field can hold."""

    def __init__(self, *, secrets: bytes | Sequence[bytes] | None = None) -> None:
        self.secrets = secrets
        """Keys used only when this codec verifies legacy tickets (``accept=``)."""

    @abc.abstractmethod
    def bind(self, keys: tuple[bytes, ...], *, max_age: int) -> BoundCodec:
        """Prepare this format for ``keys`` (newest first) and tickets of ``max_age`` seconds."""

    def __repr__(self) -> str:
        own = ", secrets=<hidden>" if self.secrets is not None else ""
        return f"{type(self).__name__}({self.describe()!r}{own})"

    @abc.abstractmethod
    def describe(self) -> str:
        """A short, secret-free description of the configuration, e.g. the hash name."""
