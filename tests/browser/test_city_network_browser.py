"""One city against the network and its trend, in the demo network: a coordinator opens
Leipzig's page, follows to its comparison, sees its 2025 review beside the programme's
other published reviews and the trend since 2023; a signed-in reader outside every review
sees the same published material and nothing unpublished. axe on every page; every page
also passes the 820 px check of conftest.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cities.models import City
from reviews.demo import DEMO_PASSWORD, EARLIER_REVIEW_TITLE, REPORTED_REVIEW_TITLE, load_demo
from tests.conftest import new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leipzig(db):
    call_command("load_benchmarks", verbosity=0)
    load_demo(today=timezone.localdate())
    return City.objects.get(name="Leipzig")


def test_coordinator_follows_a_citys_page_to_its_comparison_and_trend(
    page, live_server, sign_in, leipzig, assert_accessible
):
    sign_in(page, "coordinator@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cities/{leipzig.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="The city against the network, and its trend").click()
    expect(page.get_by_role("heading", name="Leipzig against the network", level=1)).to_be_visible()
    section = page.locator("section[id^=network-]")
    expect(section).to_have_count(1)
    expect(section).to_contain_text(REPORTED_REVIEW_TITLE)
    expect(page.get_by_role("img", name="Leipzig against the network, per group")).to_be_visible()
    expect(section.locator("table.network-table")).to_contain_text("network")
    trend = page.locator("#trend")
    expect(trend).to_contain_text(EARLIER_REVIEW_TITLE)
    expect(trend.get_by_role("heading", name="Top 5 improved")).to_be_visible()
    expect(trend.get_by_role("heading", name="Top 5 of concern")).to_be_visible()
    expect(trend.locator("#improved li").first).to_contain_text("→")
    expect(page.get_by_role("img", name="The top improved indicators")).to_be_visible()
    assert_accessible(page)


def test_reader_outside_the_reviews_sees_only_published_ratings(
    page, live_server, sign_in, leipzig, assert_accessible
):
    new_user(email="reader@example.org", name="Rita Reader", password=DEMO_PASSWORD)
    sign_in(page, "reader@example.org", DEMO_PASSWORD)
    rotterdam = City.objects.get(name="Rotterdam")  # its review is not published
    page.goto(f"{live_server.url}/cities/{rotterdam.pk}/")
    page.get_by_role("link", name="The city against the network, and its trend").click()
    expect(page.locator("#no-network")).to_be_visible()
    expect(page.locator("#no-trend")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/compare/cities/{leipzig.pk}/")
    expect(page.locator("section[id^=network-]")).to_contain_text(REPORTED_REVIEW_TITLE)
    expect(page.locator("#trend")).to_contain_text(EARLIER_REVIEW_TITLE)
    assert_accessible(page)
