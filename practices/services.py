"""Publishing and unpublishing a practice (each asks first on a confirmation page)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from practices.models import Practice


@transaction.atomic
def publish_practice(*, practice: Practice, by) -> None:
    practice.state = Practice.PUBLISHED
    practice.published_at = timezone.now()
    practice.published_by = by
    practice.edit_version += 1
    practice.save(update_fields=["state", "published_at", "published_by", "edit_version"])


@transaction.atomic
def unpublish_practice(*, practice: Practice, by) -> None:
    """Back to the team: approved if it came from a review, a draft otherwise."""
    practice.state = Practice.APPROVED if practice.review_id else Practice.DRAFT
    practice.published_at = None
    practice.published_by = None
    practice.edit_version += 1
    practice.save(update_fields=["state", "published_at", "published_by", "edit_version"])
