"""A signing-key rotation rolled out one process at a time (SECURITY B5, B6).

Four processes stand for the states a worker can be in during a rotation:
``[old]`` (not touched yet), ``[old, new]`` (knows the new key, still signs
with the old one), ``[new, old]`` (signs with the new key, still accepts the
old one) and ``[new]`` (rotation finished).  Which of them accepts which
ticket is the whole story of a safe rollout, written down in the examples
README: first give every worker ``old,new``, then ``new,old``, and drop
``old`` only once ``max_age`` has passed since the last worker switched.
"""

from __future__ import annotations

import secrets

import pytest

pytestmark = pytest.mark.redis

BOB = "/login?username=bob&password=bob_password"


@pytest.fixture
def rotation(apps, redis_srv):
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    specs = [{"secrets": keys, "redis": redis_srv.url} for keys in ([old], [old, new], [new, old])]
    specs.append({"secrets": [new], "redis": redis_srv.url})
    return dict(zip(["old", "old,new", "new,old", "new"], apps.start(*specs), strict=True))


async def login_ticket(browser, fetch, jar, app) -> str:
    browser.cookie_jar.clear()
    assert await fetch(browser, "GET", app.url + BOB) == (200, "Ok")
    return jar(browser)["AUTH_TKT"]


async def accepted_by(fetch, browser, rotation, ticket) -> set[str]:
    names = set()
    for name, app in rotation.items():
        status, _ = await fetch(browser, "GET", app.url + "/view", cookies={"AUTH_TKT": ticket})
        if status == 200:
            names.add(name)
    return names


async def test_B6_which_process_accepts_which_ticket_during_a_rollout(
    rotation, browser, fetch, jar
):
    signed_old = await login_ticket(browser, fetch, jar, rotation["old,new"])
    signed_new = await login_ticket(browser, fetch, jar, rotation["new,old"])
    assert await accepted_by(fetch, browser, rotation, signed_old) == {"old", "old,new", "new,old"}
    assert await accepted_by(fetch, browser, rotation, signed_new) == {"old,new", "new,old", "new"}
    # Step 1 (some [old], some [old, new]) and step 2 (some [old, new], some [new, old]):
    # every ticket any of them issues is accepted by all of them.
    for step in (("old", "old,new"), ("old,new", "new,old")):
        for issuer in step:
            ticket = await login_ticket(browser, fetch, jar, rotation[issuer])
            assert set(step) <= await accepted_by(fetch, browser, rotation, ticket), step
    # The mistake: jumping from [old] straight to [new, old] on one worker logs users
    # out whenever their next request lands on a worker that has not switched yet.
    assert "old" not in await accepted_by(fetch, browser, rotation, signed_new)


async def test_B5_a_process_that_signs_with_the_new_key_reissues_old_tickets(
    rotation, browser, fetch, jar
):
    signed_old = await login_ticket(browser, fetch, jar, rotation["old"])
    browser.cookie_jar.clear()
    browser.cookie_jar.update_cookies({"AUTH_TKT": signed_old})
    assert await fetch(browser, "GET", rotation["new,old"].url + "/view") == (200, "View Page")
    reissued = jar(browser)["AUTH_TKT"]
    assert reissued != signed_old  # replaced on the first 2xx, signed with the new key
    assert await accepted_by(fetch, browser, rotation, reissued) == {"old,new", "new,old", "new"}
    # the same login (not a new one): a logout of it revokes both tickets everywhere
    assert await fetch(browser, "GET", rotation["new"].url + "/logout") == (200, "Ok")
    assert await accepted_by(fetch, browser, rotation, reissued) == set()
    assert await accepted_by(fetch, browser, rotation, signed_old) == set()
