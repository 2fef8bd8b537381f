"""The getting-started app's HTML pages, driven in headless Chromium.

What a person does with a login page, in a real browser: log in through the
form, see who they are and what they may do, open the staff page, reload,
log out, press back.  And what a browser must refuse: scripts reading the
auth cookie, the back button showing a logged-out page from a cache, another
site logging the browser in (login CSRF, by form or by link) or framing the
login form.

Each defence has a control twin: the same steps against the app without
that defence (``weakened_app.py``), where the browser is expected to do the
harm.  A check that passes on the real app and fails on its twin cannot be
passing for the wrong reason (a browser that never caches, a frame that
never loads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    Shot = Callable[[Any, str], Path]
    LogIn = Callable[[Any, str, str, str], None]
    Weakened = Callable[[str], str]

PASSWORDS = {"alice": "alice_password", "bob": "bob_password"}

# What the document's ACL gives each user (first match wins: both are
# guests, so the guest Deny of "edit" decides before staff's Allow).
EXPECTED_PERMISSIONS = {
    "alice": {"view_home": "yes", "view": "yes", "edit": "no", "admin_view": "no"},
    "bob": {"view_home": "yes", "view": "yes", "edit": "no", "admin_view": "yes"},
}


def auth_cookies(page: Any) -> list[dict[str, Any]]:
    return [c for c in page.context.cookies() if c["name"] == "AUTH_TKT" and c["value"]]


def permission_table(page: Any) -> dict[str, str]:
    rows = page.locator("#permissions tr").all()[1:]  # the first row is the header
    cells = [row.locator("td").all_inner_texts() for row in rows]
    return {name: verdict for name, _meaning, verdict in cells}


def shows_someone_logged_in(page: Any) -> bool:
    return page.locator("#identity").count() > 0 or "logged in as" in page.content().lower()


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_logging_in_through_the_form_shows_who_and_what_they_may_do(
    page: Any, example_app: str, log_in: LogIn, screenshot: Shot, user: str
) -> None:
    page.goto(f"{example_app}/account/login")
    screenshot(page, "1-form")

    log_in(page, example_app, user, PASSWORDS[user])

    assert page.locator("#identity").inner_text() == user
    assert permission_table(page) == EXPECTED_PERMISSIONS[user]
    screenshot(page, "2-account")


def test_reloading_after_login_never_resends_the_password(
    page: Any, example_app: str, log_in: LogIn
) -> None:
    log_in(page, example_app, "bob", "bob_password")
    with page.expect_request(f"{example_app}/account") as reload:
        page.reload()

    assert reload.value.method == "GET"
    assert page.locator("#identity").inner_text() == "bob"
    # and back goes to the form page, not to the answer of the POST
    page.go_back()
    page.wait_for_url(f"{example_app}/account/login")
    assert page.get_by_label("Password").input_value() == ""


def test_a_wrong_password_keeps_the_form_and_sets_no_cookie(
    page: Any, example_app: str, screenshot: Shot
) -> None:
    page.goto(f"{example_app}/account/login")
    page.get_by_label("User name").fill("bob")
    page.get_by_label("Password").fill("alice_password")
    with page.expect_navigation() as answer:
        page.get_by_role("button", name="Log in").click()

    assert answer.value.status == 401
    assert page.get_by_role("alert").inner_text() == "Wrong user name or password."
    assert page.get_by_label("User name").input_value() == "bob"
    assert page.get_by_label("Password").input_value() == ""
    assert auth_cookies(page) == []
    screenshot(page, "refused")


def test_scripts_cannot_read_the_auth_cookie(page: Any, example_app: str, log_in: LogIn) -> None:
    log_in(page, example_app, "alice", "alice_password")
    [ticket] = auth_cookies(page)
    assert ticket["httpOnly"] is True
    assert ticket["sameSite"] == "Lax"

    # document.cookie works on this page: a cookie a script sets, it reads back.
    page.evaluate("document.cookie = 'probe=visible; path=/'")
    readable = page.evaluate("document.cookie")
    assert "probe=visible" in readable
    # ... but the ticket is not among what it can read.
    assert "AUTH_TKT" not in readable
    assert ticket["value"] not in readable


@pytest.mark.parametrize(
    ("user", "status", "title"),
    [("bob", 200, "Staff page"), ("alice", 403, "Staff only")],
)
def test_the_staff_page_opens_for_staff_only(
    page: Any, example_app: str, log_in: LogIn, screenshot: Shot, user: str, status: int, title: str
) -> None:
    log_in(page, example_app, user, PASSWORDS[user])
    with page.expect_navigation() as answer:
        page.get_by_role("link", name="Staff page").click()

    assert answer.value.status == status
    assert page.url == f"{example_app}/staff"
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("strong").inner_text() == user
    screenshot(page, "staff")


def test_the_staff_page_sends_an_anonymous_visitor_to_the_login_form(
    page: Any, example_app: str
) -> None:
    response = page.goto(f"{example_app}/staff")

    assert response.request.redirected_from.url == f"{example_app}/staff"
    assert page.url == f"{example_app}/account/login"
    assert page.get_by_role("button", name="Log in").is_visible()


def log_in_then_log_out(page: Any, base_url: str, log_in: LogIn) -> None:
    log_in(page, base_url, "bob", "bob_password")
    assert page.locator("#identity").inner_text() == "bob"
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base_url}/account/login")
    assert auth_cookies(page) == []
    assert not shows_someone_logged_in(page)


def test_after_logout_the_back_button_does_not_show_the_account_page(
    page: Any, example_app: str, log_in: LogIn, screenshot: Shot
) -> None:
    log_in_then_log_out(page, example_app, log_in)

    # Back: the browser must ask the server for /account again (and, being
    # anonymous now, be sent to the form), not show the page from a cache.
    with page.expect_response(f"{example_app}/account") as asked_again:
        page.go_back()
    page.wait_for_url(f"{example_app}/account/login")
    screenshot(page, "after-back")

    assert asked_again.value.status == 303
    assert not shows_someone_logged_in(page)


@pytest.mark.parametrize("weakness", ["no-store", "redirect"])
def test_control_the_back_button_shows_bobs_page_from_a_cache(
    page: Any, weakened_app: Weakened, log_in: LogIn, screenshot: Shot, weakness: str
) -> None:
    """The same steps against a copy of the app with one defence missing: the leak is real.

    ``no-store``: without ``Cache-Control`` the page comes back from a cache.

    ``redirect``: why the login answers with a self-refreshing page
    (``account_pages``' docstring).  With the usual 303 from the login POST
    to ``/account``, Chromium keeps that no-store page in its back/forward
    cache and, the cookie being "unchanged" since that navigation began,
    restores it after the logout.  If this control ever fails, Chromium has
    stopped doing that.
    """
    base_url = weakened_app(weakness)
    log_in_then_log_out(page, base_url, log_in)

    # A page restored from the back/forward cache fires no load event: wait for the commit.
    page.go_back(wait_until="commit")
    page.wait_for_url(f"{base_url}/account", wait_until="commit")
    screenshot(page, "shown-from-a-cache")

    assert page.locator("#identity").inner_text() == "bob"


def click_the_prize_on_the_attackers_site(
    page: Any, attacker_site: Any, html: str, role: str
) -> Any:
    """Serve ``html`` on the other site, click its "Claim your prize" ``role``: our answer."""
    attacker_site.page = html
    page.goto(attacker_site.url)
    with page.expect_navigation() as answer:
        page.get_by_role(role, name="Claim your prize").click()
    assert answer.value.request.all_headers().get("sec-fetch-site") == "cross-site"
    return answer.value


def submit_the_attackers_form(page: Any, base_url: str, attacker_site: Any) -> Any:
    """Login CSRF by form: another site's page posts the attacker's password to ours."""
    form = (
        f'<form method="post" action="{base_url}/account/login">'
        '<input name="username" value="bob"><input name="password" value="bob_password">'
        "<button>Claim your prize</button></form>"
    )
    return click_the_prize_on_the_attackers_site(page, attacker_site, form, "button")


def test_a_form_on_another_site_cannot_log_the_browser_in(
    page: Any, example_app: str, attacker_site: Any, screenshot: Shot
) -> None:
    answer = submit_the_attackers_form(page, example_app, attacker_site)
    screenshot(page, "refused")

    assert answer.status == 403
    assert auth_cookies(page) == []


def test_control_without_the_cross_site_check_another_sites_form_logs_the_browser_in(
    page: Any, weakened_app: Weakened, attacker_site: Any, screenshot: Shot
) -> None:
    """SameSite=Lax alone does not stop it: the cookie is set and the page says bob."""
    base_url = weakened_app("csrf")
    answer = submit_the_attackers_form(page, base_url, attacker_site)
    page.wait_for_url(f"{base_url}/account")
    screenshot(page, "logged-in-by-attacker")

    assert answer.status == 200
    assert len(auth_cookies(page)) == 1
    assert page.locator("#identity").inner_text() == "bob"


def follow_the_attackers_link(page: Any, base_url: str, attacker_site: Any) -> Any:
    """Login CSRF by link: the document's GET /login, clicked on another site."""
    login = f"{base_url}/login?username=bob&password=bob_password"
    link = f'<a href="{login}">Claim your prize</a>'
    return click_the_prize_on_the_attackers_site(page, attacker_site, link, "link")


def test_a_link_on_another_site_cannot_log_the_browser_in(
    page: Any, example_app: str, attacker_site: Any
) -> None:
    answer = follow_the_attackers_link(page, example_app, attacker_site)

    assert answer.status == 403
    assert auth_cookies(page) == []


def test_control_without_the_cross_site_check_another_sites_link_logs_the_browser_in(
    page: Any, weakened_app: Weakened, attacker_site: Any
) -> None:
    base_url = weakened_app("csrf")
    answer = follow_the_attackers_link(page, base_url, attacker_site)

    assert answer.status == 200
    assert len(auth_cookies(page)) == 1


def frame_the_login_form(page: Any, base_url: str, attacker_site: Any) -> Any:
    """Clickjacking: another site's page puts our login form in a frame."""
    attacker_site.page = f'<iframe src="{base_url}/account/login"></iframe>'
    page.goto(attacker_site.url, wait_until="load")  # "load" waits for the frame too
    [frame] = page.main_frame.child_frames
    return frame


def test_another_site_cannot_frame_the_login_form(
    page: Any, example_app: str, attacker_site: Any
) -> None:
    frame = frame_the_login_form(page, example_app, attacker_site)

    # the browser refused to show it: the frame ends on Chromium's error page
    frame.wait_for_url(lambda url: url.startswith("chrome-error://"), wait_until="commit")
    assert frame.locator("#username").count() == 0


def test_control_without_the_framing_headers_another_site_frames_the_login_form(
    page: Any, weakened_app: Weakened, attacker_site: Any
) -> None:
    base_url = weakened_app("framing")
    frame = frame_the_login_form(page, base_url, attacker_site)

    frame.wait_for_url(f"{base_url}/account/login")
    assert frame.locator("#username").count() == 1
