"""The host city answers the published report: it accepts two recommendations with owners
and deadlines and finds them in its action plan."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import HostResponse, Membership, Review
from tests.conftest import small_benchmark_data
from tests.test_follow_up import publish_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_host_accepts_two_recommendations_and_sees_its_action_plan(
    page, second_page, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    leader = make_user(email="leader@example.org", password=PASSWORD, name="Jan Berg")
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    host = make_user(email="host@example.org", password=PASSWORD, name="Anouk Host", city=rotterdam)
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=7,
    )
    Membership.objects.create(review=review, user=leader, role="team_leader")
    Membership.objects.create(review=review, user=host, role="host", is_host_lead=True)
    _report, recs = publish_report(review, by=leader, recommendations=3)
    deadline = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()

    sign_in(page, "host@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{review.pk}/response/")
    expect(page.get_by_role("heading", name="Your response to the report")).to_be_visible()
    assert_accessible(page)

    owners = {recs[0].number: "Mrs. De Vries", recs[1].number: "Mr. Jansen"}
    for number, owner in owners.items():
        page.get_by_role("link", name=f"Answer recommendation {number}", exact=True).click()
        page.get_by_label("Accept", exact=True).check()
        page.get_by_label("Owner").fill(owner)
        page.get_by_label("Deadline").fill(deadline)
        page.get_by_label("First actions").fill("Appoint a project lead.")
        assert_accessible(page)
        page.get_by_role("button", name="Save the response").click()
        expect(
            page.get_by_text(f"Your response to recommendation {number} is saved.")
        ).to_be_visible()
    assert_accessible(page)
    assert HostResponse.objects.filter(decision="accept").count() == 2

    page.get_by_role("link", name="See the action plan").click()
    expect(page.get_by_role("heading", name="Action plan of Rotterdam")).to_be_visible()
    commitments = page.get_by_role("table", name="Recommendations the city accepts")
    expect(commitments.get_by_role("cell", name="Mrs. De Vries")).to_be_visible()
    expect(commitments.get_by_role("cell", name="Mr. Jansen")).to_be_visible()
    expect(page.get_by_text("Not answered yet")).to_be_visible()
    assert_accessible(page)

    # Months later the host reports progress on the first commitment.
    first = recs[0].number
    page.get_by_role("link", name=f"record update 1 on recommendation {first}").click()
    assert_accessible(page)
    page.get_by_label("On track").check()
    page.get_by_label("What happened").fill("The project lead started in March.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Progress on recommendation {first} is recorded.")).to_be_visible()
    expect(page.get_by_text("The project lead started in March.")).to_be_visible()

    # The coordinator follows every city's commitments and moves the first update date.
    sign_in(second_page, "coord@example.org", PASSWORD)
    second_page.goto(f"{live_server.url}/reviews/commitments/")
    expect(second_page.get_by_role("cell", name="Review of Rotterdam Rotterdam")).to_be_visible()
    assert_accessible(second_page)
    second_page.get_by_role("link", name="Review of Rotterdam").click()
    second_page.get_by_role("link", name="Set the update dates").click()
    assert_accessible(second_page)
    second_page.get_by_label("First progress update due").fill(deadline)
    second_page.get_by_role("button", name="Save").click()
    expect(second_page.get_by_text("The dates of the progress updates are saved.")).to_be_visible()
