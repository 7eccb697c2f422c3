"""A coordinator moves a review on (the confirmation lists what the step still lacks) and
back a step with a reason, which the review's history shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Membership
from reviews.steps import HOST, PEER, TEAM_LEADER
from tests.conftest import new_city, new_review, new_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase"


def test_coordinator_moves_a_review_on_after_seeing_what_it_lacks_and_back_with_a_reason(
    page, live_server, sign_in, assert_accessible, make_benchmark
):
    rotterdam = new_city(name="Rotterdam", country="Netherlands")
    review = new_review(
        title="Review of Rotterdam",
        host_city=rotterdam,
        current_step=3,
        benchmark_version=make_benchmark(),
    )
    new_user(email="coord@example.org", password=PASSWORD, name="Clara Coord", is_coordinator=True)
    for name, role, city in (
        ("Anouk Host", HOST, rotterdam),
        ("Jan Berg", TEAM_LEADER, new_city(name="Ghent")),
        ("Fatima Chahid", PEER, new_city(name="Antwerp")),
    ):
        Membership.objects.create(review=review, user=new_user(name=name, city=city), role=role)

    sign_in(page, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="All reviews", exact=True).click()
    page.get_by_role("link", name="Review of Rotterdam").click()
    page.get_by_role("link", name="Move the review to the next step").click()

    expect(page.get_by_role("heading", name="Step 3 still lacks")).to_be_visible()
    expect(
        page.get_by_text("The host city has not submitted its inception report.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Move the review to step 4").click()
    # Not ticked: nothing moved, the box is pointed at.
    expect(
        page.get_by_text("Tick the box to move on although this step is incomplete.").first
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I know what this step still lacks").check()
    page.get_by_role("button", name="Move the review to step 4").click()
    expect(page.get_by_text("The review moved to step 4: Desk review.")).to_be_visible()
    expect(page.get_by_text("Clara Coord moved the review on to step 4.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Move the review back a step").click()
    expect(page.get_by_role("heading", name="Move the review back a step")).to_be_visible()
    page.get_by_role("button", name="Move the review back to step 3").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    assert_accessible(page)
    page.get_by_label("Why does the review go back a step?").fill(
        "The host city sent the wrong file; it resubmits the inception report."
    )
    page.get_by_role("button", name="Move the review back to step 3").click()
    expect(page.get_by_text("The review moved back to step 3: Inception report.")).to_be_visible()
    history = page.get_by_role("list").filter(has_text="moved the review back to step 3")
    expect(history).to_contain_text("Clara Coord moved the review back to step 3.")
    expect(history).to_contain_text(
        "Reason: The host city sent the wrong file; it resubmits the inception report."
    )
    assert_accessible(page)
    review.refresh_from_db()
    assert review.current_step == 3
