"""Step 2: the team of a review."""

from __future__ import annotations

from django.db import transaction

from reviews.models import (
    Membership,
    Review,
)


@transaction.atomic
def add_member(
    *, review: Review, user, role: str, is_host_lead: bool = False, host_reason: str = ""
) -> Membership:
    """Add a person to the review; the conflict-of-interest and one-leader rules apply."""
    membership = Membership(
        review=review, user=user, role=role, is_host_lead=is_host_lead, host_reason=host_reason
    )
    membership.full_clean()
    membership.save()
    return membership
