"""Finding the request inside a decorated handler's arguments.

Every decorator of this package (``auth_required``, ``autz_required``,
``acl_required``) wraps two kinds of callables: plain handlers, called as
``handler(request)``, and methods of class-based views, called as
``view.get()`` where the request is ``view.request``.  The originals told
them apart by the type of the first argument; one helper does it here so the
three decorators cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

__all__ = ["request_from_args"]


def request_from_args(args: tuple[Any, ...]) -> web.Request:
    """Return the request a decorated handler or ``web.View`` method was called with.

    Raises ``TypeError`` (a programming error, not a client error) when the
    decorator sits on something that is neither, so the mistake shows on the
    first request in development with a message that says what went wrong.
    """
    if args:
        first = args[0]
        if web.View in type(first).__mro__ or isinstance(first, web.View):  # mro: no ABC check
            view: web.View = first
            return view.request
        if isinstance(first, web.BaseRequest):
            return first  # type: ignore[return-value]  # web.Request at run time
        # a decorated method of a plain class: (self, request, ...)
        if len(args) > 1 and isinstance(args[1], web.BaseRequest):
            return args[1]  # type: ignore[return-value]
    raise TypeError(
        "aiohttp_auth decorators wrap request handlers or web.View methods; "
        f"got arguments of types {[type(a).__name__ for a in args]!r}"
    )
