"""A coordinator answers an interviewee's request: finds her across reviews, reads what the
app holds on her, and pseudonymises her after the confirmation page; axe on every page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Evidence, Membership, Review, ReviewEvent
from tests.conftest import build_review_work, new_city
from tests.test_follow_up import publish_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"


def test_coordinator_finds_an_interviewee_reads_her_data_and_pseudonymises_her(
    page, live_server, sign_in, make_user, assert_accessible
):
    make_user(
        email="coord@example.org", password=PASSWORD, name="Clara Coordinator", is_coordinator=True
    )
    review = Review.objects.create(
        title="Review of Rotterdam", host_city=new_city(name="Rotterdam")
    )
    people = {
        role: make_user(email=f"{role}@example.org", name=f"{role.title()} Person")
        for role in ("host", "peer", "team_leader")
    }
    for role, user in people.items():
        Membership.objects.create(review=review, user=user, role=role)
    work = build_review_work(review, **people)
    Evidence.objects.filter(review=review).update(text="Ayse Demir said the council meets yearly.")
    publish_report(
        review, by=people["team_leader"], published_at=timezone.now() - datetime.timedelta(days=60)
    )

    sign_in(page, "coord@example.org", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_text("Retention ends on")).to_be_visible()
    page.get_by_role("link", name="Privacy", exact=True).click()
    expect(page.get_by_role("heading", name="Privacy: the people interviewed")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name, or part of it").fill("demir")
    page.get_by_role("button", name="Search every review").click()
    expect(page.get_by_role("cell", name="Ayse Demir", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="What the app holds (Ayse Demir, Review of Rotterdam)").click()

    expect(page.get_by_role("heading", name="What the app holds on Ayse Demir")).to_be_visible()
    expect(page.get_by_text("Ayse Demir said the council meets yearly.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Pseudonymise this person").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    expect(page.get_by_text("becomes “Immigrant organisation 1”")).to_be_visible()
    assert_accessible(page)
    assert not ReviewEvent.objects.filter(review=review).exists()  # nothing changed yet

    page.get_by_role("button", name="Pseudonymise for good").click()
    expect(page.get_by_text("The interviewee is now “Immigrant organisation 1”")).to_be_visible()
    expect(
        page.get_by_role("heading", name="What the app holds on Immigrant organisation 1")
    ).to_be_visible()
    assert_accessible(page)
    work["person"].refresh_from_db()
    assert (work["person"].name, work["person"].contact) == ("Immigrant organisation 1", "")

    page.get_by_role("link", name="Personal data of the interviewees").click()
    expect(page.get_by_text("pseudonymised an interviewee on request")).to_be_visible()
    assert_accessible(page)
