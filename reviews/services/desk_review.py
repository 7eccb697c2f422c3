"""Step 4: desk reviews and questions to the host city."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
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


@transaction.atomic
def reopen_desk_review(*, review: Review, peer, by, reason: str) -> DeskReview:
    """A coordinator gives a submitted desk review back to its peer, who hears why."""
    if not reason.strip():
        raise ValidationError(_("Say why the desk review is reopened."))
    desk_review = DeskReview.objects.select_for_update().get(review=review, peer=peer)
    desk_review.reopen(by=by, reason=reason)
    notify_after_commit(
        review=review,
        users=[peer] if peer.is_active else [],
        url=reverse("reviews:desk_review", args=[review.pk]),
        text=gettext_noop("Your desk review of %(review)s is open again: you can change it."),
        subject=gettext_noop("Desk review reopened: %(review)s"),
    )
    return desk_review
