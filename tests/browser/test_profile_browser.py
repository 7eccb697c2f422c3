"""A signed-in peer opens the profile from the navbar, is stopped by invalid input, then
changes initials, role and language: the interface turns Dutch. The city they work for is
shown, not editable (a coordinator sets it). From the profile the peer changes the password
and signs in with the new one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cities.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"
NEW_PASSWORD = "another-quay-phrase-77"


def field(label: str) -> re.Pattern:
    """A form label as crispy renders it, with an asterisk on required fields."""
    return re.compile(rf"^\s*{re.escape(label)}\W*$")


def test_peer_edits_the_profile_and_the_interface_turns_dutch(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    make_city(name="Antwerp", country="Belgium")
    user = make_user(
        email="fatima@example.org", password=PASSWORD, name="Fatima Chahid", initials="FC"
    )

    sign_in(page, "fatima@example.org", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Fatima Chahid").click()
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()
    expect(page.get_by_text("fatima@example.org")).to_be_visible()
    expect(page.get_by_text("A coordinator sets it")).to_be_visible()
    expect(page.get_by_label(field("City"))).to_have_count(0)
    assert_accessible(page)

    # Invalid input: an empty name and initials that are not capitals. Each error sits next
    # to its field, the summary links to it, and nothing is saved.
    page.get_by_label(field("Full name")).fill("")
    page.get_by_label(field("Initials")).fill("F.C.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#div_id_name")).to_contain_text("This field is required.")
    expect(page.locator("#div_id_initials")).to_contain_text("Use one to four capital letters")
    expect(page.get_by_label(field("Full name"))).to_have_class(re.compile("is-invalid"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("Full name"))).to_have_attribute(
        "href", "#id_name"
    )
    expect(page.get_by_label(field("Initials"))).to_have_value("F.C.")
    assert_accessible(page)
    user.refresh_from_db()
    assert (user.name, user.initials, user.city) == ("Fatima Chahid", "FC", None)

    page.get_by_label(field("Full name")).fill("Fatima Chahid")
    page.get_by_label(field("Initials")).fill("fz")
    page.get_by_label(field("Role in the city")).select_option(label="Contributor")
    page.get_by_label(field("Preferred language")).select_option(label="Nederlands")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("status")).to_contain_text("Je profiel is opgeslagen.")
    expect(page.get_by_role("heading", name="Mijn profiel", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Mijn reviews")).to_be_visible()
    expect(nav.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.get_by_label(field("Initialen"))).to_have_value("FZ")
    assert_accessible(page)
    user.refresh_from_db()
    assert (user.initials, user.city, user.city_role, user.preferred_language) == (
        "FZ",
        None,
        "contributor",
        "nl",
    )

    nav.get_by_role("link", name="Mijn reviews").click()
    expect(page.get_by_role("heading", name="Mijn reviews")).to_be_visible()
    assert_accessible(page)

    # The password change page is linked from the profile.
    nav.get_by_role("link", name="Fatima Chahid").click()
    page.get_by_role("link", name="Wijzig je wachtwoord").click()
    expect(page.get_by_role("heading", name="Wijzig je wachtwoord", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(field("Oud wachtwoord")).fill("not-my-password")
    page.get_by_label(field("Nieuw wachtwoord")).fill(NEW_PASSWORD)
    page.get_by_label(field("Nieuw wachtwoord bevestigen")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label(field("Oud wachtwoord"))).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#div_id_old_password .invalid-feedback")).to_be_visible()
    assert_accessible(page)
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)

    page.get_by_label(field("Oud wachtwoord")).fill(PASSWORD)
    page.get_by_label(field("Nieuw wachtwoord")).fill(NEW_PASSWORD)
    page.get_by_label(field("Nieuw wachtwoord bevestigen")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Wachtwoord gewijzigd", level=1)).to_be_visible()
    expect(page.get_by_text("Je nieuwe wachtwoord is in gebruik.")).to_be_visible()
    assert_accessible(page)

    nav.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill("fatima@example.org")
    page.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/reviews/")
    expect(page.get_by_role("heading", name="Mijn reviews")).to_be_visible()
    assert_accessible(page)
