"""Signing in by e-mail, signing out, password change and reset, the profile."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from cities.models import User
from tests.signing_in import password_step


def test_sign_in_with_email_in_any_case(client, make_user):
    make_user(email="jan@example.org", password="a-long-pass-phrase")
    response = client.post(reverse("login"), password_step("JAN@Example.org", "a-long-pass-phrase"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:dashboard")
    assert client.get(reverse("reviews:dashboard")).status_code == 200


def test_wrong_password_shows_an_error_and_keeps_the_email(client, make_user):
    make_user(email="jan@example.org", password="a-long-pass-phrase")
    response = client.post(reverse("login"), password_step("jan@example.org", "nope"))
    assert response.status_code == 200
    assert "correct e-mail address and password" in response.content.decode()
    assert 'value="jan@example.org"' in response.content.decode()


def test_repeated_failures_lock_the_account_for_a_while(client, make_user, settings):
    make_user(email="jan@example.org", password="a-long-pass-phrase")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), password_step("jan@example.org", "wrong"))
    response = client.post(reverse("login"), password_step("jan@example.org", "a-long-pass-phrase"))
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_sign_out_needs_post_and_ends_the_session(client_for, peer):
    client = client_for(peer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("reviews:dashboard"))["Location"].startswith(reverse("login"))


def test_password_change(client_for, peer):
    client = client_for(peer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "brand-new-phrase-42",
            "new_password2": "brand-new-phrase-42",
        },
    )
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.check_password("brand-new-phrase-42")


def test_password_reset_sends_a_link_that_sets_a_new_password(client, make_user):
    user = make_user(email="jan@example.org")
    response = client.post(reverse("password_reset"), {"email": "jan@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-phrase-2026", "new_password2": "reset-phrase-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("reset-phrase-2026")


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_saves_name_initials_and_language_but_never_the_city(client_for, peer, host_city):
    client = client_for(peer)
    response = client.post(
        reverse("profile"),
        {
            "name": "Fatima C.",
            "initials": "fc",
            "city": host_city.pk,
            "city_role": "contributor",
            "preferred_language": "nl",
        },
    )
    assert response.status_code == 302
    peer.refresh_from_db()
    # The city a person works for decides conflicts of interest: a coordinator sets it.
    assert (peer.name, peer.initials, peer.city, peer.preferred_language) == (
        "Fatima C.",
        "FC",
        None,
        "nl",
    )
    page = client.get(reverse("profile"))
    assert 'lang="nl"' in page.content.decode()
    assert "Mijn profiel" in page.content.decode()
    assert 'name="city"' not in page.content.decode()


def test_profile_rejects_bad_initials_next_to_the_field(client_for, peer):
    client = client_for(peer)
    response = client.post(
        reverse("profile"),
        {"name": "Fatima", "initials": "F.C.", "city": "", "preferred_language": "en"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use one to four capital letters" in html
    assert 'href="#id_initials"' in html  # error summary links to the field
    assert 'value="Fatima"' in html  # what the person typed is kept
    assert User.objects.get(pk=peer.pk).initials == "FC"


def test_preferred_language_applies_after_sign_in(client, make_user):
    make_user(email="nl@example.org", password="a-long-pass-phrase", preferred_language="nl")
    client.post(reverse("login"), password_step("nl@example.org", "a-long-pass-phrase"))
    page = client.get(reverse("reviews:dashboard"))
    assert "Mijn reviews" in page.content.decode()


def test_behind_a_proxy_one_visitors_failures_do_not_lock_out_another(client, make_user, settings):
    """With TRUSTED_PROXIES the lock follows the visitor's address, not the proxy's."""
    settings.TRUSTED_PROXIES = 1
    make_user(email="jan@example.org", password="a-long-pass-phrase")
    make_user(email="eva@example.org", password="another-long-phrase")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            password_step("nobody@example.org", "wrong"),
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            **proxy,
        )
    locked = client.post(
        reverse("login"),
        password_step("eva@example.org", "another-long-phrase"),
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert locked.status_code == 429
    # A forged first entry does not help the attacker: the proxy's own entry counts.
    forged = client.post(
        reverse("login"),
        password_step("eva@example.org", "another-long-phrase"),
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
        **proxy,
    )
    assert forged.status_code == 429
    other = client.post(
        reverse("login"),
        password_step("jan@example.org", "a-long-pass-phrase"),
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert other.status_code == 302
