"""The cross-site check on its own, one header combination per case."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from aiohttp_auth_examples.csrf import is_cross_site, reject_cross_site_posts

#: ``Origin`` values that yarl cannot parse (an unclosed IPv6 bracket, a port
#: out of range, a host label too long for IDNA: ``UnicodeError``).  No
#: browser sends them, so they can only be forged.
MALFORMED_ORIGINS = [
    "http://[::1",
    "http://a:99999",
    "http://app.test:99999",
    f"http://\u00fc{'a' * 70}.test",
]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"Sec-Fetch-Site": "same-origin"}, False),
        ({"Sec-Fetch-Site": "none"}, False),
        ({"Sec-Fetch-Site": "SAME-ORIGIN"}, False),
        ({"Sec-Fetch-Site": "same-site"}, True),
        ({"Sec-Fetch-Site": "cross-site"}, True),
        # Sec-Fetch-Site wins over Origin when both are present
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://app.test"}, True),
        ({"Origin": "http://app.test"}, False),
        ({"Origin": "https://app.test"}, True),  # another scheme is another origin
        ({"Origin": "http://app.test:8080"}, True),
        ({"Origin": "http://evil.test"}, True),
        ({"Origin": "null"}, True),
        # an Origin that does not parse is not ours: refused, not an exception
        *(({"Origin": origin}, True) for origin in MALFORMED_ORIGINS),
    ],
)
def test_is_cross_site(headers, expected):
    request = make_mocked_request("POST", "/login", headers={"Host": "app.test", **headers})
    assert is_cross_site(request) is expected


@pytest.mark.parametrize("origin", MALFORMED_ORIGINS)
async def test_a_malformed_origin_is_refused_like_any_cross_site_post(
    aiohttp_client, caplog, origin
):
    """403 as for another site's Origin, not a 500 with the parser's traceback in the log."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="Ok")

    app = web.Application(middlewares=[reject_cross_site_posts])
    app.router.add_post("/login", handler)
    client = await aiohttp_client(app)
    async with client.post("/login", headers={"Origin": origin}) as resp:
        assert resp.status == 403
        assert await resp.text() == "cross-site request refused"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
