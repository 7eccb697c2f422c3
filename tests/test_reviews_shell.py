"""The review shell: steps, dashboard, all reviews, moving to the next step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from reviews.models import Membership
from reviews.steps import HOST, PEER, STEPS


def test_review_page_shows_the_seven_steps_with_status_actor_and_due_date(client_for, peer, review):
    review.inception_due = datetime.date(2026, 12, 1)
    review.save()
    html = client_for(peer).get(reverse("reviews:detail", args=[review.pk])).content.decode()
    for step in STEPS:
        assert f"Step {step.number}: {step.name}" in html
        assert reverse("reviews:step", args=[review.pk, step.number]) in html
    assert "In progress" in html and "Done" in html and "Not started" in html
    assert "Host city" in html  # who acts on step 3
    assert formats.date_format(datetime.date(2026, 12, 1)) in html


def test_step_status_follows_the_current_step(review):
    states = [s.state for s in review.step_statuses(today=datetime.date(2026, 1, 1))]
    assert states == ["done", "done", "current", "upcoming", "upcoming", "upcoming", "upcoming"]


def test_a_current_step_past_its_due_date_is_overdue(review):
    review.inception_due = datetime.date(2026, 1, 1)
    assert review.is_overdue(today=datetime.date(2026, 1, 2))
    assert not review.is_overdue(today=datetime.date(2026, 1, 1))
    assert review.step_statuses(today=datetime.date(2026, 1, 2))[2].overdue


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
    assert "Write and submit the inception report" in html
    html = client_for(peer).get(reverse("reviews:dashboard")).content.decode()
    assert "Nothing for you now" in html


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


def test_coordinator_moves_the_review_to_the_next_step(client_for, coordinator, review):
    response = client_for(coordinator).post(reverse("reviews:advance", args=[review.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.current_step == 4
    assert review.history.first().history_change_reason.startswith("advanced to step 4")
    assert review.history.first().history_user == coordinator


def test_the_last_step_cannot_be_advanced(client_for, coordinator, review):
    review.current_step = 7
    review.save()
    response = client_for(coordinator).post(
        reverse("reviews:advance", args=[review.pk]), follow=True
    )
    assert "already at the last step" in response.content.decode()
    review.refresh_from_db()
    assert review.current_step == 7


def test_peer_cannot_advance_the_review(client_for, peer, review):
    assert client_for(peer).post(reverse("reviews:advance", args=[review.pk])).status_code == 403
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
    with django_assert_max_num_queries(5):
        response = client.get(reverse("reviews:dashboard"))
    assert response.content.decode().count("Bulk ") == count


@pytest.mark.parametrize("count", [1, 50])
def test_all_reviews_query_count_does_not_grow_with_reviews(
    client_for, coordinator, make_user, make_review, django_assert_max_num_queries, count
):
    _reviews_for(make_user(), make_review, count)
    client = client_for(coordinator)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("reviews:all"))
    assert response.content.decode().count("Bulk ") == count


@pytest.mark.parametrize("members", [1, 50])
def test_review_page_query_count_does_not_grow_with_members(
    client_for, coordinator, review, make_user, django_assert_max_num_queries, members
):
    for _ in range(members):
        Membership.objects.create(review=review, user=make_user(), role=PEER)
    client = client_for(coordinator)
    with django_assert_max_num_queries(6):
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
