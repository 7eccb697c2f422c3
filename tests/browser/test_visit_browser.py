"""The team leader plans two interviews and sees an indicator's coverage warning go once it
has its second session; a double booking is refused on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Membership, ProposedInterviewee, Review
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_team_leader_plans_interviews(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    leader = make_user(
        email="leader@example.org", password=PASSWORD, name="Jan Berg", initials="JB"
    )
    peer = make_user(email="peer@example.org", name="Fatima Chahid", initials="FC")
    data = small_benchmark_data()
    review = Review.objects.create(
        title="Review of Antwerp",
        host_city=make_city(name="Antwerp"),
        benchmark_version=import_version(data, publish=True),
        visit_start="2027-03-01",
        visit_end="2027-03-02",
        current_step=5,
    )
    review.scope.set(review.benchmark_version.indicators.filter(code="AA/X/1"))
    Membership.objects.create(review=review, user=leader, role="team_leader")
    Membership.objects.create(review=review, user=peer, role="peer")
    ProposedInterviewee.objects.create(
        review=review, name="Jonas Claes", organisation="Alderman", kind="politician"
    )

    sign_in(page, "leader@example.org", PASSWORD)
    page.get_by_role("link", name="Review of Antwerp").click()
    page.get_by_role("link", name="Step 5: Site visit").click()
    page.get_by_role("link", name="Visit timetable").click()
    expect(page.get_by_text("AA/X/1 is covered by 0 sessions:")).to_be_visible()
    assert_accessible(page)

    for start, expected in (
        ("2027-03-01T10:00", "Saved Interview 1."),
        ("2027-03-01T11:00", "Saved Interview 2."),
    ):
        page.get_by_role("link", name="Add a session").click()
        page.get_by_label("Starts").fill(start)
        page.get_by_label("Jan Berg").check()
        page.get_by_label("Fatima Chahid").check()
        page.get_by_label("Jonas Claes (Alderman)").check()
        page.get_by_label("AA/X/1 Indicator text 0").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text(expected)).to_be_visible()
        if expected.endswith("1."):
            expect(page.get_by_text("AA/X/1 is covered by 1 session:")).to_be_visible()
    expect(page.locator(".coverage-warning")).to_have_count(0)
    expect(page.get_by_text("No warnings")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Starts").fill("2027-03-01T10:30")
    page.get_by_label("Jan Berg").check()
    page.get_by_label("Fatima Chahid").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_role("link", name="Peers: Jan Berg is already booked from 10:00 to 11:00.")
    ).to_be_visible()
    assert_accessible(page)
