"""During the visit a peer goes from the timetable straight to the evidence form with the
interview already chosen, records an entry, and deletes it again through the page that says
which entry goes and who can restore it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Evidence, Membership, ProposedInterviewee, Review, VisitSession
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"
TEXT = "The integration office has four staff, funded until 2028."
ENTRY = "AA/Y/1 - Interview 2 - FC & JB"


def test_peer_records_from_the_timetable_and_deletes_through_the_confirmation(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    peer = make_user(
        email="peer@example.org", password=PASSWORD, name="Fatima Chahid", initials="FC"
    )
    leader = make_user(email="leader@example.org", name="Jan Berg", initials="JB")
    review = Review.objects.create(
        title="Review of Antwerp",
        host_city=make_city(name="Antwerp"),
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=5,
        visit_start="2027-03-02",
        visit_end="2027-03-03",
    )
    Membership.objects.create(review=review, user=peer, role="peer")
    Membership.objects.create(review=review, user=leader, role="team_leader")
    head = ProposedInterviewee.objects.create(
        review=review, name="Lotte Peeters", organisation="Integration office", kind="staff"
    )
    for hour in (9, 11):
        session = VisitSession.objects.create(
            review=review,
            kind="interview",
            starts_at=f"2027-03-02T{hour:02d}:00:00Z",
            ends_at=f"2027-03-02T{hour:02d}:45:00Z",
        )
        session.peers.set([peer, leader])
        session.interviewees.set([head])
        session.indicators.set(review.benchmark_version.indicators.filter(code="AA/Y/1"))
    second = review.visit_sessions.get(number=2)

    sign_in(page, "peer@example.org", PASSWORD)
    page.get_by_role("link", name="Review of Antwerp").click()
    page.get_by_role("link", name="Step 5: Site visit").click()
    page.get_by_role("link", name="Visit timetable").click()
    expect(page.get_by_role("heading", name="Visit timetable", level=1)).to_be_visible()
    assert_accessible(page)

    # From the second interview on the grid: the form opens with that session chosen.
    page.get_by_role("link", name="Record evidence from Interview 2").click()
    expect(page.get_by_role("heading", name="Record evidence", level=1)).to_be_visible()
    expect(page.get_by_text("Current session: Interview 2")).to_be_visible()
    expect(page.get_by_label("Session", exact=True)).to_have_value(str(second.pk))
    assert_accessible(page)
    page.get_by_label("AA/Y/1 Indicator text 1").check()
    page.get_by_label("Finding").fill(TEXT)
    page.get_by_label("Meets or exceeds the benchmark").check()
    page.get_by_label("Fact backed by evidence").check()
    page.get_by_role("button", name="Record and add the next").click()
    expect(page.get_by_role("status")).to_contain_text(f"Recorded: {ENTRY}")
    entry = Evidence.objects.get()
    assert entry.session == second

    # The list; Delete leads to the confirmation, which changes nothing by itself.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Evidence").click()
    expect(page.get_by_role("table")).to_contain_text(TEXT)
    page.get_by_role("link", name=f"Delete {ENTRY}").click()
    expect(page.get_by_role("heading", name="Delete this evidence entry?", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Evidence entry {ENTRY}: 1 indicator")
    expect(main).to_contain_text(f"Finding: {TEXT}")
    expect(main).to_contain_text("Interview 2 and its other entries stay.")
    expect(main).to_contain_text("It can be restored by the team leader")
    assert_accessible(page)
    entry.refresh_from_db()
    assert entry.deleted_at is None

    # Cancel goes back with nothing deleted; Confirm deletes and names the entry.
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("table")).to_contain_text(TEXT)
    page.get_by_role("link", name=f"Delete {ENTRY}").click()
    page.get_by_role("button", name="Delete the entry").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Evidence entry {ENTRY} deleted. The team leader can restore it."
    )
    expect(page.get_by_role("table")).to_contain_text("No evidence matches.")
    assert_accessible(page)
    entry.refresh_from_db()
    assert entry.deleted_at is not None and entry.deleted_by == peer
