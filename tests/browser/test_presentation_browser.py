"""The demo network on a tablet and in Dutch: the top bar folds into a menu, the language
menu shows whole names, long words wrap instead of widening the page, and overdue rows keep
their links readable (axe). Every page here also passes the 820 px check of conftest.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reviews.demo import (
    DEMO_PASSWORD,
    DEMO_REVIEW_TITLE,
    REPORTED_REVIEW_TITLE,
    VISIT_REVIEW_TITLE,
    load_demo,
)
from reviews.models import BackgroundSection, Evidence, HostResponse, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "Integratie" + "beleidsmonitoring" * 117 + "X2000"


@pytest.fixture
def demo(db):
    call_command("load_benchmarks", verbosity=0)
    load_demo(today=timezone.localdate())
    return {
        title: Review.objects.get(title=title)
        for title in (DEMO_REVIEW_TITLE, VISIT_REVIEW_TITLE, REPORTED_REVIEW_TITLE)
    }


def test_on_a_tablet_the_top_bar_is_a_menu_with_every_item(page, live_server, sign_in, demo):
    page.set_viewport_size({"width": 820, "height": 1180})
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(sign_out).to_be_visible()
    expect(page.get_by_role("link", name="Clara Dupont")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_be_visible()


def test_the_dutch_top_bar_fits_a_laptop_and_names_languages_whole(
    page, live_server, sign_in, demo, assert_accessible
):
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", name="Mijn reviews")).to_be_visible()
    for width in (1366, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        bar = page.get_by_role("navigation", name="Hoofdmenu")
        # One row (a menu below 1400 px), nothing wider than the screen.
        assert bar.evaluate("el => el.offsetHeight") < 70, width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    select = page.get_by_label("Taal")
    assert select.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(select.locator("option")).to_have_text(["English", "Nederlands"])
    expect(page.get_by_role("link", name="Peer review of Antwerp 2026")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('cities')}")
    expect(page.get_by_role("link", name="Antwerpen")).to_be_visible()
    expect(page.get_by_text("België").first).to_be_visible()
    assert_accessible(page)


def test_overdue_rows_keep_their_links_readable(
    page, live_server, sign_in, demo, assert_accessible
):
    # The demo's review in step 3 has missed its inception deadline.
    rotterdam = demo[DEMO_REVIEW_TITLE]
    rotterdam.inception_due = timezone.localdate() - datetime.timedelta(days=3)
    rotterdam.save()
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reviews:all')}")
    expect(page.locator(".table-danger a").first).to_be_visible()
    assert_accessible(page)
    # On a tablet the plan's table scrolls sideways in a box the keyboard can reach.
    reported = demo[REPORTED_REVIEW_TITLE]
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server.url}{reverse('reviews:action_plan', args=[reported.pk])}")
    assert_accessible(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "host4@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reviews:action_plan', args=[reported.pk])}")
    expect(page.locator(".table-danger a").first).to_be_visible()
    assert_accessible(page)


def test_a_very_long_word_wraps_on_every_page_that_shows_it(
    page, live_server, sign_in, demo, assert_accessible
):
    rotterdam, antwerp, leipzig = (
        demo[DEMO_REVIEW_TITLE],
        demo[VISIT_REVIEW_TITLE],
        demo[REPORTED_REVIEW_TITLE],
    )
    BackgroundSection.objects.filter(report__review=rotterdam).update(text=f"Port. {LONG_WORD}")
    Evidence.objects.filter(pk=antwerp.evidence.first().pk).update(text=f"Said: {LONG_WORD}")
    HostResponse.objects.filter(recommendation__section__report__review=leipzig).update(
        first_actions=f"First: {LONG_WORD}"
    )
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    for url in (
        reverse("reviews:inception_read", args=[rotterdam.pk]),
        reverse("reviews:evidence", args=[antwerp.pk]),
        reverse("reviews:action_plan", args=[leipzig.pk]),
    ):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_text("X2000", exact=False).first).to_be_visible()
        assert_accessible(page)
