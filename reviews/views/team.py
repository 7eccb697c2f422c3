"""Opening a review and step 2: the team and its training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.confirm import Confirmation, confirm_page
from core.versioning import save_or_conflict
from reviews.access import review_view
from reviews.forms import MemberForm, ReviewForm, ScopeForm, TrainingSessionForm
from reviews.models import Evidence, Membership, Review, TrainingSession
from reviews.services import add_member
from reviews.status import team_warnings
from reviews.steps import HOST, PEER, TEAM_LEADER


@login_required
def review_create(request):
    if not request.user.has_perm("reviews.open_review"):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, initial={"programme": request.GET.get("programme")})
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review.current_step = 2  # step 1 is done: the benchmark is a published version
        review.save()
        messages.success(
            request, _("The review is open. Choose its scope, or keep every indicator.")
        )
        baseline = review.link_baseline()
        if baseline is not None:
            messages.info(
                request,
                _(
                    "%(city)s was reviewed before: “%(baseline)s” is this review's baseline. "
                    "The peers see its final ratings and the city's commitments beside each "
                    "indicator."
                )
                % {"city": review.host_city.name, "baseline": baseline.title},
            )
        return redirect("reviews:scope", pk=review.pk)
    return render(request, "reviews/review_form.html", {"form": form, "review": None})


@review_view("reviews.edit_review")
def review_edit(request, review: Review):
    form = ReviewForm(request.POST or None, instance=review)
    context = {"form": form, "review": review}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/review_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The review is saved."))
        return redirect(review)
    return render(request, "reviews/review_form.html", context)


@review_view("reviews.edit_review")
def review_scope(request, review: Review):
    form = ScopeForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_indicators()
        review.scope.set(chosen)
        if chosen:
            messages.success(
                request,
                ngettext(
                    "The review covers %(n)s indicator.",
                    "The review covers %(n)s indicators.",
                    len(chosen),
                )
                % {"n": len(chosen)},
            )
        else:
            messages.success(request, _("The review covers every indicator of the benchmark."))
        return redirect(review)
    return render(request, "reviews/scope_form.html", {"form": form, "review": review})


@review_view("reviews.see_team")
def team_page(request, review: Review):
    can_manage = request.user.has_perm("reviews.manage_team", review)
    form = MemberForm(review=review) if can_manage else None
    return render(request, "reviews/team.html", _team_context(review, form, can_manage))


def _team_context(review: Review, form, can_manage: bool) -> dict:
    members = list(review.memberships.select_related("user__city"))
    # The review's own training and its programme's joint training (reviews.status, step 2).
    counted = Q(review=review)
    if review.programme_id:
        counted |= Q(programme_id=review.programme_id)
    sessions = TrainingSession.objects.filter(counted).select_related("programme")
    trained = set(
        TrainingSession.attendees.through.objects.filter(trainingsession__in=sessions).values_list(
            "user_id", flat=True
        )
    )
    team = [m for m in members if m.role in (PEER, TEAM_LEADER)]
    hosts = [m for m in members if m.role == HOST]
    return {
        "review": review,
        "members": [(m, m.user_id in trained) for m in members],
        "warnings": team_warnings(review),
        "sessions": sessions.prefetch_related("attendees").order_by("date", "pk"),
        "can_manage": can_manage,
        "form": form,
        "trained_team": sum(1 for m in team if m.user_id in trained),
        "team_total": len(team),
        "trained_hosts": sum(1 for m in hosts if m.user_id in trained),
        "host_total": len(hosts),
    }


@require_POST
@review_view("reviews.manage_team")
def team_add(request, review: Review):
    form = MemberForm(request.POST, review=review)
    if not form.is_valid():
        return render(request, "reviews/team.html", _team_context(review, form, True))
    add_member(
        review=review,
        user=form.cleaned_data["user"],
        role=form.cleaned_data["role"],
        is_host_lead=form.cleaned_data["is_host_lead"],
        host_reason=form.cleaned_data["host_reason"],
    )
    messages.success(
        request, _("%(name)s joined the review.") % {"name": form.cleaned_data["user"].name}
    )
    return redirect("reviews:team", pk=review.pk)


def _removal(review: Review, membership: Membership) -> Confirmation:
    person = membership.user
    role = membership.get_role_display()
    sessions = review.visit_sessions.filter(peers=person).count()
    entries = Evidence.objects.filter(review=review, author=person).live().count()
    desk = review.desk_reviews.filter(peer=person).first()
    kept = []
    if desk is not None:
        kept.append(
            _("Their desk review (submitted)")
            if desk.is_submitted
            else _("Their draft desk review")
        )
    if entries:
        kept.append(
            ngettext("%(n)s evidence entry", "%(n)s evidence entries", entries) % {"n": entries}
        )
    notes = [
        _("%(name)s can no longer open this review.") % {"name": person.name}
        + " "
        + (
            _("What they wrote stays: %(what)s.") % {"what": "; ".join(kept)}
            if kept
            else _("They wrote nothing in it yet.")
        )
    ]
    if sessions:
        notes.append(
            ngettext(
                "They are planned as a peer in %(n)s visit session; change it on the timetable.",
                "They are planned as a peer in %(n)s visit sessions; change them on the timetable.",
                sessions,
            )
            % {"n": sessions}
        )
    if membership.role == TEAM_LEADER:
        notes.append(_("The team has no leader until a coordinator appoints one."))
    if membership.is_host_lead:
        notes.append(_("The host city has no host lead until one is appointed."))
    city = person.city.name if person.city_id else ""
    return Confirmation(
        title=_("Remove %(name)s from the review?") % {"name": person.name},
        confirm_label=_("Remove %(name)s") % {"name": person.name},
        cancel_url=reverse("reviews:team", args=[review.pk]),
        items_label=_("Who is removed"),
        items=[", ".join(p for p in (person.name, str(role), city) if p)],
        notes=notes,
        undo=_("A coordinator can add them again, with the same role or another."),
    )


@review_view("reviews.manage_team")
def team_remove(request, review: Review, member: int):
    membership = get_object_or_404(review.memberships.select_related("user__city"), pk=member)
    if request.method != "POST":
        return confirm_page(
            request,
            _removal(review, membership),
            template="reviews/confirm.html",
            review=review,
            parent_url=reverse("reviews:team", args=[review.pk]),
            parent_label=_("Team and training"),
        )
    membership.delete()
    messages.success(
        request,
        _("%(name)s (%(role)s) is removed from the review.")
        % {"name": membership.user.name, "role": membership.get_role_display()},
    )
    return redirect("reviews:team", pk=review.pk)


@review_view("reviews.manage_team")
def training_edit(request, review: Review, session: int | None = None):
    instance = get_object_or_404(review.training_sessions, pk=session) if session else None
    form = TrainingSessionForm(request.POST or None, instance=instance, review=review)
    context = {"review": review, "form": form, "instance": instance}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/training_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The training session is saved."))
        return redirect("reviews:team", pk=review.pk)
    return render(request, "reviews/training_form.html", context)
