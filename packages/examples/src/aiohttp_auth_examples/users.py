"""The getting-started document's users, and the login code the examples share.

Passwords in clear text are a teaching device: a real application stores a
slow, salted hash (argon2, scrypt) and compares through it.  The comparison
below is still written the careful way: :func:`hmac.compare_digest`, and an
unknown user name costs the same comparison as a known one (against a
stand-in password), so the answer's timing does not tell which user names
exist.  With a slow hash, keep that shape: verify against a stand-in hash
for unknown users.

Both login forms (``POST /login`` and ``POST /account/login``) read their
fields through :func:`posted_credentials`, so a body that cannot be decoded
gets the same answer from both.
"""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

__all__ = ["USERS", "password_matches", "posted_credentials"]

#: The document's user table.
USERS: dict[str, dict[str, object]] = {
    "bob": {"password": "bob_password", "groups": ["guest", "staff"]},
    "alice": {"password": "alice_password", "groups": ["guest"]},
}


_STAND_IN = secrets.token_urlsafe(16)


def password_matches(username: object, password: object) -> bool:
    """True when ``username`` is a known user and ``password`` is theirs."""
    if not isinstance(password, str):
        return False
    user = USERS.get(username) if isinstance(username, str) else None
    expected = user["password"] if user is not None else _STAND_IN
    assert isinstance(expected, str)  # noqa: S101 - the table above is ours
    matches = hmac.compare_digest(password.encode(), expected.encode())
    return matches and user is not None


#: What ``request.post()`` raises for a body it cannot read (see `posted_credentials`);
#: ``UnicodeDecodeError`` is a ``ValueError``.
_UNREADABLE_BODY = (
    ValueError,
    LookupError,
    RuntimeError,
    HttpProcessingError,
    web.RequestPayloadError,
)


async def posted_credentials(request: web.Request) -> tuple[object, object]:
    """The ``username`` and ``password`` fields of a login form (``None`` when missing).

    A field is a ``str``, or something else (bytes or a file: multipart forms)
    that :func:`password_matches` refuses.

    A body that cannot be read raises :class:`aiohttp.web.HTTPBadRequest`
    instead of becoming a 500 with a traceback in the log: a raw ``\\xff``
    in a urlencoded form (aiohttp decodes it as UTF-8, or the charset the
    request names: ``UnicodeDecodeError``), a charset Python does not know
    (``LookupError``), a multipart body without a boundary or cut short
    (``ValueError``), a multipart part with a malformed header line
    (``HttpProcessingError``) or an unknown ``Content-Transfer-Encoding``
    (``RuntimeError``), a body whose ``Content-Encoding`` does not decode
    (``RequestPayloadError``).  Only ``request.post()`` is guarded, so
    whatever it raises comes from parsing the client's body; its own HTTP
    errors (a body over ``client_max_size`` is a 413) pass through unchanged.

    400, not the 401 of a wrong password: no credentials could be read, so
    none were refused, and the client learns that its request is malformed
    rather than that it should try another password.  Our pages' forms
    never send such a body (a browser percent-encodes urlencoded fields), so
    only a hand-made request gets it.
    """
    try:
        form = await request.post()
    except _UNREADABLE_BODY:
        raise web.HTTPBadRequest(text="the form could not be decoded") from None
    return form.get("username"), form.get("password")
