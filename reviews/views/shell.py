"""The review shell: my dashboard, all reviews, one review's seven steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benchmarks.models import VersionReviewer
from reviews.access import review_view
from reviews.forms.review import AdvanceForm, MoveBackForm
from reviews.models import Membership, Notification, Review
from reviews.rules import role_in
from reviews.services.steps import advance_review, move_review_back
from reviews.status import progress_of, progress_of_many, with_progress
from reviews.steps import LAST_STEP, ROLE_LABELS, STEP_NUMBERS, get_step


@login_required
def dashboard(request):
    memberships = list(Membership.objects.for_dashboard(request.user))
    progress = progress_of_many(
        with_progress(Review.objects.filter(pk__in=[m.review_id for m in memberships]))
    )
    rows = [
        {
            "review": m.review,
            "role": ROLE_LABELS[m.role],
            "progress": progress[m.review_id],
            "next": progress[m.review_id].next_for(request.user, m.role),
        }
        for m in memberships
    ]
    awaiting = VersionReviewer.objects.awaiting(request.user)
    notifications = Notification.objects.unread_for(request.user)[:20]
    return render(
        request,
        "reviews/dashboard.html",
        {"rows": rows, "awaiting": awaiting, "notifications": notifications},
    )


@require_POST
@login_required
def notification_open(request, pk: int):
    """Mark one of my notifications read and go where it points."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    return redirect(notification.url)


@login_required
def all_reviews(request):
    if not request.user.has_perm("reviews.see_all_reviews"):
        raise PermissionDenied
    reviews = list(with_progress(Review.objects.with_listing()))
    progress = progress_of_many(reviews)
    rows = [{"review": r, "progress": progress[r.pk]} for r in reviews]
    overdue_count = sum(1 for row in rows if row["progress"].overdue)
    return render(
        request, "reviews/all_reviews.html", {"rows": rows, "overdue_count": overdue_count}
    )


@review_view("reviews.see_review")
def review_detail(request, review: Review):
    role = role_in(request.user, review)
    members = review.memberships.select_related("user", "user__city")
    progress = progress_of(review)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "progress": progress,
            "statuses": progress.steps,
            "members": members,
            "my_role": ROLE_LABELS.get(role) if role else None,
            "next": progress.next_for(request.user, role),
            "events": review.events.select_related("actor")[:20],
            "can_advance": request.user.has_perm("reviews.advance_review", review)
            and review.current_step < LAST_STEP,
            "can_move_back": request.user.has_perm("reviews.move_review_back", review)
            and review.current_step > STEP_NUMBERS[0],
            "can_manage": request.user.has_perm("reviews.edit_review", review),
            "can_export": request.user.has_perm("reviews.export_archive", review),
        },
    )


@review_view("reviews.see_step")
def step_detail(request, review: Review, number: int):
    if number not in STEP_NUMBERS:
        raise Http404
    step = get_step(number)
    progress = progress_of(review)
    pages = [
        (reverse(name, args=[review.pk]), label)
        for name, label, permission in step.pages
        if request.user.has_perm(permission, review)
    ]
    return render(
        request,
        "reviews/step_detail.html",
        {
            "review": review,
            "step": step,
            "status": progress.step(number),
            "progress": progress,
            "pages": pages,
            "is_current": number == review.current_step,
            "next": progress.next_for(request.user, role_in(request.user, review)),
        },
    )


@review_view("reviews.advance_review")
def advance_step(request, review: Review):
    """What the current step still lacks, then an explicit confirmation to move on."""
    if review.current_step >= LAST_STEP:
        messages.error(request, _("This review is already at the last step."))
        return redirect(review)
    status = progress_of(review).current
    form = AdvanceForm(request.POST if request.method == "POST" else None, lacks=status.lacks)
    if request.method == "POST" and form.is_valid():
        try:
            advance_review(review=review, by=request.user, missing=status.lacks)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            review.refresh_from_db()
            messages.success(
                request,
                _("The review moved to step %(n)s: %(name)s.")
                % {"n": review.current_step, "name": review.current.name},
            )
        return redirect(review)
    return render(
        request,
        "reviews/advance_confirm.html",
        {
            "review": review,
            "status": status,
            "following": get_step(review.current_step + 1),
            "form": form,
        },
    )


@review_view("reviews.move_review_back")
def move_back(request, review: Review):
    """Back one step, with a reason kept in the review's history."""
    if review.current_step <= STEP_NUMBERS[0]:
        messages.error(request, _("This review is at the first step already."))
        return redirect(review)
    form = MoveBackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        move_review_back(review=review, by=request.user, reason=form.cleaned_data["reason"])
        review.refresh_from_db()
        messages.success(
            request,
            _("The review moved back to step %(n)s: %(name)s.")
            % {"n": review.current_step, "name": review.current.name},
        )
        return redirect(review)
    return render(
        request,
        "reviews/move_back.html",
        {"review": review, "previous": get_step(review.current_step - 1), "form": form},
    )
