"""Who may see or change the comparative report of a programme.

Rules take ``(user, report)``, or ``(user, chapter)`` for a chapter. The coordinator opens the
report, assigns chapters to team leaders of the programme's reviews, freezes, publishes and
reopens; a chapter's author writes it; every assigned author approves a frozen version. The
team leaders of the programme read the draft; once published it is for everyone.
"""

from __future__ import annotations

import rules

from core.roles import is_coordinator
from reviews.models import Membership
from reviews.steps import TEAM_LEADER


@rules.predicate
def is_programme_leader(user, report) -> bool:
    """A team leader of one of the programme's reviews."""
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    cache = report.__dict__.setdefault("_cf_leaders", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(
            user=user, role=TEAM_LEADER, review__programme_id=report.programme_id
        ).exists()
    return cache[user.pk]


@rules.predicate
def is_published(user, report) -> bool:
    return report is not None and report.is_published


@rules.predicate
def is_author(user, report) -> bool:
    return report is not None and any(p.pk == user.pk for p in report.approvers())


@rules.predicate
def is_waiting(user, report) -> bool:
    return report is not None and report.pending_version is not None


@rules.predicate
def writes_chapter(user, chapter) -> bool:
    return (
        chapter is not None
        and getattr(user, "is_authenticated", False)
        and chapter.assignee_id == user.pk
        and is_programme_leader(user, chapter.report)
    )


@rules.predicate
def chapter_open(user, chapter) -> bool:
    return chapter is not None and not chapter.report.is_final


@rules.predicate
def coordinates(user, chapter) -> bool:
    return is_coordinator(user)


rules.add_perm("syntheses.open_report", is_coordinator)
rules.add_perm("syntheses.see_draft", is_coordinator | is_programme_leader)
rules.add_perm("syntheses.see_report", is_published | is_coordinator | is_programme_leader)
rules.add_perm("syntheses.compose", is_coordinator)
rules.add_perm("syntheses.edit_chapter", chapter_open & (coordinates | writes_chapter))
rules.add_perm("syntheses.approve", is_waiting & is_author & is_programme_leader)
rules.add_perm("syntheses.publish", is_coordinator)
rules.add_perm("syntheses.reopen", is_published & is_coordinator)
