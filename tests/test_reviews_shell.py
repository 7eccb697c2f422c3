"""The review shell: steps, dashboard, all reviews, moving to the next step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from reviews.models import Membership, ReviewEvent
from reviews.status import progress_of
from reviews.steps import HOST, PEER, STEPS


def test_review_page_shows_the_seven_steps_with_status_actor_and_due_date(
    client_for, peer, review, make_benchmark
):
    review.benchmark_version = make_benchmark()
    review.inception_due = datetime.date(2026, 12, 1)
    review.save()
    html = client_for(peer).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    for step in STEPS:
        assert f"Step {step.number}: {step.name}" in html
        assert reverse("reviews:step", args=[review.pk, step.number]) in html
    assert "In progress" in html and "Done" in html and "Not started" in html
    assert "Moved on, incomplete" in html  # step 2: the review is past it, its work is not
    assert "Host city" in html  # who acts on step 3
    assert formats.date_format(datetime.date(2026, 12, 1)) in html


def states(review):
    return [s.state for s in progress_of(review).steps]


def test_step_1_is_done_only_once_a_published_benchmark_version_is_chosen(review, make_benchmark):
    review.current_step = 2
    review.save()
    assert states(review)[0] == "incomplete"
    assert "No published benchmark version" in progress_of(review).step(1).lacks[0]
    review.benchmark_version = make_benchmark()
    review.save()
    assert states(review)[0] == "done"


def test_step_2_needs_a_leader_four_peers_a_host_and_everyone_trained(
    review, team_leader, peer, host, make_user
):
    from reviews.models import TrainingSession

    lacks = progress_of(review).step(2).lacks
    assert any("The team has 2 peers, the team leader included" in lack for lack in lacks)
    assert "No training session is recorded." in lacks
    others = [make_user(name=f"Peer {n}") for n in range(2)]
    for person in others:
        Membership.objects.create(review=review, user=person, role=PEER)
    session = TrainingSession.objects.create(review=review, date="2026-10-01", place="Brussels")
    session.attendees.set([team_leader, peer, host, others[0]])
    assert progress_of(review).step(2).lacks == [f"Not recorded as trained: {others[1].name}."]
    session.attendees.add(others[1])
    assert progress_of(review).step(2).state == "done"


def test_steps_3_to_6_are_done_when_their_work_is_in_the_data(
    review, team_leader, peer, host, make_benchmark
):
    from django.utils import timezone

    from reviews.models import DeskReview, IndicatorEvaluation, VisitSession

    review.benchmark_version = make_benchmark(indicators=2)
    review.save()
    assert states(review)[2:6] == ["current", "upcoming", "upcoming", "upcoming"]
    review.inception_report.submit(by=host, reason="For the test.")
    DeskReview.objects.create(review=review, peer=peer, submitted_at=timezone.now())
    progress = progress_of(review)
    assert progress.step(3).state == "done"
    assert progress.step(4).lacks == ["Desk reviews not submitted yet: Jan Leader."]
    DeskReview.objects.create(review=review, peer=team_leader, submitted_at=timezone.now())
    now = timezone.now()
    session = VisitSession.objects.create(
        review=review,
        starts_at=now + datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
    )
    assert states(review)[3:5] == ["done", "upcoming"]
    session.starts_at = now - datetime.timedelta(hours=2)
    session.ends_at = now - datetime.timedelta(hours=1)
    session.save()
    level = review.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    first, second = review.indicators_in_scope()
    IndicatorEvaluation.objects.create(review=review, indicator=first, rating=level)
    progress = progress_of(review)
    assert progress.step(5).state == "done"
    assert progress.step(6).lacks == ["The team has rated 1 of 2 indicators."]
    IndicatorEvaluation.objects.create(review=review, indicator=second, rating=level)
    assert states(review)[5] == "done"


def test_step_6_counts_only_rated_indicators_of_the_reviews_scope(review, make_benchmark):
    from reviews.models import IndicatorEvaluation

    review.benchmark_version = make_benchmark(indicators=3)
    review.save()
    first, second, third = review.benchmark_version.indicators.order_by("pk")
    review.scope.set([first, second])
    level = review.benchmark_version.ratingscales.get(purpose="performance").levels.first()
    IndicatorEvaluation.objects.create(review=review, indicator=third, rating=level)
    IndicatorEvaluation.objects.create(review=review, indicator=second, rating=None)
    assert progress_of(review).step(6).lacks == ["The team has rated 0 of 2 indicators."]
    IndicatorEvaluation.objects.create(review=review, indicator=first, rating=level)
    assert progress_of(review).step(6).lacks == ["The team has rated 1 of 2 indicators."]
    review.scope.set([])
    assert progress_of(review).step(6).lacks == ["The team has rated 2 of 3 indicators."]


def test_key_conclusions_are_agreed_once_every_team_member_agrees_each_of_them(
    review, team_leader, peer, host
):
    from reviews.models import ConclusionVote, KeyConclusion

    not_agreed = "The team has not agreed its key conclusions yet."
    assert not_agreed in progress_of(review).step(7).lacks
    first = KeyConclusion.objects.create(review=review, text="First")
    second = KeyConclusion.objects.create(review=review, text="Second")
    for conclusion in (first, second):
        ConclusionVote.objects.create(conclusion=conclusion, peer=team_leader, agrees=True)
        ConclusionVote.objects.create(conclusion=conclusion, peer=host, agrees=True)
    ConclusionVote.objects.create(conclusion=first, peer=peer, agrees=True)
    ConclusionVote.objects.create(conclusion=second, peer=peer, agrees=False)
    assert not_agreed in progress_of(review).step(7).lacks
    ConclusionVote.objects.filter(conclusion=second, peer=peer).update(agrees=True)
    progress = progress_of(review)
    assert not_agreed not in progress.step(7).lacks
    assert progress.facts["conclusions_locked"]


def test_the_host_is_asked_to_answer_only_the_open_information_requests(review, host, team_leader):
    from django.utils import timezone

    from reviews.models import InformationRequest

    review.current_step = 4
    review.save()
    for n in range(3):
        InformationRequest.objects.create(review=review, question=f"Q{n}", asked_by=team_leader)
    InformationRequest.objects.filter(question="Q0").update(answered_at=timezone.now())
    action = progress_of(review).next_for(host, HOST)
    assert action.text == "Answer the 2 information requests the team sent you."


def test_a_current_step_past_its_due_date_is_overdue(review):
    review.inception_due = datetime.date(2026, 1, 1)
    review.save()
    assert progress_of(review, today=datetime.date(2026, 1, 2)).overdue
    assert not progress_of(review, today=datetime.date(2026, 1, 1)).overdue
    assert progress_of(review, today=datetime.date(2026, 1, 2)).step(3).overdue


def test_a_published_review_says_so_with_its_follow_up_state(
    client_for, host, review_work, review, team_leader
):
    from tests.test_follow_up import accept, publish_report

    review.current_step = 7
    review.report_due = datetime.date(2026, 1, 1)
    review.save()
    _report, recs = publish_report(review, by=team_leader, recommendations=3)
    accept(recs[0])
    status = progress_of(review).step(7)
    assert (status.state_label, status.overdue) == ("Published", False)
    html = client_for(host).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "1 of 3 recommendations answered by the host city." in html
    assert "Next progress update due on" in html
    assert "Respond to the recommendations: 2 are not answered yet." in html
    assert reverse("reviews:responses", args=[review.pk]) in html
    assert "Write, approve and respond to the report" not in html
    assert "badge text-bg-danger" not in html


def test_step_7_page_links_the_report_pages_each_role_may_open(client_for, peer, host, review):
    url = reverse("reviews:step", args=[review.pk, 7])
    html = client_for(peer).get(url).content.decode()
    assert reverse("reviews:report", args=[review.pk]) in html
    assert "not built yet" not in html
    html = client_for(host).get(url).content.decode()
    # Before the factual-accuracy round the host city sees nothing of the report.
    assert reverse("reviews:report", args=[review.pk]) not in html
    assert reverse("reviews:report_factual", args=[review.pk]) not in html


def test_unknown_step_number_is_404(client_for, peer, review):
    assert client_for(peer).get(reverse("reviews:step", args=[review.pk, 8])).status_code == 404


def test_dashboard_lists_my_reviews_with_role_and_next_action(client_for, host, peer, review):
    html = client_for(host).get(reverse("reviews:dashboard")).content.decode()
    assert review.title in html
    assert "Host city" in html
    assert "Write and submit the inception report." in html
    assert f'href="{reverse("reviews:inception", args=[review.pk])}"' in html
    html = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert "Nothing for you now: the host city is writing its inception report." in html


def test_dashboard_hides_reviews_i_am_not_in(client_for, outsider, review):
    html = client_for(outsider).get(reverse("reviews:dashboard")).content.decode()
    assert review.title not in html
    assert "not part of any review" in html


def test_all_reviews_shows_step_and_overdue_count(
    client_for, coordinator, make_review, team_leader, review
):
    make_review(title="Late review", current_step=3, inception_due=datetime.date(2020, 1, 1))
    html = client_for(coordinator).get(reverse("reviews:all")).content.decode()
    assert "Late review" in html and review.title in html
    assert "1 overdue" in html
    assert team_leader.name in html


def test_the_next_box_tells_a_coordinator_what_to_do_with_a_link(
    client_for, coordinator, review, host
):
    review.inception_report.submit(by=host, reason="For the test.")
    html = client_for(coordinator).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Step 3 is complete: move the review on to step 4, Desk review." in html
    assert f'href="{reverse("reviews:advance", args=[review.pk])}"' in html
    assert "Nothing for you now" not in html


def test_the_next_box_reads_as_a_dutch_sentence(client_for, review, team_leader, peer):
    client = client_for(peer)
    client.cookies["django_language"] = "nl"
    review.current_step = 2
    review.save()
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert (
        "Nu niets voor jou: de coördinator stelt het team samen en legt de training vast." in html
    )
    assert f'href="{reverse("reviews:team", args=[review.pk])}"' in html
    assert "are working" not in html


def test_moving_on_lists_what_the_step_lacks_and_needs_a_confirmation(
    client_for, coordinator, review
):
    client = client_for(coordinator)
    url = reverse("reviews:advance", args=[review.pk])
    html = client.get(url).content.decode()
    assert "Step 3 still lacks" in html
    assert "The host city has not submitted its inception report." in html
    response = client.post(url)
    assert response.status_code == 200
    assert "Tick the box to move on although this step is incomplete." in response.content.decode()
    review.refresh_from_db()
    assert review.current_step == 3


def test_coordinator_moves_the_review_to_the_next_step(client_for, coordinator, review):
    response = client_for(coordinator).post(
        reverse("reviews:advance", args=[review.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.current_step == 4
    assert review.history.first().history_change_reason.startswith("advanced to step 4")
    assert review.history.first().history_user == coordinator
    event = review.events.get()
    assert (event.verb, event.step, event.actor) == (ReviewEvent.ADVANCED, 4, coordinator)
    assert "inception report" in event.note


def test_coordinator_moves_a_review_back_a_step_with_a_recorded_reason(
    client_for, coordinator, review
):
    client = client_for(coordinator)
    url = reverse("reviews:move_back", args=[review.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert 'href="#id_reason"' in response.content.decode()
    review.refresh_from_db()
    assert review.current_step == 3
    response = client.post(url, {"reason": "Two peers left; the team must be trained again."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.current_step == 2
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Clara Coordinator moved the review back to step 2." in html
    assert "Two peers left; the team must be trained again." in html


def test_the_last_step_cannot_be_advanced(client_for, coordinator, review):
    review.current_step = 7
    review.save()
    response = client_for(coordinator).post(
        reverse("reviews:advance", args=[review.pk]), {"confirm": "on"}, follow=True
    )
    assert "already at the last step" in response.content.decode()
    review.refresh_from_db()
    assert review.current_step == 7


def test_peer_cannot_move_the_review_on_or_back(client_for, peer, review):
    client = client_for(peer)
    assert client.post(reverse("reviews:advance", args=[review.pk])).status_code == 403
    assert (
        client.post(reverse("reviews:move_back", args=[review.pk]), {"reason": "x"}).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.current_step == 3


def _reviews_for(user, make_review, count):
    for i in range(count):
        review = make_review(title=f"Bulk {i}", current_step=1 + i % 7)
        Membership.objects.create(review=review, user=user, role=PEER if i % 2 else HOST)


@pytest.mark.parametrize("count", [1, 50])
def test_dashboard_query_count_does_not_grow_with_reviews(
    client_for, make_user, make_review, django_assert_max_num_queries, count
):
    user = make_user()
    _reviews_for(user, make_review, count)
    client = client_for(user)
    with django_assert_max_num_queries(7):  # measured: 7 at 1 review and at 50
        response = client.get(reverse("reviews:dashboard"))
    assert response.content.decode().count("Bulk ") == count


@pytest.mark.parametrize("count", [1, 50])
def test_all_reviews_query_count_does_not_grow_with_reviews(
    client_for, coordinator, make_user, make_review, django_assert_max_num_queries, count
):
    _reviews_for(make_user(), make_review, count)
    client = client_for(coordinator)
    with django_assert_max_num_queries(5):  # measured: 5 at 1 review and at 50
        response = client.get(reverse("reviews:all"))
    assert response.content.decode().count("Bulk ") == count


@pytest.mark.parametrize("members", [1, 50])
def test_review_page_query_count_does_not_grow_with_members(
    client_for, coordinator, review, make_user, django_assert_max_num_queries, members
):
    for _ in range(members):
        Membership.objects.create(review=review, user=make_user(), role=PEER)
    client = client_for(coordinator)
    with django_assert_max_num_queries(9):  # measured: 9 at 1 member and at 50
        response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert response.status_code == 200


def test_host_lead_must_be_a_host(review, peer):
    from django.core.exceptions import ValidationError

    membership = Membership.objects.get(review=review, user=peer)
    membership.is_host_lead = True
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_review_page_links_its_benchmark_version(client_for, peer, review, make_benchmark):
    review.benchmark_version = make_benchmark()
    review.save()
    html = client_for(peer).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert review.benchmark_version.get_absolute_url() in html


def test_dashboard_lists_benchmark_drafts_awaiting_my_approval(
    client_for, peer, benchmark_versions
):
    _published, draft = benchmark_versions
    html = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert "waiting for your approval" in html
    assert draft.get_absolute_url() in html
    draft.reviewers.filter(user=peer).update(approved_at="2026-01-01T00:00:00Z")
    html = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert "waiting for your approval" not in html


def test_coordinators_reach_the_commitments_dashboard_from_every_page(
    client_for, coordinator, peer
):
    html = client_for(coordinator).get(reverse("reviews:dashboard")).content.decode()
    assert html.count(reverse("reviews:commitments")) == 2  # menu and dashboard
    html = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert reverse("reviews:commitments") not in html
