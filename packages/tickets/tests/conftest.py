"""Shared fixtures for the auth_tickets tests.

Test modules cannot import each other (``--import-mode=importlib``), so every
helper lives here as a fixture. Hypothesis runs a modest number of examples:
the machine is shared, and properties are re-run on every commit anyway.
"""

from __future__ import annotations

import string
import warnings
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from auth_tickets import Codec, TicketSigner

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

settings.register_profile(
    "tickets",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile("tickets")

NOW = 1_764_400_000  # 2025-11-29T07:06:40Z: every test clock starts here
SECRET = bytes.fromhex("8f3c2a1d5e7b9c0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081")
OLD_SECRET = bytes.fromhex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210")
LOGIN_ID = "L0g1n-1d_AbC"  # a canonical login id, for tickets forged with `mint`


class Clock:
    """A settable clock: ``clock()`` returns ``clock.now``; ``advance`` moves it."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def now() -> int:
    return NOW


@pytest.fixture
def secret() -> bytes:
    return SECRET


@pytest.fixture
def old_secret() -> bytes:
    return OLD_SECRET


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def login_id() -> str:
    return LOGIN_ID


@pytest.fixture
def fixed_login_ids(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make every new login id ``"AAAAAAAAAAAA"`` (zero bytes) for the test; returns it.

    For comparisons that need two issues of a new login to agree byte for
    byte; the pool is emptied before and after, so no predictable id leaks.
    """
    from auth_tickets import login_ids

    monkeypatch.setattr(login_ids, "_random_bytes", bytes)
    login_ids._pool.clear()
    yield "A" * login_ids.LOGIN_ID_LENGTH
    login_ids._pool.clear()


@pytest.fixture
def make_signer(clock: Clock) -> Callable[..., TicketSigner]:
    """``make_signer(**options)``: a signer on the test clock and `SECRET` unless overridden."""

    def build(**options: Any) -> TicketSigner:
        options.setdefault("clock", clock)
        return TicketSigner(options.pop("secrets", SECRET), **options)

    return build


@pytest.fixture
def mint() -> Callable[..., str]:
    """``mint(codec, keys, **claims)``: sign arbitrary claims with a codec, no policy checks.

    Lets tests forge tickets the signer would refuse to issue (expired,
    far-future, odd fields) so that one property is tested at a time.
    """
    from auth_tickets.claims import Claims

    def forge(
        codec: Codec, keys: tuple[bytes, ...] = (SECRET,), max_age: int = 3600, **fields: Any
    ) -> str:
        values = {
            "user_id": "alice",
            "tokens": (),
            "user_data": "",
            "valid_until": NOW + 3600,
            "auth_time": NOW,
            "client_ip": None,
            "login_id": LOGIN_ID,
        }
        values.update(fields)
        return codec.bind(keys, max_age=max_age).issue(Claims(**values))

    return forge


@pytest.fixture
def sign_body() -> Callable[..., str]:
    """``sign_body(body, codec=HmacCodec(), secret=SECRET)``: append a valid default-format MAC.

    Forges *any* text, canonical or not, with the test key: tests of the
    parser then prove that a correct MAC alone is not enough.
    """
    from auth_tickets import HmacCodec
    from auth_tickets.mac import PreparedHmac

    def sign(body: str, codec: HmacCodec | None = None, secret: bytes = SECRET) -> str:
        codec = codec or HmacCodec()
        key = PreparedHmac(codec.derive_key(secret), codec.hashalg)
        mac = key.hexdigest(body.encode("utf-8", "surrogatepass")).decode()
        return f"{body}!{mac}"

    return sign


@pytest.fixture(scope="session")
def pyramid_authentication() -> ModuleType:
    """``pyramid.authentication``, imported past WebOb's own ``cgi`` DeprecationWarning.

    That warning is Pyramid's dependency talking, not this package; only that
    exact message is silenced, and only for the import.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'cgi' is deprecated", DeprecationWarning)
        # newer setuptools warn when Pyramid imports pkg_resources
        warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
        import pyramid.authentication
    return pyramid.authentication


# Hypothesis strategies (SECURITY section 6), exposed as fixtures.
_typable = st.characters(blacklist_categories=("Cs", "Cc"))


@pytest.fixture
def user_ids() -> st.SearchStrategy[str]:
    return st.text(_typable, min_size=1, max_size=64)


@pytest.fixture
def user_datas() -> st.SearchStrategy[str]:
    return st.text(_typable, max_size=128)


@pytest.fixture
def token_lists() -> st.SearchStrategy[list[str]]:
    return st.lists(st.from_regex(r"\A[A-Za-z][A-Za-z0-9+_-]{0,15}\Z"), max_size=5)


@pytest.fixture
def ip_addresses() -> st.SearchStrategy[str | None]:
    return st.none() | st.ip_addresses().map(str)


@pytest.fixture
def mutation_alphabet() -> str:
    """Characters that matter to parsers (SECURITY A16), plus the printable ASCII set."""
    return "!,%xX_+- \t\n\x00é\u0661\ud800" + string.printable
