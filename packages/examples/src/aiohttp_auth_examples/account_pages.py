"""HTML pages for people: a login form, an account page, a staff-only page.

The document's routes answer ``Ok`` in plain text, which suits ``curl`` and
the transcript that pins them.  A person in a browser needs pages, and pages
are where the browser-side mistakes live, so this module shows the shape a
real app should have:

* ``GET /account/login`` shows a form; ``POST /account/login`` logs in and
  answers with a page that moves on to ``/account`` by itself (a ``<meta>``
  refresh, which replaces it in the history, so reloading never resends the
  password).  A wrong password re-renders the form with status 401 and the
  user name, escaped, kept in its field.
* ``GET /account`` says who is logged in and which of the app's
  permissions they hold, with a logout button (a form ``POST``: logging out
  changes state, so it is not a link a prefetcher or an image tag can hit).
* ``GET /staff`` is for holders of ``admin_view``.  It uses
  :func:`aiohttp_auth.autz.require`, which tells "nobody is logged in" (sent
  to the login form, since redirecting is the application's job, not the
  library's) from "logged in but not allowed" (a 403 page).
* ``POST /account/logout`` forgets the ticket and answers 303 to the form.

Every page here depends on who asks, so every page is sent with
``Cache-Control: no-store``: after logging out, the back button must not
show the previous user's page from the browser's cache.  Pages also forbid
framing (clickjacking a login form) and scripts (none are needed), through
``Content-Security-Policy`` (and ``X-Frame-Options`` for older browsers).

Why the login answers with a page instead of the usual ``303 See Other``:
``no-store`` no longer keeps a page out of Chromium's back/forward cache.
Chromium keeps such a page and evicts it only if an HttpOnly cookie changed
since the page's navigation began.  A page reached by the redirect of the
login POST began its navigation logged out, so after a logout the cookie is
"unchanged" and the back button showed the account page, whole, from
memory: the browser tests caught this.  Reaching ``/account`` by a new
navigation, which starts logged in, makes the logout count as a change, and
the back button asks the server again.
"""

from __future__ import annotations

import html

from aiohttp import web

from aiohttp_auth import auth, autz

from .users import password_matches, posted_credentials

__all__ = ["PERMISSIONS", "add_account_pages"]

#: The permissions the account page reports, with what each lets a user do.
PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("view_home", "open the home page"),
    ("view", "open /view"),
    ("edit", "edit (the ACL denies guests first, and first match wins)"),
    ("admin_view", "open the staff page"),
)

LOGIN_PATH = "/account/login"
ACCOUNT_PATH = "/account"
STAFF_PATH = "/staff"
LOGOUT_PATH = "/account/logout"

_HEADERS = {
    # the page depends on the cookie: never kept, so "back" after logout refetches
    "Cache-Control": "no-store",
    # no scripts at all; inline style only; forms post only here; never framed
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin:.6rem 0 .2rem}input{font-size:1rem;padding:.3rem}"
    "button{margin-top:1rem;font-size:1rem;padding:.3rem 1rem}"
    "table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
    ".error{color:#a00}.yes{color:#070}.no{color:#a00}"
)


def _page(
    title: str,
    body: str,
    *,
    status: int = 200,
    head: str = "",
    headers: dict[str, str] | None = None,
) -> web.Response:
    """One HTML page with the headers every page here needs."""
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{head}<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(
        text=document,
        status=status,
        content_type="text/html",
        headers={**_HEADERS, **(headers or {})},
    )


def _see_other(location: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(location, headers={"Cache-Control": "no-store"})


def _login_form(username: str = "", error: str = "") -> str:
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return (
        f'{message}<form method="post" action="{LOGIN_PATH}">'
        '<label for="username">User name</label>'
        '<input id="username" name="username" autocomplete="username" required '
        f'value="{html.escape(username)}">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<br><button type="submit">Log in</button></form>'
        "<p>Try <code>alice</code> / <code>alice_password</code> (a guest) or "
        "<code>bob</code> / <code>bob_password</code> (staff).</p>"
    )


def _logout_button() -> str:
    return (
        f'<form method="post" action="{LOGOUT_PATH}"><button type="submit">Log out</button></form>'
    )


async def show_login_form(request: web.Request) -> web.Response:
    """``GET /account/login``: the form (and who is logged in, if anyone)."""
    identity = await auth.get_auth(request)
    note = ""
    if identity is not None:
        note = (
            f"<p>You are logged in as <strong>{html.escape(str(identity))}</strong>. "
            f'<a href="{ACCOUNT_PATH}">Your account</a></p>'
        )
    return _page("Log in", note + _login_form())


async def submit_login_form(request: web.Request) -> web.Response:
    """``POST /account/login``: a page that moves on to ``/account``, or the form with 401.

    A body that cannot be decoded is a 400 (see :func:`.users.posted_credentials`).
    """
    username, password = await posted_credentials(request)
    if isinstance(username, str) and password_matches(username, password):
        await auth.remember(request, username)
        # Not a 303: see the module docstring (the back/forward cache).
        return _page(
            "Logged in",
            f'<p><a href="{ACCOUNT_PATH}">Continue to your account</a></p>',
            head=f'<meta http-equiv="refresh" content="0; url={ACCOUNT_PATH}">',
        )
    typed = username if isinstance(username, str) else ""
    return _page(
        "Log in",
        _login_form(typed, "Wrong user name or password."),
        status=401,
        # a 401 must name a scheme; this one tells clients that the form is the way in
        headers={"WWW-Authenticate": 'Form realm="aiohttp-auth example"'},
    )


async def show_account(request: web.Request) -> web.Response:
    """``GET /account``: who is logged in and what they may do."""
    identity = await auth.get_auth(request)
    if identity is None:
        raise _see_other(LOGIN_PATH)
    rows = []
    for permission, meaning in PERMISSIONS:
        allowed = await autz.permit(request, permission)
        verdict = '<td class="yes">yes</td>' if allowed else '<td class="no">no</td>'
        rows.append(
            f"<tr><td><code>{html.escape(permission)}</code></td>"
            f"<td>{html.escape(meaning)}</td>{verdict}</tr>"
        )
    body = (
        f'<p>Logged in as <strong id="identity">{html.escape(str(identity))}</strong>.</p>'
        '<table id="permissions"><tr><th>permission</th><th>lets you</th><th>yours</th></tr>'
        f"{''.join(rows)}</table>"
        f'<p><a href="{STAFF_PATH}">Staff page</a></p>{_logout_button()}'
    )
    return _page("Your account", body)


async def show_staff_page(request: web.Request) -> web.Response:
    """``GET /staff``: 200 for ``admin_view``, 403 page for others, login form for nobody."""
    try:
        identity = await autz.require(request, "admin_view")
    except web.HTTPUnauthorized:
        raise _see_other(LOGIN_PATH) from None
    except web.HTTPForbidden:
        who = html.escape(str(await auth.get_auth(request)))
        body = (
            f"<p>You are logged in as <strong>{who}</strong>, who may not open this page.</p>"
            f'<p><a href="{ACCOUNT_PATH}">Back to your account</a></p>'
        )
        return _page("Staff only", body, status=403)
    body = (
        f"<p>Welcome, <strong>{html.escape(str(identity))}</strong>: only staff see this.</p>"
        f'<p><a href="{ACCOUNT_PATH}">Back to your account</a></p>{_logout_button()}'
    )
    return _page("Staff page", body)


async def submit_logout(request: web.Request) -> web.Response:
    """``POST /account/logout``: forget the ticket (if any) and go to the form."""
    await auth.forget(request)
    raise _see_other(LOGIN_PATH)


def add_account_pages(app: web.Application) -> None:
    """Register the pages on ``app`` (which must have ``aiohttp_auth.setup`` done)."""
    app.router.add_get(LOGIN_PATH, show_login_form)
    app.router.add_post(LOGIN_PATH, submit_login_form)
    app.router.add_get(ACCOUNT_PATH, show_account)
    app.router.add_get(STAFF_PATH, show_staff_page)
    app.router.add_post(LOGOUT_PATH, submit_logout)
