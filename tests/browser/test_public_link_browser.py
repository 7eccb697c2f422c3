"""After publication: the team leader records the presentation to the city; a coordinator
creates a public read link, someone without an account reads the report there, and the
coordinator withdraws the link again."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import FeedbackReport, Membership, Review
from tests.conftest import small_benchmark_data
from tests.test_follow_up import publish_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_presentation_recorded_and_public_link_shared_and_withdrawn(
    page, second_page, browser, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    leader = make_user(email="leader@example.org", password=PASSWORD, name="Jan Berg")
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=7,
    )
    Membership.objects.create(review=review, user=leader, role="team_leader")
    publish_report(review, by=leader, recommendations=2)
    final = f"{live_server.url}/reviews/{review.pk}/report/final/"

    sign_in(page, "leader@example.org", PASSWORD)
    page.goto(final)
    page.get_by_role("link", name="Record the presentation").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # date and audience needed
    page.get_by_label("Presented on").fill(timezone.localdate().isoformat())
    page.get_by_label("Audience").fill("City staff, partners and press")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The presentation to the city is recorded.")).to_be_visible()
    expect(page.get_by_text("City staff, partners and press")).to_be_visible()

    sign_in(second_page, "coord@example.org", PASSWORD)
    second_page.goto(final)
    second_page.get_by_role("link", name="Create a public link").click()
    expect(second_page.get_by_role("main")).to_contain_text("without signing in")
    assert_accessible(second_page)
    second_page.get_by_role("button", name="Create the public link").click()
    link = second_page.get_by_role("link", name="/reviews/public/")
    expect(link).to_be_visible()
    assert_accessible(second_page)
    public_url = link.get_attribute("href")

    visitor = browser.new_context().new_page()
    visitor.goto(public_url)
    expect(
        visitor.get_by_role("heading", name="Feedback report of the peer review of Rotterdam")
    ).to_be_visible()
    expect(
        visitor.get_by_text("Set up a monitoring board for integration, step 1.").first
    ).to_be_visible()
    assert_accessible(visitor)

    second_page.get_by_role("link", name="Withdraw the public link").click()
    expect(second_page.get_by_role("main")).to_contain_text(public_url)
    assert_accessible(second_page)
    second_page.get_by_role("button", name="Withdraw the link").click()
    expect(second_page.get_by_role("link", name="Create a public link")).to_be_visible()
    assert FeedbackReport.objects.get(review=review).public_token == ""
    response = visitor.goto(public_url)
    assert response.status == 404
    visitor.context.close()
