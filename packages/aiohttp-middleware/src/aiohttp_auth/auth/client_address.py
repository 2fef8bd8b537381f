"""Which address a ticket is bound to (``include_ip``).

The original read the socket peer, so proxies and aiohttp-remotes were
ignored and IPv4-mapped IPv6 addresses broke tickets (COMPAT bug 11).  Here
the address is ``request.remote`` (which aiohttp-remotes and
``request.clone(remote=...)`` set), normalised by
``auth_tickets.normalize_ip``.  ``X-Forwarded-For`` is believed only when the
peer is one of the configured ``trusted_proxies``, and then the client is the
right-most address that is not itself a trusted proxy: every address to its
left was written by someone we do not trust (SECURITY D4).

Anything unusable (no peer on a Unix socket, a malformed forwarding list)
gives ``None``: the caller fails closed.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING

from aiohttp import hdrs

from auth_tickets import normalize_ip

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aiohttp import web

__all__ = ["MAX_FORWARDED_HOPS", "ClientAddressResolver"]

logger = logging.getLogger("aiohttp_auth.auth")

#: How many hops from the right are examined; real proxy chains are short.
MAX_FORWARDED_HOPS = 32

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


def _as_compared(network: _Network) -> _Network:
    """``network`` in the form peers are compared in: IPv4-mapped IPv6 as IPv4.

    Peers are normalised (``::ffff:10.0.0.1`` is ``10.0.0.1``), so a proxy
    listed in its mapped spelling would never match, silently: every client
    would then be bound to the proxy's address.
    """
    if isinstance(network, ipaddress.IPv6Network) and network.subnet_of(_MAPPED):
        first = ipaddress.IPv4Address(int(network.network_address) & 0xFFFFFFFF)
        return ipaddress.IPv4Network((first, network.prefixlen - _MAPPED.prefixlen))
    return network


class ClientAddressResolver:
    """Turns a request into the normalised client address, or ``None``."""

    __slots__ = ("_trusted", "_warned", "_warned_forwarded")

    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        if isinstance(trusted_proxies, str):
            raise TypeError("trusted_proxies must be a list of addresses or networks, not a str")
        networks: list[_Network] = []
        for proxy in trusted_proxies:
            try:
                networks.append(_as_compared(ipaddress.ip_network(proxy, strict=False)))
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"trusted_proxies: {proxy!r} is not an address or network"
                ) from exc
        self._trusted = tuple(networks)
        self._warned = False
        self._warned_forwarded = False

    def _is_trusted(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return any(ip in network for network in self._trusted)

    def resolve(self, request: web.BaseRequest) -> str | None:
        """Return the client address for ``request``, or ``None`` if it cannot be known.

        A missing peer address is a deployment problem (a Unix socket), so it
        is logged once at WARNING; an unusable forwarding list is client
        input, logged at DEBUG.
        """
        if not self._trusted:  # the usual deployment: the peer is the client
            peer = request.remote
            if peer:
                try:
                    return normalize_ip(peer)
                except ValueError:
                    pass  # the general path below fails closed and logs
        address = self._resolve(request)
        if address is None:
            if request.remote:
                logger.debug("no usable client address in X-Forwarded-For: anonymous")
            elif not self._warned:
                self._warned = True
                logger.warning(
                    "include_ip=True but requests arrive without a peer address (Unix socket "
                    "or closed transport): they are anonymous and cannot log in"
                )
        return address

    def _resolve(self, request: web.BaseRequest) -> str | None:
        peer = request.remote
        if not peer:
            return None
        try:
            peer_ip = normalize_ip(peer)
        except ValueError:
            return None
        if not self._trusted or not self._is_trusted(peer_ip):
            return peer_ip
        return self._from_forwarded_for(request, peer_ip)

    def _from_forwarded_for(self, request: web.BaseRequest, peer_ip: str) -> str | None:
        entries: list[str] = []
        for header in request.headers.getall(hdrs.X_FORWARDED_FOR, ()):
            entries.extend(part.strip() for part in header.split(","))
        if not entries:
            if hdrs.FORWARDED in request.headers and not self._warned_forwarded:
                self._warned_forwarded = True
                logger.warning(
                    "a trusted proxy sent Forwarded but no X-Forwarded-For: only "
                    "X-Forwarded-For is read, so clients resolve to the proxy's address; "
                    "configure the proxy to send X-Forwarded-For"
                )
            return peer_ip  # the proxy itself is the client (health checks)
        # Walk from the right: our proxies append, so the right end is trustworthy
        # and whatever a client wrote to the left is never even parsed.
        for entry in reversed(entries[-MAX_FORWARDED_HOPS:]):
            try:
                address = normalize_ip(entry)
            except ValueError:
                return None  # a trusted proxy forwarded garbage: fail closed
            if not self._is_trusted(address):
                return address
        return None  # only trusted hops within reach: the client is unknown
