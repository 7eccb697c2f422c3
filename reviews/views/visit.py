"""Step 5: the visit planner, the timetable, personal schedules (.ics) and interview briefs."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.confirm import Confirmation, confirm_page
from core.versioning import save_or_conflict
from reviews.access import review_view
from reviews.forms.visit import SessionForm, VisitSettingsForm
from reviews.models import DeskReviewEntry, Review, VisitSession
from reviews.planning import overloaded_peers, thin_coverage, unscheduled
from reviews.services.visit import (
    brief_context,
    sessions_of_peer,
    timetable_context,
    timetable_sessions,
)


def _warnings(review: Review, sessions: list[VisitSession], viewer) -> dict:
    """The checks under the timetable; `sessions` as `timetable_sessions` gives them. Only the
    peers and people a warning names are read as model instances, and the indicators as their
    code and text (in the page's language, as `indicator.text` reads it)."""
    slots = [s.slot for s in sessions]
    indicators = {
        i.pk: i for i in review.indicators_in_scope().values_list("pk", "code", "text", named=True)
    }
    # Whom the desk reviews asked to meet, as far as this person may read them (step 4's
    # rule: the others' only once they submitted and so did this person).
    requested = (
        DeskReviewEntry.objects.visible_to(viewer, review)
        .filter(meet__isnull=False)
        .values_list("meet", flat=True)
        .distinct()
    )
    overloaded = overloaded_peers(slots)
    missing = unscheduled(slots, sorted(requested))
    peers = {}
    if overloaded:
        named = {p for p, _day, _n in overloaded}
        memberships = review.memberships.filter(user_id__in=named).select_related("user")
        peers = {m.user_id: m.user for m in memberships}
    people = review.proposed_interviewees.in_bulk(missing) if missing else {}
    return {
        "overloaded": [(peers.get(p), day, n) for p, day, n in overloaded],
        "thin": [(indicators[i], n) for i, n in thin_coverage(slots, indicators)],
        "unscheduled": [people[p] for p in missing if p in people],
    }


@review_view("reviews.see_visit")
def planner(request, review: Review):
    sessions = timetable_sessions(review)
    return render(
        request,
        "reviews/visit/planner.html",
        {
            **timetable_context(review, sessions),
            "sessions": sessions,
            "warnings": _warnings(review, sessions, request.user),
            "can_plan": request.user.has_perm("reviews.plan_visit", review),
            "can_brief": request.user.has_perm("reviews.see_briefs", review),
            "can_record": request.user.has_perm("reviews.record_evidence", review),
        },
    )


@review_view("reviews.plan_visit")
def session_edit(request, review: Review, session: int | None = None):
    instance = get_object_or_404(review.visit_sessions, pk=session) if session else None
    initial = {}
    if instance is None and request.GET.get("start"):
        initial["starts_at"] = request.GET["start"]
    form = SessionForm(request.POST or None, instance=instance, review=review, initial=initial)
    context = {
        "review": review,
        "form": form,
        "instance": instance,
        "can_record": request.user.has_perm("reviews.record_evidence", review),
    }
    if request.method == "POST":
        with transaction.atomic():
            # Planners of one review take turns (a row lock on PostgreSQL; SQLite writes one
            # at a time anyway), so the double-booking rules always see the other's session.
            list(Review.objects.select_for_update().filter(pk=review.pk).values_list("pk"))
            if form.is_valid():
                saved, conflict = save_or_conflict(
                    request, form, template="reviews/visit/session_form.html", context=context
                )
                if conflict:
                    return conflict
                messages.success(request, _("Saved %(what)s.") % {"what": saved.label})
                return redirect("reviews:planner", pk=review.pk)
    return render(request, "reviews/visit/session_form.html", context)


@review_view("reviews.plan_visit")
def visit_settings(request, review: Review):
    form = VisitSettingsForm(request.POST or None, instance=review)
    context = {"review": review, "form": form}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/visit/settings_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The visit days and time slots are saved."))
        return redirect("reviews:planner", pk=review.pk)
    return render(request, "reviews/visit/settings_form.html", context)


def _when(session: VisitSession) -> str:
    start = formats.date_format(session.local_start, "D j M H:i")
    return f"{start}–{formats.time_format(session.local_end, 'H:i')}"


def _removal(review: Review, session: VisitSession) -> Confirmation:
    peers = [p.name for p in session.peers.all()]
    people = [p.name for p in session.interviewees.all()]
    codes = [i.code for i in session.indicators.all()]
    entries = session.evidence.count()  # deleted entries too: they can be restored
    items = [
        _("%(what)s, %(when)s") % {"what": session.label, "when": _when(session)},
        _("Peers: %(names)s") % {"names": ", ".join(peers) or "–"},
        _("Interviewees: %(names)s") % {"names": ", ".join(people) or "–"},
    ]
    if codes:
        items.append(
            ngettext(
                "%(n)s indicator planned: %(codes)s",
                "%(n)s indicators planned: %(codes)s",
                len(codes),
            )
            % {"n": len(codes), "codes": ", ".join(codes)}
        )
    blockers = []
    if entries:
        blockers.append(
            ngettext(
                "%(n)s evidence entry is recorded against %(what)s, so it stays: the evidence "
                "must keep its source.",
                "%(n)s evidence entries are recorded against %(what)s, so it stays: the "
                "evidence must keep its source.",
                entries,
            )
            % {"n": entries, "what": session.label}
        )
    return Confirmation(
        title=_("Remove %(what)s from the timetable?") % {"what": session.label},
        confirm_label=_("Remove the session"),
        cancel_url=reverse("reviews:session_edit", args=[review.pk, session.pk]),
        items_label=_("What is removed"),
        items=items,
        notes=[
            _(
                "The peers' schedules and calendars lose it, and the interviewees are no "
                "longer scheduled. The people and indicators themselves stay."
            )
        ],
        undo=_("This cannot be undone: the team leader can plan the session again."),
        blockers=blockers,
    )


@review_view("reviews.plan_visit")
def session_delete(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions.for_planner(), pk=session)
    confirmation = _removal(review, instance)
    if request.method == "POST" and confirmation.blockers:
        messages.error(request, confirmation.blockers[0])
        return redirect("reviews:session_edit", pk=review.pk, session=instance.pk)
    if request.method != "POST":
        return confirm_page(
            request,
            confirmation,
            template="reviews/confirm.html",
            review=review,
            parent_url=reverse("reviews:planner", args=[review.pk]),
            parent_label=_("Visit timetable"),
        )
    what = f"{instance.label}, {_when(instance)}"
    instance.delete()
    messages.success(request, _("Removed %(what)s from the timetable.") % {"what": what})
    return redirect("reviews:planner", pk=review.pk)


@review_view("reviews.see_briefs")
def schedule(request, review: Review):
    sessions = sessions_of_peer(review, request.user)
    return render(
        request,
        "reviews/visit/schedule.html",
        {
            "review": review,
            "sessions": sessions,
            "can_record": request.user.has_perm("reviews.record_evidence", review),
        },
    )


@review_view("reviews.see_briefs")
def brief(request, review: Review, session: int):
    instance = get_object_or_404(review.visit_sessions.for_planner(), pk=session)
    context = brief_context(review=review, session=instance, viewer=request.user)
    context["can_record"] = request.user.has_perm("reviews.record_evidence", review)
    return render(request, "reviews/visit/brief.html", context)
