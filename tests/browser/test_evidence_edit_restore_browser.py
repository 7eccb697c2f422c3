"""Step 6 after recording: a peer corrects an entry and reads its history, then deletes it;
the team leader restores it from the deleted entries and the peer sees it back. Two people
saving the same entry from the same starting point get the conflict page, not a silent
overwrite."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from benchmarks.services import import_version
from reviews.models import Evidence, Membership, ProposedInterviewee, Review, VisitSession
from tests.conftest import small_benchmark_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase"
OLD_TEXT = "The alderman chairs a yearly integration summit."
NEW_TEXT = "The alderman chairs a yearly integration summit with the migrant council."
LEADER_TEXT = "The deputy mayor chairs the summit."
ENTRY = "AA/Y/1 - Interview 1 - FC & JB"  # the entry by its code, not by its interview


@pytest.fixture
def recorded(make_user, make_city) -> Evidence:
    """A review at step 6 with one interview and one entry the peer recorded in it."""
    peer = make_user(
        email="peer@example.org", password=PASSWORD, name="Fatima Chahid", initials="FC"
    )
    leader = make_user(
        email="leader@example.org", password=PASSWORD, name="Jan Berg", initials="JB"
    )
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
    session = VisitSession.objects.create(
        review=review,
        kind="interview",
        starts_at="2027-03-02T10:00:00Z",
        ends_at="2027-03-02T10:45:00Z",
    )
    session.peers.set([peer, leader])
    session.interviewees.set([chair])
    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    evidence = Evidence.objects.create(
        review=review, session=session, text=OLD_TEXT, colour=colour, author=peer
    )
    evidence.indicators.set(review.benchmark_version.indicators.filter(code="AA/Y/1"))
    evidence.interviewers.set([peer, leader])
    return evidence


def open_evidence_list(page) -> None:
    page.get_by_role("link", name="Review of Antwerp").click()
    page.get_by_role("link", name="Step 6: Evaluation of evidence").click()
    page.get_by_role("link", name="Evidence", exact=True).click()
    expect(page.get_by_role("heading", name="Evidence", level=1)).to_be_visible()


def test_peer_edits_and_deletes_an_entry_and_the_team_leader_restores_it(
    page, second_page, live_server, sign_in, recorded, assert_accessible
):
    sign_in(page, "peer@example.org", PASSWORD)
    open_evidence_list(page)
    table = page.get_by_role("table")
    expect(table).to_contain_text(OLD_TEXT)
    expect(table).to_contain_text("AA/Y/1 - Interview 1 - FC & JB")
    assert_accessible(page)

    # The peer corrects the finding.
    page.get_by_role("link", name=f"Edit {ENTRY}").click()
    expect(page.get_by_role("heading", name="Edit evidence", level=1)).to_be_visible()
    expect(page.get_by_label("Finding")).to_have_value(OLD_TEXT)
    assert_accessible(page)
    page.get_by_label("Finding").fill(NEW_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved: AA/Y/1 - Interview 1 - FC & JB")
    expect(table).to_contain_text(NEW_TEXT)
    assert_accessible(page)

    # The history keeps both texts, newest first.
    page.get_by_role("link", name=f"History {ENTRY}").click()
    expect(page.get_by_role("heading", name=f"History of {ENTRY}", level=1)).to_be_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows.first).to_contain_text("changed")
    expect(rows.first).to_contain_text("Fatima Chahid")
    expect(rows.first).to_contain_text(NEW_TEXT)
    expect(rows.last).to_contain_text("created")
    expect(rows.last).to_contain_text(OLD_TEXT)
    before = rows.count()
    assert_accessible(page)

    # The peer deletes it, through a page that names the entry and who can restore it:
    # gone from the list; only the team leader sees deleted entries.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Evidence").click()
    page.get_by_role("link", name=f"Delete {ENTRY}").click()
    expect(page.get_by_role("heading", name="Delete this evidence entry?", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Evidence entry {ENTRY}: 1 indicator")
    expect(page.get_by_role("main")).to_contain_text("It can be restored by the team leader")
    assert_accessible(page)
    page.get_by_role("button", name="Delete the entry").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Evidence entry {ENTRY} deleted. The team leader can restore it."
    )
    expect(table).to_contain_text("No evidence matches.")
    expect(page.get_by_role("heading", name="Deleted entries")).to_have_count(0)
    assert_accessible(page)
    recorded.refresh_from_db()
    assert recorded.deleted_at is not None

    # The team leader finds it under the deleted entries and restores it.
    sign_in(second_page, "leader@example.org", PASSWORD)
    open_evidence_list(second_page)
    expect(second_page.get_by_role("table")).to_contain_text("No evidence matches.")
    expect(second_page.get_by_role("heading", name="Deleted entries")).to_be_visible()
    deleted = second_page.get_by_role("listitem").filter(has_text="deleted by Fatima Chahid")
    expect(deleted).to_contain_text(ENTRY)
    assert_accessible(second_page)
    deleted.get_by_role("button", name=f"Restore {ENTRY}").click()
    expect(second_page.get_by_role("status")).to_contain_text(f"Evidence entry {ENTRY} restored.")
    expect(second_page.get_by_role("table")).to_contain_text(NEW_TEXT)
    expect(second_page.get_by_role("heading", name="Deleted entries")).to_have_count(0)
    assert_accessible(second_page)

    # The peer sees it back, with the corrected text.
    page.reload()
    expect(table).to_contain_text(NEW_TEXT)
    expect(table).to_contain_text("AA/Y/1 - Interview 1 - FC & JB")
    assert_accessible(page)
    page.get_by_role("link", name=f"History {ENTRY}").click()
    expect(rows).to_have_count(before + 2)
    expect(rows.nth(0)).to_contain_text("restored")
    expect(rows.nth(0)).to_contain_text("Jan Berg")
    expect(rows.nth(0)).to_contain_text(NEW_TEXT)
    expect(rows.nth(1)).to_contain_text("deleted")
    expect(rows.nth(1)).to_contain_text("Fatima Chahid")
    assert_accessible(page)


def test_saving_from_a_stale_form_shows_the_conflict_and_overwrites_nothing(
    page, second_page, live_server, sign_in, recorded, assert_accessible
):
    # Both open the same entry.
    sign_in(second_page, "leader@example.org", PASSWORD)
    open_evidence_list(second_page)
    second_page.get_by_role("link", name=f"Edit {ENTRY}").click()
    expect(second_page.get_by_label("Finding")).to_have_value(OLD_TEXT)

    sign_in(page, "peer@example.org", PASSWORD)
    open_evidence_list(page)
    page.get_by_role("link", name=f"Edit {ENTRY}").click()
    page.get_by_label("Finding").fill(NEW_TEXT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved: AA/Y/1 - Interview 1 - FC & JB")

    # The team leader saves from the form opened before the peer's save.
    second_page.get_by_label("Finding").fill(LEADER_TEXT)
    second_page.get_by_role("button", name="Save", exact=True).click()
    conflict = second_page.locator("#conflict")
    expect(conflict.get_by_role("heading")).to_have_text(
        "Someone else saved this while you were editing"
    )
    expect(conflict).to_contain_text("Nothing was overwritten.")
    finding = conflict.get_by_role("row", name="Finding")
    expect(finding.get_by_role("cell").nth(0)).to_have_text(LEADER_TEXT)
    expect(finding.get_by_role("cell").nth(1)).to_have_text(NEW_TEXT)
    expect(second_page.get_by_label("Finding")).to_have_value(LEADER_TEXT)
    expect(second_page.get_by_role("button", name="Save my version")).to_be_visible()
    assert_accessible(second_page)
    recorded.refresh_from_db()
    assert recorded.text == NEW_TEXT

    # Keeping the saved version leaves the peer's text in place.
    conflict.get_by_role("link", name="Keep the saved version").click()
    expect(second_page.get_by_role("heading", name="Evidence", level=1)).to_be_visible()
    expect(second_page.get_by_role("table")).to_contain_text(NEW_TEXT)
    expect(second_page.get_by_role("table")).not_to_contain_text(LEADER_TEXT)
    assert_accessible(second_page)
    recorded.refresh_from_db()
    assert recorded.text == NEW_TEXT
