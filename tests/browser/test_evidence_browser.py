"""A peer records three entries from two interviews in a row without leaving the entry page;
the indicator turns confirmed on the overview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Membership, ProposedInterviewee, Review, VisitSession
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_peer_records_evidence_and_an_indicator_is_confirmed(
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
        current_step=6,
    )
    Membership.objects.create(review=review, user=peer, role="peer")
    Membership.objects.create(review=review, user=leader, role="team_leader")
    chair = ProposedInterviewee.objects.create(
        review=review, name="Jonas Claes", organisation="Alderman", kind="politician"
    )
    for hour in (10, 11):
        session = VisitSession.objects.create(
            review=review,
            kind="interview",
            starts_at=f"2027-03-02T{hour}:00:00Z",
            ends_at=f"2027-03-02T{hour}:45:00Z",
        )
        session.peers.set([peer, leader])
        session.interviewees.set([chair])
        session.indicators.set(review.benchmark_version.indicators.filter(code="AA/Y/1"))

    sign_in(page, "peer@example.org", PASSWORD)
    page.get_by_role("link", name="Review of Antwerp").click()
    page.get_by_role("link", name="Step 6: Evaluation of evidence").click()
    page.get_by_role("link", name="Record evidence").click()
    page.get_by_role("link", name="Interview 1", exact=True).click()
    expect(page.get_by_text("Current session: Interview 1")).to_be_visible()
    assert_accessible(page)

    entries = [
        (
            "Interview 1",
            "The alderman chairs a yearly integration summit.",
            "Fact backed by evidence",
        ),
        ("Interview 1", "He thinks the budget is too small.", "Opinion of the interviewee"),
        ("Interview 2", "Summit reports for 2023 and 2024 exist.", "Fact backed by evidence"),
    ]
    for label, text, basis in entries:
        page.get_by_label("Session", exact=True).select_option(label=label)
        page.get_by_label("AA/Y/1 Indicator text 1").check()
        page.get_by_label("Finding").fill(text)
        page.get_by_label("Meets or exceeds the benchmark").check()
        page.get_by_label(basis).check()
        page.get_by_role("button", name="Record and add the next").click()
        expect(page.get_by_text(f"Recorded: AA/Y/1 - {label} - FC & JB")).to_be_visible()
        expect(page.get_by_label("Session", exact=True)).to_have_value(
            str(review.visit_sessions.get(number=int(label[-1])).pk)
        )
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Evidence").click()
    page.get_by_role("link", name="Overview by indicator").click()
    chip = page.locator(".status-chip", has_text="AA/Y/1")
    expect(chip).to_contain_text("Meets or exceeds the benchmark")
    expect(page.locator(".status-chip", has_text="AA/X/1")).to_contain_text("no evidence")
    assert_accessible(page)
    chip.click()
    expect(page.get_by_text("2 interviews, confirmed")).to_be_visible()
    assert_accessible(page)
