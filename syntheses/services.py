"""The comparative report's transitions (views call these, inside a transaction)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from reviews.steps import TEAM_LEADER
from syntheses.content import build_content
from syntheses.models import ComparativeReport, ComparativeVersion


def programme_leaders(programme) -> list:
    """The team leaders of the programme's reviews: the people chapters go to."""
    return list(
        get_user_model()
        .objects.filter(memberships__role=TEAM_LEADER, memberships__review__programme=programme)
        .distinct()
        .order_by("name", "pk")
    )


@transaction.atomic
def assign_chapters(*, report: ComparativeReport, chapters: dict) -> None:
    """Who writes each chapter (`chapters`: {chapter: person or None}). Assigning changes
    who approves, so a waiting version is superseded when anyone changes."""
    changed = [(c, p) for c, p in chapters.items() if (p.pk if p else None) != c.assignee_id]
    if changed:
        report.guard_change()
    for chapter, person in changed:
        chapter.assignee = person
        chapter.save(update_fields=["assignee"])


@transaction.atomic
def freeze_version(*, report: ComparativeReport, by) -> ComparativeVersion:
    """Freeze the report as it stands into a version every author approves."""
    return report.freeze(by=by, content=build_content(report))
