"""Steps 2 and 3 in the browser: a coordinator opens a review and forms the team;
a host writes and submits the inception report; a peer reads it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Membership, Review
from tests.conftest import PDF_BYTES, small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"
# From today, so that the date checks see a training, then a visit, both ahead.
TRAINING = timezone.localdate() + datetime.timedelta(days=30)
VISIT = timezone.localdate() + datetime.timedelta(days=60)


def test_coordinator_opens_a_review_and_forms_the_team(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    make_user(email="coord@example.org", password=PASSWORD, is_coordinator=True)
    make_user(email="fc@example.org", name="Fatima Chahid", city=make_city(name="Ghent"))
    make_user(email="local@example.org", name="Local Officer", city=rotterdam)
    import_version(small_benchmark_data(), publish=True)

    sign_in(page, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="All reviews", exact=True).click()
    page.get_by_role("link", name="Open a new review").click()
    page.get_by_label("Title").fill("Peer review of Rotterdam 2027")
    page.get_by_label("Host city").select_option(label="Rotterdam (Netherlands)")
    page.get_by_label("Benchmark version").select_option(label="Benchmark mini v1")
    page.get_by_label("Visit from").fill(VISIT.isoformat())
    page.get_by_label("Visit to").fill((VISIT + datetime.timedelta(days=3)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Open the review").click()

    expect(page.get_by_role("heading", name="Scope of the review")).to_be_visible()
    page.get_by_label("AA Alpha").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the scope").click()
    expect(page.get_by_text("The review covers 2 indicators.")).to_be_visible()

    page.get_by_role("link", name="Team and training", exact=True).click()
    expect(page.get_by_text("The team has no team leader yet.")).to_be_visible()
    page.get_by_label("Person").select_option(label="Local Officer (Rotterdam)")
    page.get_by_role("radio", name=re.compile("^Peer:")).check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(
        page.get_by_role("link", name="Person: Local Officer works for Rotterdam, the host city")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Person").select_option(label="Fatima Chahid (Ghent)")
    page.get_by_role("radio", name=re.compile("^Team leader:")).check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Fatima Chahid joined the review.")).to_be_visible()

    page.get_by_role("link", name="Record a training session").click()
    page.get_by_label("Date").fill(TRAINING.isoformat())
    page.get_by_label("Place").fill("Brussels")
    page.get_by_label("Fatima Chahid").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Trained: 1 of 1 peers")).to_be_visible()
    review = Review.objects.get(title="Peer review of Rotterdam 2027")
    assert review.memberships.get().user.name == "Fatima Chahid"


def test_host_writes_and_submits_and_a_peer_reads(
    page, second_page, live_server, sign_in, make_user, make_city, tmp_path, assert_accessible
):
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    host = make_user(email="host@example.org", password=PASSWORD, city=rotterdam, name="Anouk")
    peer = make_user(email="peer@example.org", password=PASSWORD, name="Mikko")
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
    )
    Membership.objects.create(review=review, user=host, role="host", is_host_lead=True)
    Membership.objects.create(review=review, user=peer, role="peer")
    diagram = tmp_path / "structure.pdf"
    diagram.write_bytes(PDF_BYTES)

    sign_in(page, "host@example.org", PASSWORD)
    page.get_by_role("link", name="Review of Rotterdam").click()
    page.get_by_role("link", name="Step 3: Inception report").click()
    page.get_by_role("link", name="Inception report", exact=True).click()
    assert_accessible(page)

    page.get_by_role("link", name="Role and structure of the municipality").click()
    page.get_by_label("Text").fill("The city council has **45 members**.")
    page.get_by_label("Attach a file (optional)").set_input_files(str(diagram))
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved: Role and structure of the municipality.")).to_be_visible()

    page.get_by_role("link", name="AA Alpha").click()
    first = page.locator("fieldset", has_text="AA/X/1")
    first.get_by_label("Self-rating").select_option(label="Above the benchmark")
    first.get_by_label("What has been achieved").fill("A strategic plan since 2023.")
    first.get_by_label("Evidence").fill("Council decision 2023/114.")
    second = page.locator("fieldset", has_text="AA/Y/1")
    second.get_by_label("What is still aspiration").fill("Targets per district.")
    assert_accessible(page)
    page.get_by_role("button", name="Save this group").click()
    expect(page.get_by_text("Saved 2 indicators of Alpha.")).to_be_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Inception report"
    ).click()
    expect(page.get_by_text("1 of 3 indicators assessed in full")).to_be_visible()
    page.get_by_role("button", name="Submit the inception report").click()
    expect(page.get_by_text("The inception report is submitted.")).to_be_visible()

    sign_in(second_page, "peer@example.org", PASSWORD)
    second_page.get_by_role("button", name="Open The inception report").click()
    expect(second_page.get_by_role("heading", name="Inception report of Rotterdam")).to_be_visible()
    expect(second_page.get_by_text("A strategic plan since 2023.")).to_be_visible()
    expect(second_page.locator("strong", has_text="45 members")).to_be_visible()
    expect(second_page.get_by_role("link", name="structure.pdf")).to_be_visible()
    assert_accessible(second_page)
