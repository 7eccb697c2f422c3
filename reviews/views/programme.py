"""Programmes: the list, creating and editing one, its board, its peer pool, forming every
team at once and the joint training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.versioning import save_or_conflict
from reviews.access import programme_view
from reviews.forms.programme import PoolForm, ProgrammeForm, ProgrammeTrainingForm, TeamsForm
from reviews.models import Membership, Programme
from reviews.services.programme import (
    board_rows,
    partners_of,
    people_for_teams,
    pool_warnings,
    team_warnings_of,
)
from reviews.steps import TEAM_ROLES


@login_required
def programme_list(request):
    programmes = Programme.objects.for_user(request.user).with_listing()
    return render(
        request,
        "reviews/programme/list.html",
        {
            "programmes": programmes,
            "can_create": request.user.has_perm("reviews.manage_programme", None),
        },
    )


@login_required
def programme_create(request):
    if not request.user.has_perm("reviews.manage_programme", None):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
        messages.success(
            request, _("The programme is created. Choose its peer pool, then open its reviews.")
        )
        return redirect(programme)
    return render(request, "reviews/programme/form.html", {"form": form, "programme": None})


@programme_view("reviews.manage_programme")
def programme_edit(request, programme: Programme):
    form = ProgrammeForm(request.POST or None, instance=programme)
    context = {"form": form, "programme": programme}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/programme/form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The programme is saved."))
        return redirect(programme)
    return render(request, "reviews/programme/form.html", context)


@programme_view("reviews.see_programme")
def board(request, programme: Programme):
    rows = board_rows(programme, user=request.user)
    manages = request.user.has_perm("reviews.manage_programme", programme)
    return render(
        request,
        "reviews/programme/board.html",
        {
            "programme": programme,
            "rows": rows,
            "can_manage": manages,
            "partners": partners_of(programme, [row.review for row in rows]),
            "trainings": programme.training_sessions.prefetch_related("attendees"),
            "pool_size": programme.pool.count(),
            "stale_count": sum(row.stale for row in rows) if manages else 0,
            "overdue_count": sum(row.current.overdue for row in rows),
        },
    )


@programme_view("reviews.manage_programme")
def pool(request, programme: Programme):
    form = PoolForm(request.POST or None, instance=programme)
    context = {
        "form": form,
        "programme": programme,
        "warnings": pool_warnings(programme, programme.pool.select_related("city")),
    }
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/programme/pool.html", context=context
        )
        if conflict:
            return conflict
        messages.success(request, _("The peer pool is saved."))
        return redirect("reviews:programme_pool", programme=programme.pk)
    return render(request, "reviews/programme/pool.html", context)


def _teams_context(programme: Programme, data=None) -> dict:
    reviews = list(programme.reviews.select_related("host_city").order_by("visit_start", "title"))
    people = people_for_teams(programme)
    memberships = list(
        Membership.objects.filter(review__programme=programme).select_related("user")
    )
    form = TeamsForm(
        data, instance=programme, people=people, reviews=reviews, memberships=memberships
    )
    team_sizes = {
        r.pk: sum(1 for m in memberships if m.review_id == r.pk and m.role in TEAM_ROLES)
        for r in reviews
    }
    return {
        "programme": programme,
        "form": form,
        "reviews": [(r, team_sizes[r.pk]) for r in reviews],
        "warnings": team_warnings_of(programme, reviews, memberships, people)
        + pool_warnings(programme, people),
        "memberships": memberships,
    }


@programme_view("reviews.manage_programme")
def teams(request, programme: Programme):
    context = _teams_context(programme, request.POST if request.method == "POST" else None)
    form = context["form"]
    if request.method == "POST" and form.is_valid():

        def show_differences(form):
            saved = Membership.objects.filter(review__programme=programme)
            context["conflict"] = form.differences_from(saved)

        _saved, conflict = save_or_conflict(
            request,
            form,
            template="reviews/programme/teams.html",
            context=context,
            on_conflict=show_differences,
        )
        if conflict:
            return conflict
        changes = form.changes
        messages.success(
            request,
            _("The teams are saved: %(added)s joined, %(changed)s changed role, %(removed)s left.")
            % {
                "added": len(changes.added),
                "changed": len(changes.changed),
                "removed": len(changes.removed),
            },
        )
        return redirect("reviews:programme_teams", programme=programme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/programme/teams.html", context, status=status)


@programme_view("reviews.manage_programme")
def training_edit(request, programme: Programme, training: int | None = None):
    instance = get_object_or_404(programme.training_sessions, pk=training) if training else None
    form = ProgrammeTrainingForm(request.POST or None, instance=instance, programme=programme)
    context = {"programme": programme, "form": form, "instance": instance}
    if request.method == "POST" and form.is_valid():
        _saved, conflict = save_or_conflict(
            request, form, template="reviews/programme/training_form.html", context=context
        )
        if conflict:
            return conflict
        messages.success(
            request,
            _("The joint training is saved: it counts on every review of the programme."),
        )
        return redirect(programme)
    return render(request, "reviews/programme/training_form.html", context)
