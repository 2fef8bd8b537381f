"""The auth cookie's two reading paths agree (SECURITY A13, A17, A18).

``auth_cookie_candidates`` cuts the one pair named ours out of a single
Cookie header with ``str.find``; ``cookie_values`` walks every pair of every
header.  The fast path is only worth having if it can never disagree with the
careful one, so they are compared on hostile headers: our name as a prefix,
suffix or value of another cookie, duplicates, quotes, escapes, stray ``=``
and ``;``, odd whitespace, non-ASCII; by hand and by hypothesis.  Over HTTP,
the same ticket behind both paths must give the same identity.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiohttp_auth import auth
from aiohttp_auth.auth.cookie_reading import auth_cookie_candidates, cookie_values
from aiohttp_auth.testing import make_auth_ticket

NAME = "AUTH_TKT"


def careful(headers: list[str], name: str = NAME) -> list[str]:
    return [value for value in cookie_values(headers, name) if value]


TRICKY = [
    "",
    f"{NAME}=v1!a",
    f"{NAME}=",
    f"{NAME}",
    f"{NAME};",
    f" {NAME} = v1!a ; other=1",
    f"\t{NAME}=v1!a\t",
    f"{NAME}=v1!a;",
    f"other=1; {NAME}=v1!a; third=3",
    f"other=1;{NAME}=v1!a;third=3",
    f'{NAME}="v1!a"',
    f'{NAME}="v1\\041a"',
    f'{NAME}="',
    f'{NAME}=""',
    f'{NAME}="v1!a',
    f'other="x; {NAME}=v1!a"',
    f'other="{NAME}=evil"; {NAME}=v1!a',
    f"X{NAME}=v1!evil",
    f"X{NAME}=v1!evil; {NAME}=v1!a",
    f"{NAME}X=v1!evil",
    f"{NAME}_old=v1!evil; {NAME}=v1!a",
    f"other={NAME}=v1!evil",
    f"other={NAME}",
    f"other=1 {NAME}=v1!a",
    f"={NAME}=v1!a",
    f"{NAME}==v1!a",
    f"{NAME}=v1!a=b",
    f"{NAME}=v1!a; {NAME}=v1!b",
    f"{NAME}=v1!a; {NAME}=v1!a",
    f"{NAME}=v1!a; {NAME}=",
    f"{NAME}=; {NAME}=v1!a",
    f"{NAME} {NAME}=v1!a",
    f"{NAME}{NAME}=v1!a",
    f"a=b;; ;{NAME}=v1!a;;",
    f"\x0b{NAME}\x1c=\xa0v1!a\u3000",
    f"\u00e9{NAME}=v1!a",
    f"{NAME}=v1!\u00e9\udcff",
    f"{NAME}=v1!a, other=1",
    f"{NAME}=Wed, 09 Jun 2021 10:18:14 GMT",
]


@pytest.mark.parametrize("header", TRICKY)
def test_A18_fast_path_agrees_with_the_careful_path_on_tricky_headers(header: str) -> None:
    assert auth_cookie_candidates([header], NAME) == careful([header])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"{NAME}=v1!a", ["v1!a"]),
        (f" {NAME} = v1!a ; other=1", ["v1!a"]),
        (f"other=1;{NAME}=v1!a;third=3", ["v1!a"]),
        (f'{NAME}="v1\\041a"', ["v1!a"]),  # A13: browser-style quoting is undone
        (f"{NAME}=", []),  # A17: an empty value is no ticket
        (f'{NAME}=""', []),
        (f"{NAME}", []),
        (f"X{NAME}=v1!evil", []),  # our name as a suffix of another name
        (f"{NAME}X=v1!evil", []),  # ... and as a prefix
        (f"other={NAME}=v1!evil", []),  # ... and inside another cookie's value
        (f"X{NAME}=v1!evil; {NAME}=v1!a", ["v1!a"]),
        (f"{NAME}=v1!a; {NAME}=v1!b", ["v1!a", "v1!b"]),  # A18: both, for the duplicate rule
        (f"{NAME}=v1!a; {NAME}=v1!a", ["v1!a"]),
        (f"{NAME}=v1!a; {NAME}=", ["v1!a"]),
    ],
)
def test_A18_what_the_reading_rule_yields(header: str, expected: list[str]) -> None:
    assert auth_cookie_candidates([header], NAME) == expected
    assert careful([header]) == expected


def test_A18_several_cookie_headers_are_all_read() -> None:
    headers = [f"other=1; {NAME}=v1!a", f"{NAME}=v1!b"]
    assert auth_cookie_candidates(headers, NAME) == ["v1!a", "v1!b"]
    assert auth_cookie_candidates(["other=1", f"{NAME}=v1!a"], NAME) == ["v1!a"]
    assert auth_cookie_candidates([], NAME) == []


_FRAGMENTS = st.sampled_from(
    [
        *(NAME, "X", "_old", "=", ";", "; ", " ", "\t", "\x0b", "\xa0", '"', "\\", "\\0", ","),
        *("v1!a", "v1!b", "other", "\u00e9", "\udcff", "%3B", "Wed, 09 Jun 2021 10:18:14 GMT"),
    ]
)
_HEADER = st.lists(_FRAGMENTS, max_size=12).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(header=_HEADER)
def test_A18_fast_path_agrees_with_the_careful_path_on_any_header(header: str) -> None:
    assert auth_cookie_candidates([header], NAME) == careful([header])


@given(headers=st.lists(_HEADER, max_size=3))
def test_A18_fast_path_agrees_with_the_careful_path_on_several_headers(
    headers: list[str],
) -> None:
    assert auth_cookie_candidates(headers, NAME) == careful(headers)


_TOKEN = st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True)
_OCTETS = st.from_regex(r"[!#-+\--:<-\[\]-~]{0,20}", fullmatch=True)  # RFC 6265 cookie-octet


@given(
    others=st.lists(st.tuples(_TOKEN, _OCTETS), max_size=4),
    value=_OCTETS,
    position=st.integers(0, 4),
)
def test_A13_browser_shaped_headers_read_as_aiohttp_reads_them(
    others: list[tuple[str, str]], value: str, position: int
) -> None:
    pairs = [(name, octets) for name, octets in others if NAME not in name + octets]
    pairs.insert(min(position, len(pairs)), (NAME, value))
    header = "; ".join(f"{name}={octets}" for name, octets in pairs)
    aiohttp_value = make_mocked_request("GET", "/", headers={"Cookie": header}).cookies.get(NAME)
    assert auth_cookie_candidates([header], NAME) == ([aiohttp_value] if aiohttp_value else [])


@pytest.mark.parametrize(
    "template",
    [
        "{name}={ticket}",
        "a=1; {name}={ticket}; b=2",
        'a="q;u o\\"te"; {name}={ticket}',
        'x{name}=junk; {name}="{ticket}"',
        "{name}={ticket}; {name}={ticket}",  # a duplicate of one identity: careful path, same user
        "{name}=garbage; {name}={ticket}",
    ],
)
async def test_A18_both_paths_give_the_same_identity_over_http(
    aiohttp_client: Any, make_app: Any, secret: bytes, template: str
) -> None:
    policy = auth.CookieTktAuthentication(secret, 60)
    ticket = make_auth_ticket(policy, "alice")
    client = await aiohttp_client(make_app(policy))
    header = template.format(name=NAME, ticket=ticket)
    response = await client.get("/whoami", headers={"Cookie": header})
    assert await response.text() == "alice", header


async def test_A18_a_subclass_reading_its_own_way_is_still_asked(
    aiohttp_client: Any, make_app: Any, secret: bytes
) -> None:
    class FromHeader(auth.CookieTktAuthentication):
        async def get_ticket(self, request: Any) -> str | None:
            return request.headers.get("X-Ticket")

    policy = FromHeader(secret, 60)
    ticket = make_auth_ticket(policy, "alice")
    other = make_auth_ticket(policy, "mallory")
    client = await aiohttp_client(make_app(policy))
    response = await client.get("/whoami", headers={"X-Ticket": ticket})
    assert await response.text() == "alice"
    duplicate = f"{NAME}={ticket}; {NAME}={other}"  # our name twice: refused as always
    response = await client.get("/whoami", headers={"X-Ticket": ticket, "Cookie": duplicate})
    assert await response.text() == "anonymous"


async def test_a_policy_called_outside_the_middleware_keeps_its_ticket_state(
    secret: bytes,
) -> None:
    """The ticket state lives on the middleware's request state; without one, on the request."""
    policy = auth.CookieTktAuthentication(secret, 60, 0)
    ticket = make_auth_ticket(policy, "alice")
    request = make_mocked_request("GET", "/", headers={"Cookie": f"{NAME}={ticket}"})
    assert await policy.get(request) == "alice"
    info = auth.ticket_info(request)
    assert info is not None
    assert info.user_id == "alice"
    response = web.Response()
    await policy.process_response(request, response)  # reissue_time=0: due at once
    assert response.headers["Set-Cookie"].startswith(f"{NAME}=v1!")
