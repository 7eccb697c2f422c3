"""Step 5: what the visit's pages and their PDFs and calendars show.

The brief draws on desk reviews, so it follows step 4's one rule
(`DeskReviewEntry.objects.visible_to`): a peer sees the others' questions only after
submitting their own desk review, a coordinator once every peer has.
"""

from __future__ import annotations

from reviews.models import ConsolidatedEntry, DeskReviewEntry, Review, VisitSession
from reviews.planning import timetable


def sessions_of(review: Review) -> list[VisitSession]:
    """The review's sessions with what the planner, the grid and the briefs show."""
    return list(review.visit_sessions.for_planner())


def timetable_context(review: Review, sessions: list[VisitSession] | None = None) -> dict:
    sessions = sessions_of(review) if sessions is None else sessions
    days = review.visit_days()
    return {
        "review": review,
        "days": days,
        "grid": timetable(days, review.day_starts, review.day_ends, review.slot_minutes, sessions),
        "outside": [s for s in sessions if s.local_start.date() not in days],
    }


def sessions_of_peer(review: Review, user) -> list[VisitSession]:
    """The sessions `user` takes part in as a peer (their schedule and calendar)."""
    return [s for s in sessions_of(review) if user in s.peers.all()]


def brief_context(*, review: Review, session: VisitSession, viewer) -> dict:
    """An interview's brief: the indicators it covers with the team's consolidated view and
    the desk reviews' questions, and who asked to meet these people, as `viewer` may see."""
    indicators = list(session.indicators.all())
    people = list(session.interviewees.all())
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedEntry.objects.visible_to(viewer, review)
        .filter(indicator__in=indicators)
        .select_related("rating")
    }
    visible = DeskReviewEntry.objects.visible_to(viewer, review)
    entries = (
        visible.filter(indicator__in=indicators)
        .exclude(questions="")
        .select_related("desk_review__peer")
        .order_by("indicator_id", "desk_review__peer__name")
    )
    questions: dict[int, list] = {}
    for entry in entries:
        questions.setdefault(entry.indicator_id, []).append(entry)
    wanted_by = (
        visible.filter(meet__in=people).select_related("indicator", "desk_review__peer").distinct()
    )
    return {
        "review": review,
        "session": session,
        "people": people,
        "rows": [(i, consolidated.get(i.pk), questions.get(i.pk, [])) for i in indicators],
        "wanted_by": wanted_by,
        "desk_reviews_hidden": not viewer.has_perm("reviews.see_team_desk_reviews", review),
    }
