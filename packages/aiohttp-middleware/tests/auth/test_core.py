"""The seed API of ``aiohttp_auth.auth``: setup, middleware, get_auth, remember, forget."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from aiohttp import web

from aiohttp_auth import auth
from aiohttp_auth.auth.auth import is_auth_installed


class CountingPolicy(auth.AbstractAuthentication):
    """A header-based toy policy that counts how often ``get`` runs."""

    def __init__(self) -> None:
        self.gets = 0

    async def remember(self, request: web.Request, user_id: str) -> None:
        pass

    async def forget(self, request: web.Request) -> None:
        pass

    async def get(self, request: web.Request) -> Any:
        self.gets += 1
        return request.headers.get("X-User")


def test_abstract_authentication_is_a_real_abc() -> None:
    class HalfDone(auth.AbstractAuthentication):
        async def get(self, request: web.Request) -> Any:
            return None

    with pytest.raises(TypeError):
        HalfDone()  # type: ignore[abstract]


async def test_process_response_default_does_nothing() -> None:
    response = web.Response()
    await CountingPolicy().process_response(None, response)  # type: ignore[arg-type]
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("factory", [auth.setup, lambda app, p: auth.auth_middleware(p)])
def test_a_policy_of_the_wrong_type_is_a_type_error(factory: Any) -> None:
    with pytest.raises(TypeError, match="AbstractAuthentication"):
        factory(web.Application(), object())


def test_F10_setup_twice_is_a_runtime_error() -> None:
    app = web.Application()
    auth.setup(app, CountingPolicy())
    with pytest.raises(RuntimeError, match="already"):
        auth.setup(app, CountingPolicy())


def test_is_auth_installed_sees_setup_and_a_bare_middleware() -> None:
    bare, with_setup, with_middleware = web.Application(), web.Application(), web.Application()
    auth.setup(with_setup, CountingPolicy())
    with_middleware.middlewares.append(auth.auth_middleware(CountingPolicy()))
    assert not is_auth_installed(bare)
    assert is_auth_installed(with_setup)
    assert is_auth_installed(with_middleware)


@pytest.mark.parametrize("call", ["get_auth", "remember", "forget"])
async def test_without_the_middleware_the_error_says_what_to_install(
    aiohttp_client: Any, call: str
) -> None:
    errors: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        function = getattr(auth, call)
        args = (request, "alice") if call == "remember" else (request,)
        with pytest.raises(RuntimeError) as info:
            await function(*args)
        errors.append(str(info.value))
        return web.Response()

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    assert (await client.get("/")).status == 200
    assert "auth_middleware not installed" in errors[0]
    assert "setup(app" in errors[0]


async def test_F7_compat_bug3_identity_cached_once_none_included_and_updated(
    aiohttp_client: Any,
) -> None:
    policy = CountingPolicy()
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.Response:
        for _ in range(5):
            seen.append(await auth.get_auth(request))
        await auth.remember(request, "bob")
        seen.append(await auth.get_auth(request))
        await auth.forget(request)
        seen.append(await auth.get_auth(request))
        return web.Response()

    app = web.Application()
    auth.setup(app, policy)
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    await client.get("/")
    assert seen == [None] * 5 + ["bob", None]
    assert policy.gets == 1  # anonymous cached too

    seen.clear()
    await client.get("/", headers={"X-User": "alice"})
    assert seen == ["alice"] * 5 + ["bob", None]
    assert policy.gets == 2


async def test_F11_empty_identity_is_anonymous_and_auth_required_says_401(
    aiohttp_client: Any,
) -> None:
    @auth.auth_required
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="in")

    app = web.Application()
    auth.setup(app, CountingPolicy())
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    assert (await client.get("/", headers={"X-User": ""})).status == 401
    assert (await client.get("/")).status == 401
    response = await client.get("/", headers={"X-User": "alice"})
    assert response.status == 200
    assert await response.text() == "in"


@pytest.mark.parametrize(
    ("user_id", "error"),
    [
        ("", ValueError),
        (None, TypeError),
        (123, TypeError),
        ("al\x00ice", ValueError),
        ("al\nice", ValueError),
        ("\ud800", ValueError),
        ("a" * 1025, ValueError),
    ],
)
async def test_F11_invalid_user_ids_are_refused_by_remember(
    aiohttp_client: Any, user_id: Any, error: type[Exception]
) -> None:
    raised: list[BaseException] = []

    async def handler(request: web.Request) -> web.Response:
        try:
            await auth.remember(request, user_id)
        except (TypeError, ValueError) as exc:
            raised.append(exc)
        return web.Response(text=str(await auth.get_auth(request)))

    app = web.Application()
    auth.setup(app, CountingPolicy())
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    response = await client.get("/")
    assert await response.text() == "None"
    assert len(raised) == 1
    assert type(raised[0]) is error


class Guarded(web.View):
    @auth.auth_required
    async def get(self) -> web.Response:
        return web.Response(text="view")


async def test_compat_bug13_auth_required_passes_keyword_arguments_and_keeps_metadata(
    aiohttp_client: Any,
) -> None:
    async def target(request: web.Request, *, flavour: str = "plain") -> web.Response:
        """Docstring kept."""
        return web.Response(text=flavour)

    wrapped = auth.auth_required(target)
    called_form = auth.auth_required()(target)
    assert wrapped.__name__ == "target"
    assert wrapped.__doc__ == "Docstring kept."
    assert inspect.unwrap(wrapped) is target

    async def handler(request: web.Request) -> web.StreamResponse:
        if "a" in request.query:
            return await wrapped(request, flavour="kw")
        return await called_form(request)

    app = web.Application()
    auth.setup(app, CountingPolicy())
    app.router.add_get("/", handler)
    app.router.add_view("/view", Guarded)
    client = await aiohttp_client(app)
    assert await (await client.get("/?a=1", headers={"X-User": "u"})).text() == "kw"
    assert (await client.get("/?a=1")).status == 401
    assert await (await client.get("/", headers={"X-User": "u"})).text() == "plain"
    assert (await client.get("/")).status == 401
    assert (await client.get("/view")).status == 401
    assert await (await client.get("/view", headers={"X-User": "u"})).text() == "view"


def test_auth_required_refuses_a_non_callable() -> None:
    with pytest.raises(TypeError):
        auth.auth_required("not a handler")  # type: ignore[call-overload]
