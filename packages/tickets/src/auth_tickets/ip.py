"""Client address normalisation for IP-bound tickets.

Why normalise: a dual-stack listener reports an IPv4 client as
``::ffff:1.2.3.4`` on one socket and ``1.2.3.4`` on another, and link-local
IPv6 peers carry a ``%eth0`` scope id. The original library put the raw
spelling into the MAC, so the same client was rejected (SECURITY D2). Every
codec sees only the normalised spelling.

Why a cache: parsing with ``ipaddress`` costs more than the whole HMAC of a
ticket; the bounded LRU keeps verification near the floor for the addresses a
server actually sees, and cannot grow without limit under attack.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

__all__ = ["IpInfo", "ip_info", "normalize_ip"]

IpInfo = tuple[str, int, bytes]
"""(normalised text, IP version 4 or 6, packed address bytes)."""


@lru_cache(maxsize=4096)
def ip_info(value: str) -> IpInfo:
    """Parse and normalise ``value``; ``ValueError`` for anything that is not an address."""
    text = value
    if "%" in text and ":" in text:  # an IPv6 scope id names the interface, not the peer
        text = text.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise ValueError("not an IP address") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address), address.version, address.packed


def normalize_ip(value: str) -> str:
    """Canonical text of an address: IPv4-mapped IPv6 becomes IPv4, scope ids are dropped.

    ``ValueError`` for anything that is not an address, non-strings included,
    so callers fail closed with a single ``except ValueError``.
    """
    if not isinstance(value, str):
        raise ValueError(f"not an IP address: a {type(value).__name__}, not a str")
    return ip_info(value)[0]
