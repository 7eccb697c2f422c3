"""Moving a review between the seven steps: on after a confirmation that lists what the
current step still lacks, back one step with a reason. Both are kept in the review's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reviews.models import Review, ReviewEvent
from reviews.steps import FIRST_STEP, LAST_STEP


@transaction.atomic
def advance_review(*, review: Review, by, missing: list[str]) -> None:
    """Move on one step; `missing` is what the step still lacked when the person confirmed."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.current_step >= LAST_STEP:
        raise ValidationError(_("This review is already at the last step."))
    review.current_step += 1
    review._change_reason = f"advanced to step {review.current_step} by {by}"
    review.save(update_fields=["current_step"])
    ReviewEvent.objects.create(
        review=review,
        actor=by,
        verb=ReviewEvent.ADVANCED,
        step=review.current_step,
        note="\n".join(missing),
    )


@transaction.atomic
def move_review_back(*, review: Review, by, reason: str) -> None:
    """Move back one step; nothing the later step holds is deleted."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the review goes back a step.")})
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.current_step <= FIRST_STEP:
        raise ValidationError(_("This review is at the first step already."))
    review.current_step -= 1
    review._change_reason = f"moved back to step {review.current_step} by {by}: {reason}"
    review.save(update_fields=["current_step"])
    ReviewEvent.objects.create(
        review=review, actor=by, verb=ReviewEvent.MOVED_BACK, step=review.current_step, note=reason
    )
