"""A peer writes a desk review for one pillar beside the host's self-assessment, asks the
host a question, submits, and then sees the team view; the host answers the question."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Membership, Review, SelfAssessment
from reviews.services import submit_inception_report
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_peer_desk_review_and_host_answer(
    page, second_page, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    host = make_user(email="host@example.org", password=PASSWORD, city=rotterdam, name="Anouk")
    peer = make_user(email="peer@example.org", password=PASSWORD, name="Mikko")
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=4,
    )
    Membership.objects.create(review=review, user=host, role="host")
    Membership.objects.create(review=review, user=peer, role="peer")
    SelfAssessment.objects.create(
        report=review.inception_report,
        indicator=review.benchmark_version.indicators.get(code="AA/X/1"),
        achieved="A strategic plan since 2023.",
    )
    submit_inception_report(review=review, by=host, reason="The rest follows.")

    sign_in(page, "peer@example.org", PASSWORD)
    page.get_by_role("link", name="Review of Rotterdam").click()
    page.get_by_role("link", name="Step 4: Desk review").click()
    page.get_by_role("link", name="Desk review", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="AA Alpha").click()
    first = page.locator("fieldset", has_text="AA/X/1")
    expect(first.get_by_text("A strategic plan since 2023.")).to_be_visible()
    first.get_by_label("Performance").select_option(label="More information needed")
    first.get_by_label("Hypothesis to test on the visit").fill(
        "The plan exists; its monitoring is unclear."
    )
    first.get_by_label("Questions to ask").fill("Who monitors the plan, and how often?")
    first.get_by_label("Send these questions to the host city").check()
    second = page.locator("fieldset", has_text="AA/Y/1")
    second.get_by_label("Performance").select_option(label="Below the benchmark")
    second.get_by_label("Hypothesis to test on the visit").fill("No budget line for integration.")
    assert_accessible(page)
    page.get_by_role("button", name="Save this group").click()
    expect(page.get_by_text("Saved 2 indicators of Alpha.")).to_be_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Desk review"
    ).click()
    page.get_by_role("link", name="Submit my desk review").click()
    expect(page.get_by_role("heading", name="Submit your desk review?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit my desk review").click()
    expect(page.get_by_text("Your desk review is submitted.")).to_be_visible()
    page.get_by_role("link", name="AA Alpha").click()
    expect(page.get_by_role("heading", name="Team view: Alpha")).to_be_visible()
    expect(page.get_by_text("No budget line for integration.")).to_be_visible()
    assert_accessible(page)

    sign_in(second_page, "host@example.org", PASSWORD)
    second_page.get_by_role(
        "button", name="Open The review team of Review of Rotterdam asks you"
    ).click()
    expect(
        second_page.locator("strong", has_text="Who monitors the plan, and how often?")
    ).to_be_visible()
    assert_accessible(second_page)
    second_page.get_by_role("link", name="Answer Who monitors the plan").click()
    second_page.get_by_label("Answer").fill("The integration board, every quarter.")
    second_page.get_by_role("button", name="Send the answer").click()
    expect(second_page.get_by_text("The integration board, every quarter.")).to_be_visible()
    assert_accessible(second_page)
