"""Step 2: the team of a review."""

from __future__ import annotations

from django.db import transaction

from reviews.models import (
    Membership,
    Review,
)
from reviews.models.review import city_change_conflicts


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


@transaction.atomic
def set_person_city(*, person, city, by, reason: str = "") -> None:
    """Set the city `person` works for, as a coordinator; kept in the person's history.

    The form has re-checked every review they are on (`city_change_conflicts`); host city
    memberships that the move leaves without a reason get `reason`."""
    _refused, need_reason = city_change_conflicts(person, city)
    for membership in need_reason:
        membership.host_reason = reason.strip()
        membership.save(update_fields=["host_reason"])
    before = person.city
    person.city = city
    person._change_reason = f"city changed from {before or '—'} to {city or '—'} by {by.name}" + (
        f": {reason.strip()}" if reason.strip() else ""
    )
    person.save(update_fields=["city"])
