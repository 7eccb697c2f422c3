"""Step 5: the visit planner, the timetable, personal schedules (.ics) and interview briefs."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from reports.responses import pdf_response
from reviews.access import review_view
from reviews.concurrency import EditConflict, conflict_context, save_versioned
from reviews.forms import SessionForm, VisitSettingsForm
from reviews.models import ConsolidatedEntry, DeskReviewEntry, Review, VisitSession
from reviews.planning import overloaded_peers, thin_coverage, timetable, unscheduled


def _sessions(review: Review) -> list[VisitSession]:
    return list(review.visit_sessions.for_planner())


def _warnings(review: Review, sessions: list[VisitSession]) -> dict:
    slots = [s.as_slot() for s in sessions]
    indicators = {i.pk: i for i in review.indicators_in_scope()}
    people = {p.pk: p for p in review.proposed_interviewees.all()}
    peers = {m.user_id: m.user for m in review.memberships.select_related("user")}
    requested = (
        # Only what peers have submitted: a draft desk review is its author's alone.
        DeskReviewEntry.meet.through.objects.filter(
            deskreviewentry__desk_review__review=review,
            deskreviewentry__desk_review__submitted_at__isnull=False,
        )
        .values_list("proposedinterviewee_id", flat=True)
        .distinct()
    )
    return {
        "overloaded": [(peers.get(p), day, n) for p, day, n in overloaded_peers(slots)],
        "thin": [(indicators[i], n) for i, n in thin_coverage(slots, indicators)],
        "unscheduled": [people[p] for p in unscheduled(slots, sorted(requested)) if p in people],
    }


@review_view("reviews.see_visit")
def planner(request, review: Review):
    sessions = _sessions(review)
    days = review.visit_days()
    return render(
        request,
        "reviews/visit/planner.html",
        {
            "review": review,
            "days": days,
            "grid": timetable(
                days, review.day_starts, review.day_ends, review.slot_minutes, sessions
            ),
            "sessions": sessions,
            "outside": [s for s in sessions if s.local_start.date() not in days],
            "warnings": _warnings(review, sessions),
            "can_plan": request.user.has_perm("reviews.plan_visit", review),
            "can_brief": request.user.has_perm("reviews.see_briefs", review),
        },
    )


@review_view("reviews.plan_visit")
def session_edit(request, review: Review, session: int | None = None):
    instance = get_object_or_404(review.visit_sessions, pk=session) if session else None
    initial = {}
    if instance is None and request.GET.get("start"):
        initial["starts_at"] = request.GET["start"]
    form = SessionForm(request.POST or None, instance=instance, review=review, initial=initial)
    context = {"review": review, "form": form, "instance": instance}
    if request.method == "POST":
        with transaction.atomic():
            # Planners of one review take turns (a row lock on PostgreSQL; SQLite writes one
            # at a time anyway), so the double-booking rules always see the other's session.
            list(Review.objects.select_for_update().filter(pk=review.pk).values_list("pk"))
            if form.is_valid():
                try:
                    saved = save_versioned(form)
                except EditConflict as conflict:
                    context.update(conflict_context(form, conflict.current))
                    return render(request, "reviews/visit/session_form.html", context, status=409)
                messages.success(request, _("Saved %(what)s.") % {"what": saved.label})
                return redirect("reviews:planner", pk=review.pk)
    return render(request, "reviews/visit/session_form.html", context)


@review_view("reviews.plan_visit")
def visit_settings(request, review: Review):
    form = VisitSettingsForm(request.POST or None, instance=review)
    context = {"review": review, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(form)
        except EditConflict as conflict:
            context.update(conflict_context(form, conflict.current))
            return render(request, "reviews/visit/settings_form.html", context, status=409)
        messages.success(request, _("The visit days and time slots are saved."))
        return redirect("reviews:planner", pk=review.pk)
    return render(request, "reviews/visit/settings_form.html", context)


@require_POST
@review_view("reviews.plan_visit")
def session_delete(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions, pk=session)
    if instance.evidence.exists():
        messages.error(
            request,
            _("%(what)s has evidence recorded against it and cannot be removed.")
            % {"what": instance.label},
        )
        return redirect("reviews:session_edit", pk=review.pk, session=instance.pk)
    instance.delete()
    messages.success(request, _("Removed %(what)s.") % {"what": instance.label})
    return redirect("reviews:planner", pk=review.pk)


@review_view("reviews.see_briefs")
def schedule(request, review: Review):
    sessions = [s for s in _sessions(review) if request.user in s.peers.all()]
    return render(request, "reviews/visit/schedule.html", {"review": review, "sessions": sessions})


@review_view("reviews.see_briefs")
def schedule_ics(request, review: Review):
    calendar = Calendar()
    calendar.add("prodid", "-//Critical Friend//Visit schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", review.title)
    host = request.get_host()
    for session in _sessions(review):
        if request.user not in session.peers.all():
            continue
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        people = ", ".join(p.name for p in session.interviewees.all())
        event.add("summary", f"{session.label}: {people}" if people else session.label)
        if session.location:
            event.add("location", session.location)
        codes = ", ".join(i.code for i in session.indicators.all())
        event.add("description", f"{review.title}\n{codes}")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visit-{review.pk}.ics"'
    return response


def _brief_context(review: Review, session: VisitSession) -> dict:
    indicators = list(session.indicators.all())
    people = list(session.interviewees.all())
    consolidated = {
        c.indicator_id: c
        for c in ConsolidatedEntry.objects.filter(
            review=review, indicator__in=indicators
        ).select_related("rating")
    }
    entries = (
        DeskReviewEntry.objects.filter(
            desk_review__review=review,
            desk_review__submitted_at__isnull=False,  # drafts stay private (step 4)
            indicator__in=indicators,
        )
        .exclude(questions="")
        .select_related("desk_review__peer")
        .order_by("indicator_id", "desk_review__peer__name")
    )
    questions: dict[int, list] = {}
    for entry in entries:
        questions.setdefault(entry.indicator_id, []).append(entry)
    wanted_by = (
        DeskReviewEntry.objects.filter(
            desk_review__review=review, desk_review__submitted_at__isnull=False, meet__in=people
        )
        .select_related("indicator", "desk_review__peer")
        .distinct()
    )
    return {
        "review": review,
        "session": session,
        "people": people,
        "rows": [(i, consolidated.get(i.pk), questions.get(i.pk, [])) for i in indicators],
        "wanted_by": wanted_by,
    }


@review_view("reviews.see_briefs")
def brief(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions.for_planner(), pk=session)
    return render(request, "reviews/visit/brief.html", _brief_context(review, instance))


@review_view("reviews.see_briefs")
def brief_pdf(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions.for_planner(), pk=session)
    return pdf_response(
        request,
        template="reports/brief_pdf.html",
        context=_brief_context(review, instance),
        filename=f"brief-{instance.pk}.pdf",
        review=review,
        read_url=reverse("reviews:brief", args=[review.pk, instance.pk]),
    )


@review_view("reviews.see_visit")
def timetable_pdf(request, review: Review):
    sessions = _sessions(review)
    days = review.visit_days()
    context = {
        "review": review,
        "days": days,
        "grid": timetable(days, review.day_starts, review.day_ends, review.slot_minutes, sessions),
        "outside": [s for s in sessions if s.local_start.date() not in days],
    }
    return pdf_response(
        request,
        template="reports/timetable_pdf.html",
        context=context,
        filename=f"timetable-{review.pk}.pdf",
        review=review,
        read_url=reverse("reviews:planner", args=[review.pk]),
    )
