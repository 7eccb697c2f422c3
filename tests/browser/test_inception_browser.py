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
    page.get_by_role("link", name="Submit the inception report").click()
    page.get_by_label("Reason for submitting it as it is").fill("The other sections follow in May.")
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("The inception report is submitted.")).to_be_visible()

    sign_in(second_page, "peer@example.org", PASSWORD)
    second_page.get_by_role("button", name="Open The inception report").click()
    expect(second_page.get_by_role("heading", name="Inception report of Rotterdam")).to_be_visible()
    expect(second_page.get_by_text("A strategic plan since 2023.")).to_be_visible()
    expect(second_page.locator("strong", has_text="45 members")).to_be_visible()
    expect(second_page.get_by_role("link", name="structure.pdf")).to_be_visible()
    assert_accessible(second_page)


def _host_review(make_user, make_city):
    """A host and a review of the small benchmark (AA: AA/X/1 and AA/Y/1; BB: BB/X/1)."""
    rotterdam = make_city(name="Rotterdam", country="Netherlands")
    host = make_user(email="host@example.org", password=PASSWORD, city=rotterdam, name="Anouk")
    review = Review.objects.create(
        title="Review of Rotterdam",
        host_city=rotterdam,
        benchmark_version=import_version(small_benchmark_data(), publish=True),
    )
    Membership.objects.create(review=review, user=host, role="host", is_host_lead=True)
    return review


def _open_inception_report(page) -> None:
    page.get_by_role("link", name="Review of Rotterdam").click()
    page.get_by_role("link", name="Step 3: Inception report").click()
    page.get_by_role("link", name="Inception report", exact=True).click()


def test_a_file_on_one_indicator_does_not_stop_saving_another(
    page, live_server, sign_in, make_user, make_city, tmp_path, assert_accessible
):
    """Issue 12: once a file was attached, "Save this group" sent nothing (a form per
    file sat inside the group's form) and "Remove" posted the whole group instead."""
    _host_review(make_user, make_city)
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF_BYTES)
    sign_in(page, "host@example.org", PASSWORD)
    _open_inception_report(page)
    page.get_by_role("link", name="AA Alpha").click()
    first = page.locator("fieldset", has_text="AA/X/1")
    first.get_by_label("Attach a document").set_input_files(str(plan))
    page.get_by_role("button", name="Save this group").click()
    expect(page.get_by_text("Saved 1 indicator of Alpha.")).to_be_visible()
    expect(first.get_by_role("link", name="plan.pdf", exact=True)).to_be_visible()

    second = page.locator("fieldset", has_text="AA/Y/1")
    second.get_by_label("What is still aspiration").fill("Targets per district.")
    assert_accessible(page)
    page.get_by_role("button", name="Save this group").click()
    expect(page.get_by_text("Saved 1 indicator of Alpha.")).to_be_visible()
    page.reload()
    expect(second.get_by_label("What is still aspiration")).to_have_value("Targets per district.")
    expect(first.get_by_role("link", name="plan.pdf", exact=True)).to_be_visible()

    # Removing asks first, naming the file, and posts nothing of the group.
    first.get_by_role("link", name="Remove plan.pdf").click()
    expect(page.get_by_role("heading", name="Remove plan.pdf?")).to_be_visible()
    expect(page.get_by_text("It is attached to the self-assessment of AA/X/1.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove plan.pdf").click()
    expect(page.get_by_text("Removed plan.pdf.")).to_be_visible()
    expect(first.get_by_role("link", name="plan.pdf", exact=True)).to_have_count(0)
    expect(second.get_by_label("What is still aspiration")).to_have_value("Targets per district.")


def test_an_incomplete_report_is_submitted_only_with_a_reason_shown_in_its_history(
    page, live_server, sign_in, make_user, make_city, assert_accessible
):
    _host_review(make_user, make_city)
    sign_in(page, "host@example.org", PASSWORD)
    _open_inception_report(page)
    page.get_by_role("link", name="AA Alpha").click()
    first = page.locator("fieldset", has_text="AA/X/1")
    first.get_by_label("Self-rating").select_option(label="Above the benchmark")
    first.get_by_label("What has been achieved").fill("A strategic plan since 2023.")
    page.get_by_role("button", name="Save this group").click()
    expect(page.get_by_text("Saved 1 indicator of Alpha.")).to_be_visible()
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Inception report"
    ).click()

    page.get_by_role("link", name="Submit the inception report").click()
    expect(page.get_by_role("heading", name="The report is not complete")).to_be_visible()
    expect(page.get_by_text("7 background sections not written")).to_be_visible()
    expect(page.get_by_text("2 of 3 indicators without a self-rating")).to_be_visible()
    expect(page.get_by_text("3 of 3 indicators without evidence")).to_be_visible()
    expect(
        page.get_by_text("Not given: who wrote it, and how; political involvement.")
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="AA/X/1: missing evidence")).to_be_visible()
    expect(page.get_by_role("link", name="Budgets for integration")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Submit anyway").click()
    reason = page.get_by_label("Reason for submitting it as it is")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_reason_error")).to_have_text(
        "The report is not complete: say why you submit it as it is."
    )
    assert_accessible(page)
    reason.fill("The budgets follow after the council's vote in May.")
    page.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_text("The inception report is submitted.")).to_be_visible()
    history = page.get_by_role("heading", name="History").locator("xpath=following-sibling::ul[1]")
    expect(history).to_contain_text(
        "Anouk submitted the inception report (The budgets follow after the council's vote in May.)"
    )
    assert_accessible(page)
