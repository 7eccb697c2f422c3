"""A demo peer signs in, opens the demo review, sees the seven steps, switches to Dutch."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.demo import DEMO_PASSWORD, DEMO_REVIEW_TITLE, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_sees_dashboard_review_steps_and_dutch(page, live_server, sign_in, assert_accessible):
    load_demo(today=timezone.localdate())
    sign_in(page, "peer2@example.org", DEMO_PASSWORD)

    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
    row = page.get_by_role("row", name=DEMO_REVIEW_TITLE)
    expect(row).to_contain_text("Peer")
    assert_accessible(page)

    page.get_by_role("link", name=DEMO_REVIEW_TITLE).click()
    expect(page.get_by_role("heading", name=DEMO_REVIEW_TITLE, level=1)).to_be_visible()
    steps = page.locator("ol.step-list > li")
    expect(steps).to_have_count(7)
    expect(page.get_by_role("link", name="Step 3: Inception report")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Step 7: Feedback report").click()
    expect(page.get_by_role("link", name="Key conclusions on site")).to_be_visible()
    expect(page.get_by_role("link", name="Feedback report", exact=True)).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_label("Language").select_option("nl")
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="De zeven stappen")).to_be_visible()
    expect(page.get_by_role("link", name="Stap 3: Startrapport")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mijn reviews").first.click()
    expect(page.get_by_role("heading", name="Mijn reviews")).to_be_visible()
    assert_accessible(page)
