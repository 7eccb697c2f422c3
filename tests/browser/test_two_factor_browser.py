"""A peer turns on two-factor sign-in from the profile: scans (here: reads) the secret, enters
a code from the app and saves the recovery codes shown once. Then signs out and in with a
code from the app, out and in with a recovery code, and finds that recovery code refused
the next time."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "fatima@example.org"
PASSWORD = "a-long-pass-phrase"


def field(label: str) -> re.Pattern:
    """A form label as crispy renders it, with an asterisk on required fields."""
    return re.compile(rf"^\s*{re.escape(label)}\W*$")


def sign_out(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def password_step(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_peer_turns_on_two_factor_and_signs_in_with_a_code_then_a_recovery_code(
    page, live_server, sign_in, make_user, assert_accessible
):
    user = make_user(email=EMAIL, password=PASSWORD, name="Fatima Chahid", initials="FC")
    sign_in(page, EMAIL, PASSWORD)

    # From the profile to the set-up.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Fatima Chahid").click()
    expect(page.get_by_text(re.compile(r"Two-factor sign-in\s*:\s*off"))).to_be_visible()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    expect(page.get_by_text("You sign in with your password only.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()

    # The QR code is an image from the app's own view (the CSP lets it load); the secret is
    # there to type in, and here to compute a code as the app would.
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert_accessible(page)
    secret = page.locator("#secret-key").inner_text().strip()
    page.get_by_label(field("Code")).fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    # Recovery codes, once.
    expect(page.get_by_role("heading", name="Recovery codes", level=1)).to_be_visible()
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    codes = [c.strip() for c in page.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("You sign in with your password and a code")).to_be_visible()
    expect(page.get_by_text("You have 10 recovery codes left.")).to_be_visible()
    assert_accessible(page)

    # Out, and in with a code from the app.
    sign_out(page)
    password_step(page, live_server)
    expect(page.get_by_text("enter the code it shows for Critical Friend")).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label(field("Code")).fill(f"{code:06d}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/reviews/")
    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()

    # Out, and in with a recovery code.
    sign_out(page)
    password_step(page, live_server)
    page.get_by_role("button", name="Use a recovery code").click()
    expect(page.get_by_text("Each code works once.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(field("Recovery code")).fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/reviews/")
    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()

    # The same recovery code does not work twice.
    sign_out(page)
    password_step(page, live_server)
    page.get_by_role("button", name="Use a recovery code").click()
    page.get_by_label(field("Recovery code")).fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("This code is not right.")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")
    ).to_have_count(0)
    assert_accessible(page)
