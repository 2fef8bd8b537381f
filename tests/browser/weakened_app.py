"""Controls for the browser tests: the example app with one defence taken out.

``python weakened_app.py PORT WEAKNESS`` serves the getting-started app
exactly as ``python -m aiohttp_auth_examples`` does, minus one thing:

``no-store``  the ``Cache-Control`` header of the account pages is stripped;
``csrf``      the middleware refusing cross-site form posts is removed;
``csp``       the ``Content-Security-Policy`` header (no framing) is stripped.

Each browser test of a defence has a twin that runs the same steps against
the app without it and expects the browser to do the harm: the back button
shows the logged-out user's page, another site's form logs the browser in,
another site frames the login form.  Seeing the harm happen there shows that
the real test can tell the two apps apart, and so cannot pass by accident
(a browser that never caches, a frame that never loads).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable

from aiohttp import web

from aiohttp_auth_examples.csrf import reject_cross_site_posts
from aiohttp_auth_examples.getting_started import create_app
from aiohttp_auth_examples.secret import load_secrets

WEAKNESSES = ("no-store", "csrf", "csp")


Signal = Callable[[web.Request, web.StreamResponse], Awaitable[None]]


def _stripping(header: str, path_prefix: str = "/") -> Signal:
    async def strip(request: web.Request, response: web.StreamResponse) -> None:
        if request.path.startswith(path_prefix):
            response.headers.popall(header, None)

    return strip


def weakened(weakness: str) -> web.Application:
    app = create_app(load_secrets())
    if weakness == "no-store":
        app.on_response_prepare.append(_stripping("Cache-Control", "/account"))
    elif weakness == "csp":
        app.on_response_prepare.append(_stripping("Content-Security-Policy"))
    elif weakness == "csrf":
        app.middlewares.remove(reject_cross_site_posts)
    else:
        raise SystemExit(f"unknown weakness {weakness!r}; one of {', '.join(WEAKNESSES)}")
    return app


def main() -> None:
    port, weakness = int(sys.argv[1]), sys.argv[2]
    web.run_app(weakened(weakness), host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
