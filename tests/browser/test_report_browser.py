"""Step 7 in the browser: a peer writes a finding (an unconfirmed citation is refused), the
leader freezes a version, every peer approves it, the host city checks the facts and the
team answers, the leader makes it final and publishes it; the host opens it and accepts
two recommendations with owners and deadlines."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import (
    Evidence,
    FeedbackReport,
    HostResponse,
    Membership,
    Recommendation,
    Review,
    VisitSession,
)
from reviews.services.feedback_report import ensure_report
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def _review(make_user, make_city):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    leader = make_user(
        email="leader@example.org", password=PASSWORD, name="Jan Berg", initials="JB"
    )
    peer = make_user(
        email="peer@example.org", password=PASSWORD, name="Fatima Chahid", initials="FC"
    )
    host = make_user(email="host@example.org", password=PASSWORD, name="Anouk Host", city=rotterdam)
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
        current_step=7,
    )
    Membership.objects.create(review=review, user=leader, role="team_leader")
    Membership.objects.create(review=review, user=peer, role="peer")
    Membership.objects.create(review=review, user=host, role="host", is_host_lead=True)
    indicators = list(review.indicators_in_scope())
    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    for n, text in enumerate(["Budget line since 2024.", "Finance confirms the budget line."]):
        session = VisitSession.objects.create(
            review=review,
            kind="interview",
            starts_at=f"2027-03-01T{9 + n:02d}:00:00Z",
            ends_at=f"2027-03-01T{10 + n:02d}:00:00Z",
        )
        session.peers.set([leader, peer])
        entry = Evidence.objects.create(
            review=review, session=session, text=text, colour=colour, author=peer
        )
        entry.indicators.set([indicators[0]])
        entry.interviewers.set([leader, peer])
    # One interview only, on the group's second indicator: not confirmed.
    lonely = Evidence.objects.create(
        review=review, session=session, text="Only one interview saw a helpdesk.", colour=colour
    )
    lonely.indicators.set([indicators[1]])
    report = ensure_report(review)
    section = report.sections.get(group=indicators[0].group)
    for n, (text, actor) in enumerate(
        [
            ("Publish the integration budget every year.", "Finance department"),
            ("Name an owner for every target of the plan.", "Integration office"),
        ]
    ):
        rec = Recommendation.objects.create(
            section=section,
            order=n,
            text=text,
            priority="high",
            timeframe="12m",
            actor=actor,
            measure="A yearly report",
        )
        rec.indicators.set([indicators[0]])
    return review, section


def test_report_approved_checked_published_and_answered(
    page, second_page, browser, live_server, sign_in, make_user, make_city, assert_accessible
):
    review, section = _review(make_user, make_city)
    base = f"{live_server.url}/reviews/{review.pk}"

    # The leader asks the peer to write the Alpha section.
    sign_in(page, "leader@example.org", PASSWORD)
    page.goto(f"{base}/report/")
    page.get_by_label("AA Alpha").select_option(label="Fatima Chahid")
    page.get_by_role("button", name="Save the assignments").click()
    expect(page.get_by_text("Who writes what is saved.")).to_be_visible()
    expect(page.get_by_role("row", name="AA Alpha Fatima Chahid")).to_be_visible()
    assert_accessible(page)

    # A peer writes a finding; citing the unconfirmed fact is refused with the reason.
    sign_in(second_page, "peer@example.org", PASSWORD)
    second_page.goto(f"{base}/report/sections/{section.pk}/")
    assert_accessible(second_page)
    second_page.get_by_role("link", name="Add a finding").click()
    second_page.get_by_label("Strength").check()
    second_page.get_by_role("textbox", name="Finding").fill("The city funds integration yearly.")
    second_page.get_by_label("Only one interview saw a helpdesk.").check()
    second_page.get_by_role("button", name="Save").click()
    expect(second_page.get_by_text("is not confirmed").first).to_be_visible()
    assert_accessible(second_page)
    second_page.get_by_label("Only one interview saw a helpdesk.").uncheck()
    second_page.get_by_label("Budget line since 2024.").check()
    second_page.get_by_label("Finance confirms the budget line.").check()
    second_page.get_by_role("button", name="Save").click()
    expect(second_page.get_by_text("The finding is saved.")).to_be_visible()

    # A second thought, written and then removed again.
    second_page.get_by_role("link", name="Add a finding").click()
    second_page.get_by_label("Good practice").check()
    second_page.get_by_role("textbox", name="Finding").fill("A draft thought to drop.")
    second_page.get_by_label("Finance confirms the budget line.").check()
    second_page.get_by_role("button", name="Save").click()
    expect(second_page.get_by_text("A draft thought to drop.").first).to_be_visible()
    second_page.get_by_role("link", name="Remove A draft thought to drop.").click()
    expect(second_page.get_by_role("heading", name="Remove this finding?")).to_be_visible()
    expect(second_page.get_by_role("main")).to_contain_text(
        "Good practice in AA Alpha: A draft thought to drop."
    )
    assert_accessible(second_page)
    second_page.get_by_role("button", name="Remove it").click()
    expect(
        second_page.get_by_text("Removed the finding “A draft thought to drop.” from AA Alpha.")
    ).to_be_visible()
    expect(second_page.locator("article", has_text="A draft thought to drop.")).to_have_count(0)
    assert_accessible(second_page)

    # The leader freezes version 1 and approves it.
    page.goto(f"{base}/report/")
    page.get_by_role("link", name="Freeze a version for approval").click()
    page.get_by_role("button", name="Freeze version 1").click()
    expect(page.get_by_text("Version 1 is frozen.")).to_be_visible()
    page.get_by_label("I approve this version").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("You approved version 1.")).to_be_visible()
    assert_accessible(page)

    # The peer reads and approves it.
    second_page.goto(f"{base}/report/versions/1/")
    expect(second_page.get_by_text("The city funds integration yearly.")).to_be_visible()
    assert_accessible(second_page)
    second_page.goto(f"{base}/report/")
    second_page.get_by_label("I approve this version").check()
    second_page.get_by_role("button", name="Record my decision").click()
    expect(second_page.get_by_text("You approved version 1.")).to_be_visible()

    # The host city checks the facts; the peer answers.
    page.reload()
    page.get_by_role("link", name="Send this version to the host city").click()
    page.get_by_role("button", name="Send it to the host city").click()
    expect(page.get_by_text("the host city can now comment on factual errors.")).to_be_visible()
    host_page = browser.new_context().new_page()
    sign_in(host_page, "host@example.org", PASSWORD)
    host_page.goto(f"{base}/report/factual/")
    host_page.get_by_label("Section").select_option(label="Summary")
    host_page.get_by_role("textbox", name="Factual error").fill("The budget started in 2023.")
    host_page.get_by_role("button", name="Send the comment").click()
    expect(host_page.get_by_text("Your comment is sent to the team.")).to_be_visible()
    assert_accessible(host_page)

    page.goto(f"{base}/report/factual/")
    page.get_by_label("The team's answer").fill("Corrected: the year is left out.")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Your answer is saved.")).to_be_visible()
    page.get_by_role("link", name="Close the round").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("The factual-accuracy round is closed.")).to_be_visible()

    # Final, then published by the team leader.
    page.goto(f"{base}/report/")
    page.get_by_role("link", name="Make this version final").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make version 1 final").click()
    expect(page.get_by_text("Version 1 is the final report.")).to_be_visible()
    page.get_by_role("link", name="Publish to the host city").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish to the host city").click()
    expect(page.get_by_text("The report is published to the host city.")).to_be_visible()
    assert_accessible(page)
    assert FeedbackReport.objects.get(review=review).is_published

    # The host opens the published report and accepts two recommendations.
    host_page.goto(f"{base}/steps/7/")
    host_page.get_by_role("link", name="Final report").click()
    expect(
        host_page.get_by_text("Publish the integration budget every year.").first
    ).to_be_visible()
    assert_accessible(host_page)
    host_page.get_by_role("link", name="Respond to the recommendations").click()
    deadline = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    for number, owner in ((1, "Mrs. De Vries"), (2, "Mr. Jansen")):
        host_page.get_by_role("link", name=f"Answer recommendation {number}", exact=True).click()
        host_page.get_by_label("Accept", exact=True).check()
        host_page.get_by_label("Owner").fill(owner)
        host_page.get_by_label("Deadline").fill(deadline)
        host_page.get_by_label("First actions").fill("Appoint a project lead.")
        host_page.get_by_role("button", name="Save the response").click()
        expect(
            host_page.get_by_text(f"Your response to recommendation {number} is saved.")
        ).to_be_visible()
    assert_accessible(host_page)
    answers = HostResponse.objects.order_by("recommendation__number")
    assert [(a.decision, a.owner) for a in answers] == [
        ("accept", "Mrs. De Vries"),
        ("accept", "Mr. Jansen"),
    ]
    host_page.context.close()
