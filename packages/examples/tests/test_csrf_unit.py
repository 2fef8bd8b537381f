"""The cross-site check on its own, one header combination per case."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import make_mocked_request

from aiohttp_auth_examples.csrf import is_cross_site


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
    ],
)
def test_is_cross_site(headers, expected):
    request = make_mocked_request("POST", "/login", headers={"Host": "app.test", **headers})
    assert is_cross_site(request) is expected
