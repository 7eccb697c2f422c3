"""Step 5 printed: the timetable and interview briefs as PDFs, a peer's schedule as .ics."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from reports.responses import pdf_response
from reviews.access import review_view
from reviews.models import Review
from reviews.services.visit import brief_context, sessions_of_peer, timetable_context


@review_view("reviews.see_visit")
def timetable_pdf(request, review: Review):
    return pdf_response(
        request,
        template="reports/timetable_pdf.html",
        context=timetable_context(review),
        filename=f"timetable-{review.pk}.pdf",
        review=review,
        read_url=reverse("reviews:planner", args=[review.pk]),
    )


@review_view("reviews.see_briefs")
def brief_pdf(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions.for_planner(), pk=session)
    return pdf_response(
        request,
        template="reports/brief_pdf.html",
        context=brief_context(review=review, session=instance, viewer=request.user),
        filename=f"brief-{instance.pk}.pdf",
        review=review,
        read_url=reverse("reviews:brief", args=[review.pk, instance.pk]),
    )


@review_view("reviews.see_briefs")
def schedule_ics(request, review: Review):
    calendar = Calendar()
    calendar.add("prodid", "-//Critical Friend//Visit schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", review.title)
    host = request.get_host()
    for session in sessions_of_peer(review, request.user):
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
