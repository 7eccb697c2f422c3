"""Step 7: the report composer, versions and approvals, the factual-accuracy round,
publication and the presentation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    Evidence,
    FactualComment,
    Finding,
    Notification,
    ProposedInterviewee,
    Recommendation,
    ReportApproval,
    ReportVersion,
    VisitSession,
)
from reviews.models.feedback_report import ReportLocked
from reviews.services.feedback_report import ensure_report
from reviews.services.report_content import build_content

TODAY = timezone.localdate()


@pytest.fixture
def composed(review_work, review, peer, team_leader, host):
    """A review with evidence: GG-ish indicator 1 confirmed by two interviews; indicator 2
    found by one interview only; an opinion; a report with a finding and a recommendation."""
    indicators = list(review.indicators_in_scope())
    first, second = indicators[0], indicators[1]
    colour = review.benchmark_version.ratingscales.get(purpose="evidence").levels.first()
    one = review.visit_sessions.get(kind="interview")
    two = VisitSession.objects.create(
        review=review,
        kind="interview",
        starts_at="2027-03-01T12:00:00Z",
        ends_at="2027-03-01T13:00:00Z",
    )
    two.peers.set([peer, team_leader])

    def entry(session, indicator, text, basis=Evidence.FACT):
        e = Evidence.objects.create(
            review=review, session=session, text=text, colour=colour, author=peer, basis=basis
        )
        e.indicators.set([indicator])
        e.interviewers.set([peer, team_leader])
        return e

    confirmed_a = entry(one, first, "A budget line exists since 2024.")
    confirmed_b = entry(two, first, "The budget line was confirmed by finance.")
    single = entry(one, second, "Only one interview mentioned the helpdesk.")
    opinion = entry(two, first, "The alderman thinks it works.", basis=Evidence.OPINION)
    report = ensure_report(review)
    section = report.sections.get(group=first.group)
    finding = Finding.objects.create(section=section, kind=Finding.STRENGTH, text="Funded.")
    finding.evidence.set([confirmed_a, confirmed_b])
    recommendation = Recommendation.objects.create(
        section=section,
        text="Publish the integration budget every year.",
        priority=Recommendation.HIGH,
        timeframe="12m",
        actor="Finance department",
        measure="A yearly budget annex",
    )
    recommendation.indicators.set([first])
    return {
        "report": report,
        "section": section,
        "finding": finding,
        "recommendation": recommendation,
        "confirmed": [confirmed_a, confirmed_b],
        "single": single,
        "opinion": opinion,
        "first": first,
        "second": second,
    }


def finding_data(composed, evidence, **extra) -> dict:
    data = {"kind": "strength", "text": "A finding", "obstacles": "", "edit_version": 0}
    data["evidence"] = [e.pk for e in evidence]
    data.update(extra)
    return data


def approve_all(report, version, team) -> None:
    for person in team:
        ReportApproval.objects.create(version=version, peer=person, approves=True)


def test_composer_refuses_unconfirmed_evidence_and_says_why(client_for, peer, review, composed):
    url = reverse("reviews:report_finding_add", args=[review.pk, composed["section"].pk])
    before = Finding.objects.count()
    response = client_for(peer).post(
        url, finding_data(composed, [composed["confirmed"][0], composed["single"]])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not confirmed: 1 interview found" in html
    assert "a finding needs 2" in html
    assert Finding.objects.count() == before

    response = client_for(peer).post(url, finding_data(composed, [composed["opinion"]]))
    assert "only facts can back a finding" in response.content.decode()
    assert Finding.objects.count() == before

    response = client_for(peer).post(url, finding_data(composed, composed["confirmed"]))
    assert response.status_code == 302
    saved = Finding.objects.latest("pk")
    assert set(saved.evidence.all()) == set(composed["confirmed"])


def test_a_finding_must_cite_evidence_and_a_weakness_its_obstacles(
    client_for, peer, review, composed
):
    url = reverse("reviews:report_finding_add", args=[review.pk, composed["section"].pk])
    response = client_for(peer).post(url, finding_data(composed, [], kind="weakness"))
    html = response.content.decode()
    assert "Cite the evidence this finding rests on." in html
    assert "Name the obstacles behind this weakness." in html


def test_the_form_marks_which_evidence_is_confirmed(client_for, peer, review, composed):
    url = reverse("reviews:report_finding_add", args=[review.pk, composed["section"].pk])
    html = client_for(peer).get(url).content.decode()
    assert "A budget line exists since 2024." in html
    assert "not confirmed" in html and "confirmed]" in html


def test_a_change_after_freezing_starts_a_new_version_and_clears_approvals(
    client_for, team_leader, peer, review, composed
):
    report = composed["report"]
    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    version = report.versions.get()
    assert version.number == 1 and version.state == ReportVersion.FROZEN
    client_for(peer).post(
        reverse("reviews:report_approve", args=[review.pk, 1]), {"approves": "yes"}
    )
    assert version.approvals.get(peer=peer).approves

    # Any change of content supersedes the frozen version and its approval.
    section = composed["section"]
    response = client_for(peer).post(
        reverse("reviews:report_section", args=[review.pk, section.pk]),
        {
            "evaluation": "Better than the desk review thought.",
            "edit_version": section.edit_version,
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.state == ReportVersion.SUPERSEDED
    report.forget()
    assert report.pending_version is None

    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    report.forget()
    new = report.pending_version
    assert new.number == 2 and not new.approvals.exists()
    assert new.content["sections"][0]["evaluation"] == "Better than the desk review thought."
    # The old approval cannot be carried over to the new version.
    response = client_for(peer).post(
        reverse("reviews:report_approve", args=[review.pk, 1]), {"approves": "yes"}
    )
    # The approval of a superseded version is refused (409, "the text changed meanwhile") and
    # nothing is recorded on the new version.
    assert response.status_code == 409
    assert not ReportApproval.objects.filter(version=new).exists()


@pytest.mark.parametrize("change", ["finding", "recommendation", "delete", "summary"])
def test_every_kind_of_change_supersedes(change, team_leader, composed):
    report = composed["report"]
    version = report.freeze(by=team_leader, content=build_content(report.review, report))
    if change == "finding":
        composed["finding"].text = "Funded, but not every year."
        composed["finding"].save()
    elif change == "recommendation":
        composed["recommendation"].actor = "The city council"
        composed["recommendation"].save()
    elif change == "delete":
        composed["finding"].delete()
    else:
        report.summary = "A new summary."
        report.save()
    version.refresh_from_db()
    assert version.state == ReportVersion.SUPERSEDED


def test_final_needs_every_approval_and_the_factual_round(
    client_for, team_leader, peer, host, review, composed
):
    report = composed["report"]
    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    response = client_for(team_leader).post(
        reverse("reviews:report_finalise", args=[review.pk]), follow=True
    )
    html = response.content.decode()
    assert "Not every peer has approved version 1" in html
    assert "has not had its factual-accuracy round" in html
    report.forget()
    assert not report.is_final

    # The host city only reads a version the whole team approved.
    response = client_for(team_leader).post(
        reverse("reviews:report_factual_open", args=[review.pk]), follow=True
    )
    assert "The team approves a version before the host city reads it" in response.content.decode()
    approve_all(report, report.pending_version, [peer, team_leader])
    client_for(team_leader).post(reverse("reviews:report_factual_open", args=[review.pk]))
    report.refresh_from_db()
    assert report.factual_round_open
    response = client_for(team_leader).post(
        reverse("reviews:report_finalise", args=[review.pk]), follow=True
    )
    assert "The factual-accuracy round is still open." in response.content.decode()


def test_factual_accuracy_round_trip(client_for, team_leader, peer, host, review, composed):
    report = composed["report"]
    factual_url = reverse("reviews:report_factual", args=[review.pk])
    assert client_for(host).get(factual_url).status_code == 403  # no round yet

    version = report.freeze(by=team_leader, content=build_content(review, report))
    approve_all(report, version, [peer, team_leader])
    Notification.objects.all().delete()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client_for(team_leader).post(reverse("reviews:report_factual_open", args=[review.pk]))
    assert Notification.objects.filter(user=host, url=factual_url).exists()

    # The host reads the version sent, and comments on a section.
    page = client_for(host).get(factual_url)
    assert page.status_code == 200
    assert "Publish the integration budget every year." in page.content.decode()
    key = composed["section"].group.code
    response = client_for(host).post(
        factual_url, {"section_key": key, "text": "The budget started in 2023, not 2024."}
    )
    assert response.status_code == 302
    comment = FactualComment.objects.get()
    assert (comment.author, comment.version, comment.section_key) == (host, version, key)
    # An empty comment is refused next to its field.
    response = client_for(host).post(factual_url, {"section_key": key, "text": ""})
    assert response.status_code == 400
    assert FactualComment.objects.count() == 1
    # The host cannot answer; the team cannot comment as the host.
    answer_url = reverse("reviews:report_factual_answer", args=[review.pk, comment.pk])
    assert client_for(host).post(answer_url, {f"a{comment.pk}-answer": "x"}).status_code == 403
    assert client_for(peer).post(factual_url, {"section_key": key, "text": "x"}).status_code == 403

    client_for(team_leader).post(reverse("reviews:report_factual_close", args=[review.pk]))
    # After the round the host's comment is not sent (its text stays on the page).
    late = client_for(host).post(factual_url, {"section_key": key, "text": "Late"})
    assert late.status_code == 409
    assert FactualComment.objects.count() == 1
    response = client_for(team_leader).post(
        reverse("reviews:report_finalise", args=[review.pk]), follow=True
    )
    assert "1 factual comment of the host city is not answered yet." in (response.content.decode())

    # The team answers; a stale answer form gets the conflict page.
    response = client_for(peer).post(
        answer_url,
        {f"a{comment.pk}-answer": "Corrected to 2023.", f"a{comment.pk}-edit_version": 1},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.answer, comment.answered_by) == ("Corrected to 2023.", peer)
    response = client_for(team_leader).post(
        answer_url, {f"a{comment.pk}-answer": "Overwrite", f"a{comment.pk}-edit_version": 1}
    )
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.answer == "Corrected to 2023."
    assert "Corrected to 2023." in client_for(host).get(factual_url).content.decode()

    response = client_for(team_leader).post(reverse("reviews:report_finalise", args=[review.pk]))
    report.forget()
    assert report.is_final
    assert report.final_version == version


def _final(report, team_leader, peer):
    version = report.freeze(by=team_leader, content=build_content(report.review, report))
    approve_all(report, version, [peer, team_leader])
    report.factual_round_version = version
    report.factual_round_opened_at = timezone.now()
    report.factual_round_closed_at = timezone.now()
    report.save()
    report.make_final(by=team_leader)
    return version


def test_a_final_report_cannot_change(team_leader, peer, composed):
    report = composed["report"]
    _final(report, team_leader, peer)
    with pytest.raises(ReportLocked):
        composed["finding"].delete()
    composed["recommendation"].text = "Something else"
    with pytest.raises(ReportLocked):
        composed["recommendation"].save()
    assert Recommendation.objects.get().text == "Publish the integration budget every year."


def test_host_sees_nothing_before_publication_then_the_final_report(
    client_for, team_leader, peer, host, coordinator, review, composed
):
    report = composed["report"]
    _final(report, team_leader, peer)
    for name in ("reviews:report", "reviews:report_final", "reports:report_pdf"):
        assert client_for(host).get(reverse(name, args=[review.pk])).status_code == 403
    # Coordinators or the team leader publish; peers do not.
    assert (
        client_for(peer).post(reverse("reviews:report_publish", args=[review.pk])).status_code
        == 403
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(coordinator).post(reverse("reviews:report_publish", args=[review.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published
    today = timezone.localdate()
    assert report.first_checkpoint > today + datetime.timedelta(days=170)
    assert report.second_checkpoint > today + datetime.timedelta(days=360)
    assert Notification.objects.filter(user=host, text__contains="is published").exists()
    html = client_for(host).get(reverse("reviews:report_final", args=[review.pk])).content.decode()
    assert "Publish the integration budget every year." in html
    assert reverse("reviews:responses", args=[review.pk]) in html
    # Drafts stay closed to the host after publication too.
    assert client_for(host).get(reverse("reviews:report", args=[review.pk])).status_code == 403


def test_the_presentation_is_recorded_after_publication(
    client_for, team_leader, peer, review, composed
):
    report = composed["report"]
    _final(report, team_leader, peer)
    url = reverse("reviews:report_presentation", args=[review.pk])
    assert client_for(team_leader).get(url).status_code == 403
    report.published_at = timezone.now()
    report.save()
    response = client_for(team_leader).post(
        url, {"presented_on": "", "presentation_audience": "", "edit_version": report.edit_version}
    )
    assert response.status_code == 400
    response = client_for(team_leader).post(
        url,
        {
            "presented_on": TODAY.isoformat(),
            "presentation_audience": "City staff, partners and press",
            "edit_version": report.edit_version,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.presented_on == TODAY
    assert report.presentation_audience == "City staff, partners and press"


def test_report_content_respects_attribution(team_leader, review, composed):
    session = review.visit_sessions.get(number=2)
    secret = ProposedInterviewee.objects.create(
        review=review,
        name="Wim Geheim",
        organisation="Police, district chief",
        kind="staff",
        attribution=ProposedInterviewee.OFF_RECORD,
    )
    hidden = ProposedInterviewee.objects.create(
        review=review,
        name="Anna Anoniem",
        organisation="Welfare office, caseworker",
        kind="staff",
        attribution=ProposedInterviewee.ANONYMISED,
    )
    session.interviewees.set([secret, hidden])
    content = build_content(review)
    text = str(content)
    assert "Wim Geheim" not in text and "Anna Anoniem" not in text
    assert "Welfare office, caseworker" in text
    assert content["off_record_count"] == 1
    # Evidence text never goes into the report, only codes.
    assert "A budget line exists since 2024." not in text
    assert any(row["code"].startswith(composed["first"].code) for row in content["evidence_index"])


def test_section_edit_conflict_keeps_both_versions(client_for, peer, team_leader, review, composed):
    section = composed["section"]
    url = reverse("reviews:report_section", args=[review.pk, section.pk])
    client_for(peer).post(url, {"evaluation": "Peer's text", "edit_version": 1})
    response = client_for(team_leader).post(url, {"evaluation": "Leader's text", "edit_version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Peer&#x27;s text" in html and "Leader&#x27;s text" in html
    section.refresh_from_db()
    assert section.evaluation == "Peer's text"


def test_assignments(client_for, team_leader, peer, review, composed):
    section = composed["section"]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(team_leader).post(
            reverse("reviews:report_assign", args=[review.pk]),
            {"summary": str(team_leader.pk), f"s{section.pk}": str(peer.pk)},
        )
    # The peer hears of it; the leader, who assigned himself, does not.
    assert Notification.objects.filter(user=peer, text__contains="write part of").exists()
    assert not Notification.objects.filter(user=team_leader, text__contains="write part of")
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.assignee == peer
    html = client_for(peer).get(reverse("reviews:report", args=[review.pk])).content.decode()
    assert peer.name in html


def test_report_context_query_count_does_not_grow_with_evidence(
    django_assert_max_num_queries, review, composed
):
    with django_assert_max_num_queries(20) as small:  # measured: 20
        build_content(review)
    colour = composed["confirmed"][0].colour
    for n in range(30):
        e = Evidence.objects.create(
            review=review,
            session=composed["confirmed"][0].session,
            text=f"more {n}",
            colour=colour,
        )
        e.indicators.set([composed["first"]])
        composed["finding"].evidence.add(e)
    with django_assert_max_num_queries(len(small.captured_queries)):
        build_content(review)


def test_report_pages_stay_within_their_query_budget(
    client_for, django_assert_max_num_queries, peer, team_leader, review, composed
):
    section = composed["section"]
    client = client_for(peer)
    with django_assert_max_num_queries(15):
        assert (
            client.get(reverse("reviews:report_section", args=[review.pk, section.pk])).status_code
            == 200
        )
    client = client_for(team_leader)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("reviews:report", args=[review.pk])).status_code == 200


def test_comments_instead_of_approval_need_text(client_for, peer, team_leader, review, composed):
    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    response = client_for(peer).post(
        reverse("reviews:report_approve", args=[review.pk, 1]), {"approves": "no", "comment": ""}
    )
    assert response.status_code == 400
    assert "Say what should change" in response.content.decode()
    assert not ReportApproval.objects.exists()
    response = client_for(peer).post(
        reverse("reviews:report_approve", args=[review.pk, 1]),
        {"approves": "no", "comment": "The second finding needs a source."},
    )
    approval = ReportApproval.objects.get()
    assert (approval.approves, approval.comment) == (False, "The second finding needs a source.")
    html = client_for(team_leader).get(reverse("reviews:report", args=[review.pk])).content.decode()
    assert "The second finding needs a source." in html and "has comments" in html


def test_whoever_froze_the_version_hears_of_comments_and_of_the_last_approval(
    client_for, peer, team_leader, review, composed, django_capture_on_commit_callbacks
):
    def news() -> list[str]:
        return [n.shown_text for n in Notification.objects.filter(user=team_leader)]

    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    approve = reverse("reviews:report_approve", args=[review.pk, 1])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(team_leader).post(approve, {"approves": "yes"})
    assert news() == []  # their own decision is not news to them
    with django_capture_on_commit_callbacks(execute=True):
        client_for(peer).post(approve, {"approves": "no", "comment": "Add a source."})
    commented = f"{peer} commented on version 1 of the report on {review.title}."
    assert news() == [commented]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(peer).post(approve, {"approves": "yes"})
    assert news()[0] == (
        f"Every peer approved version 1 of the report on {review.title}: it can go to the host "
        "city for the factual check."
    )
    assert Notification.objects.filter(
        user=team_leader, url=reverse("reviews:report_factual_open", args=[review.pk])
    ).exists()
    assert not Notification.objects.filter(user=peer).exists()


def test_the_version_page_a_notification_opens_offers_the_decision(
    client_for, peer, team_leader, review, composed
):
    client_for(team_leader).post(reverse("reviews:report_freeze", args=[review.pk]))
    version_page = reverse("reviews:report_version", args=[review.pk, 1])
    decide = f'href="{reverse("reviews:report", args=[review.pk])}#approval"'
    assert decide in client_for(peer).get(version_page).content.decode()
    home = client_for(peer).get(reverse("reviews:report", args=[review.pk])).content.decode()
    assert 'id="approval"' in home  # the anchor is the approval form
    section = composed["section"]
    client_for(peer).post(
        reverse("reviews:report_section", args=[review.pk, section.pk]),
        {"evaluation": "Changed.", "edit_version": section.edit_version},
    )
    # Superseded: nothing to decide on this version any more.
    assert decide not in client_for(peer).get(version_page).content.decode()


def test_text_sent_after_the_report_became_final_stays_on_screen(
    client_for, team_leader, peer, coordinator, review, composed
):
    """Someone writing while the leader made the report final loses nothing they typed."""
    report = composed["report"]
    _final(report, team_leader, peer)
    url = reverse("reviews:report_finding_add", args=[review.pk, composed["section"].pk])
    before = Finding.objects.count()
    response = client_for(peer).post(
        url, finding_data(composed, composed["confirmed"], text="A late, careful finding.")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "The report became final while you were writing" in html
    assert "A late, careful finding." in html
    assert Finding.objects.count() == before
    section_url = reverse("reviews:report_section", args=[review.pk, composed["section"].pk])
    response = client_for(peer).post(section_url, {"evaluation": "Late words", "edit_version": 1})
    assert response.status_code == 409 and "Late words" in response.content.decode()
    # Not a way in for anyone else.
    assert client_for(coordinator).post(url, {}).status_code == 403
    assert client_for(peer).get(url).status_code == 403


def test_a_change_to_a_frozen_version_says_it_starts_a_new_one(
    client_for, team_leader, peer, review, composed
):
    report = composed["report"]
    report.freeze(by=team_leader, content=build_content(review, report))
    section = composed["section"]
    response = client_for(peer).post(
        reverse("reviews:report_section", args=[review.pk, section.pk]),
        {"evaluation": "Sharper wording.", "edit_version": section.edit_version},
        follow=True,
    )
    assert "Version 1 was waiting for approval: this change starts a new version" in (
        response.content.decode()
    )


def test_a_comment_sent_after_the_round_closed_stays_on_screen(
    client_for, team_leader, peer, host, review, composed
):
    report = composed["report"]
    version = report.freeze(by=team_leader, content=build_content(review, report))
    report.factual_round_version = version
    report.factual_round_opened_at = report.factual_round_closed_at = timezone.now()
    report.save()
    url = reverse("reviews:report_factual", args=[review.pk])
    response = client_for(host).post(url, {"section_key": "summary", "text": "Late but right."})
    assert response.status_code == 409
    html = response.content.decode()
    assert "The round closed while you were writing" in html and "Late but right." in html
    assert not FactualComment.objects.exists()
    assert client_for(peer).post(url, {"section_key": "summary", "text": "x"}).status_code == 403


def test_a_decision_on_a_version_that_changed_meanwhile_keeps_the_comment(
    client_for, team_leader, peer, host, review, composed
):
    report = composed["report"]
    report.freeze(by=team_leader, content=build_content(review, report))
    composed["finding"].text = "Reworded after freezing."
    composed["finding"].save()  # supersedes version 1
    response = client_for(peer).post(
        reverse("reviews:report_approve", args=[review.pk, 1]),
        {"approves": "no", "comment": "The weakness needs its source."},
    )
    assert response.status_code == 409
    assert "The weakness needs its source." in response.content.decode()
    assert not ReportApproval.objects.exists()
    assert (
        client_for(host)
        .post(reverse("reviews:report_approve", args=[review.pk, 1]), {"approves": "yes"})
        .status_code
        == 403
    )


def test_an_answer_sent_after_the_report_became_final_stays_on_screen(
    client_for, team_leader, peer, host, review, composed
):
    report = composed["report"]
    version = _final(report, team_leader, peer)
    comment = FactualComment.objects.create(
        report=report, version=version, section_key="summary", author=host, text="A typo."
    )
    url = reverse("reviews:report_factual_answer", args=[review.pk, comment.pk])
    response = client_for(peer).post(
        url, {f"a{comment.pk}-answer": "Fixed in the text.", f"a{comment.pk}-edit_version": 1}
    )
    assert response.status_code == 409
    assert "Fixed in the text." in response.content.decode()
    comment.refresh_from_db()
    assert comment.answer == ""
    assert client_for(host).post(url, {f"a{comment.pk}-answer": "x"}).status_code == 403


# --- starting the report: reading never creates it ------------------------------------------


def test_reading_the_report_before_it_is_started_creates_nothing(
    client_for, peer, host, coordinator, review, review_work
):
    from reviews.models import FeedbackReport

    page = client_for(peer).get(reverse("reviews:report", args=[review.pk]))
    assert "Start the report" in page.content.decode()
    assert (
        client_for(coordinator).get(reverse("reviews:report", args=[review.pk])).status_code == 200
    )
    assert client_for(peer).get(reverse("reports:report_pdf", args=[review.pk])).status_code == 200
    # The host may not see a draft: refused before anything is read, let alone written.
    assert client_for(host).get(reverse("reports:report_pdf", args=[review.pk])).status_code == 403
    assert client_for(host).get(reverse("reports:report_docx", args=[review.pk])).status_code == 403
    assert (
        client_for(peer).get(reverse("reviews:report_factual", args=[review.pk])).status_code == 200
    )
    assert not FeedbackReport.objects.filter(review=review).exists()


def test_a_peer_starts_the_report_with_a_section_per_group(
    client_for, peer, coordinator, review, review_work
):
    from reviews.models import FeedbackReport

    url = reverse("reviews:report_start", args=[review.pk])
    assert client_for(coordinator).post(url).status_code == 403
    assert not FeedbackReport.objects.filter(review=review).exists()
    assert client_for(peer).post(url).status_code == 302
    report = FeedbackReport.objects.get(review=review)
    assert sorted(report.sections.values_list("group_id", flat=True)) == sorted(
        review.groups_in_scope().values_list("pk", flat=True)
    )


def test_a_group_new_in_scope_gets_its_section_on_request(client_for, peer, review, composed):
    report = composed["report"]
    other = report.sections.exclude(pk=composed["section"].pk).get()
    group = other.group
    other.delete()  # as if the group came into scope after the report was started
    home = reverse("reviews:report", args=[review.pk])
    html = client_for(peer).get(home).content.decode()
    assert "have no section yet" in html and group.name in html
    assert not report.sections.filter(group=group).exists()
    client_for(peer).post(reverse("reviews:report_start", args=[review.pk]))
    assert report.sections.filter(group=group).exists()
    assert composed["finding"] in Finding.objects.filter(section=composed["section"])
