"""The attributes of the auth cookie, checked once at construction.

Defaults are the safe ones: HttpOnly, SameSite=Lax, Path=/, no Domain, a
session cookie.  ``secure=None`` (the default) sends ``Secure`` on every
response except a plain-HTTP request to a loopback host made directly (no
proxy headers), so the getting-started app works on http://127.0.0.1:8080
while anything served over HTTPS or through a proxy always gets ``Secure``.
``True``/``False`` force it.

Combinations browsers would silently drop or that weaken the cookie are
refused with ``ValueError`` (SECURITY E2): ``SameSite=None`` without Secure,
``__Host-`` with a Domain, a path other than ``/`` or ``secure=False``, and
``__Secure-`` with ``secure=False``.  A prefixed name forces Secure.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aiohttp import hdrs, web

__all__ = [
    "MAX_COOKIE_BYTES",
    "CookieOptions",
    "copy_cookies",
    "is_http_token",
    "mark_uncacheable",
    "scratch_response",
    "vary_on",
]

#: What browsers promise to store for name plus value (RFC 6265 section 6.1).
MAX_COOKIE_BYTES = 4096

_TOKEN = re.compile(r"\A[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_ATTRIBUTE_VALUE = re.compile(r"\A[\x21-\x3a\x3c-\x7e]*\Z")  # printable ASCII except ';'
_SAMESITE = {"lax": "Lax", "strict": "Strict", "none": "None"}
_LOOPBACK_NAMES = frozenset({"localhost"})
_PROXY_HEADERS = (
    hdrs.FORWARDED,
    hdrs.X_FORWARDED_FOR,
    hdrs.X_FORWARDED_PROTO,
    hdrs.X_FORWARDED_HOST,
    "X-Real-IP",
)


def is_http_token(value: object) -> bool:
    """An RFC 9110 token: what cookie names, auth schemes and header names must be."""
    return isinstance(value, str) and _TOKEN.match(value) is not None


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def plain_http_on_loopback(request: web.BaseRequest) -> bool:
    """True only for a direct plain-HTTP request from and to this machine."""
    if request.secure or any(name in request.headers for name in _PROXY_HEADERS):
        return False
    try:
        host = request.url.host
    except ValueError:
        return False
    return _is_loopback(host) and _is_loopback(request.remote)


@dataclass(frozen=True)
class CookieOptions:
    """Name and attributes of the auth cookie."""

    name: str = "AUTH_TKT"
    secure: bool | None = None
    httponly: bool = True
    samesite: str | None = "Lax"
    domain: str | None = None
    path: str = "/"
    persistent: bool = False

    def __post_init__(self) -> None:
        if not is_http_token(self.name):
            raise ValueError(f"cookie name {self.name!r} is not a valid cookie token")
        if self.secure is not None and not isinstance(self.secure, bool):
            raise TypeError("secure must be True, False or None (automatic)")
        if not isinstance(self.httponly, bool) or not isinstance(self.persistent, bool):
            raise TypeError("httponly and persistent must be bools")
        if self.samesite is not None:
            canonical = _SAMESITE.get(str(self.samesite).lower())
            if canonical is None:
                raise ValueError("samesite must be 'Lax', 'Strict', 'None' or None (omitted)")
            object.__setattr__(self, "samesite", canonical)
        for attribute in ("domain", "path"):
            value = getattr(self, attribute)
            if value is not None and (
                not isinstance(value, str) or not _ATTRIBUTE_VALUE.match(value)
            ):
                raise ValueError(f"cookie {attribute} {value!r} has forbidden characters")
        if not self.path.startswith("/"):
            raise ValueError("cookie path must start with '/'")
        self._check_prefixes()

    def _check_prefixes(self) -> None:
        must_be_secure = False
        if self.name.startswith("__Host-"):
            if self.domain is not None or self.path != "/":
                raise ValueError("a __Host- cookie must have path='/' and no domain")
            must_be_secure = True
        elif self.name.startswith("__Secure-"):
            must_be_secure = True
        if self.samesite == "None":
            must_be_secure = True  # browsers drop SameSite=None without Secure
        if must_be_secure:
            if self.secure is False:
                raise ValueError(
                    "secure=False is not allowed with a __Host-/__Secure- name or samesite='None'"
                )
            object.__setattr__(self, "secure", True)

    def secure_for(self, request: web.BaseRequest) -> bool:
        """Whether this response's cookie gets the Secure attribute."""
        if self.secure is not None:
            return self.secure
        return not plain_http_on_loopback(request)

    def check_size(self, value: str) -> None:
        """``ValueError`` when browsers would silently drop the cookie (SECURITY E5)."""
        size = len(self.name.encode()) + 1 + len(value.encode("utf-8", "surrogateescape"))
        if size > MAX_COOKIE_BYTES:
            raise ValueError(
                f"the auth cookie would be {size} bytes, over the {MAX_COOKIE_BYTES} browsers keep;"
                " store less user data in the ticket"
            )

    def set(
        self,
        request: web.BaseRequest,
        response: web.StreamResponse,
        value: str,
        max_age: int | None,
    ) -> None:
        target = scratch_response()
        target.set_cookie(
            self.name,
            value,
            max_age=max_age if self.persistent else None,
            domain=self.domain,
            path=self.path,
            secure=self.secure_for(request),
            httponly=self.httponly,
            samesite=self.samesite,
        )
        copy_cookies(target, response)
        mark_uncacheable(response, "Cookie")

    def delete(self, request: web.BaseRequest, response: web.StreamResponse) -> None:
        """Expire the cookie with the attributes it was set with (SECURITY E3)."""
        target = scratch_response()
        target.del_cookie(
            self.name,
            domain=self.domain,
            path=self.path,
            secure=self.secure_for(request),
            httponly=self.httponly,
            samesite=self.samesite,
        )
        copy_cookies(target, response)
        mark_uncacheable(response, "Cookie")


def scratch_response() -> web.StreamResponse:
    """A scratch response to format the cookie with aiohttp's own ``set_cookie``.

    Inside ``on_response_prepare`` aiohttp has already turned the response's
    cookies into headers (and a WebSocket response does not even say it is
    prepared yet), so a cookie set on the response there would be lost.  The
    formatted ``Set-Cookie`` header is copied instead, which works at every
    point before the headers are written.
    """
    return web.StreamResponse()


def copy_cookies(source: web.StreamResponse, response: web.StreamResponse) -> None:
    """Add the cookies set on ``source`` (a `scratch_response`) to ``response`` as headers."""
    for morsel in source.cookies.values():
        response.headers.add(hdrs.SET_COOKIE, morsel.OutputString())


#: One member of a comma-separated header list; a quoted string may hold commas.
_MEMBER = re.compile(r'(?:[^,"]|"(?:[^"\\]|\\.)*")+')


def _members(lines: list[str]) -> list[str]:
    """The list members of every line of one header (RFC 9110 5.3: lines join with commas).

    A comma inside a quoted string does not split: ``no-cache="Set-Cookie,
    no-store"`` is one directive, so ``no-store`` is not taken as present.
    """
    members = (match.group().strip() for line in lines for match in _MEMBER.finditer(line))
    return [member for member in members if member]


def _merge(parts: list[str], wanted: tuple[str, ...]) -> str:
    present = {part.split("=", 1)[0].lower() for part in parts}
    return ", ".join(parts + [item for item in wanted if item.lower() not in present])


def vary_on(response: web.StreamResponse, header: str) -> None:
    """Add ``header`` to the response's ``Vary`` (kept as it is when it holds ``*``).

    Said of every response whose request had its identity read from that
    header: the page may differ for another user, so a cache that keys on
    the URL alone must not hand it to them (Flask CVE-2023-30861; Django and
    Flask do the same when a session is read).  Every ``Vary`` line the
    application set is kept (a CORS layer's ``Vary: Origin`` among them):
    they are merged into one.
    """
    headers = response.headers
    if hdrs.VARY not in headers:
        headers[hdrs.VARY] = header
        return
    parts = _members(headers.getall(hdrs.VARY))
    if "*" not in parts:
        headers[hdrs.VARY] = _merge(parts, (header,))


def mark_uncacheable(response: web.StreamResponse, vary: str) -> None:
    """Keep shared caches from storing a response that carries a credential (SECURITY E4).

    The application's own directives, on any number of lines, are kept.
    """
    headers = response.headers
    parts = _members(headers.getall(hdrs.CACHE_CONTROL, []))
    headers[hdrs.CACHE_CONTROL] = _merge(parts, ("private", "no-store"))
    vary_on(response, vary)
