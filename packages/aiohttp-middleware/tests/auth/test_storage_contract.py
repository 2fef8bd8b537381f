"""One contract every ticket storage passes: cookie, aiohttp-session and header.

``StorageContract`` holds the tests; each ``Test...`` subclass supplies a
harness that knows how its storage carries the ticket between requests
(a cookie jar, a session id plus a server-side record, or an
``Authorization`` header the client keeps itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from aiohttp_auth import auth

if TYPE_CHECKING:
    from aiohttp import web

pytestmark = pytest.mark.filterwarnings(
    # aiohttp-session's own string request keys (the session harness), not ours
    "ignore:It is recommended to use web.RequestKey:aiohttp.web_exceptions.NotAppKeyWarning"
)

NAME = "AUTH_TKT"


class CookieHarness:
    forget_removes_ticket = True
    carried_by = "Cookie"  # the request header the ticket (or the session id) arrives in

    def policy(self, secret: bytes, clock: Any, **options: Any) -> auth.TktAuthentication:
        return auth.CookieTktAuthentication(secret, 600, clock=clock, **options)

    def app(self, make_app: Any, policy: Any) -> web.Application:
        return make_app(policy)  # type: ignore[no-any-return]

    async def get(self, client: Any, path: str) -> Any:
        return await client.get(path, allow_redirects=False)

    def held(self, client: Any) -> str | None:
        return next((c.value for c in client.session.cookie_jar if c.key == NAME), None)

    def present(self, client: Any, ticket: str) -> None:
        client.session.cookie_jar.update_cookies({NAME: ticket}, client.make_url("/"))


class SessionHarness(CookieHarness):
    def __init__(self, storage: Any) -> None:
        self.storage = storage

    def policy(self, secret: bytes, clock: Any, **options: Any) -> auth.TktAuthentication:
        return auth.SessionTktAuthentication(secret, 600, clock=clock, **options)

    def app(self, make_app: Any, policy: Any) -> web.Application:
        return make_app(policy, session_storage=self.storage)  # type: ignore[no-any-return]

    def held(self, client: Any) -> str | None:
        sid = next((c.value for c in client.session.cookie_jar if c.key == "SID"), None)
        record = self.storage.records.get(sid, {})
        return record.get(NAME)  # type: ignore[no-any-return]

    def present(self, client: Any, ticket: str) -> None:
        sid = self.storage.plant({NAME: ticket})
        client.session.cookie_jar.update_cookies({"SID": sid}, client.make_url("/"))


class HeaderHarness(CookieHarness):
    forget_removes_ticket = False  # the client holds it; documented
    carried_by = "Authorization"

    def __init__(self) -> None:
        self.ticket: str | None = None

    def policy(self, secret: bytes, clock: Any, **options: Any) -> auth.TktAuthentication:
        return auth.HeaderTktAuthentication(secret, 600, clock=clock, **options)

    async def get(self, client: Any, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.ticket}"} if self.ticket else {}
        response = await client.get(path, headers=headers, allow_redirects=False)
        if "X-Auth-Ticket" in response.headers:
            self.ticket = response.headers["X-Auth-Ticket"]
        return response

    def held(self, client: Any) -> str | None:
        return self.ticket

    def present(self, client: Any, ticket: str) -> None:
        self.ticket = ticket


class StorageContract:
    """The behaviour every storage promises (collected through the subclasses)."""

    harness: Any

    @pytest.fixture
    async def setup(self, aiohttp_client: Any, make_app: Any, secret: bytes, clock: Any) -> Any:
        async def build(**options: Any) -> tuple[Any, Any]:
            policy = self.harness.policy(secret, clock, **options)
            return policy, await aiohttp_client(self.harness.app(make_app, policy))

        return build

    async def text(self, client: Any, path: str) -> str:
        return await (await self.harness.get(client, path)).text()  # type: ignore[no-any-return]

    async def test_anonymous_without_a_ticket(self, setup: Any) -> None:
        _, client = await setup()
        assert await self.text(client, "/whoami") == "anonymous"
        assert (await self.harness.get(client, "/protected")).status == 401

    async def test_login_then_identity(self, setup: Any) -> None:
        _, client = await setup()
        assert await self.text(client, "/login?user=alice") == "ok"
        assert self.harness.held(client)
        assert await self.text(client, "/whoami") == "alice"
        assert await self.text(client, "/protected") == "secret page"

    @pytest.mark.parametrize(
        ("path", "answer"),
        [("/logout", "bye alice"), ("/logout_streamed", "bye")],
        ids=["returned", "streamed"],  # streamed: what aiohttp-session itself would not save
    )
    async def test_logout(self, setup: Any, path: str, answer: str) -> None:
        _, client = await setup()
        await self.harness.get(client, "/login?user=alice")
        ticket = self.harness.held(client)
        response = await self.harness.get(client, path)
        assert await response.text() == answer
        assert "X-Auth-Ticket" not in response.headers
        if self.harness.forget_removes_ticket:
            assert self.harness.held(client) is None
            assert await self.text(client, "/whoami") == "anonymous"
        else:
            assert self.harness.held(client) == ticket

    async def test_E4_a_logged_in_page_varies_on_the_header_that_carried_the_ticket(
        self, setup: Any
    ) -> None:
        """A shared cache keyed on the URL alone must not give alice's page to bob."""
        _, client = await setup()
        anonymous = await self.harness.get(client, "/whoami")
        assert self.harness.carried_by not in anonymous.headers.get("Vary", "")
        await self.harness.get(client, "/login?user=alice")
        page = await self.harness.get(client, "/whoami")  # reads the identity, sets nothing
        assert await page.text() == "alice"
        assert "Set-Cookie" not in page.headers
        assert self.harness.carried_by in page.headers.get("Vary", "")

    async def test_E4_responses_that_change_the_credential_are_uncacheable(
        self, setup: Any, clock: Any
    ) -> None:
        _, client = await setup(reissue_time=0)
        changes = {"login": await self.harness.get(client, "/login?user=alice")}
        first = self.harness.held(client)
        clock.advance(10)
        changes["reissue"] = await self.harness.get(client, "/whoami")
        assert self.harness.held(client) not in (None, first)
        if self.harness.forget_removes_ticket:  # the header storage has nothing to send
            changes["logout"] = await self.harness.get(client, "/logout")
        for change, response in changes.items():
            cache_control = response.headers.get("Cache-Control", "")
            assert "no-store" in cache_control, change
            assert "private" in cache_control, change

    async def test_F8_login_on_a_streamed_response_delivers_the_ticket(self, setup: Any) -> None:
        _, client = await setup()
        response = await self.harness.get(client, "/login_streamed?user=dave")
        assert await response.text() == "ok"
        assert "no-store" in response.headers.get("Cache-Control", "")
        assert await self.text(client, "/whoami") == "dave"

    async def test_F4_reissue_on_a_streamed_2xx_response(self, setup: Any, clock: Any) -> None:
        _, client = await setup(reissue_time=0)
        await self.harness.get(client, "/login?user=alice")
        first = self.harness.held(client)
        clock.advance(10)
        assert await self.text(client, "/whoami_streamed") == "alice"
        assert self.harness.held(client) not in (None, first)
        assert await self.text(client, "/whoami") == "alice"

    async def test_E4_a_logged_in_streamed_page_varies_too(self, setup: Any) -> None:
        _, client = await setup()
        await self.harness.get(client, "/login?user=alice")
        page = await self.harness.get(client, "/whoami_streamed")
        assert await page.text() == "alice"
        assert self.harness.carried_by in page.headers.get("Vary", "")

    async def test_A1_tampered_ticket_is_anonymous(self, setup: Any) -> None:
        _, client = await setup()
        await self.harness.get(client, "/login?user=alice")
        ticket = self.harness.held(client)
        self.harness.present(client, ticket[:-1] + ("1" if ticket[-1] == "0" else "0"))
        assert await self.text(client, "/whoami") == "anonymous"

    async def test_C1_expired_ticket_is_anonymous_and_not_renewed(
        self, setup: Any, clock: Any
    ) -> None:
        _, client = await setup(reissue_time=0)
        await self.harness.get(client, "/login?user=alice")
        ticket = self.harness.held(client)
        clock.advance(600)
        assert await self.text(client, "/whoami") == "anonymous"
        assert self.harness.held(client) == ticket

    async def test_F6_reissue_preserves_the_claims(self, setup: Any, clock: Any) -> None:
        _, client = await setup(reissue_time=60)
        await self.harness.get(client, "/login?user=alice&tokens=editor&data=x")
        first = self.harness.held(client)
        before = await (await self.harness.get(client, "/info")).json()
        clock.advance(61)
        await self.harness.get(client, "/whoami")
        assert self.harness.held(client) != first
        after = await (await self.harness.get(client, "/info")).json()
        assert {k: after[k] for k in ("user", "tokens", "user_data", "auth_time")} == {
            k: before[k] for k in ("user", "tokens", "user_data", "auth_time")
        }
        assert after["valid_until"] == before["valid_until"] + 61

    async def test_F4_no_reissue_on_a_non_2xx_response(self, setup: Any, clock: Any) -> None:
        _, client = await setup(reissue_time=0)
        await self.harness.get(client, "/login?user=alice")
        ticket = self.harness.held(client)
        clock.advance(10)
        assert (await self.harness.get(client, "/no-such-page")).status == 404
        assert self.harness.held(client) == ticket

    async def test_F5_forget_beats_a_pending_reissue(self, setup: Any, clock: Any) -> None:
        _, client = await setup(reissue_time=0)
        await self.harness.get(client, "/login?user=alice")
        clock.advance(10)
        response = await self.harness.get(client, "/logout")  # reads the identity: reissue due
        assert await response.text() == "bye alice"
        assert "X-Auth-Ticket" not in response.headers
        if self.harness.forget_removes_ticket:
            assert self.harness.held(client) is None

    async def test_F5_remember_other_replaces_a_pending_reissue(
        self, setup: Any, clock: Any
    ) -> None:
        _, client = await setup(reissue_time=0)
        await self.harness.get(client, "/login?user=alice")
        clock.advance(10)
        await self.harness.get(client, "/login?user=bob")
        assert await self.text(client, "/whoami") == "bob"

    async def test_F1_remember_then_raised_redirect_delivers_the_ticket(self, setup: Any) -> None:
        _, client = await setup()
        response = await self.harness.get(client, "/login_redirect?user=carol")
        assert response.status == 302
        assert await self.text(client, "/whoami") == "carol"

    async def test_F9_unhandled_exception_delivers_nothing(self, setup: Any) -> None:
        _, client = await setup()
        assert (await self.harness.get(client, "/login_crash?user=carol")).status == 500
        assert self.harness.held(client) is None
        assert await self.text(client, "/whoami") == "anonymous"


class TestCookieStorageContract(StorageContract):
    @pytest.fixture(autouse=True)
    def _harness(self) -> None:
        self.harness = CookieHarness()


class TestSessionStorageContract(StorageContract):
    @pytest.fixture(autouse=True)
    def _harness(self, memory_storage: Any) -> None:
        self.harness = SessionHarness(memory_storage)


class TestHeaderStorageContract(StorageContract):
    @pytest.fixture(autouse=True)
    def _harness(self) -> None:
        self.harness = HeaderHarness()
