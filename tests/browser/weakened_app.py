"""Controls for the browser tests: the example app with one defence taken out.

``python weakened_app.py PORT WEAKNESS`` serves the getting-started app
exactly as ``python -m aiohttp_auth_examples`` does, minus one thing:

``no-store``  the ``Cache-Control`` header of the account pages is stripped;
``csrf``      the middleware refusing cross-site requests that change state
              (form posts, and the document's GET login) is removed;
``framing``   the headers that forbid framing (``Content-Security-Policy``,
              ``X-Frame-Options``) are stripped;
``redirect``  the login form answers the usual ``303 See Other`` to
              ``/account`` instead of its self-refreshing page.

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

WEAKNESSES = ("no-store", "csrf", "framing", "redirect")


Signal = Callable[[web.Request, web.StreamResponse], Awaitable[None]]


def _stripping(*headers: str, path_prefix: str = "/") -> Signal:
    async def strip(request: web.Request, response: web.StreamResponse) -> None:
        if request.path.startswith(path_prefix):
            for header in headers:
                response.headers.popall(header, None)

    return strip


@web.middleware
async def _login_by_redirect(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Turn the login form's success page into a 303 (the auth cookie still set)."""
    response = await handler(request)
    if request.method == "POST" and request.path == "/account/login" and response.status == 200:
        redirect = web.HTTPSeeOther("/account", headers={"Cache-Control": "no-store"})
        for set_cookie in response.headers.getall("Set-Cookie", ()):
            redirect.headers.add("Set-Cookie", set_cookie)
        return redirect
    return response


def weakened(weakness: str) -> web.Application:
    app = create_app(load_secrets())
    if weakness == "no-store":
        app.on_response_prepare.append(_stripping("Cache-Control", path_prefix="/account"))
    elif weakness == "framing":
        app.on_response_prepare.append(_stripping("Content-Security-Policy", "X-Frame-Options"))
    elif weakness == "redirect":
        app.middlewares.insert(0, _login_by_redirect)
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
