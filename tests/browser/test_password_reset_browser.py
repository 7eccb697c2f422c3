"""A person who forgot the password asks for a link from the sign-in page, opens it from the
e-mail, sets a new password (after a mismatched pair) and signs in with it. An unknown
address sees the same page and gets no e-mail."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OLD_PASSWORD = "an-old-forgotten-phrase"
NEW_PASSWORD = "a-fresh-harbour-phrase-42"
# Crispy marks required fields with an asterisk in the label.
NEW_FIELD = re.compile(r"^\s*New password\W*$")
CONFIRM_FIELD = re.compile(r"^\s*New password confirmation\W*$")


def _ask_for_a_link(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password", level=1)).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail", level=1)).to_be_visible()
    expect(page.get_by_text("If an account exists for the address you entered")).to_be_visible()


def test_forgotten_password_is_reset_from_the_emailed_link(
    page, live_server, make_user, mailoutbox, assert_accessible
):
    user = make_user(email="fatima@example.org", name="Fatima Chahid", password=OLD_PASSWORD)

    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Forgot your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("fatima@example.org")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail", level=1)).to_be_visible()
    assert_accessible(page)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["fatima@example.org"]
    assert "fatima@example.org" in message.body
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body)
    assert link, message.body
    # The link names the host the request came to; open its path on the live server.
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="Choose a new password", level=1)).to_be_visible()
    assert_accessible(page)

    # A mismatched pair: the error sits next to the confirmation field and nothing changes.
    page.get_by_label(NEW_FIELD).fill(NEW_PASSWORD)
    page.get_by_label(CONFIRM_FIELD).fill(NEW_PASSWORD + "-typo")
    page.get_by_role("button", name="Save").click()
    field = page.locator("#div_id_new_password2")
    expect(field).to_contain_text("The two password fields didn’t match.")
    expect(page.get_by_label(CONFIRM_FIELD)).to_have_class(re.compile("is-invalid"))
    expect(page.get_by_role("alert")).to_contain_text("New password confirmation")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)

    page.get_by_label(NEW_FIELD).fill(NEW_PASSWORD)
    page.get_by_label(CONFIRM_FIELD).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Password set", level=1)).to_be_visible()
    assert_accessible(page)

    # The old password no longer works; the new one does.
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("fatima@example.org")
    page.get_by_label("Password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("fatima@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/reviews/")
    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
    expect(page.get_by_role("link", name="Fatima Chahid")).to_be_visible()
    assert_accessible(page)

    # The link is used up.
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_text("This link is no longer valid")).to_be_visible()
    assert_accessible(page)


def test_unknown_address_sees_the_same_page_and_gets_no_email(
    page, live_server, make_user, mailoutbox, assert_accessible
):
    make_user(email="known@example.org", password=OLD_PASSWORD)

    _ask_for_a_link(page, live_server, "nobody@example.org")
    unknown_text = page.get_by_role("main").inner_text()
    assert_accessible(page)
    assert mailoutbox == []

    _ask_for_a_link(page, live_server, "known@example.org")
    assert page.get_by_role("main").inner_text() == unknown_text
    assert [m.to for m in mailoutbox] == [["known@example.org"]]
