"""Step 4: desk reviews and questions to the host city."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from reviews.models import (
    DeskReview,
    InformationRequest,
    Review,
)
from reviews.services.notifications import notify_after_commit
from reviews.steps import HOST, TEAM_LEADER


def desk_review_for(*, review: Review, peer) -> DeskReview:
    desk_review, _created = DeskReview.objects.get_or_create(review=review, peer=peer)
    return desk_review


@transaction.atomic
def submit_desk_review(*, review: Review, peer) -> DeskReview:
    desk_review = DeskReview.objects.select_for_update().get(review=review, peer=peer)
    desk_review.submit()
    leaders = [user for user in review.members(TEAM_LEADER) if user != peer]
    url = reverse("reviews:desk_review", args=[review.pk])
    notify_after_commit(
        review=review,
        users=leaders,
        url=url,
        text=gettext_noop("A peer submitted a desk review of %(review)s."),
        subject=gettext_noop("Desk review submitted: %(review)s"),
    )
    return desk_review


@transaction.atomic
def ask_host(*, review: Review, by, question: str, indicator=None) -> InformationRequest:
    request = InformationRequest.objects.create(
        review=review, indicator=indicator, question=question, asked_by=by
    )
    hosts = review.members(HOST)
    url = reverse("reviews:requests", args=[review.pk])
    notify_after_commit(
        review=review,
        users=hosts,
        url=url,
        text=gettext_noop("The review team of %(review)s asks you for information."),
        subject=gettext_noop("Question from the review team: %(review)s"),
    )
    return request
