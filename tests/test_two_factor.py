"""Two-factor sign-in: the code step, recovery codes, set-up, removal, throttling, and the
requirement for coordinators (TWO_FACTOR_REQUIRED_FOR_COORDINATORS)."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cities.two_factor import issue_recovery_codes
from tests.signing_in import code_step, password_step, recovery_code_step

PASSWORD = "secret-pass-123"  # the cast's (tests/conftest.py)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return device, issue_recovery_codes(user)


def code_now(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_now(device)) + 1) % 1_000_000:06d}"


def sign_in_with_password(client, user):
    return client.post(reverse("login"), password_step(user.email, PASSWORD))


def signed_in(client) -> bool:
    return client.get(reverse("reviews:dashboard")).status_code == 200


# --- Signing in ---------------------------------------------------------------------------


def test_with_an_app_the_password_alone_does_not_sign_in(client, peer):
    enrol(peer)
    response = sign_in_with_password(client, peer)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="token-otp_token"' in html
    assert "enter the code it shows" in html
    assert not signed_in(client)


def test_without_an_app_the_password_signs_in(client, peer):
    response = sign_in_with_password(client, peer)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_code_from_the_app_signs_in_and_verifies_the_session(client, peer):
    device, _codes = enrol(peer)
    sign_in_with_password(client, peer)
    response = client.post(reverse("login") + "?next=/cities/", code_step(code_now(device)))
    assert response.status_code == 302
    assert response["Location"] == "/cities/"
    assert signed_in(client)
    # A verified session may change the settings: the overview offers it.
    overview = client.get(reverse("two_factor:profile")).content.decode()
    assert reverse("two_factor:recovery_codes") in overview


def test_a_wrong_code_does_not_sign_in_and_says_so(client, peer):
    device, _codes = enrol(peer)
    sign_in_with_password(client, peer)
    response = client.post(reverse("login"), code_step(wrong_code(device)))
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once_and_not_twice(client, peer):
    _device, codes = enrol(peer)
    sign_in_with_password(client, peer)
    client.post(reverse("login"), {"wizard_goto_step": "backup"})
    response = client.post(reverse("login"), recovery_code_step(codes[0].upper()))
    assert response.status_code == 302
    assert signed_in(client)
    assert StaticToken.objects.filter(device__user=peer).count() == len(codes) - 1

    client.post(reverse("logout"))
    sign_in_with_password(client, peer)
    client.post(reverse("login"), {"wizard_goto_step": "backup"})
    again = client.post(reverse("login"), recovery_code_step(codes[0]))
    assert again.status_code == 200
    assert "This code is not right" in again.content.decode()
    assert not signed_in(client)


def test_repeated_wrong_codes_lock_the_account_out(client, peer):
    device, _codes = enrol(peer)
    sign_in_with_password(client, peer)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), code_step(wrong_code(device)))
    device.refresh_from_db()
    device.throttle_reset()  # as if django-otp's own delay had passed: axes still says no
    locked = client.post(reverse("login"), code_step(code_now(device)))
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert not signed_in(client)
    # The password step is locked too, for this account.
    client.post(reverse("login"), {"wizard_goto_step": "auth"})
    assert sign_in_with_password(client, peer).status_code == 429


def test_the_failure_log_keeps_neither_the_password_nor_the_code(client, peer):
    device, _codes = enrol(peer)
    client.post(reverse("login"), password_step(peer.email, "a-wrong-password-here"))
    sign_in_with_password(client, peer)
    typed = wrong_code(device)
    client.post(reverse("login"), code_step(typed))
    logged = "\n".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert AccessAttempt.objects.get().failures_since_start == 2
    assert "a-wrong-password-here" not in logged
    assert typed not in logged


def test_the_admin_sign_in_page_sends_people_to_the_one_with_the_code_step(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Setting it up ------------------------------------------------------------------------


def _setup_to_the_qr_code(client):
    client.get(reverse("two_factor:setup"))
    page = client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    secret = re.search(r'id="secret-key">([A-Z2-7]+)<', page.content.decode()).group(1)
    return page, secret


def test_setting_up_shows_a_qr_code_and_the_secret_then_recovery_codes_once(client_for, peer):
    client = client_for(peer)
    page, secret = _setup_to_the_qr_code(client)
    assert f'src="{reverse("two_factor:qr")}"' in page.content.decode()
    assert client.get(reverse("two_factor:qr"))["Content-Type"].startswith("image/svg+xml")

    code = f"{totp(b32decode(secret)):06d}"
    response = client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": code},
    )
    assert response["Location"] == reverse("two_factor:recovery_codes")
    assert TOTPDevice.objects.get(user=peer).confirmed
    first = client.get(response["Location"]).content.decode()
    shown = re.findall(r"<li>([a-z2-7]{8})</li>", first)
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=peer).values_list("token", flat=True)
    )
    assert len(shown) == 10
    second = client.get(reverse("two_factor:recovery_codes")).content.decode()
    assert not any(code in second for code in shown)
    assert "You have 10 recovery codes left." in second


def test_a_wrong_code_at_set_up_leaves_it_off(client_for, peer):
    client = client_for(peer)
    _page, secret = _setup_to_the_qr_code(client)
    wrong = f"{(totp(b32decode(secret)) + 1) % 1_000_000:06d}"
    response = client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": wrong},
    )
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=peer).exists()


def test_the_profile_links_to_two_factor_sign_in_with_its_status(client_for, peer):
    client = client_for(peer)
    link = f'<a href="{reverse("two_factor:profile")}">Two-factor sign-in</a>:'
    off = client.get(reverse("profile")).content.decode()
    assert re.search(re.escape(link) + r"\s*off</p>", off)
    enrol(peer)
    on = client.get(reverse("profile")).content.decode()
    assert re.search(re.escape(link) + r"\s*on</p>", on)


# --- Recovery codes and removal: only in a session verified by a code ----------------------


@pytest.fixture
def verified_client(client):
    """Signs `user` in with password and code; returns the client and the user's codes."""

    def sign_in(user):
        device, codes = enrol(user)
        sign_in_with_password(client, user)
        client.post(reverse("login"), code_step(code_now(device)))
        assert signed_in(client)
        return client, codes

    return sign_in


def test_new_recovery_codes_replace_the_old_ones(verified_client, peer):
    client, old = verified_client(peer)
    response = client.post(reverse("two_factor:recovery_codes"))
    assert response.status_code == 302
    new = set(StaticToken.objects.filter(device__user=peer).values_list("token", flat=True))
    assert len(new) == 10
    assert new.isdisjoint(old)
    page = client.get(reverse("two_factor:recovery_codes")).content.decode()
    assert all(f"<li>{code}</li>" in page for code in new)


def test_recovery_codes_cannot_be_changed_in_a_session_begun_without_a_code(client_for, peer):
    _device, codes = enrol(peer)
    client = client_for(peer)  # signed in without the code step
    response = client.post(reverse("two_factor:recovery_codes"))
    assert response["Location"] == reverse("two_factor:profile")
    assert set(StaticToken.objects.filter(device__user=peer).values_list("token", flat=True)) == (
        set(codes)
    )


def test_removing_two_factor_says_what_goes_then_removes_app_and_codes(verified_client, peer):
    client, codes = verified_client(peer)
    StaticToken.objects.filter(device__user=peer, token=codes[0]).delete()
    page = client.get(reverse("two_factor:disable")).content.decode()
    assert "your 9 remaining recovery codes." in page
    assert "its codes stop working" in page
    response = client.post(reverse("two_factor:disable"))
    assert response["Location"] == reverse("two_factor:profile")
    assert not TOTPDevice.objects.filter(user=peer).exists()
    assert not StaticToken.objects.filter(device__user=peer).exists()
    client.post(reverse("logout"))
    assert sign_in_with_password(client, peer).status_code == 302
    assert signed_in(client)


def test_removal_needs_a_session_verified_by_a_code(client_for, peer):
    enrol(peer)
    client = client_for(peer)
    response = client.post(reverse("two_factor:disable"))
    assert response["Location"] == reverse("two_factor:profile")
    assert TOTPDevice.objects.filter(user=peer).exists()


# --- Required for coordinators -------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_COORDINATORS = True


def test_a_required_coordinator_cannot_remove_two_factor(required, verified_client, coordinator):
    client, _codes = verified_client(coordinator)
    page = client.get(reverse("two_factor:disable"))
    assert page.status_code == 200
    assert "so you cannot remove it" in page.content.decode()
    assert 'class="btn btn-danger"' not in page.content.decode()
    assert client.post(reverse("two_factor:disable")).status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator).exists()


def test_when_not_required_a_coordinator_may_remove_it(verified_client, coordinator):
    client, _codes = verified_client(coordinator)
    assert client.post(reverse("two_factor:disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_a_required_coordinator_without_an_app_is_sent_to_set_it_up(
    required, client_for, coordinator
):
    client = client_for(coordinator)
    for url in (reverse("reviews:all"), reverse("profile"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert (
            response["Location"] == f"{reverse('two_factor:setup')}?next={url.replace('/', '%2F')}"
        )
    assert client.get(reverse("two_factor:setup")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_after_set_up_a_required_coordinator_reaches_the_pages(required, client_for, coordinator):
    client = client_for(coordinator)
    _page, secret = _setup_to_the_qr_code(client)
    client.post(
        reverse("two_factor:setup") + "?next=/reviews/all/",
        {
            "setup_view-current_step": "generator",
            "generator-token": f"{totp(b32decode(secret)):06d}",
        },
    )
    codes_page = client.get(reverse("two_factor:recovery_codes") + "?next=/reviews/all/")
    assert 'href="/reviews/all/"' in codes_page.content.decode()
    assert client.get(reverse("reviews:all")).status_code == 200


def test_a_required_coordinator_in_a_session_without_a_code_signs_in_again(
    required, client_for, coordinator
):
    enrol(coordinator)
    client = client_for(coordinator)  # e.g. signed in before the app was set up elsewhere
    response = client.get(reverse("reviews:all"))
    assert response["Location"] == f"{reverse('login')}?next=/reviews/all/"
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Sign in again with a code from your authenticator app." in page


def test_the_requirement_leaves_peers_free(required, client_for, peer):
    assert client_for(peer).get(reverse("reviews:dashboard")).status_code == 200


def test_without_the_requirement_coordinators_need_no_app(client_for, coordinator):
    assert client_for(coordinator).get(reverse("reviews:all")).status_code == 200


def test_the_code_step_is_in_dutch_too(client, peer):
    enrol(peer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = sign_in_with_password(client, peer).content.decode()
    assert "vul de code in die hij voor Critical Friend toont" in html
    assert "Een herstelcode gebruiken" in html


def test_someone_with_an_app_cannot_add_a_second_one(client_for, peer):
    enrol(peer)
    client = client_for(peer)  # a session begun without a code
    assert client.get(reverse("two_factor:setup"))["Location"] == reverse("two_factor:profile")
    response = client.post(reverse("two_factor:setup"), {"setup_view-current_step": "welcome"})
    assert response["Location"] == reverse("two_factor:profile")
    assert TOTPDevice.objects.filter(user=peer).count() == 1
