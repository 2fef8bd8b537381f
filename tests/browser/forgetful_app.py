"""A control for the back-button test: the example app minus ``Cache-Control``.

``python forgetful_app.py PORT`` serves the getting-started app exactly as
``python -m aiohttp_auth_examples`` does, except that a signal strips the
``Cache-Control`` header from every response of the account pages.  The
browser test runs the same steps against it and expects the back button to
show the logged-out user's page from cache: that is the mistake the real
app's ``no-store`` prevents, and seeing it happen here shows that the real
test can tell the two apart.
"""

from __future__ import annotations

import sys

from aiohttp import web

from aiohttp_auth_examples.getting_started import create_app
from aiohttp_auth_examples.secret import load_secrets


async def _strip_cache_control(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/account"):
        response.headers.popall("Cache-Control", None)


def main() -> None:
    app = create_app(load_secrets())
    app.on_response_prepare.append(_strip_cache_control)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)


if __name__ == "__main__":
    main()
