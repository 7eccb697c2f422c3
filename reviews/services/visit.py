"""Step 5: what the visit's pages and their PDFs and calendars show.

The brief draws on desk reviews, so it follows step 4's one rule
(`DeskReviewEntry.objects.visible_to`): a peer sees the others' questions only after
submitting their own desk review, a coordinator once every peer has.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats

from reviews.models import ConsolidatedEntry, DeskReviewEntry, Review, VisitSession
from reviews.planning import Slot, timetable

# A session's links on the timetable: reversed once with this number, which each session's
# pk replaces (as on the evidence list).
_PLACEHOLDER = 2147483647
_PLACEHOLDER_TEXT = f"/{_PLACEHOLDER}/"


def sessions_of(review: Review) -> list[VisitSession]:
    """The review's sessions with their peers, interviewees and indicators prefetched (the
    peers' schedules and calendars; the timetable uses `timetable_sessions`)."""
    return list(review.visit_sessions.for_planner())


def timetable_sessions(review: Review) -> list[VisitSession]:
    """The review's sessions as the timetable and its checks show them. Their peers,
    interviewees and indicators are read as plain values, not a model instance each.

    Each session carries `slot` (for the rules of reviews.planning), `people` (the
    interviewees' names) and `team` (the peers' initials), both in the people's own order (by
    name) as `session.interviewees.all()` lists them, `times` ("09:00–10:00", as the
    grid shows them) and its links `edit_url`, `brief_url` and `evidence_url`."""
    sessions = list(review.visit_sessions.order_by("starts_at", "pk"))
    of_review = {"visitsession__review": review}
    peers = _per_session(
        VisitSession.peers.through.objects.filter(**of_review)
        .order_by("user__name")
        .values_list("visitsession_id", "user_id", "user__initials")
    )
    people = _per_session(
        VisitSession.interviewees.through.objects.filter(**of_review)
        .order_by("proposedinterviewee__name")
        .values_list("visitsession_id", "proposedinterviewee_id", "proposedinterviewee__name")
    )
    indicators = _per_session(
        VisitSession.indicators.through.objects.filter(**of_review).values_list(
            "visitsession_id", "indicator_id"
        )
    )
    links = {
        name: reverse(f"reviews:{name}", args=[review.pk, _PLACEHOLDER])
        for name in ("session_edit", "brief")
    }
    evidence_add = reverse("reviews:evidence_add", args=[review.pk])
    for session in sessions:
        pk, start, end = session.pk, session.local_start, session.local_end
        its_peers, its_people = peers.get(pk, []), people.get(pk, [])
        session.slot = Slot(
            key=pk,
            kind=session.kind,
            starts_at=start,
            ends_at=end,
            peers={user for user, _initials in its_peers},
            interviewees={person for person, _name in its_people},
            indicators={indicator for (indicator,) in indicators.get(pk, [])},
            peer_count_reason=session.peer_count_reason,
        )
        session.times = "–".join(formats.time_format(t, "TIME_FORMAT") for t in (start, end))
        session.team = [initials for _user, initials in its_peers]
        session.people = [name for _person, name in its_people]
        session.edit_url, session.brief_url = (
            links[name].replace(_PLACEHOLDER_TEXT, f"/{pk}/") for name in ("session_edit", "brief")
        )
        session.evidence_url = f"{evidence_add}?session={pk}"
    return sessions


def _per_session(rows) -> dict[int, list[tuple]]:
    """Rows of (session id, values...) as each session's list of values."""
    values: dict[int, list[tuple]] = {}
    for session, *rest in rows:
        values.setdefault(session, []).append(tuple(rest))
    return values


def timetable_context(review: Review, sessions: list[VisitSession] | None = None) -> dict:
    """The grid of the planner and the timetable PDF; `sessions` as `timetable_sessions`."""
    sessions = timetable_sessions(review) if sessions is None else sessions
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
