"""A practice's way to the library: draft, approved by the review's team, published.

The state follows from the data (Practice.state_from_data): approvals of the current text
and the publication. Every change here ends with `refresh_state`, which stores it.

- From a review: the team leader completes the draft; every peer and the team leader of
  that review approve this text (as every peer approves the feedback report; nobody
  approves on the team's behalf); then the team leader or a coordinator publishes.
- Entered directly (no review): there is no team; a coordinator approves, then publishes.
- Back: a change to the text supersedes the approvals (draft again); whoever approved can
  withdraw; the team leader or a coordinator reopens an approved practice (the approvals
  are cleared); a coordinator unpublishes (back to approved: the approved text is unchanged).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from practices.models import Practice, PracticeApproval


def refresh_state(practice: Practice) -> None:
    state = practice.state_from_data()
    if state != practice.state:
        practice.state = state
        practice.save(update_fields=["state"])


@transaction.atomic
def approve_practice(*, practice: Practice, by) -> None:
    PracticeApproval.objects.update_or_create(
        practice=practice, user=by, defaults={"version": practice.edit_version}
    )
    refresh_state(practice)


@transaction.atomic
def withdraw_approval(*, practice: Practice, by) -> None:
    PracticeApproval.objects.filter(practice=practice, user=by).delete()
    refresh_state(practice)


@transaction.atomic
def reopen_practice(*, practice: Practice, by) -> None:
    """Approved back to draft: every approval is cleared, the team approves again."""
    practice.approvals.all().delete()
    refresh_state(practice)


@transaction.atomic
def publish_practice(*, practice: Practice, by) -> None:
    practice.published_at = timezone.now()
    practice.published_by = by
    practice.save(update_fields=["published_at", "published_by"])
    refresh_state(practice)


@transaction.atomic
def unpublish_practice(*, practice: Practice, by) -> None:
    """Back to the state its approvals give (approved: the text did not change)."""
    practice.published_at = None
    practice.published_by = None
    practice.save(update_fields=["published_at", "published_by"])
    refresh_state(practice)
