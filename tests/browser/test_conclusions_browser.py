"""The team leader drafts a conclusion, both peers agree, the list locks and the leader
records the preliminary feedback given to the city."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Membership, Review
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_conclusions_agreed_and_feedback_recorded(
    page, second_page, live_server, sign_in, make_user, make_city, assert_accessible
):
    leader = make_user(email="leader@example.org", password=PASSWORD, name="Jan Berg")
    peer = make_user(email="peer@example.org", password=PASSWORD, name="Fatima Chahid")
    review = Review.objects.create(
        title="Review of Antwerp",
        host_city=make_city(name="Antwerp"),
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=7,
    )
    Membership.objects.create(review=review, user=leader, role="team_leader")
    Membership.objects.create(review=review, user=peer, role="peer")

    sign_in(page, "leader@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{review.pk}/conclusions/")
    page.get_by_role("textbox", name="Conclusion").fill(
        "Strong political leadership; monitoring is weak."
    )
    page.get_by_label("AA Alpha").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Every peer now agrees or dissents")).to_be_visible()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Record my position").click()
    assert_accessible(page)

    sign_in(second_page, "peer@example.org", PASSWORD)
    second_page.goto(f"{live_server.url}/reviews/{review.pk}/conclusions/")
    second_page.get_by_label("I agree").check()
    second_page.get_by_role("button", name="Record my position").click()
    expect(
        second_page.get_by_text("Every peer agrees: the conclusions are locked.").first
    ).to_be_visible()

    page.reload()
    page.get_by_label("Presented on").fill(timezone.localdate().isoformat())
    page.get_by_label("Preliminary observations presented").fill("Three strengths, two concerns.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The preliminary feedback to the city is recorded.")).to_be_visible()
    assert_accessible(page)
