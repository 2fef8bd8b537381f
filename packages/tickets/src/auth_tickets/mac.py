"""HMAC with the key schedule done once per key instead of once per ticket.

Why not ``hmac.new(key, msg, digestmod)`` per ticket: building the keyed
inner and outer states costs more than hashing a ticket. HMAC (RFC 2104) is
``H((K ^ opad) || H((K ^ ipad) || m))``; the two padded-key states are hashed
once here and copied per message, which is what the stdlib's own pure-Python
HMAC does, without the per-call object overhead. The result is identical to
``hmac.digest`` (a test checks it).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["Pads", "PreparedHmac"]

Pads = tuple["Callable[[], Any]", "Callable[[], Any]"]
"""The ``copy`` methods of a key's prepared inner and outer hash states."""

_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class PreparedHmac:
    """An HMAC key ready to sign many short messages."""

    __slots__ = ("_inner_copy", "_outer_copy", "digest_size")

    def __init__(self, key: bytes, hashalg: str) -> None:
        inner: Any = hashlib.new(hashalg)
        outer: Any = hashlib.new(hashalg)
        block = inner.block_size
        if len(key) > block:
            key = hashlib.new(hashalg, key).digest()
        key = key.ljust(block, b"\0")
        inner.update(key.translate(_IPAD))
        outer.update(key.translate(_OPAD))
        self._inner_copy = inner.copy
        self._outer_copy = outer.copy
        self.digest_size: int = inner.digest_size

    def pads(self) -> Pads:
        """The ``copy`` methods of the keyed inner and outer states, for inlined hot loops."""
        return self._inner_copy, self._outer_copy

    def hexdigest(self, message: bytes) -> bytes:
        """The lower-case hex HMAC of ``message``, as ASCII bytes (ready for compare_digest)."""
        inner = self._inner_copy()
        inner.update(message)
        outer = self._outer_copy()
        outer.update(inner.digest())
        result: str = outer.hexdigest()
        return result.encode("ascii")
