"""Step 7 on site: the team's key conclusions lock once every peer agrees."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.models import KeyConclusion, PreliminaryFeedback
from reviews.models.conclusions import conclusions_locked


@pytest.fixture
def conclusion(review_work, review):
    return review.conclusions.get()


def vote(client, review, conclusion, agrees=True, dissent=""):
    data = {
        f"v{conclusion.pk}-agrees": "yes" if agrees else "no",
        f"v{conclusion.pk}-dissent": dissent,
    }
    return client.post(
        reverse("reviews:conclusion_vote", args=[review.pk, conclusion.pk]), data, follow=True
    )


def test_the_list_locks_when_every_peer_agrees(client_for, peer, team_leader, review, conclusion):
    vote(client_for(peer), review, conclusion)
    assert not conclusions_locked(review)
    html = vote(client_for(team_leader), review, conclusion).content.decode()
    assert "the conclusions are locked" in html
    assert conclusions_locked(review)
    conclusion.text = "Changed after agreement"
    with pytest.raises(ValidationError):
        conclusion.save()
    response = client_for(team_leader).post(
        reverse("reviews:conclusion_add", args=[review.pk]), {"text": "Late", "edit_version": 0}
    )
    assert response.status_code == 403


def test_dissent_needs_a_reason_and_blocks_the_lock(
    client_for, peer, team_leader, review, conclusion
):
    html = vote(client_for(peer), review, conclusion, agrees=False).content.decode()
    assert "Say why you dissent" in html
    vote(client_for(peer), review, conclusion, agrees=False, dissent="Too harsh on monitoring")
    vote(client_for(team_leader), review, conclusion)
    assert not conclusions_locked(review)
    page = (
        client_for(team_leader)
        .get(reverse("reviews:conclusions", args=[review.pk]))
        .content.decode()
    )
    assert "Too harsh on monitoring" in page


def test_changing_a_conclusion_clears_its_agreements(
    client_for, peer, team_leader, review, conclusion
):
    vote(client_for(peer), review, conclusion)
    client_for(team_leader).post(
        reverse("reviews:conclusion_edit", args=[review.pk, conclusion.pk]),
        {"text": "Strong leadership; monitoring improving.", "edit_version": 1},
    )
    conclusion.refresh_from_db()
    assert conclusion.text == "Strong leadership; monitoring improving."
    assert not conclusion.votes.exists()


def test_preliminary_feedback_is_recorded_once_locked(
    client_for, peer, team_leader, review, conclusion
):
    url = reverse("reviews:feedback", args=[review.pk])
    data = {
        "presented_on": timezone.localdate().isoformat(),
        "audience": "Alderman and staff",
        "observations": "Three strengths, two concerns.",
        "edit_version": 0,
    }
    assert client_for(team_leader).post(url, data).status_code == 403
    vote(client_for(peer), review, conclusion)
    vote(client_for(team_leader), review, conclusion)
    assert client_for(team_leader).post(url, data).status_code == 302
    assert PreliminaryFeedback.objects.get(review=review).audience == "Alderman and staff"
    assert KeyConclusion.objects.filter(review=review).count() == 1
