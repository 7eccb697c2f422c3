"""Every destructive or one-way action confirms first (core/confirm.py): its URL answers GET
with a page that names what goes or becomes final and who can undo it, and changes nothing;
the POST does it, and the message afterwards names exactly what went."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkVersion, Indicator
from reviews.models import (
    DeskReview,
    DeskReviewEntry,
    Evidence,
    FactualComment,
    Finding,
    Membership,
    Notification,
    Recommendation,
    ReportApproval,
    ReportVersion,
    VisitSession,
)
from reviews.models.feedback_report import FeedbackReport
from reviews.services import desk_review_for, submit_inception_report
from reviews.services.feedback_report import ensure_report
from reviews.services.report_content import build_content

ENTRY = "AA/X/1 - Interview 1 - FC &amp; JB"


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def confirm_button(html: str) -> str:
    """The Confirm button of a confirmation page ("" when it has none)."""
    start = html.find('<form method="post" novalidate>')
    if start < 0:
        return ""
    end = html.index("</form>", start)
    button = html.index('<button type="submit"', start, end)
    return html[html.index(">", button) + 1 : html.index("</button>", button)]


def messages_of(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="messages" role="status">')
    return html[start : html.index("</div>\n    \n", start)]


def url(name, review, *args) -> str:
    return reverse(f"reviews:{name}", args=[review.pk, *args])


# --- Step 6: an evidence entry ---------------------------------------------------------------


def test_deleting_an_evidence_entry_names_the_entry_and_who_restores_it(
    client_for, peer, review_work, review
):
    entry = review.evidence.get()
    client = client_for(peer)
    html = page(client, url("evidence_delete", review, entry.pk))
    assert "Delete this evidence entry?" in html
    assert f"Evidence entry {ENTRY}: 1 indicator" in html
    assert "Finding: The plan is monitored yearly." in html
    assert "It can be restored by the team leader" in html
    assert confirm_button(html) == "Delete the entry"
    assert f'href="{url("evidence", review)}">Cancel</a>' in html
    assert review.evidence.live().count() == 1  # the GET changed nothing

    response = client.post(url("evidence_delete", review, entry.pk), follow=True)
    said = messages_of(response)
    assert f"Evidence entry {ENTRY} deleted. The team leader can restore it." in said
    assert "Interview 1 deleted" not in said and "Deleted Interview 1" not in said
    assert not review.evidence.live().exists()


def test_restoring_names_the_entry_too(client_for, peer, team_leader, review_work, review):
    entry = review.evidence.get()
    entry.soft_delete(by=peer)
    response = client_for(team_leader).post(url("evidence_restore", review, entry.pk), follow=True)
    assert f"Evidence entry {ENTRY} restored." in messages_of(response)


def test_the_confirmation_warns_when_the_report_cites_the_entry(
    client_for, peer, report_draft, review
):
    entry = review.evidence.get()
    Finding.objects.get().evidence.add(entry)
    html = page(client_for(peer), url("evidence_delete", review, entry.pk))
    assert "One finding of the feedback report cites it" in html


# --- Step 5: a visit session ---------------------------------------------------------------


@pytest.fixture
def empty_session(review_work, review, peer, team_leader):
    session = VisitSession.objects.create(
        review=review,
        kind="interview",
        starts_at="2027-03-01T13:00:00Z",
        ends_at="2027-03-01T14:00:00Z",
    )
    session.peers.set([peer, team_leader])
    session.interviewees.set([review_work["person"]])
    session.indicators.set(review.indicators_in_scope()[:2])
    return session


def test_removing_a_session_lists_who_and_what_it_takes_off_the_timetable(
    client_for, team_leader, review, empty_session
):
    client = client_for(team_leader)
    target = url("session_delete", review, empty_session.pk)
    html = page(client, target)
    assert "Remove Interview 2 from the timetable?" in html
    assert "Interview 2, Mon 1 Mar 14:00–15:00" in html  # Europe/Amsterdam
    assert "Peers: Fatima Peer, Jan Leader" in html
    assert "Interviewees: Ayse Demir" in html
    assert "2 indicators planned: AA/X/1, AA/X/2" in html
    assert "This cannot be undone" in html
    assert confirm_button(html) == "Remove the session"
    assert VisitSession.objects.filter(pk=empty_session.pk).exists()

    response = client.post(target, follow=True)
    assert "Removed Interview 2, Mon 1 Mar 14:00–15:00 from the timetable." in messages_of(response)
    assert not VisitSession.objects.filter(pk=empty_session.pk).exists()


def test_a_session_with_evidence_says_why_it_stays_and_offers_no_confirm(
    client_for, team_leader, review_work, review
):
    interview = review.visit_sessions.get(kind="interview")
    html = page(client_for(team_leader), url("session_delete", review, interview.pk))
    assert "1 evidence entry is recorded against Interview 1, so it stays" in html
    assert confirm_button(html) == ""


# --- Step 7: findings, recommendations, versions, the factual round, final, published ------


def test_removing_a_finding_names_it_and_warns_of_a_new_version(
    client_for, peer, report_draft, review
):
    finding = Finding.objects.get()
    section = finding.section
    target = url("report_finding_delete", review, section.pk, finding.pk)
    client = client_for(peer)
    html = page(client, target)
    assert "Remove this finding?" in html
    assert "Strength in AA Alpha: Leadership is strong." in html
    assert "Version 1 waits for approval: this change starts a new version" in html
    assert confirm_button(html) == "Remove it"
    assert Finding.objects.exists()
    assert ReportVersion.objects.get().state == ReportVersion.FROZEN

    response = client.post(target, follow=True)
    assert "Removed the finding “Leadership is strong.” from AA Alpha." in messages_of(response)
    assert not Finding.objects.exists()


def test_removing_a_recommendation_names_its_number(client_for, peer, report_draft, review):
    rec = Recommendation.objects.get()
    target = url("report_rec_delete", review, rec.section_id, rec.pk)
    client = client_for(peer)
    html = page(client, target)
    assert "Remove recommendation 1?" in html
    assert "Recommendation 1 in AA Alpha: Measure every target yearly." in html
    assert "Who acts: Integration office; indicators: AA/X/1" in html
    assert Recommendation.objects.exists()
    response = client.post(target, follow=True)
    assert "Removed recommendation 1 from AA Alpha." in messages_of(response)
    assert not Recommendation.objects.exists()


def test_freezing_shows_what_is_frozen_and_what_is_missing(
    client_for, team_leader, review_work, review
):
    ensure_report(review)
    client = client_for(team_leader)
    html = page(client, url("report_freeze", review))
    assert "Freeze version 1 for approval?" in html
    assert "Summary: empty" in html
    assert "AA Alpha: no evaluation, 0 findings, 0 recommendations" in html
    assert "The summary is empty." in html and "AA Alpha has no evaluation yet." in html
    assert "Every peer of the team then approves it" in html
    assert not ReportVersion.objects.exists()
    client.post(url("report_freeze", review))
    assert ReportVersion.objects.get().number == 1


def _approved(review, peer, team_leader, *, round_open: bool) -> FeedbackReport:
    """Version 1 frozen and approved by the whole team; its round open or not held yet."""
    report = ensure_report(review)
    version = report.freeze(by=team_leader, content=build_content(review, report))
    for person in (peer, team_leader):
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    if round_open:
        report.factual_round_version = version
        report.factual_round_opened_at = timezone.now()
        report.save()
    return report


def test_sending_to_the_host_city_names_who_reads_it(
    client_for, team_leader, peer, host, review_work, review
):
    report = _approved(review, peer, team_leader, round_open=False)
    client = client_for(team_leader)
    html = page(client, url("report_factual_open", review))
    assert "Send version 1 to the host city?" in html
    assert "The host city: Anouk Host" in html
    assert "close the round at any time, and open it again" in html
    report.refresh_from_db()
    assert report.factual_round_opened_at is None
    response = client.post(url("report_factual_open", review), follow=True)
    assert "Version 1 is sent: the host city can now comment" in messages_of(response)
    report.refresh_from_db()
    assert report.factual_round_open


def test_an_open_round_is_not_sent_again(client_for, team_leader, report_draft, review):
    html = page(client_for(team_leader), url("report_factual_open", review))
    assert "The factual-accuracy round is already open." in html
    assert confirm_button(html) == ""


def test_closing_the_round_counts_the_comments(client_for, team_leader, report_draft, review):
    client = client_for(team_leader)
    html = page(client, url("report_factual_close", review))
    assert "Close the factual-accuracy round?" in html
    assert "1 comment from the host city" in html and "1 not answered yet" in html
    assert "open the round again" in html
    report_draft.refresh_from_db()
    assert report_draft.factual_round_open
    client.post(url("report_factual_close", review))
    report_draft.refresh_from_db()
    assert not report_draft.factual_round_open


def test_making_final_lists_what_is_missing_and_offers_no_confirm_until_ready(
    client_for, team_leader, peer, report_draft, review
):
    client = client_for(team_leader)
    html = page(client, url("report_finalise", review))
    assert "Make version 1 the final report?" in html
    assert "Not every peer has approved version 1" in html
    assert "The factual-accuracy round is still open." in html
    assert confirm_button(html) == ""

    version = report_draft.pending_version
    for person in (peer, team_leader):
        ReportApproval.objects.create(version=version, peer=person, approves=True)
    FactualComment.objects.update(answer="Fixed.")
    report_draft.factual_round_closed_at = timezone.now()
    report_draft.save()
    html = page(client, url("report_finalise", review))
    assert "What becomes final" in html
    assert "Approved by: " in html and "Fatima Peer" in html and "Jan Leader" in html
    assert "1 factual comment of the host city, answered" in html
    assert "Until it is published, a coordinator can reopen it" in html
    assert confirm_button(html) == "Make version 1 final"
    assert ReportVersion.objects.get().state == ReportVersion.FROZEN
    client.post(url("report_finalise", review))
    assert ReportVersion.objects.get().state == ReportVersion.FINAL


@pytest.fixture
def final(review_work, review, peer, team_leader):
    report = _approved(review, peer, team_leader, round_open=True)
    report.factual_round_closed_at = timezone.now()
    report.save()
    report.make_final(by=team_leader)
    return report


def test_a_coordinator_reopens_a_final_report_before_publication(
    client_for, coordinator, team_leader, peer, final, review
):
    client = client_for(coordinator)
    assert "Reopen the report for changes" in page(client, url("report_final", review))
    html = page(client, url("report_reopen", review))
    assert "Reopen the final report?" in html
    assert "Version 1: final → waiting for approval" in html
    assert ReportVersion.objects.get().state == ReportVersion.FINAL
    Notification.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url("report_reopen", review), follow=True)
    assert "Version 1 is no longer final" in messages_of(response)
    version = ReportVersion.objects.get()
    assert version.state == ReportVersion.FROZEN and version.approvals.count() == 2
    assert set(Notification.objects.values_list("user", flat=True)) == {peer.pk, team_leader.pk}
    # The team can now make it final again.
    client_for(team_leader).post(url("report_finalise", review))
    assert ReportVersion.objects.get().state == ReportVersion.FINAL


@pytest.mark.parametrize("who", ["team_leader", "peer", "host"])
def test_only_coordinators_reopen_a_final_report(client_for, cast, who, final, review):
    client = client_for(cast[who])
    assert client.get(url("report_reopen", review)).status_code == 403
    assert client.post(url("report_reopen", review)).status_code == 403
    if who == "team_leader":
        assert "Reopen the report for changes" not in page(client, url("report_final", review))


def test_a_published_report_cannot_be_reopened(client_for, coordinator, final, review):
    final.publish(by=coordinator)
    assert client_for(coordinator).get(url("report_reopen", review)).status_code == 403


def test_publishing_names_the_version_and_who_is_told(client_for, coordinator, host, final, review):
    client = client_for(coordinator)
    html = page(client, url("report_publish", review))
    assert "Publish the final report to the host city?" in html
    assert "Version 1, final" in html
    assert "the host city (Anouk Host)" in html
    assert "Publishing cannot be withdrawn" in html
    final.refresh_from_db()
    assert not final.is_published
    response = client.post(url("report_publish", review), follow=True)
    assert "Version 1 is what the city reads." in messages_of(response)
    final.refresh_from_db()
    assert final.is_published


def test_withdrawing_the_public_link_shows_the_link_that_stops(
    client_for, coordinator, final, review
):
    final.publish(by=coordinator)
    final.new_public_token()
    final.save(update_fields=["public_token"])
    client = client_for(coordinator)
    html = page(client, url("report_share", review), action="revoke")
    assert "Withdraw the public link?" in html
    assert reverse("reports:public_report", args=[final.public_token]) in html
    assert "A coordinator can create a new public link" in html
    final.refresh_from_db()
    assert final.public_token
    client.post(url("report_share", review), {"action": "revoke"})
    final.refresh_from_db()
    assert final.public_token == ""


# --- Step 2: the team --------------------------------------------------------------------


def test_removing_a_member_says_what_they_keep_and_lose(
    client_for, coordinator, peer, review_work, review
):
    membership = Membership.objects.get(user=peer)
    client = client_for(coordinator)
    html = page(client, url("team_remove", review, membership.pk))
    assert "Remove Fatima Peer from the review?" in html
    assert "Fatima Peer, Peer" in html
    assert "What they wrote stays: 1 evidence entry." in html
    assert "They are planned as a peer in 1 visit session" in html
    assert "A coordinator can add them again" in html
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url("team_remove", review, membership.pk), follow=True)
    assert "Fatima Peer (Peer) is removed from the review." in messages_of(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_team_leader_says_the_team_has_none(
    client_for, coordinator, team_leader, review_work, review
):
    membership = Membership.objects.get(user=team_leader)
    html = page(client_for(coordinator), url("team_remove", review, membership.pk))
    assert "The team has no leader until a coordinator appoints one." in html


# --- Step 4: desk reviews ------------------------------------------------------------------


@pytest.fixture
def submitted(review_work, review, host):
    submit_inception_report(review=review, by=host, reason="Submitted for the test.")
    return review


def test_submitting_a_desk_review_lists_the_indicators_not_done(
    client_for, peer, submitted, review
):
    desk = desk_review_for(review=review, peer=peer)
    DeskReviewEntry.objects.create(
        desk_review=desk,
        indicator=review.benchmark_version.indicators.get(code="AA/X/1"),
        performance=review.benchmark_version.ratingscales.get(purpose="performance").levels.first(),
        hypothesis="They consult rarely.",
    )
    client = client_for(peer)
    html = page(client, url("desk_review_submit", review))
    assert "Submit your desk review?" in html
    assert "AA Alpha: 1 of 3 indicators done" in html
    assert "AA/Y/1: no rating or hypothesis yet" in html
    assert "AA/X/1: no rating" not in html
    assert "A coordinator can reopen it for you" in html
    assert not DeskReview.objects.get(peer=peer).is_submitted
    client.post(url("desk_review_submit", review))
    assert DeskReview.objects.get(peer=peer).is_submitted
    # Submitted: the page says so, and a second POST changes nothing and does not fail.
    assert "Your desk review is submitted already." in page(
        client, url("desk_review_submit", review)
    )
    assert client.post(url("desk_review_submit", review)).status_code == 302


def test_a_coordinator_reopens_a_submitted_desk_review_with_a_reason(
    client_for, coordinator, peer, submitted, review
):
    desk = desk_review_for(review=review, peer=peer)
    desk.submit()
    member = Membership.objects.get(user=peer)
    client = client_for(coordinator)
    home = page(client, url("desk_review", review))
    assert url("desk_review_reopen", review, member.pk) in home
    html = page(client, url("desk_review_reopen", review, member.pk))
    assert "Reopen Fatima Peer&#x27;s desk review?" in html
    assert "Why is the desk review reopened?" in html
    desk.refresh_from_db()
    assert desk.is_submitted

    refused = client.post(url("desk_review_reopen", review, member.pk), {"reason": ""})
    assert refused.status_code == 400
    desk.refresh_from_db()
    assert desk.is_submitted

    Notification.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            url("desk_review_reopen", review, member.pk), {"reason": "She rated the wrong city."}
        )
    desk.refresh_from_db()
    assert not desk.is_submitted
    assert Notification.objects.filter(user=peer).exists()
    assert "She rated the wrong city." in desk.history.first().history_change_reason


@pytest.mark.parametrize("who", ["peer", "team_leader", "host"])
def test_only_coordinators_reopen_a_desk_review(client_for, cast, who, submitted, review, peer):
    desk_review_for(review=review, peer=peer).submit()
    member = Membership.objects.get(user=peer)
    client = client_for(cast[who])
    assert client.post(
        url("desk_review_reopen", review, member.pk), {"reason": "x"}
    ).status_code == (403)
    assert DeskReview.objects.get(peer=peer).is_submitted
    if who != "host":
        assert url("desk_review_reopen", review, member.pk) not in page(
            client, url("desk_review", review)
        )


# --- Benchmarks ----------------------------------------------------------------------------


def bench_url(name, version, *args) -> str:
    return reverse(f"benchmarks:{name}", args=[version.benchmark.slug, version.number, *args])


def test_deleting_an_indicator_of_a_draft_names_it(client_for, coordinator, make_benchmark):
    draft = make_benchmark(publish=False)
    indicator = draft.indicators.get(code="AA/X/1")
    client = client_for(coordinator)
    target = bench_url("part_delete", draft, "indicator", indicator.pk)
    html = page(client, target)
    assert "Delete indicator AA/X/1 from draft version 1?" in html
    assert "AA/X/1: Indicator text 0" in html
    assert "Published versions and the reviews that use them are not affected." in html
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    response = client.post(target, follow=True)
    assert "Deleted indicator AA/X/1 from draft version 1." in messages_of(response)
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_a_group_with_indicators_says_why_it_stays(client_for, coordinator, make_benchmark):
    draft = make_benchmark(publish=False)
    group = draft.groups.get(code="AA")
    html = page(client_for(coordinator), bench_url("part_delete", draft, "group", group.pk))
    assert "AA Alpha still has indicators: move or delete them first." in html
    assert confirm_button(html) == ""


def test_publishing_a_benchmark_asks_a_reason_when_someone_has_not_approved(
    client_for, coordinator, benchmark_versions
):
    _published, draft = benchmark_versions
    client = client_for(coordinator)
    target = bench_url("publish", draft)
    html = page(client, target)
    assert "Publish Benchmark mini v2?" in html
    assert "3 indicators in 2 groups" in html
    assert "Not yet approved by: Fatima Peer." in html
    assert "Publishing cannot be undone. A coordinator can start a new version" in html
    assert confirm_button(html) == "Publish and freeze"
    assert not BenchmarkVersion.objects.get(pk=draft.pk).is_published

    refused = client.post(target, {"override_reason": ""})
    assert refused.status_code == 400
    assert "Give a reason to publish anyway" in refused.content.decode()
    assert not BenchmarkVersion.objects.get(pk=draft.pk).is_published
    client.post(target, {"override_reason": "Training starts Monday"})
    assert BenchmarkVersion.objects.get(pk=draft.pk).is_published


# --- A GET never changes anything ------------------------------------------------------------


def _state(review) -> tuple:
    report = FeedbackReport.objects.filter(review=review).first()
    return (
        list(Evidence.objects.values_list("pk", "deleted_at")),
        list(VisitSession.objects.values_list("pk", flat=True)),
        list(Membership.objects.values_list("pk", flat=True)),
        list(DeskReview.objects.values_list("pk", "submitted_at")),
        list(Finding.objects.values_list("pk", flat=True)),
        list(Recommendation.objects.values_list("pk", flat=True)),
        list(ReportVersion.objects.values_list("pk", "state")),
        report
        and (
            report.factual_round_opened_at,
            report.factual_round_closed_at,
            report.published_at,
            report.public_token,
        ),
    )


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("evidence_delete", "peer"),
        ("session_delete", "team_leader"),
        ("team_remove", "coordinator"),
        ("report_finding_delete", "peer"),
        ("report_rec_delete", "peer"),
        ("report_factual_close", "team_leader"),
        ("report_finalise", "team_leader"),
    ],
)
def test_a_get_of_an_action_changes_nothing(client_for, cast, name, who, report_draft, review):
    section = report_draft.sections.first()
    args = {
        "evidence_delete": [review.evidence.get().pk],
        "session_delete": [review.visit_sessions.first().pk],
        "team_remove": [Membership.objects.get(user=cast["peer"]).pk],
        "report_finding_delete": [section.pk, section.findings.get().pk],
        "report_rec_delete": [section.pk, section.recommendations.get().pk],
    }.get(name, [])
    before = _state(review)
    response = client_for(cast[who]).get(url(name, review, *args))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert _state(review) == before


def test_circulating_again_says_whose_approval_unticking_removes(
    client_for, coordinator, peer, benchmark_versions
):
    _published, draft = benchmark_versions
    draft.reviewers.filter(user=peer).update(approved_at=timezone.now())
    html = page(client_for(coordinator), bench_url("circulate", draft))
    assert "Unticking a peer takes the draft away from them, with their approval:" in html
    assert "Fatima Peer approved it on" in html
